"""Searching what a therapist search asks: its first step, then, when the page is empty, the
relaxation's steps until one has hits.

:func:`find` runs the request as read (:class:`~search_core.search_reading.Asked`); with no hits
and an understood search, the steps of :func:`search_core.understanding.plan_request`, in
order, skipping a step that searches what was searched already, stopping at the first with
hits, and says what was relaxed (:class:`~search_core.results.Relaxation`). Before the words
are loosened or dropped, the filters their boost-only words hint at are tried instead; after a
filter is dropped, the radius goes back to the smallest that still has hits. A first page of
online therapists alone says so too.

Each step is one engine call: the step's request with its understood labels as words that only
rank (:func:`search_core.understood_ranking.boosted`) and the online list
(:mod:`search_core.online_plan`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from search_core.backend import SearchBackend
from search_core.filters import FILTER_VOCABULARIES
from search_core.online_plan import online_count
from search_core.queries import GeoFilter, OnlineAlso, TherapistFilters, Unit
from search_core.results import Relaxation, SearchPage, TherapistHit
from search_core.search_reading import Asked
from search_core.search_request import TherapistSearch, query_of
from search_core.tuning import Tuning
from search_core.understanding import Request, Step, Understanding, describe, plan_request
from search_core.understanding.relax import RADIUS_STEPS_MI
from search_core.understood_ranking import BOOSTED_FACETS, boosted
from search_core.units import KM_PER_MILE
from search_core.vocabulary import US_STATES
from search_core.wording import counted

__all__ = ["Found", "find"]


@dataclass(frozen=True)
class Found:
    """The page a search shows, the step that found it and what was relaxed to find it."""

    page: SearchPage[TherapistHit]
    request: TherapistSearch
    """The step searched: the request as read, or the relaxed one that had hits."""
    relaxed: Relaxation | None
    online: int = 0
    """How many of the page's ``total`` hits are online therapists listed after the
    in-person ones (0 when there is no online list)."""
    online_state: str | None = None
    """The state the online list is licensed in, when there is one."""


@dataclass(frozen=True)
class _Listed:
    """A page of one step and how many of its hits are online (see :attr:`Found.online`)."""

    page: SearchPage[TherapistHit]
    online: int = 0


async def find(
    backend: SearchBackend,
    asked: Asked,
    search: TherapistSearch,
    unit: Unit,
    tuning: Tuning | None,
) -> Found:
    """The page of what was ``asked`` (see the module docstring); ``search`` is the caller's,
    as given."""
    req, u, state = asked.request, asked.understanding, asked.state
    listed = await _run(backend, req, u, state, unit, tuning)
    relaxed: Relaxation | None = None
    if listed.page.total == 0 and search.understand:
        steps = plan_request(
            req.filters,
            req.near,
            req.text,
            explicit=u.explicit if u is not None else search.filters,
            state=state,
            start=req,
        )
        done: list[str] = []
        tried = {_key(req, state, search.online_in_state)}
        nearest: dict[int, float] = {}  # a run of wider radii: its nearest hit (see _probe)
        for i, step in enumerate(steps):
            done.append(step.kind)
            key = _key(step.request, state, search.online_in_state)
            if key in tried:
                continue
            tried.add(key)
            if (run := _radius_run(steps, i)) is not None and id(run) not in nearest:
                nearest[id(run)] = await _probe(backend, run, unit, tuning)
            if run is not None and _nearer(step, nearest[id(run)]):
                continue  # no therapist that near: the step finds nothing
            hinted = _hinted(step, u)
            if hinted is not None and (hkey := _key(hinted.request, None, False)) not in tried:
                tried.add(hkey)
                found = await _run(backend, _asked(hinted), u, state, unit, tuning)
                if found.page.total > 0:
                    listed, req = found, _asked(hinted)
                    relaxed = Relaxation(steps=done, message=hinted.message(found.page.total))
                    break
            if _asks_nothing(step.request):
                continue  # without the words nothing asked is left: never the whole directory
            found = await _run(backend, _asked(step), u, state, unit, tuning)
            if found.page.total > 0:
                if step.kind == "drop_filter" and req.near is not None:
                    step, found = await _narrowest(
                        backend, step, found, req.near, u, state, unit, tuning
                    )
                listed, req = found, _asked(step)
                relaxed = Relaxation(steps=done, message=step.message(found.page.total))
                break
    page = listed.page
    online_state = (req.telehealth_state or state) if listed.online else None
    if relaxed is None and req.near is not None and _only_online(page, search):
        where = online_state or ""
        relaxed = Relaxation(
            steps=["add_telehealth_in_state"],
            message=f"No {describe(req.filters, req.near, req.text)} in person; showing "
            f"{counted(page.total, 'online therapist')} licensed in "
            f"{US_STATES.get(where, where)}",
        )
    return Found(page, req, relaxed, listed.online, online_state)


async def _run(
    backend: SearchBackend,
    req: TherapistSearch,
    u: Understanding | None,
    state: str | None,
    unit: Unit,
    tuning: Tuning | None,
) -> _Listed:
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
    return _Listed(page, online_count(page))


async def _narrowest(
    backend: SearchBackend,
    step: Step,
    found: _Listed,
    asked: GeoFilter,
    u: Understanding | None,
    state: str | None,
    unit: Unit,
    tuning: Tuning | None,
) -> tuple[Step, _Listed]:
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


def _radius_run(steps: list[Step], i: int) -> Step | None:
    """The last step of the run of wider radii that ``steps[i]`` is in, when the run has two
    steps or more: steps that search what the one before them searched (and found nothing
    in), in a wider circle."""
    first = i
    while first > 0 and _wider(steps[first - 1], steps[first]):
        first -= 1
    last = i
    while last + 1 < len(steps) and _wider(steps[last], steps[last + 1]):
        last += 1
    return steps[last] if last > first and steps[first].kind == "widen_radius" else None


def _wider(a: Step, b: Step) -> bool:
    """Whether ``b`` widens ``a``'s circle and changes nothing else."""
    if b.kind != "widen_radius" or a.request.near is None or b.request.near is None:
        return False
    same = b.request.model_copy(update={"near": a.request.near})
    return same == a.request and b.request.near.radius_km > a.request.near.radius_km


async def _probe(backend: SearchBackend, last: Step, unit: Unit, tuning: Tuning | None) -> float:
    """How far the nearest therapist of a run of wider radii is (km; infinite when there is
    none within the widest): one search of the widest circle, nearest first, one hit, without
    the online list or the facets.

    Each step of such a run searches what the one before it searched, and found nothing in,
    in a wider circle; so no office is within the narrower radii, and the online list (the
    same at every radius: it has found no one) adds nothing to them. A step whose radius is
    short of the nearest hit finds nothing as surely as if it were searched: a relaxation
    chain of 10, 25, 50 and 100 mi then costs two searches where it cost four."""
    req = _asked(last).model_copy(
        update={
            "rank_text": None,  # words that only rank select nothing
            "sort": "distance",
            "offset": 0,
            "size": 1,
            "cursor": None,
            "facets": False,
            "highlight": False,
            "telehealth_state": None,  # no online list
            "online_in_state": False,
        }
    )
    page = (await _run(backend, req, None, None, "km", tuning)).page
    if not page.items or page.items[0].nearest_office is None:
        return math.inf if page.total == 0 else 0.0
    return page.items[0].nearest_office.distance


def _nearer(step: Step, nearest_km: float) -> bool:
    """Whether the step's circle is short of the nearest hit (by more than the hit's shown
    distance is rounded: a hundredth of a kilometre)."""
    near = step.request.near
    return near is not None and near.radius_km < nearest_km - 0.01


def _hinted(step: Step, u: Understanding | None) -> Step | None:
    """Before the words are loosened or dropped: the step without them and with the filters its
    boost-only words hint at instead ("teen cutting herself": self-harm), when there are such
    words and the request has no value of that filter yet."""
    if step.kind not in ("loosen_text", "drop_text") or u is None:
        return None
    filters = step.request.filters
    added: dict[str, list[str]] = {}
    for piece in u.pieces:
        for facet, value in piece.hint.items():
            if facet in BOOSTED_FACETS and isinstance(value, str | list):
                values = [value] if isinstance(value, str) else value
                if not filters.facet_values(facet) and values:
                    have = added.setdefault(facet, [])
                    have.extend(v for v in values if v not in have)
    if not added:
        return None
    # each value once, by its own label ("School and Academic Issues or Self-Esteem", not that
    # and "School and Academic Issues" again when two words hint at it)
    labels = [FILTER_VOCABULARIES[f].label(v) for f, values in added.items() for v in values]
    hinted = step.request.model_copy(
        update={"filters": filters.model_copy(update=added), "text": None, "text_match": "all"}
    )
    relaxed = [*step.relaxed[:-1], f"for {' or '.join(labels)} instead"]
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
