"""Online therapists licensed in the searcher's state, listed after the in-person hits.

A person in a small town searching around their ZIP finds few offices within the radius; a
therapist licensed in their state who sees clients online can help them as well. Around a
place whose state is known, :func:`with_online` continues the in-person page with those
therapists (marked ``online``), skipping the ones that already have an office within the
radius (they are in the in-person list). Where fewer than :data:`ONLINE_BELOW` offices are
within reach.
"""

from __future__ import annotations

from dataclasses import dataclass

from search_core.backend import SearchBackend
from search_core.geo import distance_km
from search_core.paging import encode_cursor
from search_core.queries import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    GeoFilter,
    SortOrder,
    TherapistFilters,
    Unit,
)
from search_core.result_parts import facet_buckets, nearest_office
from search_core.results import FacetBucket, SearchPage, TherapistHit
from search_core.search_request import TherapistSearch, query_of
from search_core.tuning import Tuning
from search_core.understanding import Request

__all__ = ["ONLINE_BELOW", "Listed", "with_online"]

ONLINE_BELOW = 30
"""The online list follows the in-person one when fewer than this many therapists (three pages
of ten) have an office within the radius: where offices are few, online help is what there is;
in a city, three pages of offices nearby come first and the search costs no extra queries
(counting the online therapists of a big state by text takes longer than the search itself).
Fixed per search, so every page of it agrees on the total."""


def _online_filters(filters: TherapistFilters, state: str) -> TherapistFilters | None:
    """The filters of the online list, or None when the request excludes online therapists
    (in person only, telehealth=false, licensed in another state)."""
    if filters.telehealth is False or filters.in_person:
        return None
    if filters.licensed_in not in (None, state):
        return None
    return filters.model_copy(update={"telehealth": True, "licensed_in": state})


@dataclass(frozen=True)
class Listed:
    """A page of a search and how many of its ``total`` hits are online therapists listed
    after the in-person ones (``online``: 0 when there is no online list)."""

    page: SearchPage[TherapistHit]
    online: int = 0


async def with_online(
    backend: SearchBackend,
    search: TherapistSearch,
    req: Request,
    state: str,
    page: SearchPage[TherapistHit],
    unit: Unit,
    tuning: Tuning | None,
    count_text: str | None,
) -> Listed:
    """``page`` (the in-person hits within the radius) continued by therapists who see
    clients online, are licensed in ``state`` and have no office within the radius, in
    relevance order (or most recent first for ``sort=recent``). The total counts both lists,
    and so do the facets: a value's count is what choosing it lists, in person and online
    (its in-person count plus its online therapists licensed in the state less those with an
    office within the radius, who are counted in person; the two counts' facets cost about
    1.5 and 3 ms on the small set). Only when fewer than
    :data:`ONLINE_BELOW` therapists have an office within the radius.
    ``count_text``: the words that select (``req.text`` may add labels that only rank); the
    counts sort by date, the cheapest order, as they read only the total, and the online list
    is searched with these words only: without words it ranks by freshness and the accepting
    boost over all its matches (a few sorted look-ups) instead of scoring the label words
    over the whole country (10 to 50 ms at 100k)."""
    near = req.near
    assert near is not None
    online = _online_filters(req.filters, state)
    if online is None or page.total >= ONLINE_BELOW:
        return Listed(page)
    sort: SortOrder = "recent" if search.sort == "recent" else "relevance"
    count = {"offset": 0, "size": 1, "facets": search.facets, "highlight": False, "cursor": None}
    everywhere = await backend.search_therapists(
        query_of(search, online, None, count_text, sort="recent", **count), unit, tuning
    )
    if everywhere.total == 0:
        return Listed(page)
    inside = await backend.search_therapists(
        query_of(search, online, near, count_text, sort="recent", **count), unit, tuning
    )
    extra_total = everywhere.total - inside.total
    if extra_total <= 0:
        return Listed(page)
    in_person = page.total
    total = in_person + extra_total
    start = max(0, search.offset - in_person)
    wanted = search.offset + search.size - in_person - start
    items = list(page.items)
    # the online list ranks by its filters
    plain = req.model_copy(update={"text": count_text, "rank_text": None})
    if wanted > 0:
        items += await _online_hits(
            backend, search, plain, online, near, sort, start, wanted, inside.total, unit, tuning
        )
    update: dict[str, object] = {"items": items, "total": total}
    end = search.offset + search.size
    if wanted > 0 or page.next_cursor is None:
        # past the in-person hits, a cursor is the position in both lists
        update["next_cursor"] = encode_cursor(end) if end < total else None
    if search.facets:
        update["facets"] = _merged_facets(req.filters, page, everywhere, inside)
    return Listed(page.model_copy(update=update), extra_total)


def _merged_facets(
    filters: TherapistFilters,
    page: SearchPage[TherapistHit],
    everywhere: SearchPage[TherapistHit],
    inside: SearchPage[TherapistHit],
) -> dict[str, list[FacetBucket]]:
    """The facets of the in-person and the online list together (each facet's counts still
    leave out that facet's own choice, in both lists alike)."""
    out: dict[str, list[FacetBucket]] = {}
    for facet in {**page.facets, **everywhere.facets}:
        counts: dict[str, int] = {}
        for b in page.facets.get(facet, []):
            counts[b.value] = b.count
        less = {b.value: b.count for b in inside.facets.get(facet, [])}
        for b in everywhere.facets.get(facet, []):
            extra = b.count - less.get(b.value, 0)
            if extra > 0:
                counts[b.value] = counts.get(b.value, 0) + extra
        out[facet] = facet_buckets(
            facet, {v: n for v, n in counts.items() if n > 0}, filters.facet_values(facet)
        )
    return out


async def _online_hits(
    backend: SearchBackend,
    search: TherapistSearch,
    req: Request,
    online: TherapistFilters,
    near: GeoFilter,
    sort: SortOrder,
    start: int,
    wanted: int,
    overlap: int,
    unit: Unit,
    tuning: Tuning | None,
) -> list[TherapistHit]:
    """Online hits ``start`` .. ``start + wanted`` of the list without the therapists who have
    an office within the radius (at most ``overlap`` of them are skipped on the way)."""
    out: list[TherapistHit] = []
    skipped = 0
    offset = 0
    limit = min(MAX_RESULT_WINDOW, start + wanted + overlap)
    while offset < limit and len(out) < wanted:
        size = min(MAX_PAGE_SIZE, limit - offset)
        got = await backend.search_therapists(
            query_of(
                search,
                online,
                None,
                req.text,
                sort=sort,
                offset=offset,
                size=size,
                facets=False,
                cursor=None,
            ),
            unit,
            tuning,
        )
        for hit in got.items:
            office = nearest_office(hit.therapist, near, unit)
            if office is not None and _within(hit, near):
                continue
            if skipped < start:
                skipped += 1
                continue
            out.append(hit.model_copy(update={"online": True, "nearest_office": office}))
            if len(out) == wanted:
                break
        if len(got.items) < size:
            break
        offset += size
    return out


def _within(hit: TherapistHit, near: GeoFilter) -> bool:
    return any(
        distance_km(near.lat, near.lon, o.location.lat, o.location.lon) <= near.radius_km
        for o in hit.therapist.offices
    )
