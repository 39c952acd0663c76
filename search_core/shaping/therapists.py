"""Therapist hits, alike on both engines: the office nearest to the search point with its
distance, and the fields highlighted."""

from __future__ import annotations

import math

from search_core.documents import Therapist
from search_core.geo import distance_km, from_km
from search_core.queries import GeoFilter
from search_core.results import NearestOffice

THERAPIST_HIGHLIGHT_CHARS: dict[str, int] = {"bio": 200}
"""Therapist fields highlighted in hits, with the longest fragment of each (both engines)."""


def nearest_office(
    therapist: Therapist, near: GeoFilter, unit: str, km: float | None = None
) -> NearestOffice | None:
    """The office nearest to the search point (the first of equally near ones), its distance
    in ``unit``. ``km``: the engine's distance for it (a distance sort value); computed here
    when not given."""
    if not therapist.offices:
        return None
    dists = [
        (distance_km(near.lat, near.lon, o.location.lat, o.location.lon), i)
        for i, o in enumerate(therapist.offices)
    ]
    best_km, best = min(dists)
    if km is not None and math.isfinite(km):
        best_km = km
    shown = from_km(best_km, "mi" if unit == "mi" else "km")
    return NearestOffice(office=therapist.offices[best], distance=round(shown, 2), unit=unit)
