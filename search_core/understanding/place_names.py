"""The names people use for places that are not city names: boroughs and local names of ZIP
codes ("Manhattan", "Queens"), neighbourhoods ("Bushwick", "Capitol Hill", "Back Bay"),
counties ("Orange County", "Kings County") and nicknames of big cities ("nyc", "philly", "the
bay area").

Read from ``place_names.tsv.gz`` beside this module, built offline by ``python -m
fixtures.place_names`` from the ``zipcodes`` package, the committed locations and the
neighbourhood list ``fixtures/neighbourhoods.tsv`` (see that module), so the runtime needs
neither package. Loaded once, on first use (well under 0.1 s).
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from search_core.geocode import Place

DATA = Path(__file__).with_name("place_names.tsv.gz")
LOCAL_SLUG = "local:"
"""The slug prefix of these places: not a city record, so a chip sets ``lat``/``lon``, not
``city`` (the geocoder knows no "Queens, NY")."""
NEIGHBOURHOOD_RADIUS_MI = 5.0
"""A neighbourhood is searched around its own centre within this radius (a city within the
default 25 mi); the relaxation widens it like any radius when it has no hits."""
BARE_ALIAS_WEIGHT = 1_000_000
"""A local name alone (no state, no "in"/"near") is a place only inside a city this large
(a borough or neighbourhood of one of the biggest cities), and only with two ZIPs or more:
a one-ZIP local name is more often a company or a street than what a person means."""


@dataclass(frozen=True, slots=True)
class Alias:
    place: Place
    weight: int
    zips: int
    kind: str = "local"
    """``local`` (a ZIP's local name), ``county``, ``nickname``, ``neighbourhood`` or
    ``neighbourhood-marked`` (also a given name: a place only after "in"/"near" or a state)."""
    within: frozenset[str] = frozenset()
    """A neighbourhood's city and borough keys: typed after it, they say which one is meant
    ("capitol hill denver")."""
    words: tuple[str, ...] = ()
    """A neighbourhood's words as the search box folds them ("hell", "kitchen")."""
    twins: frozenset[str] = frozenset()
    """The slugs of the city records of its name that are this very place (a city record at a
    neighbourhood: "Astoria, NY" is Astoria, Queens), as the gazetteer that serves it finds
    them among its cities (:class:`~search_core.understanding.places.GeocoderGazetteer`)."""

    @property
    def nickname(self) -> bool:
        return self.kind == "nickname"

    @property
    def county(self) -> bool:
        return self.kind == "county"

    @property
    def neighbourhood(self) -> bool:
        return self.kind.startswith("neighbourhood")

    @property
    def radius_mi(self) -> float | None:
        """The radius to search around it, when not the default one."""
        return NEIGHBOURHOOD_RADIUS_MI if self.neighbourhood else None

    def bare_ok(self) -> bool:
        """Whether the name alone (no state, no place word before it) is this place."""
        if self.kind in ("nickname", "county", "neighbourhood"):
            return True
        if self.kind == "neighbourhood-marked":
            return False
        return self.zips >= 2 and self.weight >= BARE_ALIAS_WEIGHT


@cache
def aliases() -> dict[str, tuple[Alias, ...]]:
    """Name key → its places, best first (:func:`_rank`)."""
    out: dict[str, list[Alias]] = defaultdict(list)
    if not DATA.is_file():
        return {}
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            key, label, state, lat, lon, weight, zips, kind, within, words = cells
            name = label.split(", ", 1)[0]
            slug = f"{LOCAL_SLUG}{key}-{state.lower()}"
            place = Place("city", name, slug, state, label, float(lat), float(lon), int(weight))
            keys = frozenset(within.split(",")) if within else frozenset()
            spelt = tuple(words.split()) if words else ()
            out[key].append(Alias(place, int(weight), int(zips), kind, keys, spelt))
    return {k: tuple(sorted(v, key=_rank)) for k, v in out.items()}


def _rank(a: Alias) -> tuple[bool, int]:
    """Nicknames and neighbourhoods (written for people) before a ZIP's local names of the same
    name ("druid hills" is Atlanta's, not a Louisville ZIP's), then the heaviest."""
    return (not (a.nickname or a.neighbourhood), -a.weight)


@cache
def alias_words() -> frozenset[str]:
    """The folded words of the names that may stand alone (never typo-corrected; the others
    include postal abbreviations such as "Portlnd", which are typos to correct)."""
    return frozenset(
        w
        for group in aliases().values()
        for a in group
        if a.bare_ok()
        for w in a.words or a.place.name.lower().replace(".", " ").replace("-", " ").split()
    )
