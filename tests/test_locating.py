"""search_core.locating: the one rule that turns a request's place fields and search text into
an area and the words left, on the geocoder built from the committed small fixtures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio.to_thread
import pytest

from search_core.errors import InvalidQuery, NotFound
from search_core.geo import distance_km
from search_core.geocode import Geocoder
from search_core.locating import (
    DEFAULT_CITY_RADIUS_MI,
    DEFAULT_SEARCH_RADIUS_MI,
    MAX_CITY_RADIUS_MI,
    MAX_SEARCH_RADIUS_KM,
    PlaceRequest,
    city_page_radius_km,
    locate,
    needs_geocoder,
    quick_to_locate,
)
from search_core.search_answer import location
from search_core.search_reading import QUICK_TEXT_CHARS, Asked, read_search
from search_core.search_request import TherapistSearch
from search_core.units import KM_PER_MILE
from tests.conftest import SMALL


@pytest.fixture(scope="module")
def geo() -> Geocoder:
    return Geocoder.from_jsonl(SMALL / "locations.jsonl.gz")


def test_coordinates_need_no_geocoder_and_keep_the_text() -> None:
    place = PlaceRequest(lat=45.5, lon=-122.6, radius=5)
    assert not needs_geocoder(place, "anxiety near 97214")
    got = locate(place, "anxiety near 97214", None)
    assert got.near is not None and got.near.label is None
    assert (got.near.lat, got.near.lon) == (45.5, -122.6)
    assert got.near.radius_km == pytest.approx(5 * KM_PER_MILE)
    assert (got.text, got.from_text) == ("anxiety near 97214", False)


def test_zip_city_and_near_resolve_to_the_same_kind_of_area(geo: Geocoder) -> None:
    by_zip = locate(PlaceRequest(zip=" 97214 "), None, geo).near
    by_city = locate(PlaceRequest(city="Portland, OR", unit="km", radius=30), None, geo).near
    by_box = locate(PlaceRequest(near="97214"), None, geo).near
    assert by_zip is not None and by_city is not None and by_box is not None
    assert by_zip.label == by_box.label == "97214 (Portland, OR)"
    assert by_city.label == "Portland, OR"
    assert by_zip.radius_km == pytest.approx(DEFAULT_SEARCH_RADIUS_MI * KM_PER_MILE)
    assert by_city.radius_km == 30
    assert distance_km(by_zip.lat, by_zip.lon, by_city.lat, by_city.lon) < 15


def test_a_place_at_the_end_of_the_text_is_read_with_the_default_radius(geo: Geocoder) -> None:
    place = PlaceRequest(unit="km")
    assert needs_geocoder(place, "emdr near 97214")
    got = locate(place, "emdr near 97214", geo)
    assert got.near is not None and got.near.label == "97214 (Portland, OR)"
    assert (got.text, got.from_text) == ("emdr", True)
    assert got.near.radius_km == pytest.approx(DEFAULT_SEARCH_RADIUS_MI * KM_PER_MILE)
    shown = location(got.near, "km", got.from_text, got.alternatives)
    assert shown is not None and shown.from_text and shown.unit == "km"
    assert shown.radius == round(DEFAULT_SEARCH_RADIUS_MI * KM_PER_MILE, 3)


def test_no_text_or_no_reading_needs_no_geocoder(geo: Geocoder) -> None:
    assert not needs_geocoder(PlaceRequest(), None)
    assert not needs_geocoder(PlaceRequest(), "")
    plain = locate(PlaceRequest(), "chronic pain", geo)
    assert (plain.near, plain.text, plain.from_text) == (None, "chronic pain", False)
    assert not needs_geocoder(PlaceRequest(), "emdr near 97214", read_text=False)
    kept = locate(PlaceRequest(), "emdr near 97214", geo, read_text=False)
    assert (kept.near, kept.text) == (None, "emdr near 97214")
    assert location(kept.near, "mi", kept.from_text, kept.alternatives) is None


@pytest.mark.parametrize(
    ("place", "message"),
    [
        (PlaceRequest(radius=5), "radius needs a location"),
        (PlaceRequest(zip="97214", city="Portland, OR"), "give one location, not zip and city"),
        (PlaceRequest(lat=45.5, near="97214"), "not lat/lon and near"),
        (PlaceRequest(lat=45.5), "give both lat and lon"),
        (PlaceRequest(zip="97214", radius=1000), "over the maximum of 311 mi"),
        (PlaceRequest(zip="97214", radius=501, unit="km"), "over the maximum of 500 km"),
    ],
)
def test_bad_places_are_refused_before_the_geocoder_is_needed(
    place: PlaceRequest, message: str
) -> None:
    with pytest.raises(InvalidQuery, match=message):
        needs_geocoder(place, None)
    with pytest.raises(InvalidQuery, match=message):
        locate(place, None, None)


def test_an_unknown_zip_is_not_found(geo: Geocoder) -> None:
    with pytest.raises(NotFound):
        locate(PlaceRequest(zip="00000"), None, geo)


def test_the_maximum_radius_is_accepted() -> None:
    got = locate(PlaceRequest(lat=1, lon=2, radius=MAX_SEARCH_RADIUS_KM, unit="km"), None, None)
    assert got.near is not None and got.near.radius_km == MAX_SEARCH_RADIUS_KM


def test_city_page_radius_has_its_own_maximum() -> None:
    assert DEFAULT_CITY_RADIUS_MI < DEFAULT_SEARCH_RADIUS_MI
    assert city_page_radius_km(None, "mi") is None
    assert city_page_radius_km(MAX_CITY_RADIUS_MI, "mi") == pytest.approx(100 * KM_PER_MILE)
    with pytest.raises(InvalidQuery, match="over the maximum of 161 km"):
        city_page_radius_km(200, "km")


@pytest.mark.parametrize(
    ("place", "quick"),
    [
        (PlaceRequest(), True),
        (PlaceRequest(city="Portland, OR"), True),
        (PlaceRequest(near="portland"), True),
        (PlaceRequest(zip="97214"), True),
        (PlaceRequest(lat=45.5, lon=-122.6), True),
        # a city the geocoder does not know: its suggestions compare it with every name
        (PlaceRequest(city="Portlnd, OR"), False),
        (PlaceRequest(near="Zzyzx Qwerty"), False),
    ],
)
def test_locating_that_may_take_long_leaves_the_event_loop(
    geo: Geocoder, place: PlaceRequest, quick: bool
) -> None:
    """The search box locates the usual place fields on the event loop (a hand-off to a
    worker thread costs more than locating) and hands a slow one to a worker thread."""
    assert quick_to_locate(place, geo) is quick
    assert quick_to_locate(place, None)


@pytest.mark.parametrize(
    ("text", "in_thread"),
    [("anxiety", False), ("cbt in portland oregon", False), ("word " * 40, True)],
)
def test_a_long_text_is_read_in_a_worker_thread(
    geo: Geocoder,
    run: Callable[[Awaitable[Asked]], Asked],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    in_thread: bool,
) -> None:
    """A text of more than QUICK_TEXT_CHARS (a reading of about a millisecond) is read in a
    worker thread; the usual one on the event loop."""
    handed: list[object] = []
    hand_off = anyio.to_thread.run_sync

    async def spy(func: Callable[..., Asked], *args: object) -> Asked:
        handed.append(func)
        return await hand_off(func, *args)

    async def load() -> Geocoder:
        return geo

    monkeypatch.setattr(anyio.to_thread, "run_sync", spy)
    asked = run(read_search(TherapistSearch(text=text), load))
    assert asked.understanding is not None
    assert bool(handed) is in_thread is (len(text) > QUICK_TEXT_CHARS)
