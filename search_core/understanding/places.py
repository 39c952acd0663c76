"""Places for the understanding layer, behind a small protocol so it stays engine-neutral.

:class:`Gazetteer` is all the parser needs: ZIP codes, cities by name (most populous first), a
city in a state, states, and the words of sizeable city names for typo correction.
:class:`GeocoderGazetteer` (:func:`gazetteer_of`) serves it from the offline
:class:`~search_core.geocode.Geocoder` every engine already builds, so no second copy of the
location records is loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from search_core.errors import NotFound
from search_core.geo import distance_km
from search_core.geocode import Geocoder, Place, name_key
from search_core.understanding.place_names import Alias, alias_words, aliases
from search_core.understanding.text import fold

MIN_POPULATION_BARE_CITY = 50_000
"""A city name alone (no state) is taken as a place only for a city this large, as the
search box has done so far (:mod:`search_core.relevance.querying`)."""
SAME_PLACE_KM = 10.0
"""A city record this close to a local name of its own name is that place ("Astoria, NY" is
Astoria, Queens), not another place the name could mean."""


class Gazetteer(Protocol):
    def zip_place(self, code: str) -> Place | None: ...

    def cities_named(self, key: str) -> Sequence[Place]:
        """Cities whose :func:`~search_core.geocode.name_key` is ``key``, most populous first."""
        ...

    def city_in_state(self, key: str, state: str) -> Place | None: ...

    def state_place(self, code: str) -> Place | None: ...

    def city_words(self) -> Iterable[str]:
        """Folded words of sizeable city names, most populous city first (typo targets)."""
        ...

    def is_place_word(self, word: str) -> bool:
        """True for a word of any known city name (never typo-corrected)."""
        ...

    def aliases_named(self, key: str) -> Sequence[Alias]:
        """Boroughs, local names, counties, nicknames of this name key, heaviest first
        (:mod:`.place_names`), each with its :attr:`~.place_names.Alias.twins` among
        :meth:`cities_named`."""
        ...


class GeocoderGazetteer:
    """:class:`Gazetteer` over a built :class:`Geocoder` (indexes its cities once, ~0.1 s)."""

    def __init__(self, geocoder: Geocoder) -> None:
        self.geocoder = geocoder
        cities: list[Place] = geocoder.cities()
        self._named: dict[str, list[Place]] = defaultdict(list)
        self._in_state: dict[tuple[str, str], Place] = {}
        self._words: set[str] = set()
        big: list[str] = []
        for c in cities:  # the geocoder keeps them most populous first
            key = name_key(c.name)
            self._named[key].append(c)
            self._in_state.setdefault((key, c.state), c)
            words = fold(c.name).replace(".", " ").replace("-", " ").split()
            self._words.update(words)
            if (c.population or 0) >= MIN_POPULATION_BARE_CITY:
                big.extend(w for w in words if w not in big)
        self._big_words = big
        self._aliases = _with_twins(aliases(), self._named)

    def zip_place(self, code: str) -> Place | None:
        try:
            return self.geocoder.zip(code)
        except NotFound:
            return None

    def cities_named(self, key: str) -> Sequence[Place]:
        return self._named.get(key, ())

    def city_in_state(self, key: str, state: str) -> Place | None:
        return self._in_state.get((key, state))

    def state_place(self, code: str) -> Place | None:
        try:
            return self.geocoder.state(code)
        except NotFound:
            return None

    def city_words(self) -> Iterable[str]:
        return self._big_words

    def is_place_word(self, word: str) -> bool:
        return word in self._words or word in alias_words()

    def aliases_named(self, key: str) -> Sequence[Alias]:
        return self._aliases.get(key, ())


def _with_twins(
    named: Mapping[str, tuple[Alias, ...]], cities: Mapping[str, Sequence[Place]]
) -> dict[str, tuple[Alias, ...]]:
    """``named`` with each alias's :attr:`~.place_names.Alias.twins`: the ``cities`` of its
    name within :data:`SAME_PLACE_KM` of it (a few thousand distances, once)."""
    out = dict(named)
    for key, group in named.items():
        namesakes = cities.get(key, ())
        if namesakes:
            out[key] = tuple(replace(a, twins=_twins(a.place, namesakes)) for a in group)
    return out


def _twins(place: Place, cities: Sequence[Place]) -> frozenset[str]:
    return frozenset(
        c.slug for c in cities if distance_km(c.lat, c.lon, place.lat, place.lon) <= SAME_PLACE_KM
    )


def gazetteer_of(geocoder: Geocoder) -> Gazetteer:
    """The :class:`Gazetteer` the parser reads ``geocoder`` through (indexes its cities once)."""
    return GeocoderGazetteer(geocoder)
