"""The therapist search use case: what a search box or form asks → the page shown.

One function, :func:`search_therapists`, that the routes, the command line and the relevance
lab call, on either engine:

0. **Crisis first**: words that say someone may be harmed now are recognised before anything
   else (:mod:`search_core.understanding.crisis`) and the page carries help to show first
   (``crisis``, :mod:`search_core.crisis_help`); understood, they filter by their issue.
1. **Understand** the text (``understand=True``, the default): vocabulary words anywhere become
   filters, a place anywhere becomes the area, filler goes, typos are forgiven
   (:mod:`search_core.understanding`). The caller's own parameters win over what was read.
   ``understand=False`` searches the text as typed, with the place fields alone.
2. **Search**, with therapists who see clients online and are licensed in the searcher's state
   listed after the in-person ones (:mod:`search_core.online_plan`, in the same engine
   call) when the search is around a place whose state is known; ``online_in_state=False``
   turns that off.
3. **Relax** when the page would be empty: the steps of
   :func:`search_core.understanding.plan_request`, in order, stopping at the first with hits,
   and say what was relaxed (:class:`~search_core.results.Relaxation`). Filters the caller set
   are never dropped.

Every step is a search the engine already knows; nothing here depends on which engine runs it.
The request keeps one shape throughout: the caller's :class:`TherapistSearch`, validated once;
reading and each step make copies of it, and each searched step becomes the engine's query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import anyio.to_thread

from search_core.backend import SearchBackend
from search_core.crisis_help import crisis_help
from search_core.geo import KM_PER_MILE
from search_core.geocode import Geocoder
from search_core.locating import Located, locate, needs_geocoder
from search_core.online_plan import online_count
from search_core.queries import GeoFilter, OnlineAlso, TherapistFilters, Unit
from search_core.results import (
    Relaxation,
    SearchPage,
    ShownPiece,
    ShownUnderstanding,
    TherapistHit,
    TherapistPage,
)
from search_core.search_request import TherapistSearch, query_of
from search_core.tuning import Tuning
from search_core.understanding import (
    Request,
    Step,
    Understanding,
    describe,
    plan_request,
    understand,
)
from search_core.understanding.crisis import read_crisis
from search_core.understanding.model import CrisisSignal
from search_core.understanding.relax import RADIUS_STEPS_MI
from search_core.understanding.understand import understander_for
from search_core.understood_ranking import BOOSTED_FACETS, boosted
from search_core.vocabulary import US_STATES
from search_core.wording import counted

__all__ = ["GeocoderSource", "TherapistSearch", "boosted", "search_therapists", "with_page"]

GeocoderSource = Callable[[], Awaitable[Geocoder]]
"""How the use case gets the geocoder: only when a request needs one (loading it is the
slowest part of a first request)."""


@dataclass(frozen=True)
class Listed:
    """A page of a search and how many of its ``total`` hits are online therapists listed
    after the in-person ones (``online``: 0 when there is no online list)."""

    page: SearchPage[TherapistHit]
    online: int = 0


@dataclass(frozen=True)
class _Plan:
    """What the search asks once its text and place are read."""

    request: TherapistSearch
    """The search with the filters, area and words read (its first step)."""
    state: str | None
    from_text: bool
    understanding: Understanding | None
    crisis: CrisisSignal | None = None
    alternatives: tuple[str, ...] = ()
    """Other cities the place's bare name could mean."""


async def search_therapists(
    backend: SearchBackend,
    search: TherapistSearch,
    geocoder: GeocoderSource,
    unit: Unit = "mi",
    tuning: Tuning | None = None,
) -> TherapistPage:
    """The page of therapists for ``search`` (see the module docstring). ``size=0`` asks for
    the total and the facets alone: the page comes back with no hits."""
    if search.size == 0:
        counted_only = search.model_copy(update={"size": 1, "highlight": False, "cursor": None})
        whole = await search_therapists(backend, counted_only, geocoder, unit, tuning)
        return whole.model_copy(update={"items": [], "size": 0, "next_cursor": None})
    planned = await _read(search, geocoder)
    req = planned.request
    u = planned.understanding
    listed = await _run(backend, req, u, planned.state, unit, tuning)
    relaxed: Relaxation | None = None
    if listed.page.total == 0 and search.understand:
        steps = plan_request(
            req.filters,
            req.near,
            req.text,
            explicit=u.explicit if u is not None else search.filters,
            state=planned.state,
            start=req,
        )
        done: list[str] = []
        tried = {_key(req, planned.state, search.online_in_state)}
        for step in steps:
            done.append(step.kind)
            key = _key(step.request, planned.state, search.online_in_state)
            if key in tried:
                continue
            tried.add(key)
            hinted = _hinted(step, u)
            if hinted is not None and (hkey := _key(hinted.request, None, False)) not in tried:
                tried.add(hkey)
                found = await _run(backend, _asked(hinted), u, planned.state, unit, tuning)
                if found.page.total > 0:
                    listed, req = found, _asked(hinted)
                    relaxed = Relaxation(steps=done, message=hinted.message(found.page.total))
                    break
            if _asks_nothing(step.request):
                continue  # without the words nothing asked is left: never the whole directory
            found = await _run(backend, _asked(step), u, planned.state, unit, tuning)
            if found.page.total > 0:
                if step.kind == "drop_filter" and req.near is not None:
                    step, found = await _narrowest(
                        backend, step, found, req.near, u, planned.state, unit, tuning
                    )
                listed, req = found, _asked(step)
                relaxed = Relaxation(steps=done, message=step.message(found.page.total))
                break
    page = listed.page
    online_state = (req.telehealth_state or planned.state) if listed.online else None
    if relaxed is None and req.near is not None and _only_online(page, search):
        state = online_state or ""
        relaxed = Relaxation(
            steps=["add_telehealth_in_state"],
            message=f"No {describe(req.filters, req.near, req.text)} in person; showing "
            f"{counted(page.total, 'online therapist')} licensed in "
            f"{US_STATES.get(state, state)}",
        )
    did_you_mean = None
    if page.total == 0 and planned.understanding is None and search.text:
        reader = understander_for(await geocoder())
        did_you_mean = await anyio.to_thread.run_sync(reader.did_you_mean, search.text)
    shown = _shown(page, planned, req, relaxed, did_you_mean, unit)
    return shown.model_copy(
        update={
            "total_in_person": page.total - listed.online,
            "total_online": listed.online,
            "online_state": online_state,
        }
    )


# ---------------------------------------------------------------------------- reading


async def _read(search: TherapistSearch, geocoder: GeocoderSource) -> _Plan:
    reads_text = bool(search.understand and search.text and search.text.strip())
    if reads_text:
        search.place.check()
    needs = reads_text or needs_geocoder(search.place, search.text, read_text=False)
    geo = await geocoder() if needs else None
    if _quick(search, geo):
        return _plan(search, geo)
    # Reading is pure Python and CPU-bound, so a reading that may take long runs in a worker
    # thread like the engine's calls, and the event loop goes on answering other requests
    # meanwhile; the usual one runs here (a hand-off costs more than it: 0.2-0.5 ms).
    return await anyio.to_thread.run_sync(_plan, search, geo)


QUICK_TEXT_CHARS = 120
"""Texts up to this long are read on the event loop (at most about 0.5 ms, typos included);
longer ones in a worker thread (random words, 400 characters: about 1 ms)."""


def _quick(search: TherapistSearch, geo: Geocoder | None) -> bool:
    """Whether reading ``search`` is quick: a text of at most :data:`QUICK_TEXT_CHARS`, and
    no place field naming a city the geocoder does not know (its suggestions compare the
    name with every city name: about 25 ms)."""
    if search.text is not None and len(search.text) > QUICK_TEXT_CHARS:
        return False
    place = search.place
    if geo is None or place.coordinates or place.zip is not None or not place.given:
        return True
    return geo.resolves(place.city if place.city is not None else place.near or "")


def _plan(search: TherapistSearch, geo: Geocoder | None) -> _Plan:
    place, text = search.place, search.text
    if not (search.understand and text and text.strip()):
        located = locate(place, text, geo, read_text=False)
        return _Plan(
            search.model_copy(update={"near": located.near, "text": located.text}),
            located.state,
            False,
            None,
            read_crisis(text).signal() if text else None,  # help first, even as typed
            located.alternatives,
        )
    assert geo is not None
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
    if explicit is not None:
        others = explicit.alternatives
    else:
        named = [p.text for p in u.pieces if p.kind == "place" and p.hard]
        others = tuple(c.label for c in geo.namesakes(named[0])) if from_text and named else ()
        if from_text and u.place is not None and u.place.alternatives:
            others = tuple(u.place.alternatives)  # a neighbourhood, borough or nickname
    request = search.model_copy(update={"filters": u.filters, "near": u.near, "text": u.text})
    return _Plan(request, state, from_text, u, u.crisis, others)


async def _narrowest(
    backend: SearchBackend,
    step: Step,
    found: Listed,
    asked: GeoFilter,
    u: Understanding | None,
    state: str | None,
    unit: Unit,
    tuning: Tuning | None,
) -> tuple[Step, Listed]:
    """A filter dropped after the radius was widened: back to the smallest radius, from the
    one asked, that has hits without that filter (the widening was for the filter)."""
    near = step.request.near
    if near is None:
        return step, found
    radii = [asked.radius_km, *(mi * KM_PER_MILE for mi in RADIUS_STEPS_MI)]
    for km in sorted({r for r in radii if asked.radius_km - 1e-6 <= r < near.radius_km - 1e-6}):
        narrower = step.request.model_copy(
            update={"near": near.model_copy(update={"radius_km": km})}
        )
        listed = await _run(backend, _asked(narrower), u, state, unit, tuning)
        if listed.page.total > 0:
            relaxed = [r for r in step.relaxed if not r.startswith("within ")]
            if km > asked.radius_km + 1e-6:
                relaxed.insert(0, f"within {km / KM_PER_MILE:.0f} mi")
            return step.model_copy(update={"request": narrower, "relaxed": relaxed}), listed
    return step, found


def _hinted(step: Step, u: Understanding | None) -> Step | None:
    """Before the words are loosened or dropped: the step without them and with the filters its
    boost-only words hint at instead ("teen cutting herself": self-harm), when there are such
    words and the request has no value of that filter yet."""
    if step.kind not in ("loosen_text", "drop_text") or u is None:
        return None
    filters = step.request.filters
    added: dict[str, list[str]] = {}
    labels: list[str] = []
    for piece in u.pieces:
        for facet, value in piece.hint.items():
            if facet in BOOSTED_FACETS and isinstance(value, str | list):
                values = [value] if isinstance(value, str) else value
                if not filters.facet_values(facet) and values:
                    added.setdefault(facet, []).extend(v for v in values if v not in added)
                    labels.append(piece.label)
    if not added:
        return None
    hinted = step.request.model_copy(
        update={"filters": filters.model_copy(update=added), "text": None, "text_match": "all"}
    )
    relaxed = [*step.relaxed[:-1], f"for {' or '.join(dict.fromkeys(labels))} instead"]
    return step.model_copy(update={"request": hinted, "relaxed": relaxed})


def _asked(step: Step | Request) -> TherapistSearch:
    """A step's request: a copy of the search (the planner was given it to start from)."""
    req = step.request if isinstance(step, Step) else step
    assert isinstance(req, TherapistSearch)
    return req


def _asks_nothing(req: Request) -> bool:
    """A step that asks nothing at all: no words, no filter, no place (what is left of a text
    none of whose words was understood once they are dropped)."""
    return req.text is None and req.near is None and req.filters == TherapistFilters()


def _only_online(page: SearchPage[TherapistHit], search: TherapistSearch) -> bool:
    """The first page shows online therapists alone: no office is within the radius."""
    return search.offset == 0 and bool(page.items) and all(h.online for h in page.items)


def _key(req: Request, state: str | None, online: bool) -> str:
    """Two steps with the same key search the same thing (the online step is a no-op when
    online therapists are listed anyway)."""
    blended = req.telehealth_state or (state if online else None)
    plain = req.model_copy(update={"telehealth_state": None})
    return f"{plain.model_dump_json(include=set(Request.model_fields))}|{blended}"


# ---------------------------------------------------------------------------- running


async def _run(
    backend: SearchBackend,
    req: TherapistSearch,
    u: Understanding | None,
    state: str | None,
    unit: Unit,
    tuning: Tuning | None,
) -> Listed:
    """One step: ``req`` with its understood labels added to the words, and the online list
    (counted without those labels: they rank, they never remove anyone), in one engine call."""
    # "any of the words" is asked without the labels: every filtered hit has them
    asked = boosted(req, u) if req.text_match == "all" else req
    online_state = req.telehealth_state or (state if req.online_in_state else None)
    also = None
    if online_state is not None and req.near is not None:
        also = OnlineAlso(state=online_state, text=req.text)
    query = query_of(asked, also)
    page = await backend.search_therapists(query, unit, tuning)
    return Listed(page, online_count(page))


# ---------------------------------------------------------------------------- the answer


def _shown(
    page: SearchPage[TherapistHit],
    planned: _Plan,
    req: Request,
    relaxed: Relaxation | None,
    did_you_mean: str | None,
    unit: Unit,
) -> TherapistPage:
    located = Located(
        req.near, req.text, from_text=planned.from_text, alternatives=planned.alternatives
    )
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
    return TherapistPage(
        **data,
        understanding=shown,
        relaxed=relaxed,
        did_you_mean=did_you_mean,
        crisis=crisis_help(planned.crisis),
    )


def with_page(search: TherapistSearch, offset: int, size: int) -> TherapistSearch:
    """The same search, another page."""
    return search.model_copy(update={"offset": offset, "size": size, "cursor": None})
