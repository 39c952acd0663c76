"""search_core.geocode on a small hand-made geography (and the small fixtures, when present)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut
from geopy.location import Location as GeopyLocation

from search_core.documents import Location
from search_core.errors import BackendTimeout, BackendUnavailable, InvalidQuery, NotFound
from search_core.geo import distance_km
from search_core.geocode import (
    MAX_SUGGESTIONS,
    Geocoder,
    OnlineGeocoder,
    Place,
    _long_key,
    name_key,
    require_online,
    tokens,
)
from search_core.slugs import city_slug, slugify, state_slug
from search_core.vocabulary import US_STATES

SMALL_LOCATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "small" / "locations.jsonl.gz"


def _state(code: str, lat: float, lon: float, population: int) -> Location:
    return Location(
        id=f"state-{code.lower()}",
        kind="state",
        name=US_STATES[code],
        slug=state_slug(code),
        state=code,
        state_name=US_STATES[code],
        population=population,
        location={"lat": lat, "lon": lon},  # type: ignore[arg-type]
    )


def _city(name: str, state: str, lat: float, lon: float, population: int | None) -> Location:
    slug = city_slug(name, state)
    return Location(
        id=f"city-{slug}",
        kind="city",
        name=name,
        slug=slug,
        state=state,
        state_name=US_STATES[state],
        population=population,
        location={"lat": lat, "lon": lon},  # type: ignore[arg-type]
        parent=state_slug(state),
    )


def _zip(code: str, city: str, state: str, lat: float, lon: float, named: bool = True) -> Location:
    return Location(
        id=f"zip-{code}",
        kind="zip",
        name=code,
        slug=code,
        state=state,
        state_name=US_STATES[state],
        location={"lat": lat, "lon": lon},  # type: ignore[arg-type]
        parent=city_slug(city, state),
        zip=code,
        city=city if named else None,
    )


LOCATIONS: list[Location] = [
    _state("OR", 44.9, -122.6, 4_237_256),
    _state("ME", 44.0, -69.9, 1_362_359),
    _state("MO", 38.6, -92.2, 6_154_913),
    _city("Portland", "OR", 45.5152, -122.6784, 652_503),
    _city("Portland", "ME", 43.6591, -70.2568, 68_408),
    _city("Salem", "OR", 44.9429, -123.0351, 175_535),
    _city("Springfield", "MO", 37.2090, -93.2923, 169_176),
    _city("Springfield", "OR", 44.0462, -123.0220, 62_256),
    _city("Springfield", "IL", 39.7817, -89.6501, None),
    _city("Fairview", "TX", 33.1579, -96.6314, None),
    _city("Fairview", "OR", 45.5387, -122.4340, None),
    _city("St. Louis", "MO", 38.6270, -90.1994, 301_578),
    _city("Saint Louis", "MI", 43.4081, -84.6067, 7_482),
    _city("Saint Paul", "MN", 44.9537, -93.0900, 311_527),
    _city("Cañon City", "CO", 38.4410, -105.2424, 16_400),
    _city("Coeur d'Alene", "ID", 47.6777, -116.7805, 54_628),
    _city("Fort Worth", "TX", 32.7555, -97.3308, 918_915),
    _city("Mount Vernon", "NY", 40.9126, -73.8371, 73_893),
    _city("Mount Vernon", "WA", 48.4212, -122.3340, 35_219),
    _city("New York", "NY", 40.7128, -74.0060, 8_804_190),
    _city("Kansas City", "MO", 39.0997, -94.5786, 508_090),
    _city("Kansas City", "KS", 39.1142, -94.6275, 156_607),
    _city("Washington", "DC", 38.9072, -77.0369, 689_545),
    _city("Charleston", "SC", 32.7765, -79.9311, 150_227),
    _city("Charleston", "WV", 38.3498, -81.6326, 46_838),
    _city("Lakeview", "OR", 42.1888, -120.3458, None),
    _city("Lakeville", "MN", 44.6497, -93.2427, 69_490),
    _city("Lakeside", "CA", 32.8572, -116.9222, 21_152),
    _city("Lakewood", "CO", 39.7047, -105.0814, 155_984),
    _city("Port Arthur", "TX", 29.8850, -93.9399, 56_039),
    _zip("97214", "Portland", "OR", 45.5153, -122.6420),
    _zip("97201", "Portland", "OR", 45.5079, -122.6906),
    _zip("97202", "Portland", "OR", 45.4843, -122.6363),
    _zip("04101", "Portland", "ME", 43.6615, -70.2553),
    _zip("63101", "St. Louis", "MO", 38.6312, -90.1922),
    _zip("10001", "New York", "NY", 40.7506, -73.9972),
    _zip("81212", "Cañon City", "CO", 38.4494, -105.2253, named=False),
]


@pytest.fixture(scope="module")
def geo() -> Geocoder:
    return Geocoder.from_locations(LOCATIONS)


def _slug(place: Place) -> str:
    return place.slug


# --- normalisation -----------------------------------------------------------------------------


def test_tokens_fold_case_accents_punctuation_and_abbreviations() -> None:
    assert tokens("  Cañon City, CO. ") == ["canon", "city", "co"]
    assert tokens("Saint Mary's") == ["st", "marys"]
    assert tokens("FORT  worth") == tokens("Ft. Worth") == ["ft", "worth"]
    assert name_key("Mount Vernon") == name_key("Mt. Vernon") == "mtvernon"
    assert name_key("Coeur d'Alene") == name_key("coeur d’alene") == "coeurdalene"


# --- ZIP codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["97214", "97214-1234", " 97214 ", "972141234", "Portland, OR 97214", "portland or 97214"],
)
def test_zip_forms(geo: Geocoder, text: str) -> None:
    place = geo.resolve(text)
    assert place.kind == "zip"
    assert place.name == "97214"
    assert place.state == "OR"
    assert place.label == "97214 (Portland, OR)"
    assert (place.lat, place.lon) == (45.5153, -122.6420)


def test_zip_label_falls_back_to_the_parent_city_name(geo: Geocoder) -> None:
    assert geo.resolve("81212").label == "81212 (Cañon City, CO)"
    assert geo.resolve("04101").label == "04101 (Portland, ME)"  # leading zero kept


def test_unknown_zip(geo: Geocoder) -> None:
    with pytest.raises(NotFound) as err:
        geo.resolve("00000")
    assert str(err.value) == "unknown ZIP code 00000"
    with pytest.raises(NotFound, match="unknown ZIP code 99999"):
        geo.zip("99999-0001")


@pytest.mark.parametrize("text", ["9721", "972145", "97-214"])
def test_malformed_zip(geo: Geocoder, text: str) -> None:
    with pytest.raises(InvalidQuery, match="5 digits"):
        geo.resolve(text)


def test_unknown_zip_after_a_city_falls_back_to_the_city(geo: Geocoder) -> None:
    assert geo.resolve("Portland, OR 00000").slug == "portland-or"
    with pytest.raises(NotFound, match="no city 'Portlnd, OR 00000'; did you mean Portland, OR"):
        geo.resolve("Portlnd, OR 00000")


# --- cities ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Portland, OR", "portland-or"),
        ("Portland OR", "portland-or"),
        ("portland, or", "portland-or"),
        ("PORTLAND,OR", "portland-or"),
        ("Portland, Oregon", "portland-or"),
        ("portland oregon", "portland-or"),
        ("Portland, ME", "portland-me"),
        ("Portland Maine", "portland-me"),
        ("Portland, OR, USA", "portland-or"),
        ("Portland, Maine, United States", "portland-me"),
        ("  Portland ,  ME  ", "portland-me"),
        ("St. Louis, MO", "st-louis-mo"),
        ("Saint Louis, MO", "st-louis-mo"),
        ("saint louis missouri", "st-louis-mo"),
        ("St Louis, MI", "saint-louis-mi"),
        ("Saint Louis, Michigan", "saint-louis-mi"),
        ("St. Paul, MN", "saint-paul-mn"),
        ("Ft. Worth, TX", "fort-worth-tx"),
        ("ft worth texas", "fort-worth-tx"),
        ("Mt. Vernon, WA", "mount-vernon-wa"),
        ("Mt Vernon NY", "mount-vernon-ny"),
        ("Canon City, CO", "canon-city-co"),
        ("CAÑON CITY CO", "canon-city-co"),
        ("Coeur d'Alene, ID", "coeur-d-alene-id"),
        ("Coeur D Alene, Idaho", "coeur-d-alene-id"),
        ("coeur dalene id", "coeur-d-alene-id"),
        ("new york, ny", "new-york-ny"),
        ("New York NY", "new-york-ny"),
        ("Kansas City, Kansas", "kansas-city-ks"),
        ("Kansas City KS", "kansas-city-ks"),
        ("Washington, DC", "washington-dc"),
        ("Washington D.C.", "washington-dc"),
        ("Washington, District of Columbia", "washington-dc"),
        ("Charleston West Virginia", "charleston-wv"),
        ("Charleston, WV", "charleston-wv"),
    ],
)
def test_city_in_state_forms(geo: Geocoder, text: str, slug: str) -> None:
    place = geo.resolve(text)
    assert place.kind == "city"
    assert place.slug == slug


def test_city_place_fields(geo: Geocoder) -> None:
    place = geo.resolve("portland, oregon")
    assert place == Place(
        kind="city",
        name="Portland",
        slug="portland-or",
        state="OR",
        label="Portland, OR",
        lat=45.5152,
        lon=-122.6784,
        population=652_503,
    )
    assert geo.resolve("Canon City CO").label == "Cañon City, CO"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Portland", "portland-or"),  # 652k beats 68k
        ("portland", "portland-or"),
        ("Springfield", "springfield-mo"),  # 169k beats 62k beats unknown
        ("Fairview", "fairview-or"),  # neither known: by state, for a stable answer
        ("St Louis", "st-louis-mo"),  # 301k beats "Saint Louis", MI
        ("Saint Louis", "st-louis-mo"),
        ("Kansas City", "kansas-city-mo"),
        ("Charleston", "charleston-sc"),
        ("Mount Vernon", "mount-vernon-ny"),
        ("Lakeview", "lakeview-or"),
        ("canon city", "canon-city-co"),
    ],
)
def test_bare_city_is_the_most_populous(geo: Geocoder, text: str, slug: str) -> None:
    assert geo.resolve(text).slug == slug


def test_cities_without_population_rank_after_those_with() -> None:
    geo = Geocoder.from_locations(
        [
            _city("Salem", "MA", 42.5195, -70.8967, None),
            _city("Salem", "VA", 37.2935, -80.0548, 25_000),
            _city("Salem", "AL", 32.6, -85.2, None),
        ]
    )
    assert geo.resolve("Salem").slug == "salem-va"
    assert geo.resolve("Salem, MA").slug == "salem-ma"


# --- states ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [("Oregon", "OR"), ("OR", "OR"), ("or", "OR"), (" oregon ", "OR"), ("Maine", "ME")],
)
def test_state_alone(geo: Geocoder, text: str, code: str) -> None:
    place = geo.resolve(text)
    assert place.kind == "state"
    assert place.state == code
    assert place.label == US_STATES[code]
    assert place.slug == state_slug(code)


def test_state_code_only_when_the_text_is_exactly_a_state(geo: Geocoder) -> None:
    assert geo.resolve("Portland OR").kind == "city"
    assert geo.resolve("Washington").kind == "state"  # the state, not the DC city
    assert geo.resolve("New York").kind == "state"


def test_state_without_a_record_is_centred_on_its_cities(geo: Geocoder) -> None:
    ny = geo.resolve("New York")
    # Population-weighted: New York City (8.8M) dominates Mount Vernon (74k).
    assert distance_km(ny.lat, ny.lon, 40.7128, -74.0060) < 5
    assert ny.population is None
    assert geo.state("ny") == ny


def test_state_from_zip_codes_alone() -> None:
    geo = Geocoder.from_locations(
        [
            _zip("05401", "Burlington", "VT", 44.48, -73.22),
            _zip("05602", "Montpelier", "VT", 44.26, -72.58),
        ]
    )
    vermont = geo.resolve("Vermont")
    assert (vermont.kind, vermont.label) == ("state", "Vermont")
    assert vermont.lat == pytest.approx(44.37)
    assert vermont.lon == pytest.approx(-72.90)


def test_a_state_without_data_falls_back_to_a_city_of_that_name() -> None:
    geo = Geocoder.from_locations([_city("Washington", "DC", 38.9072, -77.0369, 689_545)])
    assert geo.resolve("Washington").slug == "washington-dc"


def test_state_with_no_locations(geo: Geocoder) -> None:
    with pytest.raises(NotFound, match="no locations known in Alaska"):
        geo.resolve("Alaska")
    with pytest.raises(NotFound, match="unknown US state 'Oregn'"):
        geo.state("Oregn")


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "x" * 101, "!!!", ", ,"])
def test_empty_or_overlong_text(geo: Geocoder, text: str) -> None:
    with pytest.raises(InvalidQuery):
        geo.resolve(text)


def test_hundred_characters_is_still_fine(geo: Geocoder) -> None:
    with pytest.raises(NotFound):
        geo.resolve("x" * 100)


def test_unknown_city_suggests_the_close_name(geo: Geocoder) -> None:
    with pytest.raises(NotFound) as err:
        geo.resolve("Portlnd, OR")
    assert str(err.value) == "no city 'Portlnd, OR'; did you mean Portland, OR?"


def test_suggestions_prefer_the_typed_state(geo: Geocoder) -> None:
    with pytest.raises(NotFound) as err:
        geo.resolve("Portlnd, ME")
    assert str(err.value) == "no city 'Portlnd, ME'; did you mean Portland, ME or Portland, OR?"
    with pytest.raises(NotFound) as err:
        geo.resolve("Portlnd Maine")
    assert str(err.value).endswith("did you mean Portland, ME or Portland, OR?")


def test_bare_typo_suggests_the_most_populous(geo: Geocoder) -> None:
    with pytest.raises(NotFound) as err:
        geo.resolve("Sprngfield")
    assert str(err.value) == "no city 'Sprngfield'; did you mean Springfield, MO?"


def test_at_most_three_suggestions(geo: Geocoder) -> None:
    with pytest.raises(NotFound) as err:
        geo.resolve("Lakevile")
    message = str(err.value)
    hint = message.split("did you mean ", 1)[1].rstrip("?")
    labels = hint.split(" or ")
    assert 2 <= len(labels) <= 3
    assert labels[0] == "Lakeville, MN"
    assert set(labels) <= {"Lakeville, MN", "Lakeview, OR", "Lakeside, CA", "Lakewood, CO"}


def test_no_suggestion_for_nonsense(geo: Geocoder) -> None:
    with pytest.raises(NotFound) as err:
        geo.resolve("Zzyzx Qwerty")
    assert str(err.value) == "no city 'Zzyzx Qwerty'"


@pytest.mark.parametrize(
    "text",
    [
        "97214",
        "Portland, OR",
        "portland",
        "Portland Maine",
        "Oregon",
        "OR",
        "Portlnd, OR",
        "Portlnd, ME",
        "Sprngfield",
        "Lakevile",
        "Zzyzx Qwerty",
        "Portland, Oregn",
        "",
        ",,",
        "x" * 100,
    ],
)
def test_resolves_says_whether_resolve_finds_a_place(geo: Geocoder, text: str) -> None:
    """The cheap probe (no suggestions looked for) agrees with :meth:`resolve` on every form,
    and asking it leaves no trace in what ``resolve`` then says."""
    try:
        geo.resolve(text)
        found = True
    except (NotFound, InvalidQuery):
        found = False
    assert geo.resolves(text) is found
    if text == "Portlnd, OR":
        with pytest.raises(NotFound, match="did you mean Portland, OR"):
            geo.resolve(text)


def test_unknown_state_after_a_comma(geo: Geocoder) -> None:
    with pytest.raises(NotFound, match="unknown US state 'Oregn' in 'Portland, Oregn'"):
        geo.resolve("Portland, Oregn")


def test_city_not_in_that_state(geo: Geocoder) -> None:
    with pytest.raises(NotFound, match="no city 'Salem, ME'; did you mean Salem, OR"):
        geo.resolve("Salem, ME")


# --- direct lookups ----------------------------------------------------------------------------


def test_zip_city_and_state_lookups(geo: Geocoder) -> None:
    assert geo.zip("63101").label == "63101 (St. Louis, MO)"
    assert geo.zip(" 63101-0001 ").name == "63101"
    assert geo.city("portland-me").label == "Portland, ME"
    assert geo.state("Missouri").population == 6_154_913
    with pytest.raises(NotFound, match="unknown city 'portland-ca'"):
        geo.city("portland-ca")
    with pytest.raises(InvalidQuery):
        geo.zip("abcde")


def test_from_dicts_equals_from_models() -> None:
    dicts = [loc.model_dump(mode="json") for loc in LOCATIONS]
    a, b = Geocoder.from_locations(dicts), Geocoder.from_locations(LOCATIONS)
    assert len(a) == len(b)
    for text in ("97214", "Portland", "Saint Louis, MI", "Oregon", "New York"):
        assert a.resolve(text) == b.resolve(text)


@pytest.mark.parametrize(
    "record",
    [
        {"kind": "city", "name": "X", "slug": "x-or", "state": "OR"},  # no location
        {**LOCATIONS[3].model_dump(mode="json"), "kind": "county"},
        {**LOCATIONS[3].model_dump(mode="json"), "state": "PR"},
        {**LOCATIONS[3].model_dump(mode="json"), "location": {"lat": "north", "lon": 0}},
    ],
)
def test_malformed_dicts_are_rejected(record: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="not a location record"):
        Geocoder.from_locations([record])


def test_from_jsonl(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "locations.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for loc in LOCATIONS:
            fh.write(loc.model_dump_json() + "\n")
    assert Geocoder.from_jsonl(path).resolve("Portland, ME 04101").name == "04101"


# --- typeahead ---------------------------------------------------------------------------------


def _labels(places: list[Place]) -> list[str]:
    return [p.label for p in places]


def test_suggest_cities_by_population(geo: Geocoder) -> None:
    assert _labels(geo.suggest("port")) == ["Portland, OR", "Portland, ME", "Port Arthur, TX"]
    assert _labels(geo.suggest("Port", limit=2)) == ["Portland, OR", "Portland, ME"]
    assert _labels(geo.suggest("portland ")) == ["Portland, OR", "Portland, ME"]
    assert _labels(geo.suggest("spring")) == [
        "Springfield, MO",
        "Springfield, OR",
        "Springfield, IL",  # unknown population last
    ]


def test_suggest_matches_either_spelling_of_saint(geo: Geocoder) -> None:
    expected = ["Saint Paul, MN", "St. Louis, MO", "Saint Louis, MI"]
    assert _labels(geo.suggest("sain")) == expected
    assert _labels(geo.suggest("st")) == expected
    assert _labels(geo.suggest("St. L")) == ["St. Louis, MO", "Saint Louis, MI"]
    assert _labels(geo.suggest("saint l")) == ["St. Louis, MO", "Saint Louis, MI"]
    assert _labels(geo.suggest("ft")) == _labels(geo.suggest("FORT")) == ["Fort Worth, TX"]


def test_suggest_folds_accents(geo: Geocoder) -> None:
    assert _labels(geo.suggest("cañ")) == _labels(geo.suggest("Canon")) == ["Cañon City, CO"]


def test_suggest_with_a_state(geo: Geocoder) -> None:
    assert _labels(geo.suggest("portland, m")) == ["Portland, ME"]
    assert _labels(geo.suggest("portland, o")) == ["Portland, OR"]
    assert _labels(geo.suggest("portland,")) == ["Portland, OR", "Portland, ME"]
    assert _labels(geo.suggest("portland or")) == ["Portland, OR"]
    assert _labels(geo.suggest("kansas city kansas")) == ["Kansas City, KS"]


def test_suggest_zips(geo: Geocoder) -> None:
    assert [p.name for p in geo.suggest("972")] == ["97201", "97202", "97214"]
    assert [p.name for p in geo.suggest("972", limit=2)] == ["97201", "97202"]
    assert [p.name for p in geo.suggest("0")] == ["04101"]
    assert [p.name for p in geo.suggest("97214-12")] == ["97214"]
    assert geo.suggest("973") == []
    assert all(p.kind == "zip" for p in geo.suggest("9"))


def test_suggest_nothing(geo: Geocoder) -> None:
    assert geo.suggest("") == []
    assert geo.suggest("   ") == []
    assert geo.suggest("zzz") == []
    assert geo.suggest("!!") == []


@pytest.mark.parametrize("limit", [0, -1, 51])
def test_suggest_limit_is_checked(geo: Geocoder, limit: int) -> None:
    with pytest.raises(InvalidQuery, match="limit"):
        geo.suggest("port", limit=limit)


def test_suggest_rejects_overlong_prefix(geo: Geocoder) -> None:
    with pytest.raises(InvalidQuery):
        geo.suggest("p" * 101)


# --- online geocoder (never touches the network) -----------------------------------------------


def test_require_online() -> None:
    require_online(True)
    with pytest.raises(InvalidQuery) as err:
        require_online(False)
    assert str(err.value) == (
        "street addresses need the online geocoder; set SEARCH_ONLINE_GEOCODER=true"
    )


def test_online_geocoder_constructs_without_the_network() -> None:
    online = OnlineGeocoder(user_agent="therapist-search-tests", timeout=3.0)
    assert online.user_agent == "therapist-search-tests"
    assert online.timeout == 3.0
    with pytest.raises(ValueError, match="user agent"):
        OnlineGeocoder(user_agent=" ")
    with pytest.raises(ValueError, match="timeout"):
        OnlineGeocoder(user_agent="x", timeout=0)


class _FakeNominatim:
    def __init__(self, answer: Any = None, error: Exception | None = None) -> None:
        self.answer, self.error = answer, error
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def geocode(self, query: str, **kwargs: Any) -> Any:
        self.calls.append((query, kwargs))
        if self.error is not None:
            raise self.error
        return self.answer


def _online(fake: _FakeNominatim) -> OnlineGeocoder:
    online = OnlineGeocoder(user_agent="therapist-search-tests")
    online._client = fake
    return online


def test_online_resolve_maps_the_answer() -> None:
    display = "1234, Southeast Belmont Street, Portland, Multnomah County, Oregon, 97214, USA"
    raw = {"display_name": display, "address": {"state": "Oregon", "ISO3166-2-lvl4": "US-OR"}}
    fake = _FakeNominatim(GeopyLocation(display, (45.5165, -122.6553), raw))
    place = _online(fake).resolve(" 1234 SE Belmont St, Portland ")
    assert place.kind == "address"
    assert place.state == "OR"
    assert (place.lat, place.lon) == (45.5165, -122.6553)
    assert place.label == display
    assert place.slug == slugify(display)
    assert fake.calls[0][0] == "1234 SE Belmont St, Portland"
    assert fake.calls[0][1]["country_codes"] == "us"


def test_online_resolve_errors() -> None:
    with pytest.raises(NotFound, match="no address"):
        _online(_FakeNominatim(None)).resolve("1 Nowhere Lane")
    raw = {"display_name": "San Juan, Puerto Rico", "address": {"ISO3166-2-lvl4": "US-PR"}}
    with pytest.raises(NotFound, match="50 states"):
        _online(_FakeNominatim(GeopyLocation("x", (18.4, -66.1), raw))).resolve("San Juan PR")
    with pytest.raises(BackendTimeout):
        _online(_FakeNominatim(error=GeocoderTimedOut("slow"))).resolve("1 Main St")
    with pytest.raises(BackendUnavailable):
        _online(_FakeNominatim(error=GeocoderServiceError("down"))).resolve("1 Main St")
    with pytest.raises(InvalidQuery):
        _online(_FakeNominatim(None)).resolve("")


# --- the generated small fixture set -----------------------------------------------------------


@pytest.mark.skipif(not SMALL_LOCATIONS.is_file(), reason=f"{SMALL_LOCATIONS} not generated")
def test_small_fixture_locations() -> None:
    geo = Geocoder.from_jsonl(SMALL_LOCATIONS)
    zip_place = geo.resolve("97214")
    assert zip_place.label == "97214 (Portland, OR)"
    portland = geo.resolve("Portland, OR")
    assert portland.slug == "portland-or"
    assert distance_km(portland.lat, portland.lon, 45.5, -122.6) < 15
    assert distance_km(zip_place.lat, zip_place.lon, portland.lat, portland.lon) < 15
    assert geo.resolve("new york, ny").slug == "new-york-ny"
    assert geo.resolve("Portland").slug == "portland-or"


def test_short_prefixes_suggest_what_a_scan_of_every_city_finds() -> None:
    """One- and two-character prefixes are answered from a table made when the geocoder is
    built; it must hold the same cities, in the same order, as scanning every city's keys."""
    rng = random.Random(5)
    letters = "abcdefgh"
    locations = [_state(code, 40.0, -100.0, 1_000_000) for code in ("OR", "WA", "CA", "NY")]
    for i in range(400):
        name = " ".join(
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 7)))
            for _ in range(rng.randint(1, 2))
        )
        population = rng.choice([None, rng.randint(100, 900_000)])
        state = rng.choice(["OR", "WA", "CA", "NY"])
        locations.append(_city(f"{name} {i}", state, 40.0, -100.0, population))
    geo = Geocoder.from_locations(locations)
    for key in [*letters, *(a + b for a in letters for b in letters)]:
        scanned = sorted(
            {
                rank
                for rank, city in enumerate(geo._cities)
                for words in [tokens(city.name)]
                if any(k.startswith(key) for k in (_long_key(words), "".join(words)))
            }
        )[:MAX_SUGGESTIONS]
        assert [c.slug for c in geo.suggest(key, MAX_SUGGESTIONS)] == [
            geo._cities[r].slug for r in scanned
        ], key
