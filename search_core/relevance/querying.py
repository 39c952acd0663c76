"""A judged query → the typed request an engine takes, the way the API builds it.

:func:`split_place` is a pure version of the API's search-box rule ("anxiety therapist near
97214" → words + a place); the route can call it with its geocoder instead of keeping a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from search_core.errors import InvalidQuery, NotFound
from search_core.geo import KM_PER_MILE
from search_core.geocode import Geocoder, Place
from search_core.queries import (
    DEFAULT_RADIUS_MI,
    MAX_RADIUS_KM,
    ArticleQuery,
    GeoFilter,
    TherapistFilters,
    TherapistQuery,
)
from search_core.relevance.judgments import Location, QuerySpec
from search_core.text_query import GENERIC_WORDS, place_candidates, words
from search_core.vocabulary import FILTER_VOCABULARIES

MIN_POPULATION_BARE_CITY = 50_000
"""A bare city name ends a search text only for a city this large ("couples counseling in
spanish" stays a language search)."""


@cache
def vocabulary_words() -> frozenset[str]:
    out: set[str] = set()
    for vocab in FILTER_VOCABULARIES.values():
        for term in vocab:
            for phrase in (term.label, *term.synonyms):
                out.update(words(phrase))
    return frozenset(out)


def split_place(text: str | None, geocoder: Geocoder) -> tuple[str | None, Place | None]:
    """Split "anxiety therapist near 97214" into the search words and a place, when the end of
    the text is a ZIP code or a city (a bare city name only if it is a sizeable one whose
    words are not vocabulary words)."""
    candidates = place_candidates(text)
    if not candidates:
        return text, None
    for cand in candidates:
        tail = words(cand.place)
        if not tail or any(w in GENERIC_WORDS for w in tail):
            continue
        try:
            found = geocoder.resolve(cand.place)
        except (NotFound, InvalidQuery):
            continue
        if found.kind == "zip":
            return cand.rest or None, found
        if found.kind == "state":  # "new york", "washington": the big city of that name
            try:
                found = geocoder.resolve(f"{cand.place}, {found.state}")
            except (NotFound, InvalidQuery):
                continue
        if found.kind != "city":
            continue
        qualified = len(tail) > 1 and found.state.lower() == tail[-1]
        sizeable = (found.population or 0) >= MIN_POPULATION_BARE_CITY
        if qualified or "," in cand.place or (sizeable and not set(tail) & vocabulary_words()):
            return cand.rest or None, found
    return text, None


def default_radius_km() -> float:
    return DEFAULT_RADIUS_MI * KM_PER_MILE


def radius_km(loc: Location) -> float:
    if loc.radius is None:
        return default_radius_km()
    km = loc.radius * KM_PER_MILE if loc.unit == "mi" else loc.radius
    if km > MAX_RADIUS_KM + 1e-9:
        raise InvalidQuery(f"radius {loc.radius:g} {loc.unit} is over the maximum")
    return km


def resolve_location(loc: Location, geocoder: Geocoder) -> GeoFilter:
    km = radius_km(loc)
    if loc.lat is not None and loc.lon is not None:
        return GeoFilter(lat=loc.lat, lon=loc.lon, radius_km=km)
    place = geocoder.zip(loc.zip) if loc.zip is not None else geocoder.resolve(loc.city or "")
    return GeoFilter(lat=place.lat, lon=place.lon, radius_km=km, label=place.label)


@dataclass(frozen=True)
class Resolved:
    """What a query searches for once its place is read: the words and the area."""

    spec: QuerySpec
    text: str | None
    near: GeoFilter | None

    def therapist_query(self, offset: int = 0, size: int = 10) -> TherapistQuery:
        return TherapistQuery(
            text=self.text,
            filters=TherapistFilters.model_validate(self.spec.filters),
            near=self.near,
            offset=offset,
            size=size,
            facets=False,
            highlight=False,
        )

    def article_query(self, offset: int = 0, size: int = 10) -> ArticleQuery:
        return ArticleQuery.model_validate(
            {
                "text": self.text,
                **self.spec.filters,
                "offset": offset,
                "size": size,
                "highlight": False,
            }
        )


def resolve(spec: QuerySpec, geocoder: Geocoder | None) -> Resolved:
    """Read the place of a therapist query (explicit ``location``, else the end of the text
    when ``place_in_text``)."""
    text: str | None = spec.query.strip() or None
    if spec.target != "therapists":
        return Resolved(spec, text, None)
    if spec.location is not None:
        if geocoder is None and spec.location.lat is None:
            raise InvalidQuery(f"{spec.qid}: a zip or city location needs the geocoder")
        return Resolved(spec, text, resolve_location(spec.location, geocoder))  # type: ignore[arg-type]
    if spec.place_in_text and text and geocoder is not None:
        rest, place = split_place(text, geocoder)
        if place is not None:
            near = GeoFilter(
                lat=place.lat, lon=place.lon, radius_km=default_radius_km(), label=place.label
            )
            return Resolved(spec, rest, near)
    return Resolved(spec, text, None)
