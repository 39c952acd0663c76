"""Reading a therapist search, once, before anything is searched: its place fields located and
its text understood (or, with ``understand=False``, taken as typed).

:func:`read_search` checks the place fields first, so a bad request is refused before the
geocoder is loaded; loads the geocoder only when the request needs one; locates the place
fields in one call (:func:`search_core.locating.locate_fields`); then reads the text
(:mod:`search_core.understanding`), where the caller's own fields win over what was read. What
comes out, :class:`Asked`, is the search's first step and what the answer shows of the
reading.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import anyio.to_thread

from search_core.geocode import Geocoder
from search_core.locating import locate_fields
from search_core.search_request import TherapistSearch
from search_core.understanding import Understanding
from search_core.understanding.crisis import read_crisis
from search_core.understanding.model import CrisisSignal
from search_core.understanding.understanders import understand

__all__ = ["QUICK_TEXT_CHARS", "Asked", "GeocoderSource", "read_search"]

GeocoderSource = Callable[[], Awaitable[Geocoder]]
"""How the use case gets the geocoder: only when a request needs one (loading it is the
slowest part of a first request)."""

QUICK_TEXT_CHARS = 120
"""Texts up to this long are read on the event loop (at most about 0.5 ms, typos included);
longer ones in a worker thread (random words, 400 characters: about 1 ms)."""


@dataclass(frozen=True)
class Asked:
    """What the search asks once its text and place are read."""

    request: TherapistSearch
    """The search with the filters, area and words read (its first step)."""
    state: str | None
    """The searcher's state: the place field's, else the state of the place in the text."""
    from_text: bool
    """The area was read from the text."""
    understanding: Understanding | None
    """What was read in the text; None when it was taken as typed."""
    crisis: CrisisSignal | None = None
    alternatives: tuple[str, ...] = ()
    """Other cities the place's bare name could mean."""


async def read_search(search: TherapistSearch, geocoder: GeocoderSource) -> Asked:
    """What ``search`` asks: its place fields located and its text read (see the module
    docstring). A text longer than :data:`QUICK_TEXT_CHARS` is read in a worker thread, as
    the engine's calls are, so the event loop goes on answering other requests meanwhile; the
    usual one is read here (a hand-off costs more than it: 0.2-0.5 ms). The caller's place
    fields, when given, are searched instead of a place in the text."""
    place, text = search.place, search.text
    reads_text = bool(search.understand and text and text.strip())
    geo = await geocoder() if place.needs_geocoder() or reads_text else None
    located = await locate_fields(place, None if reads_text else text, geo)
    if not reads_text:
        return Asked(
            search.model_copy(update={"near": located.near, "text": located.text}),
            located.state,
            False,
            None,
            read_crisis(text).signal() if text else None,  # help first, even as typed
            located.alternatives,
        )
    assert geo is not None and text is not None
    explicit = located if place.given else None
    caller = (place.lat, place.lon) if place.lat is not None and place.lon is not None else None
    near = explicit.near if explicit is not None else None

    def read() -> Understanding:
        return understand(
            text,
            geocoder=geo,
            explicit_filters=search.filters,
            caller_location=caller,
            explicit_near=near,
        )

    u = read() if len(text) <= QUICK_TEXT_CHARS else await anyio.to_thread.run_sync(read)
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
    return Asked(request, state, from_text, u, u.crisis, others)
