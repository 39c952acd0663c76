"""Online therapists licensed in the searcher's state, listed after the in-person hits.

A person in a small town searching around their ZIP finds few offices within the radius; a
therapist licensed in their state who sees clients online can help them as well. A query
that carries :attr:`~search_core.queries.TherapistQuery.online` asks for that list too: the
in-person page continued by those therapists (marked ``online``), skipping the ones that
already have an office within the radius (they are in the in-person list), when fewer than
:data:`ONLINE_BELOW` offices are within reach.

The engine answers such a query in one call: :func:`listing` says which plain searches it
takes, in two rounds at most in the common case (the in-person page; then the online list's
two counts and its first hits together), and merges their pages. Each engine runs the rounds
its own way (:func:`run_sync` for the embedded engine, one worker thread for the whole;
:func:`run_async` for a cluster, one ``_msearch`` per round), so the use case
(:mod:`search_core.searching`, its steps in :mod:`search_core.search_steps`) makes one engine
call per search page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator

from search_core.geo import distance_km
from search_core.paging import encode_cursor
from search_core.queries import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    GeoFilter,
    SortOrder,
    TherapistFilters,
    TherapistQuery,
    Unit,
)
from search_core.result_parts import facet_buckets, nearest_office
from search_core.results import FacetBucket, SearchPage, TherapistHit, TherapistPage

__all__ = ["ONLINE_BELOW", "Plan", "listing", "online_count", "run_async", "run_sync"]

ONLINE_BELOW = 30
"""The online list follows the in-person one when fewer than this many therapists (three pages
of ten) have an office within the radius: where offices are few, online help is what there is;
in a city, three pages of offices nearby come first and the search costs no extra queries
(counting the online therapists of a big state by text takes longer than the search itself).
Fixed per search, so every page of it agrees on the total."""

Page = SearchPage[TherapistHit]
Plan = Generator[list[TherapistQuery], list[Page], Page]
"""The searches of one query, round by round: each ``yield`` hands over the plain queries
(without ``online``) of one round and receives their pages, in order; the generator returns
the merged page."""


def online_count(page: Page) -> int:
    """How many of ``page.total`` are online therapists listed after the in-person ones."""
    return page.total_online if isinstance(page, TherapistPage) else 0


def run_sync(plan: Plan, search: Callable[[TherapistQuery], Page]) -> Page:
    """Run ``plan`` with one plain search at a time (an engine in this process)."""
    try:
        asked = next(plan)
        while True:
            asked = plan.send([search(q) for q in asked])
    except StopIteration as done:
        found: Page = done.value
        return found


async def run_async(
    plan: Plan, search_many: Callable[[list[TherapistQuery]], Awaitable[list[Page]]]
) -> Page:
    """Run ``plan`` with one request per round (``search_many``: the pages of several plain
    searches, in order)."""
    try:
        asked = next(plan)
        while True:
            asked = plan.send(await search_many(asked))
    except StopIteration as done:
        found: Page = done.value
        return found


def _online_filters(filters: TherapistFilters, state: str) -> TherapistFilters | None:
    """The filters of the online list, or None when the request excludes online therapists
    (in person only, telehealth=false, licensed in another state)."""
    if filters.telehealth is False or filters.in_person:
        return None
    if filters.licensed_in not in (None, state):
        return None
    return filters.model_copy(update={"telehealth": True, "licensed_in": state})


def listing(q: TherapistQuery, unit: Unit) -> Plan:
    """The page of ``q``: its in-person hits within the radius, continued (when ``q.online``
    asks, and fewer than :data:`ONLINE_BELOW` therapists have an office within the radius)
    by therapists who see clients online, are licensed in the state and have no office within
    the radius, in relevance order (or most recent first for ``sort=recent``). The total counts
    both lists, and so do the facets: a value's count is what choosing it lists, in person and
    online (its in-person count plus its online therapists licensed in the state less those
    with an office within the radius, who are counted in person). The page is then a
    :class:`TherapistPage` whose ``total_online`` says how many of the total are online.

    The online list selects by ``q.online.text`` only (``q.text`` and ``q.rank_text`` may rank
    by labels): its counts sort by date, the cheapest order, as they read only the total;
    without words it ranks by freshness and the accepting boost over all its matches (a few
    sorted look-ups) instead of scoring the label words over the whole country."""
    also, near = q.online, q.near
    (page,) = yield [q.model_copy(update={"online": None})]
    if also is None or near is None:
        return page
    online = _online_filters(q.filters, also.state)
    if online is None or page.total >= ONLINE_BELOW:
        return page
    in_person = page.total
    start = max(0, q.offset - in_person)
    wanted = q.offset + q.size - in_person - start
    base = q.model_copy(
        update={
            "online": None,
            "filters": online,
            "text": also.text,
            "text_match": "all",
            "rank_text": None,
            "cursor": None,
        }
    )
    count = {"sort": "recent", "offset": 0, "size": 1, "highlight": False}
    everywhere_q = base.model_copy(update={**count, "near": None})
    inside_q = base.model_copy(update=count)
    sort: SortOrder = "recent" if q.sort == "recent" else "relevance"
    hits_q = base.model_copy(update={"near": None, "sort": sort, "facets": False, "offset": 0})
    # Every online therapist with an office within the radius is an in-person hit as well, so
    # fewer than ``in_person`` of them are skipped: the first hits come in the counts' round.
    first = min(MAX_PAGE_SIZE, MAX_RESULT_WINDOW, start + wanted + in_person)
    asked = [everywhere_q, inside_q]
    if wanted > 0:
        asked.append(hits_q.model_copy(update={"size": first}))
    everywhere, inside, *prefetched = yield asked
    extra_total = everywhere.total - inside.total
    if everywhere.total == 0 or extra_total <= 0:
        return page
    total = in_person + extra_total
    items = list(page.items)
    if wanted > 0:
        skip = inside.total
        items += yield from _online_hits(hits_q, near, unit, start, wanted, skip, prefetched)
    update: dict[str, object] = {"items": items, "total": total}
    end = q.offset + q.size
    if wanted > 0 or page.next_cursor is None:
        # past the in-person hits, a cursor is the position in both lists
        update["next_cursor"] = encode_cursor(end) if end < total else None
    if q.facets:
        update["facets"] = _merged_facets(q.filters, page, everywhere, inside)
    merged = page.model_copy(update=update)
    return TherapistPage(
        **{k: getattr(merged, k) for k in SearchPage.model_fields},
        total_in_person=in_person,
        total_online=extra_total,
        online_state=also.state,
    )


def _merged_facets(
    filters: TherapistFilters, page: Page, everywhere: Page, inside: Page
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


def _online_hits(
    hits_q: TherapistQuery,
    near: GeoFilter,
    unit: Unit,
    start: int,
    wanted: int,
    overlap: int,
    prefetched: list[Page],
) -> Generator[list[TherapistQuery], list[Page], list[TherapistHit]]:
    """Online hits ``start`` .. ``start + wanted`` of the list without the therapists who have
    an office within the radius (at most ``overlap`` of them are skipped on the way); the
    first chunk of the list may have come already (``prefetched``, at least as long)."""
    out: list[TherapistHit] = []
    skipped = 0
    offset = 0
    limit = min(MAX_RESULT_WINDOW, start + wanted + overlap)
    while offset < limit and len(out) < wanted:
        size = min(MAX_PAGE_SIZE, limit - offset)
        if offset == 0 and prefetched and prefetched[0].size >= size:
            got_items = prefetched[0].items[:size]
        else:
            (got,) = yield [hits_q.model_copy(update={"offset": offset, "size": size})]
            got_items = got.items
        for hit in got_items:
            office = nearest_office(hit.therapist, near, unit)
            if office is not None and _within(hit, near):
                continue
            if skipped < start:
                skipped += 1
                continue
            out.append(hit.model_copy(update={"online": True, "nearest_office": office}))
            if len(out) == wanted:
                break
        if len(got_items) < size:
            break
        offset += size
    return out


def _within(hit: TherapistHit, near: GeoFilter) -> bool:
    return any(
        distance_km(near.lat, near.lon, o.location.lat, o.location.lon) <= near.radius_km
        for o in hit.therapist.offices
    )
