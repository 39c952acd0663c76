"""opensearch-py exceptions → the product's errors, each with a message that says what went
wrong and what to do. Nothing outside this package sees an ``opensearchpy`` exception."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import opensearchpy

from search_core.elastic.errors import CALLER_FAULTS, server_side
from search_core.errors import (
    BackendTimeout,
    BackendUnavailable,
    EngineFailed,
    InvalidQuery,
    MappingError,
    SearchError,
)

_NO_HANDLER = re.compile(r"no handler for type \[(\w+)\]", re.IGNORECASE)


def _cause(info: Any) -> dict[str, Any] | None:
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        error: dict[str, Any] = info["error"]
        causes = error.get("root_cause") or []
        return causes[0] if causes and isinstance(causes[0], dict) else error
    return None


def _reason(exc: opensearchpy.TransportError) -> str:
    """The most specific reason in an error body (the root cause's, if any)."""
    cause = _cause(exc.info)
    if cause is not None:
        kind, text = cause.get("type"), cause.get("reason")
        if kind and text:
            return f"{kind}: {text}"
        return str(text or kind or exc.error)
    if isinstance(exc.info, str) and exc.info:
        return exc.info[:300]
    return str(exc.error)


def _error_type(exc: opensearchpy.TransportError) -> str | None:
    info = exc.info
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        kind = info["error"].get("type")
        return str(kind) if kind else None
    return None


def translate(exc: Exception, what: str) -> SearchError:
    """The product error for an exception raised while doing ``what`` ("search therapists")."""
    if isinstance(exc, SearchError):
        return exc
    if isinstance(exc, opensearchpy.ConnectionTimeout):
        return BackendTimeout(f"OpenSearch did not answer in time ({what}): {exc.info}")
    if isinstance(exc, opensearchpy.SSLError):
        return BackendUnavailable(
            f"TLS with OpenSearch failed ({what}): {exc.info}; check OPENSEARCH_URL and "
            "OPENSEARCH_CA_CERTS"
        )
    if isinstance(exc, opensearchpy.ConnectionError):
        return BackendUnavailable(f"OpenSearch is unreachable ({what}): {exc.info}")
    if isinstance(exc, opensearchpy.TransportError):
        return _api_error(exc, what)
    if isinstance(exc, opensearchpy.OpenSearchException):
        return BackendUnavailable(f"OpenSearch request failed ({what}): {exc}")
    raise exc


def _api_error(exc: opensearchpy.TransportError, what: str) -> SearchError:
    status, reason = exc.status_code, _reason(exc)
    missing = _NO_HANDLER.search(reason)
    if status == 400 and missing:  # a mapping type whose module this cluster does not serve
        return MappingError(
            f"OpenSearch has no field type {missing.group(1)} ({what}): {reason}; the cluster "
            "lacks the module that provides it"
        )
    if status == 400 and any(needle in reason for needle in CALLER_FAULTS):
        return InvalidQuery(f"OpenSearch rejected the request ({what}): {reason}")
    advice = server_side(status, str(exc.info)) if isinstance(status, int) else None
    if advice is not None:  # the cluster's doing, not the caller's: see search_core.elastic.errors
        return EngineFailed(
            f"the search engine failed ({what}, HTTP {status}): {advice}. Cluster said: {reason}"
        )
    if status in (401, 403):
        return BackendUnavailable(
            f"OpenSearch refused the credentials ({what}, HTTP {status}): {reason}; check "
            "OPENSEARCH_USERNAME/OPENSEARCH_PASSWORD"
        )
    if status == 404 and _error_type(exc) == "index_not_found_exception":
        return BackendUnavailable(
            f"no such index ({what}): {reason}; run `therapist-search index` first"
        )
    if status in (408, 504):
        return BackendTimeout(f"OpenSearch timed out ({what}, HTTP {status}): {reason}")
    if status == 429:
        return BackendUnavailable(f"OpenSearch is overloaded ({what}, HTTP 429): {reason}")
    return BackendUnavailable(f"OpenSearch failed ({what}, HTTP {status}): {reason}")


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Raise the product error instead of any client error inside the block."""
    try:
        yield
    except opensearchpy.OpenSearchException as exc:
        raise translate(exc, what) from exc


def is_not_found(exc: BaseException) -> bool:
    return isinstance(exc, opensearchpy.NotFoundError)
