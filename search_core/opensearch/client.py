"""The ``AsyncOpenSearch`` client, configured from settings (URL, basic auth, CA certificate,
timeout, retries)."""

from __future__ import annotations

import importlib.util
from typing import Any

from opensearchpy import AsyncOpenSearch

from search_core.elastic.client import cluster_url
from search_core.errors import BackendUnavailable
from search_core.settings import Settings


def client_options(settings: Settings, retries: bool = True) -> dict[str, Any]:
    """Keyword arguments of :class:`AsyncOpenSearch` (separate, so tests can read them);
    ``retries=False``: one attempt per call (see :mod:`search_core.elastic.client`)."""
    if not settings.opensearch_url:
        raise BackendUnavailable(
            "SEARCH_ENGINE=opensearch needs OPENSEARCH_URL (e.g. http://localhost:9200; "
            "`make opensearch` starts a local node)"
        )
    url = cluster_url(settings.opensearch_url, "OPENSEARCH_URL", "opensearch")
    if importlib.util.find_spec("aiohttp") is None:
        raise BackendUnavailable(
            "the OpenSearch engine needs aiohttp: pip install 'opensearch-py[async]'"
        )
    options: dict[str, Any] = {
        "hosts": [url],
        "timeout": settings.opensearch_request_timeout,
        "max_retries": settings.opensearch_max_retries if retries else 0,
        "retry_on_timeout": retries,
        "retry_on_status": (502, 503, 504) if retries else (),
    }
    if settings.opensearch_username:
        password = settings.opensearch_password
        secret = password.get_secret_value() if password is not None else ""
        options["http_auth"] = (settings.opensearch_username, secret)
    if url.startswith("https:"):
        options["use_ssl"] = True
        options["verify_certs"] = True
        if settings.opensearch_ca_certs is not None:
            options["ca_certs"] = str(settings.opensearch_ca_certs)
    return options


def make_client(settings: Settings, retries: bool = True) -> AsyncOpenSearch:
    """A new client; create it in the event loop that will use it."""
    return AsyncOpenSearch(**client_options(settings, retries))
