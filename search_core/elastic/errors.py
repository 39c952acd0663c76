"""Elasticsearch client exceptions → the product's errors, each with a message that says what
went wrong and what to do. Nothing outside this package sees an ``elasticsearch`` exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import elastic_transport
import elasticsearch

from search_core.errors import (
    BackendTimeout,
    BackendUnavailable,
    InvalidQuery,
    SearchError,
)


def _reason(exc: elasticsearch.ApiError) -> str:
    """The most specific reason in an error body (the root cause's, if any)."""
    body: Any = exc.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        causes = error.get("root_cause") or []
        cause = causes[0] if causes and isinstance(causes[0], dict) else error
        kind, text = cause.get("type"), cause.get("reason")
        if kind and text:
            return f"{kind}: {text}"
        return str(text or kind or exc.message)
    if isinstance(body, str) and body:
        return body[:300]
    return str(exc.message)


def _error_type(exc: elasticsearch.ApiError) -> str | None:
    body: Any = exc.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        kind = body["error"].get("type")
        return str(kind) if kind else None
    return None


def translate(exc: Exception, what: str) -> SearchError:
    """The product error for an exception raised while doing ``what`` ("search therapists")."""
    if isinstance(exc, SearchError):
        return exc
    if isinstance(exc, elastic_transport.ConnectionTimeout):
        return BackendTimeout(f"Elasticsearch did not answer in time ({what}): {exc.message}")
    if isinstance(exc, elastic_transport.TlsError):
        return BackendUnavailable(
            f"TLS with Elasticsearch failed ({what}): {exc.message}; check ELASTICSEARCH_URL "
            "and ELASTICSEARCH_CA_CERTS"
        )
    if isinstance(exc, elastic_transport.ConnectionError):
        return BackendUnavailable(f"Elasticsearch is unreachable ({what}): {exc.message}")
    if isinstance(exc, elasticsearch.UnsupportedProductError):
        return BackendUnavailable(f"the server at ELASTICSEARCH_URL is not Elasticsearch: {exc}")
    if isinstance(exc, elasticsearch.ApiError):
        return _api_error(exc, what)
    if isinstance(exc, elastic_transport.TransportError):
        return BackendUnavailable(f"Elasticsearch request failed ({what}): {exc.message}")
    raise exc


def _api_error(exc: elasticsearch.ApiError, what: str) -> SearchError:
    status, reason = exc.meta.status, _reason(exc)
    if status == 400:
        return InvalidQuery(f"Elasticsearch rejected the request ({what}): {reason}")
    if status in (401, 403):
        return BackendUnavailable(
            f"Elasticsearch refused the credentials ({what}, HTTP {status}): {reason}; check "
            "ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD"
        )
    if status == 404 and _error_type(exc) == "index_not_found_exception":
        return BackendUnavailable(
            f"no such index ({what}): {reason}; run `therapist-search index` first"
        )
    if status in (408, 504):
        return BackendTimeout(f"Elasticsearch timed out ({what}, HTTP {status}): {reason}")
    if status == 429:
        return BackendUnavailable(f"Elasticsearch is overloaded ({what}, HTTP 429): {reason}")
    return BackendUnavailable(f"Elasticsearch failed ({what}, HTTP {status}): {reason}")


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Raise the product error instead of any client error inside the block."""
    try:
        yield
    except (elastic_transport.TransportError, elasticsearch.ApiError) as exc:
        raise translate(exc, what) from exc


def is_not_found(exc: BaseException) -> bool:
    return isinstance(exc, elasticsearch.NotFoundError)
