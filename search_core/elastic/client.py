"""The ``AsyncElasticsearch`` client, configured from settings (URL, credentials, CA
certificate, timeout, retries with back-off).

Two flavours: :func:`make_client` retries a request that failed on the way (connection error,
timeout, 429/502/503/504) with back-off, which is right for the idempotent calls (searches,
counts, reading aliases and mappings, settings, refreshes, bulk index actions with ids);
:func:`make_client` with ``retries=False`` never retries, for the calls whose repetition is
not the same as doing them once (creating an index, deleting a document, moving an alias,
taking the write lock): :mod:`search_core.elastic.once` retries those knowing what a repeated
answer means.

``retry_backoff_base``/``retry_backoff_cap`` exist from elasticsearch-py 9.5 (elastic-transport
9.4.1): the dependency floor in ``pyproject.toml`` is that version (:data:`CLIENT_FLOOR`).
"""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import urlsplit

from elasticsearch import AsyncElasticsearch

from search_core.errors import BackendUnavailable
from search_core.settings import Settings

RETRY_BACKOFF_BASE = 0.5
"""Seconds; retries wait a random time up to base × 2^attempt (full jitter), at most the cap."""
RETRY_BACKOFF_CAP = 10.0
CLIENT_FLOOR = (9, 5)
"""The first elasticsearch-py release whose client takes ``retry_backoff_base``/``_cap``."""


def node_class() -> str:
    """The async HTTP library: aiohttp (``elasticsearch[async]``) if installed, else httpx."""
    if importlib.util.find_spec("aiohttp") is not None:
        return "aiohttp"
    if importlib.util.find_spec("httpx") is not None:
        return "httpxasync"
    raise BackendUnavailable(
        "the Elasticsearch engine needs an async HTTP library: pip install 'elasticsearch[async]'"
    )


def cluster_url(url: str | None, variable: str, engine: str, default_port: int = 9200) -> str:
    """``url`` if it is a whole cluster address (``http(s)://host:port``), else
    :class:`BackendUnavailable` saying what ``variable`` should look like."""
    example = f"http://localhost:{default_port}"
    if not url:
        raise BackendUnavailable(f"SEARCH_ENGINE={engine} needs {variable} (e.g. {example})")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BackendUnavailable(f"{variable}={url!r} is not a URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BackendUnavailable(
            f"{variable}={url!r} needs a scheme and a host: http(s)://host:port, e.g. {example}"
        )
    if port is None:
        raise BackendUnavailable(
            f"{variable}={url!r} has no port; write it out, e.g. "
            f"{parts.scheme}://{parts.hostname}:{default_port}"
        )
    return url.strip()


def client_options(settings: Settings, retries: bool = True) -> dict[str, Any]:
    """Keyword arguments of :class:`AsyncElasticsearch` (separate, so tests can read them)."""
    url = cluster_url(settings.elasticsearch_url, "ELASTICSEARCH_URL", "elasticsearch")
    options: dict[str, Any] = {
        "hosts": [url],
        "request_timeout": settings.elasticsearch_request_timeout,
        "max_retries": settings.elasticsearch_max_retries if retries else 0,
        "retry_on_timeout": retries,
        "retry_backoff_base": RETRY_BACKOFF_BASE,
        "retry_backoff_cap": RETRY_BACKOFF_CAP,
        "node_class": node_class(),
    }
    if not retries:
        options["retry_on_status"] = ()
    if settings.elasticsearch_api_key is not None:
        options["api_key"] = settings.elasticsearch_api_key.get_secret_value()
    elif settings.elasticsearch_username:
        password = settings.elasticsearch_password
        secret = password.get_secret_value() if password is not None else ""
        options["basic_auth"] = (settings.elasticsearch_username, secret)
    if settings.elasticsearch_ca_certs is not None:
        options["ca_certs"] = str(settings.elasticsearch_ca_certs)
    return options


def make_client(settings: Settings, retries: bool = True) -> AsyncElasticsearch:
    """A new client; create it in the event loop that will use it. ``retries=False``: one
    attempt per call (see the module's note)."""
    return AsyncElasticsearch(**client_options(settings, retries))
