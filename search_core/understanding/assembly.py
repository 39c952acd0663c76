"""The pieces read from a search text → its :class:`~.model.Understanding`.

:mod:`.understand` reads the text left to right into pieces, a place and a radius;
:func:`assemble` makes the answer of them once the pass is over: the leftover words split into
searched and ranking-only ones, the couples story and the conjunctions of several issues
applied, the filters merged with the caller's (which win), the area set (the caller's
location, else the place read, within the radius read), and the corrections noted.
"""

from __future__ import annotations

from search_core.queries import DEFAULT_RADIUS_MI, MAX_RADIUS_KM, GeoFilter, TherapistFilters
from search_core.understanding.crisis import CrisisReading
from search_core.understanding.merge import merge_filters
from search_core.understanding.model import Correction, FoundPlace, Piece, Understanding
from search_core.understanding.pieces import corrected_text
from search_core.understanding.text import Token
from search_core.understanding.whom import couples_story, split_leftover, with_conjunction
from search_core.units import KM_PER_MILE

__all__ = ["assemble"]


def assemble(
    text: str,
    pieces: list[Piece],
    notes: list[str],
    left: list[str],
    found: FoundPlace | None,
    radius: tuple[float, str] | None,
    fixed: dict[int, Correction],
    tokens: list[Token],
    explicit_filters: TherapistFilters | None,
    explicit_near: GeoFilter | None,
    crisis: CrisisReading,
) -> Understanding:
    """The :class:`Understanding` of ``text`` from what the pass read (see the module
    docstring)."""
    explicit = explicit_filters or TherapistFilters()
    signal = crisis.signal()
    if signal is not None and left:
        notes.append(f"Not searched as words, so that no name matches them: {' '.join(left)}")
        left = []
    left, ranked = split_leftover(left)
    if ranked and not left and found is None and not any(p.hard for p in pieces):
        left, ranked = ranked, []  # nothing else asked: the words are the request
    pieces, more = couples_story(pieces)
    notes.extend(more)
    pieces = with_conjunction(pieces, tokens)
    filters, more = merge_filters(pieces, found, explicit)
    notes.extend(more)
    near = explicit_near
    if explicit_near is not None and found is not None:
        notes.append(f"{found.text}: the location you chose is searched instead")
    elif found is not None and found.kind != "state" and found.lat is not None:
        km = (found.radius_mi or DEFAULT_RADIUS_MI) * KM_PER_MILE
        if radius is not None:
            km = min(radius[0] * (KM_PER_MILE if radius[1] == "mi" else 1.0), MAX_RADIUS_KM)
        assert found.lon is not None
        near = GeoFilter(lat=found.lat, lon=found.lon, radius_km=km, label=found.label)
    corrected = corrected_text(text, tokens, fixed)
    if corrected is not None:
        notes.insert(0, f'Showing results for "{corrected}"; search instead for "{text}"')
    boosts = [
        p.label for p in pieces if p.hard and p.kind in ("issue", "therapy_type", "population")
    ]
    return Understanding(
        original=text,
        pieces=pieces,
        filters=filters,
        explicit=explicit,
        place=found,
        near=near,
        text=" ".join(left) or None,
        rank_text=" ".join(ranked) or None,
        boost_phrases=list(dict.fromkeys(boosts)),
        corrections=list(fixed.values()),
        corrected_query=corrected,
        notes=notes,
        crisis=signal,
    )
