"""Places people say in the search box (issue 28), over HTTP on every engine: neighbourhoods
(searched around their own centre within 5 mi), boroughs, counties, nicknames, a bare state
name, and names several places share. The centres are recomputed here from the neighbourhood
list and the ZIP data; every total is a brute force over the fixture therapists with geopy
distances, never a stored result."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import zipcodes
from fastapi.testclient import TestClient

from fixtures.place_names import NEIGHBOURHOODS
from search_core.units import KM_PER_MILE
from tests.api.test_search_box import keeps, nearest_km, search, understood

Doc = dict[str, Any]
EDGE_MI = 0.05
"""Offices this close to the circle's edge may fall either way (float rounding)."""


@cache
def centres() -> dict[str, tuple[float, float, str]]:
    """Each neighbourhood's first name (folded) → the mean centre of its ZIPs and its state,
    read from the source list and the ZIP data, as a person with a map would."""
    out: dict[str, tuple[float, float, str]] = {}
    for line in NEIGHBOURHOODS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names, city, codes, *_ = line.split("\t")
        points = [zipcodes.matching(code)[0] for code in codes.split()]
        lat = sum(float(z["lat"]) for z in points) / len(points)
        lon = sum(float(z["long"]) for z in points) / len(points)
        out[f"{names.split('|')[0].lstrip('~')}|{city}"] = (lat, lon, city.rsplit(", ", 1)[1])
    return out


def within(therapists: list[Doc], lat: float, lon: float, miles: float, asked: Doc) -> set[str]:
    """The therapists meeting ``asked`` with an office within ``miles`` (geopy distances).

    Only offices in a band of latitude are measured: a degree of latitude is at least 68.7
    miles anywhere, so no office outside ``miles / 60`` degrees is within ``miles``."""
    band = miles / 60
    return {
        t["id"]
        for t in therapists
        if any(abs(o["location"]["lat"] - lat) <= band for o in t["offices"])
        and keeps(t, asked)
        and nearest_km(t, lat, lon) <= miles * KM_PER_MILE
    }


def assert_circle(body: Doc, therapists: list[Doc], lat: float, lon: float, miles: float) -> None:
    """The page is every therapist meeting what was understood within ``miles`` of the centre
    (geopy distances), give or take an office on the very edge."""
    asked = {k: v for k, v in understood(body).items() if k not in ("lat", "lon", "radius", "unit")}
    inner = within(therapists, lat, lon, miles - EDGE_MI, asked)
    outer = within(therapists, lat, lon, miles + EDGE_MI, asked)
    assert inner, "the fixtures have therapists there"
    assert len(inner) <= body["total"] <= len(outer)
    assert {h["therapist"]["id"] for h in body["items"]} <= outer


# ------------------------------------------------------------------------------ neighbourhoods


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("anxiety therapist in bushwick", "Bushwick|New York, NY"),
        ("depression counselor astoria", "Astoria|New York, NY"),
        ("grief therapist park slope brooklyn", "Park Slope|New York, NY"),
        ("south loop therapist", "South Loop|Chicago, IL"),
        ("ptsd mission district", "Mission District|San Francisco, CA"),
        ("therapist back bay", "Back Bay|Boston, MA"),
        ("buckhead anxiety", "Buckhead|Atlanta, GA"),
        ("silver lake therapist for depression", "Silver Lake|Los Angeles, CA"),
        ("bed stuy therapist", "Bedford-Stuyvesant|New York, NY"),
        ("therapist in hell's kitchen", "Hell's Kitchen|New York, NY"),
    ],
)  # fmt: skip
def test_a_neighbourhood_is_searched_around_its_own_centre(
    client: TestClient, therapists_data: list[Doc], typed: str, name: str
) -> None:
    body = search(client, q=typed, online_in_state="false")
    lat, lon, state = centres()[name]
    loc = body["location"]
    assert loc["label"].startswith(name.split("|")[0]) and loc["label"].endswith(state)
    assert (loc["lat"], loc["lon"]) == pytest.approx((lat, lon), abs=1e-3)
    assert loc["radius"] == pytest.approx(5) and loc["unit"] == "mi"
    assert body["understanding"]["text"] is None, "the neighbourhood's words are the place"
    assert body["relaxed"] is None
    assert_circle(body, therapists_data, lat, lon, 5)
    # the place chip's filter is a request the API answers alike
    (chip,) = [p["filter"] for p in body["understanding"]["pieces"] if p["kind"] == "place"]
    asked = {k: v for k, v in understood(body).items() if k == "issues"}
    again = search(client, **chip, **asked, online_in_state="false")
    assert again["total"] == body["total"]


def test_a_shared_name_takes_the_most_populous_and_offers_the_others(
    client: TestClient, therapists_data: list[Doc]
) -> None:
    body = search(client, q="therapist capitol hill", online_in_state="false")
    seattle, denver, dc = (
        "Capitol Hill, Seattle, WA",
        "Capitol Hill, Denver, CO",
        ("Capitol Hill, Washington, DC"),
    )
    assert body["location"]["label"] == seattle, "Seattle is the largest of the three cities"
    assert body["location"]["alternatives"] == [denver, dc]
    assert any(dc in n and denver in n for n in body["understanding"]["notes"])
    lat, lon, _ = centres()["Capitol Hill|Seattle, WA"]
    assert_circle(body, therapists_data, lat, lon, 5)
    # each alternative, typed as offered or with its city or state, is that neighbourhood
    for typed, label in [(dc, dc), (denver, denver), ("capitol hill dc", dc),
                         ("capitol hill washington dc", dc), ("capitol hill denver", denver),
                         ("capitol hill seattle wa", seattle)]:  # fmt: skip
        got = search(client, q=f"anxiety {typed}", online_in_state="false", size=0)
        assert got["location"]["label"] == label, typed
        assert got["location"]["alternatives"] == [], "the name was qualified"
        assert got["understanding"]["text"] is None, typed


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("williamsburg", "Williamsburg, Brooklyn, NY"),
        ("williamsburg va", "Williamsburg, VA"),
        ("astoria", "Astoria, Queens, NY"),
        ("astoria oregon", "Astoria, OR"),
        ("georgetown", "Georgetown, Washington, DC"),
        ("georgetown tx", "Georgetown, TX"),
    ],
)  # fmt: skip
def test_a_small_town_of_the_same_name_only_with_its_state(
    client: TestClient, typed: str, label: str
) -> None:
    body = search(client, q=f"therapist {typed}", size=0)
    assert body["location"]["label"] == label
    if "," in label and label.count(",") == 2:  # the neighbourhood: the towns are offered
        others = body["location"]["alternatives"]
        assert others and all(o.count(",") == 1 for o in others[-1:]), others


def test_a_given_name_is_a_neighbourhood_only_after_in(client: TestClient) -> None:
    body = search(client, q="chelsea", size=0)
    assert body["location"] is None and body["understanding"]["text"] == "chelsea"
    body = search(client, q="therapist in chelsea", size=0)
    assert body["location"]["label"] == "Chelsea, Manhattan, NY"


def test_an_empty_neighbourhood_widens_to_the_smallest_radius_with_hits(
    client: TestClient, therapists_data: list[Doc]
) -> None:
    """No office within 5 mi of the neighbourhood: the page is the 25 mi circle, said so."""
    for name, (lat, lon, _) in sorted(centres().items()):
        if within(therapists_data, lat, lon, 5 + EDGE_MI, {}) or not within(
            therapists_data, lat, lon, 25 - EDGE_MI, {}
        ):
            continue
        shown = name.split("|")[0]
        body = search(client, q=f"therapist near {shown}", online_in_state="false")
        assert body["location"]["label"].startswith(shown)
        assert body["relaxed"]["steps"] == ["widen_radius"]
        assert "within 5 mi" in body["relaxed"]["message"]
        assert body["location"]["radius"] == pytest.approx(25)
        assert_circle(body, therapists_data, lat, lon, 25)
        return
    pytest.fail("every neighbourhood has an office within 5 mi or none within 25 mi")


# ------------------------------------------------------------------------------ other names


@pytest.mark.parametrize(
    ("typed", "label", "miles"),
    [
        ("therapist the bronx", "Bronx, NY", 25),
        ("anxiety brooklyn", "Brooklyn, NY", 25),
        ("nyc couples counselor", "New York, NY", 25),
        ("depression kings county", "Kings County, NY", 25),
        ("therapist orange county", "Orange County, CA", 25),
    ],
)  # fmt: skip
def test_boroughs_counties_and_nicknames(
    client: TestClient, therapists_data: list[Doc], typed: str, label: str, miles: float
) -> None:
    body = search(client, q=typed, online_in_state="false")
    loc = body["location"]
    assert loc["label"] == label and loc["radius"] == pytest.approx(miles)
    assert body["relaxed"] is None
    if "couples" in typed:  # any of the couples fields: checked in test_search_box_reading
        assert body["total"] > 0
        return
    assert_circle(body, therapists_data, loc["lat"], loc["lon"], miles)


def test_a_bare_county_name_takes_the_largest_and_names_the_others(client: TestClient) -> None:
    body = search(client, q="therapist orange county", size=0)
    assert any("Orange County, FL" in n for n in body["understanding"]["notes"])
    assert "Orange County, FL" in body["location"]["alternatives"]


@pytest.mark.parametrize(
    ("typed", "state", "city"),
    [("therapist wyoming", "WY", "Wyoming, MI"), ("anxiety washington", "WA", "Washington, DC"),
     ("depression new york state", "NY", None)],
)  # fmt: skip
def test_a_bare_state_name_is_the_whole_state(
    client: TestClient, therapists_data: list[Doc], typed: str, state: str, city: str | None
) -> None:
    body = search(client, q=typed)
    assert understood(body)["licensed_in"] == state and body["location"] is None
    if city is not None:
        assert any(city in n for n in body["understanding"]["notes"]), "the city is offered"
    asked = understood(body)
    expected = sum(1 for t in therapists_data if keeps(t, asked))
    assert body["relaxed"] is None and body["total"] == expected > 0


def test_a_million_people_city_beats_its_state(client: TestClient) -> None:
    body = search(client, q="therapist new york", size=0)
    assert body["location"]["label"] == "New York, NY"
    assert "licensed_in" not in understood(body)
