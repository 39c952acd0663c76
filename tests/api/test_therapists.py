"""Therapist search, near me and details over HTTP, checked against brute force over the
fixture data (geopy's geodesic distance is the reference)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from geopy.distance import geodesic

from search_core.online_plan import ONLINE_BELOW
from tests.api.conftest import assert_error

MI = 1.609344


def zip_point(locations: list[dict[str, Any]], code: str) -> tuple[float, float]:
    loc = next(x for x in locations if x["kind"] == "zip" and x["zip"] == code)
    return loc["location"]["lat"], loc["location"]["lon"]


def nearest_km(t: dict[str, Any], point: tuple[float, float]) -> float:
    return min(
        (geodesic(point, (o["location"]["lat"], o["location"]["lon"])).km for o in t["offices"]),
        default=float("inf"),
    )


def all_pages(client: TestClient, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params = {**params, "size": 50, "facets": "false"}
    while True:
        r = client.get(path, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        if not body["next_cursor"]:
            return items
        params = {**params, "cursor": body["next_cursor"]}


def brute_near(
    data: list[dict[str, Any]], point: tuple[float, float], radius_km: float
) -> list[tuple[float, str]]:
    found = [(nearest_km(t, point), t["id"]) for t in data]
    return sorted((d, i) for d, i in found if d <= radius_km)


@pytest.mark.parametrize(("zip_code", "radius_mi"), [("97214", 10), ("10001", 3), ("60601", 15)])
def test_near_zip_matches_brute_force(
    client: TestClient,
    therapists_data: list[dict[str, Any]],
    locations_data: list[dict[str, Any]],
    zip_code: str,
    radius_mi: float,
) -> None:
    point = zip_point(locations_data, zip_code)
    expected = brute_near(therapists_data, point, radius_mi * MI)
    assert expected, "fixture should have therapists here"
    params = {"zip": zip_code, "radius": radius_mi, "online_in_state": "false"}
    got = all_pages(client, "/therapists/near", params)
    # boundary cases within a metre of the radius may fall either way
    edge = {i for d, i in expected if abs(d - radius_mi * MI) < 0.001}
    assert [h["therapist"]["id"] for h in got if h["therapist"]["id"] not in edge] == [
        i for _, i in expected if i not in edge
    ]
    assert not any(h["online"] for h in got)
    for hit, (km, _) in zip(got, expected, strict=False):
        assert hit["nearest_office"]["unit"] == "mi"
        assert hit["nearest_office"]["distance"] == pytest.approx(km / MI, abs=0.011)


@pytest.mark.parametrize(("zip_code", "radius_mi"), [("59801", 10), ("97214", 5)])
def test_near_zip_lists_online_therapists_licensed_in_the_state_after_the_offices(
    client: TestClient,
    therapists_data: list[dict[str, Any]],
    locations_data: list[dict[str, Any]],
    zip_code: str,
    radius_mi: float,
) -> None:
    point = zip_point(locations_data, zip_code)
    state = next(x for x in locations_data if x["kind"] == "zip" and x["zip"] == zip_code)["state"]
    in_person = [i for _, i in brute_near(therapists_data, point, radius_mi * MI)]
    online = {
        t["id"]
        for t in therapists_data
        if t["telehealth"]
        and state in t["licensed_states"]
        and nearest_km(t, point) > radius_mi * MI + 0.001
    }
    assert in_person and online, "fixture should have both kinds here"
    got = all_pages(client, "/therapists/near", {"zip": zip_code, "radius": radius_mi})
    flags = [h["online"] for h in got]
    assert flags == sorted(flags), "the online list comes after the in-person one"
    assert [h["therapist"]["id"] for h in got if not h["online"]] == in_person
    shown_online = [h for h in got if h["online"]]
    assert {h["therapist"]["id"] for h in shown_online} == online
    assert len(shown_online) == len(online), "no therapist listed twice"
    first = client.get("/therapists/near", params={"zip": zip_code, "radius": radius_mi})
    assert first.json()["total"] == len(in_person) + len(online)
    for hit in shown_online:
        if hit["therapist"]["offices"]:
            km = nearest_km(hit["therapist"], point)
            assert hit["nearest_office"]["distance"] == pytest.approx(km / MI, abs=0.011)
    off = client.get(
        "/therapists/near",
        params={"zip": zip_code, "radius": radius_mi, "in_person": "true"},
    ).json()
    assert not any(h["online"] for h in off["items"]), "in person only: no online list"


def test_no_online_list_where_offices_are_many(
    client: TestClient, therapists_data: list[dict[str, Any]], locations_data: list[dict[str, Any]]
) -> None:
    point = zip_point(locations_data, "10001")
    in_person = brute_near(therapists_data, point, 10 * MI)
    assert len(in_person) >= ONLINE_BELOW
    got = all_pages(client, "/therapists/near", {"zip": "10001", "radius": 10})
    assert not any(h["online"] for h in got) and len(got) == len(in_person)


def test_near_lat_lon_in_km_and_nearest_office(
    client: TestClient, therapists_data: list[dict[str, Any]]
) -> None:
    point = (45.5152, -122.6784)  # downtown Portland
    expected = brute_near(therapists_data, point, 20.0)
    got = all_pages(
        client, "/therapists/near", {"lat": point[0], "lon": point[1], "radius": 20, "unit": "km"}
    )
    assert [h["therapist"]["id"] for h in got] == [i for _, i in expected]
    by_id = {t["id"]: t for t in therapists_data}
    for hit in got[:20]:
        office = hit["nearest_office"]["office"]
        t = by_id[hit["therapist"]["id"]]
        best = min(
            t["offices"],
            key=lambda o: geodesic(point, (o["location"]["lat"], o["location"]["lon"])).km,
        )
        assert office["id"] == best["id"]
        assert hit["nearest_office"]["unit"] == "km"


def matches(t: dict[str, Any], **f: Any) -> bool:
    for facet, values in f.items():
        if facet == "max_fee":
            if t["fee_min"] > values:
                return False
        elif facet in ("sliding_scale", "telehealth", "accepting_new_clients"):
            if t[facet] != values:
                return False
        elif facet == "licensed_in":
            if values not in t["licensed_states"]:
                return False
        else:
            have = t[facet] if isinstance(t[facet], list) else [t[facet]]
            if not set(values) & set(have):
                return False
    return True


def test_facet_counts_are_disjunctive_and_exact(
    client: TestClient, therapists_data: list[dict[str, Any]]
) -> None:
    chosen = {"issues": ["anxiety", "grief-loss"], "languages": ["spanish"]}
    r = client.get("/therapists/search", params={**chosen, "size": 1})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == sum(matches(t, **chosen) for t in therapists_data)
    for facet in ("issues", "languages", "insurance", "gender", "age_groups"):
        others = {k: v for k, v in chosen.items() if k != facet}
        pool = [t for t in therapists_data if matches(t, **others)]
        expected = Counter(
            v for t in pool for v in (t[facet] if isinstance(t[facet], list) else [t[facet]])
        )
        got = {b["value"]: b["count"] for b in body["facets"][facet]}
        assert got == dict(expected), facet
    selected = {b["value"] for b in body["facets"]["issues"] if b["selected"]}
    assert selected == {"anxiety", "grief-loss"}
    assert body["facets"]["issues"][0]["count"] >= body["facets"]["issues"][-1]["count"]


def test_facet_counts_respect_the_radius(
    client: TestClient, therapists_data: list[dict[str, Any]], locations_data: list[dict[str, Any]]
) -> None:
    point = zip_point(locations_data, "97214")
    inside = {i for _, i in brute_near(therapists_data, point, 25 * MI)}
    pool = [t for t in therapists_data if t["id"] in inside and matches(t, gender=["female"])]
    params = {"zip": "97214", "gender": "female", "online_in_state": "false"}
    body = client.get("/therapists/search", params=params).json()
    assert body["total"] == len(pool)
    got = {b["value"]: b["count"] for b in body["facets"]["therapy_types"]}
    assert got == dict(Counter(v for t in pool for v in t["therapy_types"]))


@pytest.mark.parametrize(
    "params",
    [
        {"max_fee": 120},
        {"sliding_scale": "true", "telehealth": "false"},
        {"licensed_in": "CA", "accepting_new_clients": "true"},
        {"insurance": ["aetna", "cigna"], "profession": "psychologist"},
    ],
)
def test_filters_match_brute_force(
    client: TestClient, therapists_data: list[dict[str, Any]], params: dict[str, Any]
) -> None:
    typed = {
        k: (v == "true" if v in ("true", "false") else [v] if k in ("profession",) else v)
        for k, v in params.items()
    }
    expected = {t["id"] for t in therapists_data if matches(t, **typed)}
    r = client.get("/therapists/search", params={**params, "size": 50, "facets": "false"})
    body = r.json()
    assert body["total"] == len(expected)
    assert {h["therapist"]["id"] for h in body["items"]} <= expected


def test_text_search_ranks_specialists_first(client: TestClient) -> None:
    for text, issue in [
        ("chronic pain", "chronic-pain"),
        ("grief", "grief-loss"),
        ("eating disorders", "eating-disorders"),
    ]:
        items = client.get("/therapists/search", params={"q": text}).json()["items"]
        assert len(items) == 10
        assert sum(issue in h["therapist"]["issues"] for h in items) >= 9, text


def test_synonyms_work_both_ways(client: TestClient) -> None:
    def top(q: str) -> set[str]:
        r = client.get("/therapists/search", params={"q": q, "size": 20, "facets": "false"})
        return {h["therapist"]["id"] for h in r.json()["items"]}

    assert len(top("cbt") & top("cognitive behavioral therapy")) >= 10
    ptsd = client.get("/therapists/search", params={"q": "ptsd"}).json()["items"]
    assert all("trauma-ptsd" in h["therapist"]["issues"] for h in ptsd[:5])


def test_place_in_the_search_text(
    client: TestClient, therapists_data: list[dict[str, Any]], locations_data: list[dict[str, Any]]
) -> None:
    r = client.get("/therapists/search", params={"q": "anxiety therapist near 97214"})
    body = r.json()
    assert body["location"]["from_text"] is True
    assert "97214" in body["location"]["label"]
    point = zip_point(locations_data, "97214")
    assert body["items"]
    for hit in body["items"]:
        assert "anxiety" in hit["therapist"]["issues"] or "nxiety" in str(hit["highlights"])
        assert nearest_km(hit["therapist"], point) <= 25 * MI + 0.01
    city = client.get("/therapists/search", params={"q": "anxiety therapist portland"}).json()
    assert city["location"]["label"] == "Portland, OR"
    language = client.get("/therapists/search", params={"q": "couples counseling in spanish"})
    assert language.json()["location"] is None


def test_sort_recent_breaks_ties_by_id(
    client: TestClient, therapists_data: list[dict[str, Any]]
) -> None:
    pool = [t for t in therapists_data if "OR" in t["licensed_states"]]
    expected = sorted(
        pool, key=lambda t: (-dt.date.fromisoformat(t["last_confirmed"]).toordinal(), t["id"])
    )
    r = client.get(
        "/therapists/search",
        params={"licensed_in": "OR", "sort": "recent", "size": 30, "facets": "false"},
    )
    assert [h["therapist"]["id"] for h in r.json()["items"]] == [t["id"] for t in expected[:30]]


def test_pages_are_stable_and_disjoint(client: TestClient) -> None:
    params = {"q": "anxiety", "facets": "false", "highlight": "false"}
    big = client.get("/therapists/search", params={**params, "size": 30}).json()
    pages = [
        client.get("/therapists/search", params={**params, "size": 10, "page": p}).json()
        for p in (1, 2, 3)
    ]
    ids = [h["therapist"]["id"] for page in pages for h in page["items"]]
    assert ids == [h["therapist"]["id"] for h in big["items"]]
    assert all(p["total"] == big["total"] for p in pages)
    nxt = client.get(
        "/therapists/search", params={**params, "size": 10, "cursor": pages[0]["next_cursor"]}
    ).json()
    assert [h["therapist"]["id"] for h in nxt["items"]] == ids[10:20]


def test_highlights_mark_the_matched_words(client: TestClient) -> None:
    params = {"q": "grief", "understand": "false"}
    items = client.get("/therapists/search", params=params).json()["items"]
    fragments = [f for h in items for f in h["highlights"].get("bio", [])]
    assert fragments and all("<mark>" in f for f in fragments)
    assert any("<mark>grief</mark>" in f.lower() for f in fragments)


def test_details_and_caching(client: TestClient, therapists_data: list[dict[str, Any]]) -> None:
    t = therapists_data[7]
    r = client.get(f"/therapists/{t['id']}")
    assert r.status_code == 200
    assert t["photo_url"] is None  # no photo: the API names the generated avatar
    assert r.json() == {**t, "photo_url": f"/avatars/{t['id']}.svg"}
    assert "max-age" in r.headers["cache-control"]
    assert_error(client.get("/therapists/t9999999"), 404, "t9999999")


def test_health_says_which_engine(client: TestClient, engine: str) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["engine"] == engine
    assert body["indexes"]["therapists"]["version"].startswith("v")
    assert body["indexes"]["therapists"]["documents"] > 1000


def test_cors_for_allowed_origins(client: TestClient) -> None:
    r = client.get("/therapists/search", headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "https://example.org"
    r = client.get("/therapists/search", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    ("params", "status", "needle"),
    [
        ({"lat": 91, "lon": 0}, 422, "lat"),
        ({"lat": 45}, 422, "both lat and lon"),
        ({"zip": "00000"}, 404, "00000"),
        ({"zip": "abcde"}, 422, "5 digits"),
        ({"city": "Nowhereville, OR"}, 404, "nowhereville"),
        ({"city": "Portland, ZZ"}, 404, "zz"),
        ({"zip": "97214", "radius": 1000}, 422, "over the maximum"),
        ({"zip": "97214", "radius": -1}, 422, "radius"),
        ({"radius": 10}, 422, "needs a location"),
        ({"size": 51}, 422, "size"),
        ({"page": 200}, 422, "result window"),
        ({"q": "x" * 201}, 422, "q"),
        ({"issues": "not-an-issue"}, 422, "not-an-issue"),
        ({"licensed_in": "Oregon"}, 422, "licensed_in"),
        ({"sort": "distance"}, 422, "needs a location"),
        ({"sort": "random"}, 422, "sort"),
        ({"zip": "97214", "city": "Portland, OR"}, 422, "one location"),
        ({"cursor": "garbage!"}, 422, "cursor"),
    ],
)
def test_bad_input_is_a_clear_4xx(
    client: TestClient, params: dict[str, Any], status: int, needle: str
) -> None:
    assert_error(client.get("/therapists/search", params=params), status, needle)


@pytest.mark.parametrize(
    "text",
    [
        '"((anxiety AND OR ""',
        "grief* -loss +teen ~2 ^3 :",
        "NOT",
        "   ",
        "'; DROP TABLE therapists; --",
        "日本語 セラピー",
    ],
)
def test_operators_and_quotes_are_plain_text(client: TestClient, text: str) -> None:
    r = client.get("/therapists/search", params={"q": text})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["items"], list)


def test_near_requires_a_location(client: TestClient) -> None:
    assert_error(client.get("/therapists/near"), 422, "needs a location")
