"""Look-ups: one document by key, counts, and the whole of an index page by page. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from search_core.elastic.therapist_query import term

Body = dict[str, Any]

SCAN_PAGE = 5_000
"""Documents per page when reading a whole index (the geocoder's locations)."""


def by_term_body(field: str, value: str) -> Body:
    """One document by an exact keyword (``id``, ``slug``)."""
    return {"query": {"bool": {"filter": [term(field, value)]}}, "size": 1}


def by_terms_body(field: str, values: Sequence[str], filters: Sequence[Body] = ()) -> Body:
    """Every document whose keyword ``field`` is one of ``values``."""
    clauses: list[Body] = [*filters, {"terms": {field: list(values)}}]
    return {"query": {"bool": {"filter": clauses}}, "size": max(len(values), 1)}


def count_body() -> Body:
    return {"query": {"match_all": {}}}


def scan_body(after: Sequence[Any] | None = None, size: int = SCAN_PAGE) -> Body:
    """One page of every document in ``id`` order; the next page starts after the last hit's
    sort values (``search_after`` over one concrete index, so the order is stable)."""
    body: Body = {
        "query": {"match_all": {}},
        "sort": [{"id": {"order": "asc"}}],
        "size": size,
        "track_total_hits": False,
    }
    if after is not None:
        body["search_after"] = list(after)
    return body
