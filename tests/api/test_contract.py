"""The API's contract for front-end developers (issue 25): every response field described,
facet keys and suggestion types as enums, one status per kind of error, ``size=0`` for counts
alone, an empty typeahead prefix answered, the in-person/online split of a total, facet counts
that agree with what choosing a value lists, alternatives for an ambiguous city, and a text
with nothing recognisable that never lists the whole directory."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from search_core.filters import FILTER_VOCABULARIES
from search_core.results import FacetName, SuggestionType
from tests.api.conftest import assert_error


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


def test_every_response_field_is_described(openapi: dict[str, Any]) -> None:
    undescribed = [
        f"{name}.{prop}"
        for name, schema in openapi["components"]["schemas"].items()
        for prop, sub in (schema.get("properties") or {}).items()
        if not str(sub.get("description", "")).strip()
    ]
    assert undescribed == []


def test_facet_keys_are_an_enum(openapi: dict[str, Any]) -> None:
    page = openapi["components"]["schemas"]["TherapistPage"]["properties"]["facets"]
    assert page["propertyNames"]["enum"] == list(FILTER_VOCABULARIES)
    assert list(get_args(FacetName)) == list(FILTER_VOCABULARIES)


def test_suggestion_type_is_an_enum(openapi: dict[str, Any], client: TestClient) -> None:
    prop = openapi["components"]["schemas"]["Suggestion"]["properties"]["type"]
    assert prop["enum"] == list(get_args(SuggestionType))
    seen = {
        s["type"]
        for prefix in ("anx", "emd", "port", "972", "patricia", "coping")
        for s in client.get("/suggest", params={"q": prefix, "size": 20}).json()["suggestions"]
    }
    assert seen <= set(prop["enum"]) and len(seen) >= 5, seen


def test_one_status_per_kind_of_error(openapi: dict[str, Any], client: TestClient) -> None:
    invalid = [
        client.get("/therapists/search", params={"size": 51}),  # pydantic's range
        client.get("/therapists/search", params={"zip": "97214", "radius": 1000}),  # the use case
        client.get("/therapists/search", params={"q": "anxiety", "sort": "distance"}),
        client.get("/therapists/search", params={"zip": "97214", "city": "Portland, OR"}),
        client.get("/therapists/near"),
        client.get("/therapists/search", params={"cursor": "not-a-cursor"}),
        client.get("/therapists/search", params={"page": 200, "size": 10}),
    ]
    for r in invalid:
        body = assert_error(r, 422)
        assert body["error"] == "invalid_parameters", body
    documented = {
        status
        for path in openapi["paths"].values()
        for op in path.values()
        for status in op["responses"]
    }
    assert "400" not in documented and "422" in documented


def test_an_unknown_place_names_the_parameter_and_close_names(client: TestClient) -> None:
    body = assert_error(client.get("/therapists/search", params={"near": "Portlnd"}), 404)
    assert body["error"] == "not_found"
    assert body["details"][0]["field"] == "near"
    assert "Portland, OR" in body["details"][0]["suggestions"]
    body = assert_error(client.get("/therapists/search", params={"zip": "00000"}), 404, "00000")
    assert body["details"][0]["field"] == "zip"


def test_size_zero_answers_total_and_facets(client: TestClient) -> None:
    params = {"q": "anxiety", "near": "97214"}
    full = client.get("/therapists/search", params={**params, "size": 10}).json()
    counts = client.get("/therapists/search", params={**params, "size": 0})
    assert counts.status_code == 200, counts.text
    body = counts.json()
    assert body["items"] == [] and body["size"] == 0 and body["next_cursor"] is None
    for key in ("total", "facets", "total_in_person", "total_online", "location"):
        assert body[key] == full[key], key
    assert body["total"] > 0


def test_an_empty_typeahead_prefix_is_an_empty_list(client: TestClient) -> None:
    for q in ("", "   "):
        r = client.get("/suggest", params={"q": q})
        assert r.status_code == 200, r.text
        assert r.json()["prefix"] == q and r.json()["suggestions"] == []


def test_total_splits_in_person_and_online(client: TestClient) -> None:
    body = client.get(
        "/therapists/search", params={"q": "anxiety", "near": "97214", "size": 50}
    ).json()
    assert body["total"] <= 50, "the check below reads every hit"
    online = [h for h in body["items"] if h["online"]]
    assert body["total_online"] == len(online) > 0
    assert body["total_in_person"] == body["total"] - len(online) > 0
    assert body["online_state"] == "OR"
    assert [h["online"] for h in body["items"]] == sorted(h["online"] for h in body["items"])
    plain = client.get("/therapists/search", params={"q": "anxiety"}).json()
    assert plain["total_online"] == 0 and plain["total_in_person"] == plain["total"]
    assert plain["online_state"] is None


@pytest.mark.parametrize(
    "params", [{"q": "anxiety", "near": "97214"}, {"city": "Springfield"}, {"zip": "59801"}]
)
def test_facet_counts_are_what_choosing_the_value_lists(
    client: TestClient, params: dict[str, str]
) -> None:
    body = client.get("/therapists/search", params={**params, "size": 0}).json()
    checked = 0
    for facet in ("gender", "languages", "insurance", "profession"):
        for bucket in body["facets"][facet][:3]:
            chosen = {**params, facet: bucket["value"], "size": 0}
            total = client.get("/therapists/search", params=chosen).json()["total"]
            assert total == bucket["count"], (facet, bucket)
            checked += 1
    assert checked >= 8


def test_an_ambiguous_city_lists_the_others(client: TestClient) -> None:
    body = client.get("/therapists/search", params={"city": "Springfield", "size": 0}).json()
    assert body["location"]["label"] == "Springfield, MO"
    others = body["location"]["alternatives"]
    assert {"Springfield, IL", "Springfield, MA", "Springfield, OR"} <= set(others)
    assert "Springfield, MO" not in others
    text = client.get("/therapists/search", params={"q": "therapist springfield"}).json()
    assert text["location"]["alternatives"] == others
    for named in ({"city": "Springfield, IL"}, {"near": "97214"}, {"q": "anxiety"}):
        got = client.get("/therapists/search", params={**named, "size": 0}).json()
        assert not (got["location"] or {}).get("alternatives"), named


def test_nothing_recognisable_never_lists_the_whole_directory(client: TestClient) -> None:
    body = client.get("/therapists/search", params={"q": "xyzzy plugh"}).json()
    assert body["total"] == 0 and body["items"] == [] and body["relaxed"] is None
    # what was understood stays when the unknown words are dropped
    kept = client.get("/therapists/search", params={"q": "xyzzy anxiety"}).json()
    assert kept["total"] > 0 and "drop_text" in kept["relaxed"]["steps"]
    assert kept["total"] < 4000
