"""Elasticsearch client exceptions → the product's errors, each with a message that says what
went wrong and what to do. Nothing outside this package sees an ``elasticsearch`` exception.

A cluster's 4xx is not the caller's fault by default: every body is built here from a request
the API has already validated, so a 400 means the cluster will not run what we built (a setting
such as ``search.allow_expensive_queries: false`` forbids the nested, script and fuzzy queries
that location searches and name typos need, a bool has more clauses than
``indices.query.bool.max_clause_count`` allows, a Painless script failed). Those become
:class:`EngineFailed` (503) naming the setting or the failure. Only what a caller can cause and
change (a page beyond the result window, a cursor that does not fit the sort) stays
:class:`InvalidQuery` (400).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import elastic_transport
import elasticsearch

from search_core.errors import (
    BackendTimeout,
    BackendUnavailable,
    EngineFailed,
    InvalidQuery,
    PartialResults,
    SearchError,
)

CALLER_FAULTS = ("Result window is too large", "search_after has")
"""Reasons of a 400 that the caller can cause and change (a deep page, a foreign cursor)."""
SERVER_SETTINGS: tuple[tuple[str, str], ...] = (
    (
        "allow_expensive_queries",
        "the cluster setting search.allow_expensive_queries is false, which forbids the nested, "
        "script and fuzzy queries that location searches and name typos need; set it to true "
        "(or remove it)",
    ),
    (
        "maxClauseCount",
        "the query has more clauses than the cluster allows (indices.query.bool."
        "max_clause_count); raise that setting",
    ),
    (
        "too_many_clauses",
        "the query has more clauses than the cluster allows (indices.query.bool."
        "max_clause_count); raise that setting",
    ),
    (
        "too_many_nested_clauses",
        "the query is nested deeper than the cluster allows (indices.query.bool."
        "max_nested_depth); raise that setting",
    ),
    ("script_exception", "a script failed on the cluster (is lang-painless installed?)"),
    (
        "No handler for type",
        "the cluster lacks a module the mapping needs (e.g. mapper-extras)",
    ),
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


def _all_reasons(exc: elasticsearch.ApiError) -> str:
    """Every reason and type in the error body, as one string to look for known causes in."""
    body: Any = exc.body
    return str(body) if isinstance(body, dict) else str(body or exc.message)


def server_side(status: int, text: str) -> str | None:
    """What the cluster is missing or refusing, when a 4xx is the cluster's own doing."""
    if status not in (400, 405, 406, 409, 413, 422):
        return None
    if any(needle in text for needle in CALLER_FAULTS):
        return None
    for needle, advice in SERVER_SETTINGS:
        if needle in text:
            return advice
    return "the cluster refused a request this service built from a valid one"


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
    if status == 400 and any(needle in reason for needle in CALLER_FAULTS):
        return InvalidQuery(f"Elasticsearch rejected the request ({what}): {reason}")
    advice = server_side(status, _all_reasons(exc))
    if advice is not None:
        return EngineFailed(
            f"the search engine failed ({what}, HTTP {status}): {advice}. Cluster said: {reason}"
        )
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


def _shard_reason(failure: Any) -> str:
    reason = failure.get("reason") if isinstance(failure, dict) else None
    if isinstance(reason, dict):
        return f"{reason.get('type', 'error')}: {reason.get('reason', '')}".strip()
    return str(reason or failure)


def require_complete(resp: Any, what: str) -> None:
    """Refuse an answer that is not whole: a 200 can carry ``timed_out: true`` (a search
    ``timeout`` cut it short) or ``_shards.failed > 0`` (some shards answered, some failed).
    Its totals, facets and pages would be wrong, so it is never served as complete:
    :class:`BackendTimeout` (504) or :class:`PartialResults` (503), saying which shards failed
    and why."""
    if not isinstance(resp, dict):
        return
    shards = resp.get("_shards") or {}
    failed = int(shards.get("failed") or 0)
    if failed > 0:
        total = shards.get("total", "?")
        failures = shards.get("failures") or []
        why = "; ".join(sorted({_shard_reason(f) for f in failures})) or "no reason given"
        raise PartialResults(
            f"the search engine answered in part ({what}): {failed} of {total} shards failed "
            f"({why[:400]}); a partial answer is not served as complete"
        )
    if resp.get("timed_out") is True:
        raise BackendTimeout(
            f"the search engine timed out part-way ({what}): the answer would be partial, so "
            "it is not served"
        )


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Raise the product error instead of any client error inside the block."""
    try:
        yield
    except (elastic_transport.TransportError, elasticsearch.ApiError) as exc:
        raise translate(exc, what) from exc


def is_not_found(exc: BaseException) -> bool:
    return isinstance(exc, elasticsearch.NotFoundError)
