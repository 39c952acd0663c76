"""The relaxation planner: what to loosen, in order, when an understood search has no hits.

Pure: from the request it returns the ordered list of steps; the caller runs them against its
engine and stops at the first with hits, then shows :meth:`Step.message`. Every step keeps the
relaxations before it, so each step's results include the previous step's (the list is
monotone) and the first step with hits is the closest answer to what was asked:

1. ``loosen_text``: any of the words left for text search instead of all. Those are the words
   understanding did not read as a filter or place ("friendly", "herself", a word no bio
   uses): less sure to be what the person asked than the filters understood;
2. ``drop_text``: none of those words (an unread word is not worth a therapist further away);
3. ``widen_radius``: 25 → 50 → 100 mi (only the steps wider than the asked radius);
4. ``add_telehealth_in_state``: also therapists who see clients online and are licensed in the
   searcher's state (an office over 100 mi away is no use in person; an online one is);
5. ``widen_radius`` to the maximum (500 km);
6. ``drop_filter``: the understood filters, softest first (:data:`SOFTNESS`): a budget, then
   "accepting new clients", therapy types, populations, sliding scale, issues, age groups,
   profession, gender, insurance, languages last (a therapist who does not speak the
   searcher's language cannot help at all). Filters the caller set explicitly (clicked chips),
   the state, and online/in-person are never dropped.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

import search_core.filters as filters_registry
from search_core.filters import wording
from search_core.queries import MAX_RADIUS_KM, GeoFilter, TherapistFilters
from search_core.understanding.model import Understanding
from search_core.units import KM_PER_MILE
from search_core.vocabulary import US_STATES

RADIUS_STEPS_MI: tuple[float, ...] = (25.0, 50.0, 100.0)
"""Wider radii tried in turn, only those wider than the one asked (a neighbourhood's 5 mi
first widens to the default 25 mi)."""
SOFTNESS: tuple[str, ...] = filters_registry.softness()
"""Understood filters in the order they are dropped (softest first): ``all_of`` first (the
issues named together are then asked for as any of them). Exclusions (``none_of``) are never
dropped: a therapist the searcher ruled out is no answer."""

StepKind = Literal["widen_radius", "add_telehealth_in_state", "drop_filter", "loosen_text",
                   "drop_text"]  # fmt: skip


class Request(BaseModel):
    """What one step searches for."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    filters: TherapistFilters
    near: GeoFilter | None = None
    text: str | None = None
    text_match: Literal["all", "any"] = "all"
    """``any``: a hit needs only one of the words (minimum_should_match 1)."""
    rank_text: str | None = None
    """Words that only rank (see :attr:`search_core.queries.TherapistQuery.rank_text`)."""
    telehealth_state: str | None = None
    """Also therapists offering telehealth licensed in this state, wherever their offices."""


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: StepKind
    request: Request
    relaxed: list[str]
    """What is loosened by now, in words ("within 50 mi", "Spanish not required")."""
    asked: str
    """The original request in words ("Spanish-speaking therapists for couples within ...")."""

    def message(self, shown: int) -> str:
        """ "No Spanish-speaking therapists for couples within 25 mi of Austin, TX; showing 3
        within 50 mi"."""
        return f"No {self.asked}; showing {shown:,} {', '.join(self.relaxed)}"


def _miles(km: float) -> str:
    return f"{km / KM_PER_MILE:.0f} mi"


def describe(filters: TherapistFilters, near: GeoFilter | None, text: str | None) -> str:
    """A request in words: "female Spanish-speaking psychologists for depression taking Aetna
    within 25 mi of Austin, TX" (each filter's words: :mod:`search_core.filters.wording`)."""
    said = wording.described(filters.value)
    back = said.back
    if text:
        back.append(f'matching "{text}"')
    back.extend(said.late)
    if near is not None:
        back.append(f"within {_miles(near.radius_km)} of {near.label or 'your location'}")
    return " ".join([*said.front, said.noun, *back])


def _dropped_phrase(filters: TherapistFilters, facet: str) -> str:
    return wording.dropped(filters_registry.get(facet), filters.value(facet))


def plan(u: Understanding, *, state: str | None = None) -> list[Step]:
    """The relaxation steps of an understood request (see the module docstring). ``state``:
    the searcher's state when the caller knows it (an explicit ZIP or city, a reverse-geocoded
    "near me"); else the state of the place in the text."""
    if state is None and u.place is not None and u.place.kind != "near_me":
        state = u.place.state
    if state is None and u.near is not None and u.filters.licensed_in:
        state = u.filters.licensed_in
    return plan_request(u.filters, u.near, u.text, explicit=u.explicit, state=state)


def plan_request(
    filters: TherapistFilters,
    near: GeoFilter | None,
    text: str | None,
    *,
    explicit: TherapistFilters | None = None,
    state: str | None = None,
    start: Request | None = None,
) -> list[Step]:
    """The steps for any request: ``explicit`` filters are never dropped; ``state`` is the
    searcher's state (for online therapists licensed there). ``start``: the request these
    are the filters, area and words of, when it carries more (each step is a copy of it)."""
    asked = describe(filters, near, text)
    given = set((explicit or TherapistFilters()).model_dump(exclude_defaults=True))
    steps: list[Step] = []
    cur = Request(filters=filters, near=near, text=text)
    if start is not None:
        cur = start.model_copy(update=dict(cur))
    radius_note: list[str] = []
    extra: list[str] = []

    def add(kind: StepKind, req: Request) -> None:
        steps.append(Step(kind=kind, request=req, relaxed=[*radius_note, *extra], asked=asked))

    if text and len(text.split()) > 1:
        cur = cur.model_copy(update={"text_match": "any"})
        extra.append("matching some of the words")
        add("loosen_text", cur)
    if text:
        cur = cur.model_copy(update={"text": None, "text_match": "all"})
        extra = [e for e in extra if e != "matching some of the words"]
        extra.append(f'without the words "{text}"')
        add("drop_text", cur)
    if near is not None:
        for mi in RADIUS_STEPS_MI:
            km = mi * KM_PER_MILE
            if km > cur.near.radius_km + 1e-6:  # type: ignore[union-attr]
                cur = cur.model_copy(update={"near": near.model_copy(update={"radius_km": km})})
                radius_note = [f"within {_miles(km)}"]
                add("widen_radius", cur)
        if state is not None and filters.telehealth is not False and not filters.in_person:
            cur = cur.model_copy(update={"telehealth_state": state})
            extra.append(f"with online therapists licensed in {US_STATES[state]}")
            add("add_telehealth_in_state", cur)
    if near is not None and cur.near.radius_km + 1e-6 < MAX_RADIUS_KM:  # type: ignore[union-attr]
        cur = cur.model_copy(update={"near": near.model_copy(update={"radius_km": MAX_RADIUS_KM})})
        radius_note = [f"within {_miles(MAX_RADIUS_KM)}"]
        add("widen_radius", cur)
    for facet in SOFTNESS:
        value = getattr(cur.filters, facet)
        if facet in given or value in (None, [], False):
            continue
        extra.append(_dropped_phrase(cur.filters, facet))
        empty: list[str] | None = [] if isinstance(value, list) else None
        cur = cur.model_copy(update={"filters": cur.filters.model_copy(update={facet: empty})})
        add("drop_filter", cur)
    return steps
