"""The ``AsyncElasticsearch`` client, configured from settings (URL, credentials, CA
certificate, timeout, retries with back-off)."""

from __future__ import annotations

import importlib.util
from typing import Any

from elasticsearch import AsyncElasticsearch

from search_core.errors import BackendUnavailable
from search_core.settings import Settings

RETRY_BACKOFF_BASE = 0.5
"""Seconds; retries wait a random time up to base × 2^attempt (full jitter), at most the cap."""
RETRY_BACKOFF_CAP = 10.0


def node_class() -> str:
    """The async HTTP library: aiohttp (``elasticsearch[async]``) if installed, else httpx."""
    if importlib.util.find_spec("aiohttp") is not None:
        return "aiohttp"
    if importlib.util.find_spec("httpx") is not None:
        return "httpxasync"
    raise BackendUnavailable(
        "the Elasticsearch engine needs an async HTTP library: pip install 'elasticsearch[async]'"
    )


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of :class:`AsyncElasticsearch` (separate, so tests can read them)."""
    url = settings.elasticsearch_url
    if not url:
        raise BackendUnavailable(
            "SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_URL (e.g. http://localhost:9200)"
        )
    options: dict[str, Any] = {
        "hosts": [url],
        "request_timeout": settings.elasticsearch_request_timeout,
        "max_retries": settings.elasticsearch_max_retries,
        "retry_on_timeout": True,
        "retry_backoff_base": RETRY_BACKOFF_BASE,
        "retry_backoff_cap": RETRY_BACKOFF_CAP,
        "node_class": node_class(),
    }
    if settings.elasticsearch_api_key is not None:
        options["api_key"] = settings.elasticsearch_api_key.get_secret_value()
    elif settings.elasticsearch_username:
        password = settings.elasticsearch_password
        secret = password.get_secret_value() if password is not None else ""
        options["basic_auth"] = (settings.elasticsearch_username, secret)
    if settings.elasticsearch_ca_certs is not None:
        options["ca_certs"] = str(settings.elasticsearch_ca_certs)
    return options


def make_client(settings: Settings) -> AsyncElasticsearch:
    """A new client; create it in the event loop that will use it."""
    return AsyncElasticsearch(**client_options(settings))
