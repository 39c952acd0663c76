"""The therapist search use case: what a search box or form asks → the page shown.

One function, :func:`search_therapists`, that the routes, the command line and the relevance
lab call, on either engine:

1. **Understand** the text (``understand=True``, the default): vocabulary words anywhere become
   filters, a place anywhere becomes the area, filler goes, typos are forgiven
   (:mod:`search_core.understanding`). The caller's own parameters win over what was read.
   ``understand=False`` searches the text as typed, with the place fields alone.
2. **Search**, with therapists who see clients online and are licensed in the searcher's state
   listed after the in-person ones (:func:`_with_online`) when the search is around a place
   whose state is known; ``online_in_state=False`` turns that off.
3. **Relax** when the page would be empty: the steps of
   :func:`search_core.understanding.plan_request`, in order, stopping at the first with hits,
   and say what was relaxed (:class:`~search_core.results.Relaxation`). Filters the caller set
   are never dropped.

Every step is a search the engine already knows; nothing here depends on which engine runs it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from pydantic import ValidationError

from search_core.backend import SearchBackend
from search_core.errors import InvalidQuery
from search_core.geo import distance_km
from search_core.geocode import Geocoder
from search_core.locating import Located, PlaceRequest, locate, needs_geocoder
from search_core.paging import Cursor, encode_cursor
from search_core.queries import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    GeoFilter,
    SortOrder,
    TherapistFilters,
    TherapistQuery,
    Unit,
)
from search_core.results import (
    Relaxation,
    SearchPage,
    ShownPiece,
    ShownUnderstanding,
    TherapistHit,
    TherapistPage,
)
from search_core.shaping import nearest_office
from search_core.tuning import Tuning
from search_core.understanding import Request, Step, Understanding, plan_request, understand
from search_core.understanding.understand import understander_for
from search_core.vocabulary import FILTER_VOCABULARIES

GeocoderSource = Callable[[], Awaitable[Geocoder]]
"""How the use case gets the geocoder: only when a request needs one (loading it is the
slowest part of a first request)."""


@dataclass(frozen=True)
class TherapistSearch:
    """A therapist search as a route, the CLI or the lab asks it."""

    text: str | None = None
    filters: TherapistFilters = field(default_factory=TherapistFilters)
    place: PlaceRequest = field(default_factory=PlaceRequest)
    sort: SortOrder = "relevance"
    offset: int = 0
    size: int = 10
    cursor: Cursor | None = None
    facets: bool = True
    highlight: bool = True
    understand: bool = True
    """Read filters and a place out of the text, forgive typos, relax an empty page."""
    online_in_state: bool = True
    """List online therapists licensed in the searcher's state after the in-person ones."""


@dataclass(frozen=True)
class _Plan:
    """What the search asks once its text and place are read."""

    request: Request
    state: str | None
    from_text: bool
    understanding: Understanding | None


async def search_therapists(
    backend: SearchBackend,
    search: TherapistSearch,
    geocoder: GeocoderSource,
    unit: Unit = "mi",
    tuning: Tuning | None = None,
) -> TherapistPage:
    """The page of therapists for ``search`` (see the module docstring)."""
    planned = await _read(search, geocoder)
    req = planned.request
    u = planned.understanding
    page = await _run(backend, search, boosted(req, u), planned.state, unit, tuning)
    relaxed: Relaxation | None = None
    if page.total == 0 and search.understand:
        steps = plan_request(
            req.filters,
            req.near,
            req.text,
            explicit=u.explicit if u is not None else search.filters,
            state=planned.state,
        )
        done: list[str] = []
        tried = {_key(req, planned.state, search.online_in_state)}
        for step in steps:
            done.append(step.kind)
            key = _key(step.request, planned.state, search.online_in_state)
            if key in tried or not _runnable(step):
                continue
            tried.add(key)
            asked = boosted(step.request, u)
            found = await _run(backend, search, asked, planned.state, unit, tuning)
            if found.total > 0:
                page, req = found, step.request
                relaxed = Relaxation(steps=done, message=step.message(found.total))
                break
    did_you_mean = None
    if page.total == 0 and planned.understanding is None and search.text:
        did_you_mean = understander_for(await geocoder()).did_you_mean(search.text)
    return _shown(page, planned, req, relaxed, did_you_mean, unit)


# ---------------------------------------------------------------------------- reading


async def _read(search: TherapistSearch, geocoder: GeocoderSource) -> _Plan:
    place, text = search.place, search.text
    if not (search.understand and text and text.strip()):
        geo = await geocoder() if needs_geocoder(place, text, read_text=False) else None
        located = locate(place, text, geo, read_text=False)
        return _Plan(
            Request(filters=search.filters, near=located.near, text=located.text),
            located.state,
            False,
            None,
        )
    place.check()
    geo = await geocoder()
    explicit: Located | None = locate(place, None, geo, read_text=False) if place.given else None
    caller = (place.lat, place.lon) if place.lat is not None and place.lon is not None else None
    u = understand(
        text,
        geocoder=understander_for(geo),
        explicit_filters=search.filters,
        caller_location=caller,
        explicit_near=explicit.near if explicit is not None else None,
    )
    state = explicit.state if explicit is not None else None
    if state is None and u.place is not None and u.place.kind != "near_me":
        state = u.place.state
    from_text = explicit is None and u.near is not None
    return _Plan(Request(filters=u.filters, near=u.near, text=u.text), state, from_text, u)


def _key(req: Request, state: str | None, online: bool) -> str:
    """Two steps with the same key search the same thing (the online step is a no-op when
    online therapists are listed anyway)."""
    blended = req.telehealth_state or (state if online else None)
    plain = req.model_copy(update={"telehealth_state": None})
    return f"{plain.model_dump_json()}|{blended}"


def _runnable(step: Step) -> bool:
    """ "Any of the words" needs a minimum-should-match the engines do not take per request:
    the step is skipped; dropping the words comes next."""
    return step.request.text_match == "all"


# ---------------------------------------------------------------------------- running


BOOSTED_FACETS = (
    "issues",
    "therapy_types",
    "populations",
    "age_groups",
    "languages",
    "insurance",
    "profession",
)
"""Understood filters whose label is also searched as text: every therapist the filter keeps
has the label in its label field, so the words rank (bios that stress the asked-for issue
first) and highlight without removing anyone."""


def boosted(req: Request, u: Understanding | None) -> Request:
    """``req`` with the labels of its understood one-value specialty filters added to the
    text (a filter with several values keeps anyone with one of them: its labels would
    require all, so they are left out)."""
    if u is None:
        return req
    words: list[str] = []
    for piece in u.pieces:
        for facet in BOOSTED_FACETS:
            slug = piece.filter.get(facet)
            if piece.hard and isinstance(slug, str) and req.filters.facet_values(facet) == [slug]:
                words.append(FILTER_VOCABULARIES[facet].label(slug).split(" (")[0])
    if not words:
        return req
    text = " ".join(dict.fromkeys([*([req.text] if req.text else []), *words]))
    return req.model_copy(update={"text": text})


async def _run(
    backend: SearchBackend,
    search: TherapistSearch,
    req: Request,
    state: str | None,
    unit: Unit,
    tuning: Tuning | None,
) -> SearchPage[TherapistHit]:
    query = _query(search, req.filters, req.near, req.text)
    page = await backend.search_therapists(query, unit, tuning)
    online_state = req.telehealth_state or (state if search.online_in_state else None)
    if online_state is None or req.near is None:
        return page
    return await _with_online(backend, search, req, online_state, page, unit, tuning)


def _query(
    search: TherapistSearch,
    filters: TherapistFilters,
    near: GeoFilter | None,
    text: str | None,
    **over: object,
) -> TherapistQuery:
    fields: dict[str, object] = {
        "text": text,
        "filters": filters,
        "near": near,
        "sort": search.sort,
        "offset": search.offset,
        "size": search.size,
        "facets": search.facets,
        "highlight": search.highlight,
        "cursor": search.cursor,
    }
    fields.update(over)
    try:
        return TherapistQuery.model_validate(fields)
    except ValidationError as exc:
        raise InvalidQuery(
            "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        ) from exc


def _online_filters(filters: TherapistFilters, state: str) -> TherapistFilters | None:
    """The filters of the online list, or None when the request excludes online therapists
    (in person only, telehealth=false, licensed in another state)."""
    if filters.telehealth is False or filters.in_person:
        return None
    if filters.licensed_in not in (None, state):
        return None
    return filters.model_copy(update={"telehealth": True, "licensed_in": state})


async def _with_online(
    backend: SearchBackend,
    search: TherapistSearch,
    req: Request,
    state: str,
    page: SearchPage[TherapistHit],
    unit: Unit,
    tuning: Tuning | None,
) -> SearchPage[TherapistHit]:
    """``page`` (the in-person hits within the radius) continued by therapists who see
    clients online, are licensed in ``state`` and have no office within the radius, in
    relevance order (or most recent first for ``sort=recent``). The total counts both lists;
    facets are the in-person list's, or the online list's when no office is within reach."""
    near = req.near
    assert near is not None
    online = _online_filters(req.filters, state)
    if online is None:
        return page
    sort: SortOrder = "recent" if search.sort == "recent" else "relevance"
    count = {"offset": 0, "size": 1, "facets": False, "highlight": False, "cursor": None}
    everywhere = await backend.search_therapists(
        _query(search, online, None, req.text, sort=sort, **count), unit, tuning
    )
    if everywhere.total == 0:
        return page
    inside = await backend.search_therapists(
        _query(search, online, near, req.text, **count), unit, tuning
    )
    extra_total = everywhere.total - inside.total
    if extra_total <= 0:
        return page
    in_person = page.total
    total = in_person + extra_total
    start = max(0, search.offset - in_person)
    wanted = search.offset + search.size - in_person - start
    items = list(page.items)
    if wanted > 0:
        items += await _online_hits(
            backend, search, req, online, near, sort, start, wanted, inside.total, unit, tuning
        )
    update: dict[str, object] = {"items": items, "total": total}
    end = search.offset + search.size
    if wanted > 0 or page.next_cursor is None:
        # past the in-person hits, a cursor is the position in both lists
        update["next_cursor"] = encode_cursor(end) if end < total else None
    if in_person == 0 and search.facets:
        shown = await backend.search_therapists(
            _query(search, online, None, req.text, sort=sort, size=1, offset=0, cursor=None),
            unit,
            tuning,
        )
        update["facets"] = shown.facets
    return page.model_copy(update=update)


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
            _query(
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


# ---------------------------------------------------------------------------- the answer


def _shown(
    page: SearchPage[TherapistHit],
    planned: _Plan,
    req: Request,
    relaxed: Relaxation | None,
    did_you_mean: str | None,
    unit: Unit,
) -> TherapistPage:
    located = Located(req.near, req.text, from_text=planned.from_text)
    u = planned.understanding
    shown = None
    if u is not None:
        shown = ShownUnderstanding(
            original=u.original,
            pieces=[ShownPiece.model_validate(p.model_dump()) for p in u.pieces],
            text=u.text,
            corrected_query=u.corrected_query,
            notes=u.notes,
        )
    data = {k: getattr(page, k) for k in SearchPage.model_fields}
    location = located.location(unit)
    if location is not None:
        data["location"] = location
    return TherapistPage(**data, understanding=shown, relaxed=relaxed, did_you_mean=did_you_mean)


def with_page(search: TherapistSearch, offset: int, size: int) -> TherapistSearch:
    """The same search, another page."""
    return replace(search, offset=offset, size=size, cursor=None)
