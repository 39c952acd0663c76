"""A therapist hit as the API shows it: the stored document, its score, its office nearest to
the search point and its highlights."""

from __future__ import annotations

from typing import Any

import tantivy

from search_core.documents import Therapist
from search_core.embedded.highlighting import highlights
from search_core.geo import distance_km
from search_core.index_docs import therapist_from_doc
from search_core.queries import GeoFilter, TherapistQuery
from search_core.results import NearestOffice, TherapistHit

MI_PER_KM = 0.621371192237334


def therapist_hit(
    source: dict[str, Any],
    score: float | None,
    q: TherapistQuery,
    unit: str,
    snippets: dict[str, tantivy.SnippetGenerator],
) -> TherapistHit:
    """The hit of one stored document (``score``: the shown one, ``None`` without text)."""
    therapist = therapist_from_doc(source)
    return TherapistHit(
        therapist=therapist,
        score=None if score is None else round(score, 4),
        nearest_office=nearest_office(therapist, q.near, unit) if q.near else None,
        highlights=highlights(snippets, source),
    )


def nearest_office(therapist: Therapist, near: GeoFilter, unit: str) -> NearestOffice | None:
    """The therapist's office nearest to the search point, with its distance in ``unit``."""
    if not therapist.offices:
        return None
    km, best = min(
        (distance_km(near.lat, near.lon, o.location.lat, o.location.lon), o)
        for o in therapist.offices
    )
    shown = km * MI_PER_KM if unit == "mi" else km
    return NearestOffice(office=best, distance=round(shown, 2), unit=unit)
