"""The understander of a geocoder, built on first use and kept; :func:`understand`, the one
call that reads a text with it.

Building one is the slow part of reading (about 0.2 s, once per geocoder): the gazetteer
indexes the geocoder's cities, then the typo index stores the deletions of every word a typo
may be meant for (the vocabulary's, the states' and sizeable cities'). What it builds is handed
to :class:`~.understand.Understander`, which reads texts with it.
"""

from __future__ import annotations

import threading

from search_core.geocode import Geocoder
from search_core.queries import GeoFilter, TherapistFilters
from search_core.understanding.english import english_words
from search_core.understanding.fuzzy import FuzzyIndex
from search_core.understanding.lexicon import lexicon
from search_core.understanding.model import Understanding
from search_core.understanding.places import gazetteer_of
from search_core.understanding.understand import STATE_WORDS, Understander

__all__ = ["understand", "understander_for"]

_CACHE: dict[int, tuple[Geocoder, Understander]] = {}
_CACHED = 4
"""Understanders kept (one per live geocoder; a process normally has one)."""
_BUILDING = threading.Lock()
"""Searches read their text in worker threads: one of them builds a missing understander."""


def understand(
    text: str,
    *,
    geocoder: Geocoder | Understander,
    explicit_filters: TherapistFilters | None = None,
    caller_location: tuple[float, float] | None = None,
    explicit_near: GeoFilter | None = None,
) -> Understanding:
    """Understand a search-box text. ``geocoder`` is the offline Geocoder (its understander is
    built once and cached) or a ready :class:`Understander`."""
    u = geocoder if isinstance(geocoder, Understander) else understander_for(geocoder)
    return u.understand(
        text,
        explicit_filters=explicit_filters,
        caller_location=caller_location,
        explicit_near=explicit_near,
    )


def understander_for(geocoder: Geocoder) -> Understander:
    """The :class:`Understander` of this geocoder, built on first use and kept."""
    hit = _CACHE.get(id(geocoder))
    if hit is not None and hit[0] is geocoder:
        return hit[1]
    with _BUILDING:
        hit = _CACHE.get(id(geocoder))
        if hit is None or hit[0] is not geocoder:
            hit = (geocoder, _built(geocoder))
            while len(_CACHE) >= _CACHED:
                del _CACHE[next(iter(_CACHE))]
            _CACHE[id(geocoder)] = hit
    return hit[1]


def _built(geocoder: Geocoder) -> Understander:
    """A new understander of ``geocoder``: its gazetteer, then the typo index over the words a
    typo may be meant for."""
    gazetteer = gazetteer_of(geocoder)
    lex = lexicon()
    fuzzy = FuzzyIndex([*sorted(lex.words), *STATE_WORDS, *gazetteer.city_words()])
    return Understander(gazetteer, lex, fuzzy, english_words())
