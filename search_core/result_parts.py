"""Parts of a result made from what an engine measured, alike on every engine: facet buckets
from value counts, and the office nearest to the search point with its distance."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from search_core.documents import Therapist
from search_core.filters import FILTER_VOCABULARIES
from search_core.geo import distance_km
from search_core.queries import GeoFilter
from search_core.results import FacetBucket, NearestOffice
from search_core.units import from_km


def facet_buckets(
    facet: str, counts: Mapping[str, int], chosen: Sequence[str]
) -> list[FacetBucket]:
    """One facet's buckets: each known value with its count, the chosen values without hits
    (count 0, so a choice never disappears), most first, then by label."""
    vocab = FILTER_VOCABULARIES[facet]
    picked = set(chosen)
    rows = [(-n, vocab.label(v), v) for v, n in counts.items() if v in vocab]
    rows += [(0, vocab.label(v), v) for v in dict.fromkeys(chosen) if v not in counts]
    rows.sort()
    # Validated as they are made: pydantic's validation (in compiled code) is faster than its
    # model_construct (in Python), 1.0 against 2.6 us a bucket, and makes the counts ints.
    return [
        FacetBucket(value=v, label=label, count=-n, selected=v in picked) for n, label, v in rows
    ]


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
