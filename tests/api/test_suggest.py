"""Typeahead over HTTP on the real small index: every source, the prefix echo, limits."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from search_core.slugs import city_slug
from tests.api.conftest import assert_error

Data = list[dict[str, Any]]


def suggest(client: TestClient, q: str, size: int | None = None) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"q": q}
    if size is not None:
        params["size"] = size
    r = client.get("/suggest", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["prefix"] == q
    items: list[dict[str, Any]] = body["suggestions"]
    return items


def targets(items: list[dict[str, Any]]) -> list[str]:
    return [s["target"] for s in items]


# ---------------------------------------------------------------------------- echo


@pytest.mark.parametrize("q", ["portl", "  PoRtL ", "ANX", "Jun  x", "o'b", "São", "972"])
def test_prefix_is_echoed_exactly(client: TestClient, q: str) -> None:
    r = client.get("/suggest", params={"q": q})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["prefix"] == q
    assert body["took_ms"] >= 0


# ---------------------------------------------------------------------------- sources


def test_therapist_name_prefix_finds_the_therapist(
    client: TestClient, therapists_data: Data
) -> None:
    names = Counter(t["name"].lower() for t in therapists_data)
    t = next(t for t in therapists_data if names[t["name"].lower()] == 1 and " " in t["name"])
    first, last = t["name"].split(" ", 1)
    prefix = f"{first} {last[:2]}"
    items = suggest(client, prefix, size=20)
    hit = next(s for s in items if s["target"] == f"/therapists/{t['id']}")
    assert hit == {
        "type": "therapist",
        "label": f"{t['name']}, {t['credentials'][0]}",
        "value": t["id"],
        "target": f"/therapists/{t['id']}",
    }


def test_name_suggestions_start_with_the_prefix_first(
    client: TestClient, therapists_data: Data
) -> None:
    first = Counter(t["name"].split()[0] for t in therapists_data).most_common(1)[0][0]
    names = [
        s["label"] for s in suggest(client, first.lower(), size=20) if s["type"] == "therapist"
    ]
    assert names and names[0].lower().startswith(first.lower())


def test_anx_suggests_anxiety(client: TestClient) -> None:
    items = suggest(client, "anx")
    assert items[0] == {
        "type": "issue",
        "label": "Anxiety",
        "value": "anxiety",
        "target": "/therapists/search?issues=anxiety",
    }


def test_cb_suggests_cbt(client: TestClient) -> None:
    items = suggest(client, "cb")
    assert items[0]["type"] == "therapy_type"
    assert items[0]["value"] == "cbt"
    assert items[0]["target"] == "/therapists/search?therapy_types=cbt"


def test_synonym_prefix_suggests_the_term(client: TestClient) -> None:
    assert "/therapists/search?issues=trauma-ptsd" in targets(suggest(client, "ptsd"))
    assert "/therapists/search?issues=stress" in targets(suggest(client, "burnou"))


def test_word_inside_a_label_suggests_the_term(client: TestClient) -> None:
    """ "stress" finds Workplace Stress too, after Stress itself."""
    found = targets(suggest(client, "stress", size=20))
    assert found.index("/therapists/search?issues=stress") < found.index(
        "/therapists/search?issues=work-stress"
    )


def test_portl_suggests_portland_oregon_first(client: TestClient) -> None:
    items = suggest(client, "portl")
    assert items[0] == {
        "type": "city",
        "label": "Portland, OR",
        "value": "portland-or",
        "target": "/browse/cities/portland-or",
    }


def test_suggested_cities_have_therapists(client: TestClient, therapists_data: Data) -> None:
    with_offices = {city_slug(o["city"], o["state"]) for t in therapists_data for o in t["offices"]}
    for prefix in ("san", "port", "spring", "new"):
        cities = [s for s in suggest(client, prefix, size=20) if s["type"] == "city"]
        assert cities, prefix
        for s in cities:
            assert s["value"] in with_offices, s
            assert client.get(s["target"], params={"size": 1}).status_code == 200, s


def test_zip_prefix_suggests_zip_codes(client: TestClient, locations_data: Data) -> None:
    items = suggest(client, "972")
    zips = sorted(x["zip"] for x in locations_data if x["kind"] == "zip" and x["zip"][:3] == "972")
    assert [s["value"] for s in items] == zips[:8]
    for s in items:
        assert s["type"] == "zip"
        assert s["target"] == f"/therapists/near?zip={s['value']}"


def test_article_title_prefix_suggests_the_article(client: TestClient, articles_data: Data) -> None:
    article = articles_data[0]
    words = article["title"].split()
    prefix = " ".join(words[:2]) + " " + words[2][:3]
    hit = next(s for s in suggest(client, prefix) if s["type"] == "article")
    assert hit == {
        "type": "article",
        "label": article["title"],
        "value": article["slug"],
        "target": f"/articles/{article['slug']}",
    }


def test_case_and_spacing_do_not_matter(client: TestClient) -> None:
    assert suggest(client, "ANX")[0]["value"] == "anxiety"
    assert suggest(client, "  anx")[0]["value"] == "anxiety"
    assert suggest(client, "PORTL")[0]["value"] == "portland-or"


def test_finished_word_matches_whole_words_only(client: TestClient, therapists_data: Data) -> None:
    """ "jun " (a space after) is the word "jun", not "june" or "junior"."""
    first = Counter(t["name"].split()[0] for t in therapists_data).most_common(1)[0][0].lower()
    for s in suggest(client, first + " ", size=20):
        if s["type"] == "therapist":
            words = s["label"].split(",")[0].lower().replace("-", " ").split()
            assert first in words, s


# ---------------------------------------------------------------------------- limits


@pytest.mark.parametrize("size", [1, 3, 8, 20])
def test_size_is_respected(client: TestClient, size: int) -> None:
    for prefix in ("s", "ma", "972", "new"):
        assert len(suggest(client, prefix, size=size)) <= size
    assert len(suggest(client, "s", size=size)) == size


def test_default_size_is_8(client: TestClient) -> None:
    assert len(suggest(client, "s")) == 8


@pytest.mark.parametrize("prefix", ["s", "an", "port", "cb", "new y", "972", "the", "mar"])
def test_no_duplicates(client: TestClient, prefix: str) -> None:
    items = suggest(client, prefix, size=20)
    assert len(set(targets(items))) == len(items)
    assert len({(s["type"], s["value"]) for s in items}) == len(items)


def test_nothing_matches(client: TestClient) -> None:
    assert suggest(client, "zzqxj") == []
    assert suggest(client, "!!") == []


# ---------------------------------------------------------------------------- bad input


def test_empty_prefix_is_an_empty_list(client: TestClient) -> None:
    r = client.get("/suggest", params={"q": ""})
    assert r.status_code == 200 and r.json() == {
        "prefix": "",
        "suggestions": [],
        "corrected_prefix": None,
        "crisis": None,
        "took_ms": 0.0,
    }


def test_missing_prefix_is_422(client: TestClient) -> None:
    assert_error(client.get("/suggest"), 422, "q")


def test_blank_prefix_is_an_empty_list(client: TestClient) -> None:
    r = client.get("/suggest", params={"q": "   "})
    assert r.status_code == 200 and r.json()["suggestions"] == [] and r.json()["prefix"] == "   "


def test_prefix_over_50_chars_is_422(client: TestClient) -> None:
    assert client.get("/suggest", params={"q": "a" * 50}).status_code == 200
    assert_error(client.get("/suggest", params={"q": "a" * 51}), 422, "q", "50")


@pytest.mark.parametrize("size", [0, 21, -1])
def test_size_out_of_range_is_422(client: TestClient, size: int) -> None:
    assert_error(client.get("/suggest", params={"q": "anx", "size": size}), 422, "size")


@pytest.mark.parametrize(
    ("q", "wanted"),
    [
        ("depressed", {"/therapists/search?issues=depression"}),
        ("miscar", {"/therapists/search?issues=perinatal", "/therapists/search?issues=grief-loss"}),
        ("hear voi", {"/therapists/search?issues=psychosis"}),
        ("terrified of", {"/therapists/search?issues=phobias"}),
        ("deprimi", {"/therapists/search?issues=depression"}),
    ],
)
def test_a_persons_own_words_suggest_the_issue(
    client: TestClient, q: str, wanted: set[str]
) -> None:
    """The search box's sure lay phrases suggest their issue, as its words read them."""
    assert wanted <= set(targets(suggest(client, q)))


def test_a_lay_phrase_waits_for_four_letters_and_a_loose_word_suggests_nothing(
    client: TestClient,
) -> None:
    infidelity = "/therapists/search?issues=infidelity"
    assert infidelity not in targets(suggest(client, "ch"))  # Chicago, Chronic Pain
    assert infidelity in targets(suggest(client, "chea"))  # "cheating"
    assert not any(s["type"] == "issue" for s in suggest(client, "nightm"))  # loose: no issue


@pytest.mark.parametrize(
    ("prefix", "kind", "first"),
    [
        ("i want to die", "suicide", "988 Suicide & Crisis Lifeline"),
        ("he won't stop hitting me", "abuse", "National Domestic Violence Hotline"),
        ("i took a bottle of pills", "overdose", "Emergency services"),
        ("quiero morir", "suicide", "988 Lifeline en español"),
    ],
)
def test_words_that_say_someone_may_be_harmed_bring_the_help_line(
    client: TestClient, prefix: str, kind: str, first: str
) -> None:
    """The same reading as a search's: the help comes with what is typed, before Enter."""
    body = client.get("/suggest", params={"q": prefix}).json()
    assert body["prefix"] == prefix
    crisis = body["crisis"]
    assert crisis is not None and crisis["kind"] == kind
    assert first in crisis["resources"][0]["name"]
    assert crisis == client.get("/therapists/search", params={"q": prefix}).json()["crisis"]


@pytest.mark.parametrize(
    "prefix", ["anx", "suicide prevention training", "hit me up", "i want to disappear from"]
)
def test_other_words_bring_no_help_line(client: TestClient, prefix: str) -> None:
    assert client.get("/suggest", params={"q": prefix}).json()["crisis"] is None
