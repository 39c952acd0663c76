"""The page a therapist search answers: the hits found, with what was read in the text, the area
searched, what was relaxed, a "did you mean" for a text searched as typed that found nothing,
and the help to show first when the words say someone may be harmed now
(:mod:`search_core.crisis_help`).
"""

from __future__ import annotations

import anyio.to_thread

from search_core.crisis_help import crisis_help
from search_core.queries import GeoFilter, Unit
from search_core.results import (
    ResolvedLocation,
    SearchPage,
    ShownPiece,
    ShownUnderstanding,
    TherapistPage,
)
from search_core.search_reading import Asked, GeocoderSource
from search_core.search_request import TherapistSearch
from search_core.search_steps import Found
from search_core.understanding.understanders import understander_for
from search_core.units import from_km

__all__ = ["MAX_ALTERNATIVES", "answer", "location"]

MAX_ALTERNATIVES = 6
"""At most this many other cities are offered for an ambiguous bare city name."""


async def answer(
    found: Found,
    asked: Asked,
    search: TherapistSearch,
    geocoder: GeocoderSource,
    unit: Unit,
) -> TherapistPage:
    """The page shown for ``search`` (the caller's, as given), ``asked`` once read and
    ``found``; distances and the radius in ``unit``."""
    page, u = found.page, asked.understanding
    did_you_mean = None
    if page.total == 0 and u is None and search.text:
        reader = understander_for(await geocoder())
        did_you_mean = await anyio.to_thread.run_sync(reader.did_you_mean, search.text)
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
    where = location(found.request.near, unit, asked.from_text, asked.alternatives)
    if where is not None:
        data["location"] = where
    return TherapistPage(
        **data,
        understanding=shown,
        relaxed=found.relaxed,
        did_you_mean=did_you_mean,
        crisis=crisis_help(asked.crisis),
        total_in_person=page.total - found.online,
        total_online=found.online,
        online_state=found.online_state,
    )


def location(
    near: GeoFilter | None, unit: Unit, from_text: bool, alternatives: tuple[str, ...]
) -> ResolvedLocation | None:
    """The area searched (the step's, after any widening) as the answer reports it, its
    radius in ``unit``; None when the search was not around a place."""
    if near is None:
        return None
    return ResolvedLocation(
        label=near.label,
        lat=near.lat,
        lon=near.lon,
        radius=round(from_km(near.radius_km, unit), 3),
        unit=unit,
        from_text=from_text,
        alternatives=list(alternatives[:MAX_ALTERNATIVES]),
    )
