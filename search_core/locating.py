"""Where a request searches around: one rule for every route, the relevance lab and explain.

A request may name a place by coordinates (``lat``/``lon``), a ZIP code, a city ("Portland,
OR"), or any of those typed in one box (``near``), with a radius in miles or kilometres; or it
may end its search text with one ("anxiety therapist near 97214"). :func:`locate` turns that
into a typed :class:`~search_core.queries.GeoFilter` (its ``label`` the resolved place) and the
words left to search for, in a :class:`Located`:

    place = PlaceRequest(zip="97214", radius=5)
    geocoder = load() if needs_geocoder(place, text) else None
    located = locate(place, text, geocoder)

The geocoder is asked for only when the request needs one (:func:`needs_geocoder`;
:meth:`PlaceRequest.needs_geocoder` for the place fields alone), because loading it is the
slowest step of a first request; every check that needs no geocoder runs first, so a bad
request is refused without loading it. The search box locates its place fields with
:func:`locate_fields`, which leaves the event loop when locating may be slow.

The geocoder itself is built from the locations index by :func:`load_geocoder`.

Two default radii, on purpose: a search around a place uses :data:`DEFAULT_SEARCH_RADIUS_MI`
(25 mi: a search point is wherever someone is, and a wider net finds enough therapists in
rural areas); a city page uses :data:`DEFAULT_CITY_RADIUS_MI` (10 mi, then widened to the
city's reach by :func:`search_core.browsing.city_radius_km`, at most :data:`MAX_CITY_RADIUS_MI`),
because a city page lists the city's own therapists first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import anyio.to_thread

from search_core.backend import SearchBackend
from search_core.errors import InvalidQuery, NotFound
from search_core.filters import FILTER_VOCABULARIES
from search_core.geocode import Geocoder, Place
from search_core.queries import DEFAULT_RADIUS_MI, MAX_RADIUS_KM, GeoFilter, Unit
from search_core.text_query import GENERIC_WORDS, place_candidates, words
from search_core.units import from_km, to_km

DEFAULT_SEARCH_RADIUS_MI = DEFAULT_RADIUS_MI
"""A search's radius when the request gives none (:data:`search_core.queries.DEFAULT_RADIUS_MI`)."""
MAX_SEARCH_RADIUS_KM = MAX_RADIUS_KM
DEFAULT_CITY_RADIUS_MI = 10.0
"""A city page's radius before it is widened to the city's reach."""
MAX_CITY_RADIUS_MI = 100.0
"""The widest a city page's radius is, given or widened."""
RADIUS_TOLERANCE_KM = 1e-9
"""A radius this little over a maximum (a unit conversion's rounding) is not refused."""
MIN_POPULATION_BARE_CITY = 50_000
"""A bare city name ends a search text only for a city this large ("couples counseling in
spanish" stays a language search)."""


# ---------------------------------------------------------------------------- radius


def default_radius_km() -> float:
    """A search's default radius, in km."""
    return to_km(DEFAULT_SEARCH_RADIUS_MI, "mi")


def default_radius(unit: Unit) -> float:
    """A search's default radius in ``unit`` (25 in miles, its km equivalent in km)."""
    return DEFAULT_SEARCH_RADIUS_MI if unit == "mi" else default_radius_km()


def radius_km(radius: float, unit: Unit, max_km: float = MAX_SEARCH_RADIUS_KM) -> float:
    """``radius`` in ``unit`` as km; InvalidQuery when it is over ``max_km``."""
    km = to_km(radius, unit)
    if km > max_km + RADIUS_TOLERANCE_KM:
        limit = from_km(max_km, unit)
        raise InvalidQuery(f"radius {radius:g} {unit} is over the maximum of {limit:.0f} {unit}")
    return km


def city_page_radius_km(radius: float | None, unit: Unit) -> float | None:
    """A city page's radius as km: None (the page's own default) when not given."""
    if radius is None:
        return None
    return radius_km(radius, unit, to_km(MAX_CITY_RADIUS_MI, "mi"))


# ---------------------------------------------------------------------------- the request


@dataclass(frozen=True)
class PlaceRequest:
    """The place fields of a request, as given (at most one of lat/lon, zip, city, near)."""

    lat: float | None = None
    lon: float | None = None
    zip: str | None = None
    city: str | None = None
    near: str | None = None
    radius: float | None = None
    unit: Unit = "mi"

    @property
    def given(self) -> bool:
        return any(v is not None for v in (self.lat, self.lon, self.zip, self.city, self.near))

    @property
    def coordinates(self) -> bool:
        return self.lat is not None or self.lon is not None

    def radius_km(self) -> float:
        """The radius asked for (the search default when none), checked against the maximum."""
        radius = self.radius if self.radius is not None else default_radius(self.unit)
        return radius_km(radius, self.unit)

    def needs_geocoder(self) -> bool:
        """Does locating these fields need the geocoder (a ZIP code, city or ``near``)? Checks
        them first (:meth:`check`), so a bad request is refused before it is loaded."""
        self.check()
        return self.given and not self.coordinates

    def check(self) -> None:
        """Refuse what needs no geocoder to refuse: a radius without a place, two places, a
        radius over the maximum, lat without lon."""
        if not self.given:
            if self.radius is not None:
                raise InvalidQuery("radius needs a location: lat and lon, zip, city or near")
            return
        chosen = [
            n
            for n, v in (
                ("lat/lon", self.lat if self.lat is not None else self.lon),
                ("zip", self.zip),
                ("city", self.city),
                ("near", self.near),
            )
            if v is not None
        ]
        if len(chosen) > 1:
            raise InvalidQuery(f"give one location, not {' and '.join(chosen)}")
        self.radius_km()
        if self.coordinates and (self.lat is None or self.lon is None):
            raise InvalidQuery("give both lat and lon")


@dataclass(frozen=True)
class Located:
    """What a request searches around (None: anywhere), the words left, and whether the place
    was read from the text."""

    near: GeoFilter | None
    text: str | None
    from_text: bool = False
    state: str | None = None
    """The state of the place named (a ZIP's, a city's); None for coordinates or no place."""
    alternatives: tuple[str, ...] = ()
    """Labels of the other cities a bare city name could mean (see ``Geocoder.namesakes``)."""


def needs_geocoder(place: PlaceRequest, text: str | None, read_text: bool = True) -> bool:
    """Does locating this request need the geocoder? Checks the request first (so a bad one
    is refused before the geocoder is loaded)."""
    if place.needs_geocoder():
        return True
    return not place.given and read_text and bool(text) and bool(place_candidates(text))


def locate(
    place: PlaceRequest, text: str | None, geocoder: Geocoder | None, read_text: bool = True
) -> Located:
    """The area and words of a request: the place fields when given, else (``read_text``) a
    place at the end of ``text``, searched with the default radius. ``geocoder`` may be None
    when :func:`needs_geocoder` says so."""
    place.check()
    if place.given:
        km = place.radius_km()
        if place.lat is not None and place.lon is not None:
            return Located(GeoFilter(lat=place.lat, lon=place.lon, radius_km=km), text)
        if geocoder is None:
            raise InvalidQuery("a zip, city or near location needs the geocoder")
        field = "zip" if place.zip is not None else "city" if place.city is not None else "near"
        named = place.zip if place.zip is not None else place.city or place.near or ""
        try:
            found = geocoder.zip(named.strip()) if field == "zip" else geocoder.resolve(named)
        except (NotFound, InvalidQuery) as exc:
            exc.field = field  # the parameter it is about, for the error body
            raise
        others = tuple(p.label for p in geocoder.namesakes(named)) if field != "zip" else ()
        return Located(around(found, km), text, state=found.state or None, alternatives=others)
    if read_text and text and geocoder is not None:
        rest, found_in_text = split_place(text, geocoder)
        if found_in_text is not None:
            km = min(place.radius_km(), MAX_SEARCH_RADIUS_KM)
            return Located(
                around(found_in_text, km), rest, from_text=True, state=found_in_text.state or None
            )
    return Located(None, text)


async def locate_fields(
    place: PlaceRequest, text: str | None, geocoder: Geocoder | None
) -> Located:
    """:func:`locate` of the place fields alone (``text`` is kept as the words), in a worker
    thread when that may be slow (:func:`quick_to_locate`), so the event loop goes on
    answering other requests meanwhile."""
    if quick_to_locate(place, geocoder):
        return locate(place, text, geocoder, read_text=False)
    return await anyio.to_thread.run_sync(locate, place, text, geocoder, False)


def quick_to_locate(place: PlaceRequest, geocoder: Geocoder | None) -> bool:
    """Whether locating the place fields is quick: not when they name a city or ``near`` the
    geocoder does not know, whose suggestions compare the name with every city name (about
    25 ms)."""
    named = place.city if place.city is not None else place.near
    if geocoder is None or named is None or place.coordinates or place.zip is not None:
        return True
    return geocoder.resolves(named)


def around(found: Place, km: float) -> GeoFilter:
    return GeoFilter(lat=found.lat, lon=found.lon, radius_km=km, label=found.label)


# ---------------------------------------------------------------------------- the search box


@cache
def vocabulary_words() -> frozenset[str]:
    """Every word of a filter term's label or synonym (a bare city made of these stays text)."""
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


async def load_geocoder(backend: SearchBackend) -> Geocoder:
    """The offline geocoder over the serving locations index, built from the stored records
    without a second validation (on the embedded engine, read as they are used, without
    holding them all at once). Built in a worker thread outside the engine's slots: after a
    new locations version this runs while the server answers, and searches would wait."""
    records = await backend.location_records()
    return await anyio.to_thread.run_sync(Geocoder.from_locations, records)
