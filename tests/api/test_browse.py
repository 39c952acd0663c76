"""Browse pages and location records over HTTP, checked against brute force over the fixture
data (geopy's geodesic distance is the reference for city pages)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient
from geopy.distance import geodesic

from search_core.slugs import city_slug, state_slug
from search_core.vocabulary import US_STATES
from tests.api.conftest import assert_error

MI = 1.609344
Data = list[dict[str, Any]]
Ranked = tuple[float, str]  # (km, therapist id)


# ---------------------------------------------------------------------------- brute force


def state_counts(therapists: Data) -> Counter[str]:
    """Therapists with at least one office in each state."""
    return Counter(s for t in therapists for s in {o["state"] for o in t["offices"]})


def city_counts(therapists: Data, state: str) -> Counter[str]:
    """Therapists with at least one office in each city of ``state``."""
    return Counter(
        c
        for t in therapists
        for c in {city_slug(o["city"], o["state"]) for o in t["offices"] if o["state"] == state}
    )


def by_slug(locations: Data) -> dict[str, dict[str, Any]]:
    return {loc["slug"]: loc for loc in locations}


def point(loc: dict[str, Any]) -> tuple[float, float]:
    return loc["location"]["lat"], loc["location"]["lon"]


def nearest_km(t: dict[str, Any], p: tuple[float, float]) -> float:
    return min(
        (geodesic(p, (o["location"]["lat"], o["location"]["lon"])).km for o in t["offices"]),
        default=float("inf"),
    )


def brute_near(
    therapists: Data, p: tuple[float, float], radius_km: float
) -> list[tuple[float, str]]:
    found = [(nearest_km(t, p), t["id"]) for t in therapists]
    return sorted((d, i) for d, i in found if d <= radius_km)


def all_ids(client: TestClient, path: str) -> list[str]:
    """Therapist ids of every page of a city page, following next_cursor."""
    ids: list[str] = []
    params: dict[str, Any] = {"size": 50}
    while True:
        r = client.get(path, params=params)
        assert r.status_code == 200, r.text
        results = r.json()["results"]
        ids += [h["therapist"]["id"] for h in results["items"]]
        if not results["next_cursor"]:
            return ids
        params = {"size": 50, "cursor": results["next_cursor"]}


def multi_state_therapist(therapists: Data) -> dict[str, Any]:
    return next(t for t in therapists if len({o["state"] for o in t["offices"]}) > 1)


def own_therapists(therapists: Data) -> dict[str, Data]:
    """Therapists by the slug of each city they have an office in."""
    out: dict[str, Data] = defaultdict(list)
    for t in therapists:
        for slug in {city_slug(o["city"], o["state"]) for o in t["offices"]}:
            out[slug].append(t)
    return out


@pytest.fixture(scope="module")
def own_reach(therapists_data: Data, locations_data: Data) -> dict[str, float]:
    """Per city with therapists: how far (km) from the city's point the farthest of its own
    therapists has their nearest office."""
    locs = by_slug(locations_data)
    return {
        slug: max(nearest_km(t, point(locs[slug])) for t in own)
        for slug, own in own_therapists(therapists_data).items()
    }


# ---------------------------------------------------------------------------- states


def test_states_match_brute_force(
    client: TestClient, therapists_data: Data, locations_data: Data
) -> None:
    r = client.get("/browse/states")
    assert r.status_code == 200, r.text
    body = r.json()
    expected = state_counts(therapists_data)
    assert {p["state"]: p["therapists"] for p in body["items"]} == dict(expected)
    assert body["total"] == len(expected)
    names = [p["name"] for p in body["items"]]
    assert names == sorted(names)
    locs = by_slug(locations_data)
    for p in body["items"]:
        assert p["therapists"] >= 1
        assert p["slug"] == state_slug(p["state"])
        assert p["name"] == US_STATES[p["state"]]
        assert (p["lat"], p["lon"]) == point(locs[p["slug"]])


def test_states_count_a_therapist_once_per_state(client: TestClient, therapists_data: Data) -> None:
    offices = Counter(o["state"] for t in therapists_data for o in t["offices"])
    people = state_counts(therapists_data)
    assert offices != people, "fixture should have therapists with two offices in one state"
    got = {p["state"]: p["therapists"] for p in client.get("/browse/states").json()["items"]}
    assert got == dict(people)


# ---------------------------------------------------------------------------- cities


def test_cities_match_brute_force(
    client: TestClient, therapists_data: Data, locations_data: Data
) -> None:
    state = multi_state_therapist(therapists_data)["offices"][0]["state"]
    r = client.get(f"/browse/states/{state_slug(state)}/cities")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    expected = city_counts(therapists_data, state)
    assert {p["slug"]: p["therapists"] for p in items} == dict(expected)
    assert r.json()["total"] == len(expected)
    assert [(-p["therapists"], p["name"]) for p in items] == sorted(
        (-p["therapists"], p["name"]) for p in items
    )
    locs = by_slug(locations_data)
    for p in items:
        assert p["therapists"] >= 1
        assert p["state"] == state
        assert p["slug"].endswith(f"-{state.lower()}")
        assert p["name"] == locs[p["slug"]]["name"]
        assert (p["lat"], p["lon"]) == point(locs[p["slug"]])


@pytest.mark.parametrize("form", ["code", "lower-code", "slug"])
def test_cities_accept_code_or_slug(client: TestClient, form: str) -> None:
    state = {"code": "OR", "lower-code": "or", "slug": "oregon"}[form]
    r = client.get(f"/browse/states/{state}/cities")
    assert r.status_code == 200, r.text
    assert {p["state"] for p in r.json()["items"]} == {"OR"}
    assert "portland-or" in {p["slug"] for p in r.json()["items"]}


def test_cities_of_other_states_never_appear(client: TestClient, therapists_data: Data) -> None:
    t = multi_state_therapist(therapists_data)
    states = {o["state"] for o in t["offices"]}
    for state in states:
        slugs = {p["slug"] for p in client.get(f"/browse/states/{state}/cities").json()["items"]}
        for o in t["offices"]:
            inside = city_slug(o["city"], o["state"]) in slugs
            assert inside == (o["state"] == state), (state, o)


def test_every_listed_city_page_has_therapists(
    client: TestClient, locations_data: Data, own_reach: dict[str, float]
) -> None:
    """No empty pages, including a city whose own offices all lie beyond the default radius
    (its page widens the radius to reach them)."""
    locs = by_slug(locations_data)
    far = sorted(own_reach, key=lambda slug: -own_reach[slug])[:3]
    states = sorted({locs[slug]["state"] for slug in far})
    for state in states:
        for p in client.get(f"/browse/states/{state}/cities").json()["items"]:
            r = client.get(f"/browse/cities/{p['slug']}", params={"size": 1})
            assert r.status_code == 200, (p["slug"], r.text)
            assert r.json()["results"]["total"] >= 1


def test_cities_unknown_state_is_404(client: TestClient) -> None:
    assert_error(client.get("/browse/states/narnia/cities"), 404, "unknown us state", "narnia")
    assert_error(client.get("/browse/states/XX/cities"), 404, "unknown us state")


# ---------------------------------------------------------------------------- city pages


def check_city_page(
    results: dict[str, Any], expected: list[Ranked], radius_km: float, size: int
) -> None:
    """A first page against brute force; therapists within 5 m of the edge may fall either way
    (the engine's ellipsoid distance and geopy's differ by centimetres)."""
    edge = {i for d, i in expected if abs(d - radius_km) < 0.005}
    inside = [i for d, i in expected if d <= radius_km - 0.005]
    assert len(inside) <= results["total"] <= len(expected)
    got = [h["therapist"]["id"] for h in results["items"]]
    assert [i for i in got if i not in edge] == [i for _, i in expected[:size] if i not in edge]
    distances = [h["nearest_office"]["distance"] for h in results["items"]]
    assert distances == sorted(distances)
    unit = 1.0 if results["location"]["unit"] == "km" else MI
    assert all(d <= radius_km / unit + 0.01 for d in distances)
    for hit, (km, _) in zip(results["items"], expected, strict=False):
        assert hit["nearest_office"]["distance"] == pytest.approx(km / unit, abs=0.011)


@pytest.mark.parametrize("slug", ["portland-or", "new-york-ny", "denver-co"])
def test_city_page_matches_brute_force(
    client: TestClient,
    therapists_data: Data,
    locations_data: Data,
    own_reach: dict[str, float],
    slug: str,
) -> None:
    city = by_slug(locations_data)[slug]
    r = client.get(f"/browse/cities/{slug}", params={"size": 20})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["city"] == city
    results = body["results"]
    assert results["location"]["unit"] == "mi"
    assert results["location"]["label"] == f"{city['name']}, {city['state']}"
    # 10 mi, or farther when one of the city's own therapists is farther out
    radius_km = max(10 * MI, own_reach.get(slug, 0.0))
    assert results["location"]["radius"] == pytest.approx(radius_km / MI, abs=0.001)
    expected = brute_near(therapists_data, point(city), radius_km + 0.005)
    assert expected, f"fixture should have therapists in {slug}"
    check_city_page(results, expected, radius_km, 20)


def test_city_page_radius_and_unit(
    client: TestClient, therapists_data: Data, locations_data: Data
) -> None:
    city = by_slug(locations_data)["portland-or"]
    r = client.get("/browse/cities/portland-or", params={"radius": 5, "unit": "km", "size": 50})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert (results["location"]["radius"], results["location"]["unit"]) == (5.0, "km")
    expected = brute_near(therapists_data, point(city), 5.005)
    check_city_page(results, expected, 5.0, 50)
    assert all(h["nearest_office"]["unit"] == "km" for h in results["items"])


def test_city_page_default_radius_reaches_its_own_therapists(
    client: TestClient, therapists_data: Data, locations_data: Data, own_reach: dict[str, float]
) -> None:
    locs = by_slug(locations_data)
    slug, km = max(own_reach.items(), key=lambda kv: kv[1])
    if km <= 10 * MI:
        pytest.skip("no city of the fixture has its own offices beyond 10 mi")
    r = client.get(f"/browse/cities/{slug}", params={"size": 50})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results["location"]["radius"] == pytest.approx(km / MI, abs=0.01)
    expected = brute_near(therapists_data, point(locs[slug]), km + 0.005)
    check_city_page(results, expected, km, 50)
    own = {t["id"] for t in own_therapists(therapists_data)[slug]}
    assert own <= set(all_ids(client, f"/browse/cities/{slug}"))


def test_city_page_paging(client: TestClient) -> None:
    first = client.get("/browse/cities/portland-or", params={"size": 3}).json()["results"]
    second = client.get("/browse/cities/portland-or", params={"size": 3, "page": 2}).json()
    assert first["total"] > 3
    ids = [h["therapist"]["id"] for h in first["items"]]
    more = [h["therapist"]["id"] for h in second["results"]["items"]]
    assert len(ids) == 3 and more and not set(ids) & set(more)
    by_cursor = client.get(
        "/browse/cities/portland-or", params={"size": 3, "cursor": first["next_cursor"]}
    ).json()
    assert [h["therapist"]["id"] for h in by_cursor["results"]["items"]] == more


def test_city_page_unknown_city_is_404(client: TestClient) -> None:
    assert_error(client.get("/browse/cities/atlantis-zz"), 404, "atlantis-zz")


def test_city_page_of_a_state_is_404(client: TestClient) -> None:
    assert_error(client.get("/browse/cities/oregon"), 404, "not a city")


def test_city_page_without_therapists_near_is_404(
    client: TestClient, therapists_data: Data, locations_data: Data
) -> None:
    lats = sorted(o["location"]["lat"] for t in therapists_data for o in t["offices"])

    def far_from_offices(loc: dict[str, Any]) -> bool:  # over a degree of latitude: > 110 km
        lat = point(loc)[0]
        i = bisect_left(lats, lat)
        return all(abs(lats[j] - lat) > 1.0 for j in (i - 1, i) if 0 <= j < len(lats))

    lonely = next(
        loc
        for loc in sorted(locations_data, key=lambda x: x["slug"])
        if loc["kind"] == "city" and far_from_offices(loc)
    )
    body = assert_error(client.get(f"/browse/cities/{lonely['slug']}"), 404, "no therapists")
    assert lonely["name"] in body["message"]


def test_city_page_radius_over_max_is_refused(client: TestClient) -> None:
    assert_error(client.get("/browse/cities/portland-or", params={"radius": 101}), 422, "100 mi")
    assert_error(
        client.get("/browse/cities/portland-or", params={"radius": 200, "unit": "km"}), 422, "km"
    )


def test_city_page_size_over_max_is_refused(client: TestClient) -> None:
    assert_error(client.get("/browse/cities/portland-or", params={"size": 51}), 422, "size")


# ---------------------------------------------------------------------------- locations


@pytest.mark.parametrize(
    ("slug", "kind"), [("oregon", "state"), ("portland-or", "city"), ("97214", "zip")]
)
def test_location_by_slug(client: TestClient, locations_data: Data, slug: str, kind: str) -> None:
    r = client.get(f"/locations/{slug}")
    assert r.status_code == 200, r.text
    assert r.json() == by_slug(locations_data)[slug] | {"kind": kind}


def test_location_unknown_is_404(client: TestClient) -> None:
    assert_error(client.get("/locations/nowhere-zz"), 404, "nowhere-zz")


# ---------------------------------------------------------------------------- caching


@pytest.mark.parametrize(
    "path",
    [
        "/browse/states",
        "/browse/states/OR/cities",
        "/browse/cities/portland-or",
        "/locations/portland-or",
    ],
)
def test_browse_responses_are_cacheable(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"].startswith("public, max-age=")


def test_browse_answers_are_stable(client: TestClient) -> None:
    """Served from the in-memory cache the second time: same answer."""
    assert client.get("/browse/states").json() == client.get("/browse/states").json()
    assert (
        client.get("/browse/states/oregon/cities").json()
        == client.get("/browse/states/OR/cities").json()
    )
