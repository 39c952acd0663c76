"""Elasticsearch responses → typed results. Pure: a decoded response body in, models out.

What the embedded engine computes itself is computed here the same way, so both engines answer
alike: the nearest office and its distance (WGS-84, :func:`search_core.geo.distance_km`; when
the hits are sorted by distance the sort value *is* that distance, km), facet buckets (labels,
chosen values with no hits, order) and highlight escaping (Elasticsearch's HTML
encoder also escapes ``/``; fragments are re-escaped with :func:`html.escape` so the same text
gives the same fragment on both engines).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from search_core.elastic.therapist_query import FACET_AGG, MARK
from search_core.index_docs import article_from_doc, therapist_from_doc
from search_core.paging import encode_cursor
from search_core.queries import FACETS, TherapistFilters, TherapistQuery
from search_core.result_parts import facet_buckets, nearest_office
from search_core.results import (
    ArticleHit,
    ArticlePage,
    CommentHit,
    FacetBucket,
    SearchPage,
    TherapistHit,
    TherapistPage,
)

Response = Mapping[str, Any]
ENGINE = "elasticsearch"
_TAGS = re.compile("(" + "|".join(re.escape(t) for t in MARK) + ")")


# ---------------------------------------------------------------------------- generic


def hits(resp: Response) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = resp["hits"]["hits"]
    return found


def sources(resp: Response) -> list[dict[str, Any]]:
    return [dict(h.get("_source") or {}) for h in hits(resp)]


def total(resp: Response) -> int:
    value = resp["hits"].get("total")
    if isinstance(value, Mapping):
        return int(value["value"])
    return int(value) if value is not None else len(hits(resp))


def terms_counts(resp: Response, agg: str) -> dict[str, int]:
    """A ``terms`` aggregation's buckets: value → documents."""
    buckets = resp["aggregations"][agg]["buckets"]
    return {str(b["key"]): int(b["doc_count"]) for b in buckets}


def clean_fragment(fragment: str) -> str:
    """A highlight fragment with matches in ``<mark>`` and the text escaped by
    :func:`html.escape` (as the embedded engine escapes it)."""
    parts = _TAGS.split(fragment)
    return "".join(p if p in MARK else html.escape(html.unescape(p)) for p in parts).strip()


def highlights(hit: Mapping[str, Any]) -> dict[str, list[str]]:
    found: Mapping[str, list[str]] = hit.get("highlight") or {}
    out = {
        field: [clean_fragment(f) for f in fragments if MARK[0] in f]
        for field, fragments in found.items()
    }
    return {field: fragments for field, fragments in out.items() if fragments}


def _score(hit: Mapping[str, Any], scored: bool) -> float | None:
    value = hit.get("_score")
    if not scored or value is None:
        return None
    return round(float(value), 4)


# ---------------------------------------------------------------------------- therapists


def facets(resp: Response, filters: TherapistFilters) -> dict[str, list[FacetBucket]]:
    aggs = resp.get("aggregations") or {}
    out: dict[str, list[FacetBucket]] = {}
    for facet in FACETS:
        buckets = aggs.get(facet, {}).get(FACET_AGG, {}).get("buckets", [])
        counts = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        out[facet] = facet_buckets(facet, counts, filters.facet_values(facet))
    return out


def therapist_hit(
    hit: Mapping[str, Any], q: TherapistQuery, unit: str, scored: bool
) -> TherapistHit:
    therapist = therapist_from_doc(dict(hit["_source"]))
    office = None
    if q.near is not None:
        sort = hit.get("sort") or []
        km = float(sort[0]) if q.sort == "distance" and sort else None
        office = nearest_office(therapist, q.near, unit, km)
    return TherapistHit(
        therapist=therapist,
        score=_score(hit, scored),
        nearest_office=office,
        highlights=highlights(hit),
    )


def therapist_page(
    resp: Response,
    q: TherapistQuery,
    unit: str,
    *,
    scored: bool,
    took_ms: float,
    warnings: Sequence[str] = (),
    engine: str = ENGINE,
    origin: dt.date | None = None,
) -> SearchPage[TherapistHit]:
    """One page; ``scored``: the search had text (scores mean something); ``origin``: the
    freshness origin it was scored with, carried by the cursor to the next page."""
    found = hits(resp)
    count = total(resp)
    next_offset = q.offset + q.size
    cursor = None
    if next_offset < count and found:
        cursor = encode_cursor(next_offset, found[-1].get("sort"), origin)
    return TherapistPage(
        items=[therapist_hit(h, q, unit, scored) for h in found],
        total=count,
        offset=q.offset,
        size=q.size,
        facets=facets(resp, q.filters) if q.facets else {},
        next_cursor=cursor,
        took_ms=took_ms,
        warnings=list(warnings),
        engine=engine,
    )


# ---------------------------------------------------------------------------- articles


def article_page(
    resp: Response,
    offset: int,
    size: int,
    *,
    scored: bool,
    took_ms: float,
    warnings: Sequence[str] = (),
    engine: str = ENGINE,
) -> SearchPage[ArticleHit]:
    items = [
        ArticleHit(
            article=article_from_doc(dict(h["_source"])),
            score=_score(h, scored),
            highlights=highlights(h),
        )
        for h in hits(resp)
    ]
    return ArticlePage(
        items=items,
        total=total(resp),
        offset=offset,
        size=size,
        next_cursor=None,
        took_ms=took_ms,
        warnings=list(warnings),
        engine=engine,
    )


def _epoch(value: str) -> float:
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def recent_comments(resp: Response, size: int) -> list[CommentHit]:
    """The ``size`` newest comments of the articles in ``resp``, newest first, ties by id."""
    found: list[tuple[float, CommentHit]] = []
    for article in sources(resp):
        for c in article.get("comments") or []:
            hit = CommentHit(
                article_slug=article["slug"],
                article_title=article["title"],
                comment_id=c["id"],
                author_name=c["author_name"],
                date=c["date"],
                text=c["text"],
            )
            found.append((_epoch(c["date"]), hit))
    found.sort(key=lambda pair: (-pair[0], pair[1].comment_id))
    return [hit for _, hit in found[:size]]


# ---------------------------------------------------------------------------- browse


def first_sort_value(resp: Response) -> float | None:
    found = hits(resp)
    if not found or not found[0].get("sort"):
        return None
    value = float(found[0]["sort"][0])
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------------------- typeahead


def candidates(resp: Response) -> list[tuple[float, dict[str, Any]]]:
    """Prefix candidates: (score, stored fields) of each hit, best first."""
    return [(float(h.get("_score") or 0.0), dict(h["_source"])) for h in hits(resp)]
