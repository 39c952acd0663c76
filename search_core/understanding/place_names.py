"""The names people use for places that are not city names: boroughs, neighbourhoods and local
names of ZIP codes ("Manhattan", "Hollywood", "Queens"), counties ("Orange County", "Kings
County") and nicknames of big cities ("nyc", "philly", "the bay area").

Read from ``place_names.tsv.gz`` beside this module, built offline by ``python -m
fixtures.place_names`` from the ``zipcodes`` package and the committed locations (see that
module), so the runtime needs neither package. Loaded once, on first use (about 10 ms).
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
NICKNAME_WEIGHT = 10**9
BARE_ALIAS_WEIGHT = 1_000_000
"""A local name alone (no state, no "in"/"near") is a place only inside a city this large
(a borough or neighbourhood of one of the biggest cities), and only with two ZIPs or more:
a one-ZIP local name is more often a company or a street than what a person means."""


@dataclass(frozen=True, slots=True)
class Alias:
    place: Place
    weight: int
    zips: int

    @property
    def nickname(self) -> bool:
        return self.weight >= NICKNAME_WEIGHT

    @property
    def county(self) -> bool:
        return self.place.name.endswith(" County")

    def bare_ok(self) -> bool:
        """Whether the name alone (no state, no place word before it) is this place."""
        if self.nickname or self.county:
            return True
        return self.zips >= 2 and self.weight >= BARE_ALIAS_WEIGHT


@cache
def aliases() -> dict[str, tuple[Alias, ...]]:
    """Name key → its places, heaviest first."""
    out: dict[str, list[Alias]] = defaultdict(list)
    if not DATA.is_file():
        return {}
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            key, label, state, lat, lon, weight, zips = line.rstrip("\n").split("\t")
            name = label.rsplit(", ", 1)[0]
            slug = f"{LOCAL_SLUG}{key}-{state.lower()}"
            place = Place("city", name, slug, state, label, float(lat), float(lon), int(weight))
            out[key].append(Alias(place, int(weight), int(zips)))
    return {k: tuple(sorted(v, key=lambda a: -a.weight)) for k, v in out.items()}


@cache
def alias_words() -> frozenset[str]:
    """The folded words of the names that may stand alone (never typo-corrected; the others
    include postal abbreviations such as "Portlnd", which are typos to correct)."""
    return frozenset(
        w
        for group in aliases().values()
        for a in group
        if a.bare_ok()
        for w in a.place.name.lower().replace(".", " ").replace("-", " ").split()
    )
