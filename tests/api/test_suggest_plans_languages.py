"""Typeahead suggests insurance plans and languages, typed as such, merged with the other
sources; choosing one searches with its filter (issue 25, part 5). Over HTTP, on each engine."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from search_core.vocabulary import INSURANCE, LANGUAGES


def answer(client: TestClient, q: str, size: int = 8) -> dict[str, Any]:
    r = client.get("/suggest", params={"q": q, "size": size})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["prefix"] == q
    return body


def kinds(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["type"], s["label"]) for s in body["suggestions"]]


def test_blue_suggests_blue_cross_blue_shield_before_blue_springs(client: TestClient) -> None:
    found = kinds(answer(client, "blue"))
    bcbs = ("insurance", "Blue Cross Blue Shield")
    assert bcbs in found
    assert ("city", "Blue Springs, MO") in found, "the places are still merged in"
    assert found.index(bcbs) < found.index(("city", "Blue Springs, MO"))


def test_span_suggests_spanish_first(client: TestClient) -> None:
    first = answer(client, "span")["suggestions"][0]
    assert first == {
        "type": "language",
        "label": "Spanish",
        "value": "spanish",
        "target": "/therapists/search?languages=spanish",
    }


def test_an_insurance_suggestion_is_the_insurance_filter(client: TestClient) -> None:
    (bcbs,) = [s for s in answer(client, "blue cross")["suggestions"] if s["value"] == "bcbs"]
    assert bcbs == {
        "type": "insurance",
        "label": "Blue Cross Blue Shield",
        "value": "bcbs",
        "target": "/therapists/search?insurance=bcbs",
    }


@pytest.mark.parametrize("kind", ["insurance", "language"])
def test_following_the_target_applies_the_filter(client: TestClient, kind: str) -> None:
    prefix = {"insurance": "aetn", "language": "korea"}[kind]
    (s,) = [s for s in answer(client, prefix)["suggestions"] if s["type"] == kind]
    page = client.get(s["target"] + "&size=5").json()
    param = {"insurance": "insurance", "language": "languages"}[kind]
    assert page["total"] > 0
    for hit in page["items"]:
        assert s["value"] in hit["therapist"][param]
    (chosen,) = [b for b in page["facets"][param] if b["selected"]]
    assert chosen["value"] == s["value"]


@pytest.mark.parametrize(
    ("typed", "kind", "slug"),
    [
        ("medi cal", "insurance", "medicaid"),  # the search box's own lay words
        ("espan", "language", "spanish"),  # a synonym of the vocabulary
        ("sign lang", "language", "asl"),
        ("uhc", "insurance", "united-healthcare"),
        ("tricare", "insurance", "tricare"),
    ],
)
def test_synonyms_and_lay_words_suggest_the_term(
    client: TestClient, typed: str, kind: str, slug: str
) -> None:
    found = [(s["type"], s["value"]) for s in answer(client, typed)["suggestions"]]
    assert (kind, slug) in found


@pytest.mark.parametrize(
    ("typed", "corrected", "kind", "label"),
    [
        ("spansh", "spanish", "language", "Spanish"),
        ("atena", "aetna", "insurance", "Aetna"),
        ("vietnamse", "vietnames", "language", "Vietnamese"),
        ("medicaide", "medicaid", "insurance", "Medicaid"),
    ],
)
def test_typos_are_forgiven_for_plans_and_languages(
    client: TestClient, typed: str, corrected: str, kind: str, label: str
) -> None:
    body = answer(client, typed)
    assert body["corrected_prefix"] == corrected
    assert (kind, label) in kinds(body)


def test_every_plan_and_language_label_can_be_suggested(client: TestClient) -> None:
    for vocab, kind in ((INSURANCE, "insurance"), (LANGUAGES, "language")):
        for term in vocab:
            found = kinds(answer(client, term.label[:6], size=20))
            assert (kind, term.label) in found, term.label


def test_issues_still_lead_their_own_prefixes(client: TestClient) -> None:
    """Plans and languages are merged in, not ahead of what was there: "anx" is still Anxiety,
    "cb" still CBT."""
    assert answer(client, "anx")["suggestions"][0]["value"] == "anxiety"
    assert answer(client, "cb")["suggestions"][0]["value"] == "cbt"
