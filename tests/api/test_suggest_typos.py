"""Typeahead forgives one typo in the word being typed (4 letters or more), on the real index."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from search_core.suggesting import PrefixCorrector


def suggest(client: TestClient, q: str, size: int = 8) -> dict[str, object]:
    r = client.get("/suggest", params={"q": q, "size": size})
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    assert body["prefix"] == q
    return body


@pytest.mark.parametrize(
    ("typed", "corrected", "kind", "label"),
    [
        ("anxeity", "anxiety", "issue", "Anxiety"),
        ("anxe", "anxi", "issue", "Anxiety"),
        ("depresion", "depression", "issue", "Depression"),
        ("trauam", "trauma", "issue", "Trauma and PTSD"),
        ("portlnd", "portland", "city", "Portland, OR"),
        ("couples counselng", "couples counseling", "therapy_type", "Couples Counseling"),
    ],
)
def test_a_typo_in_the_last_word_is_forgiven(
    client: TestClient, typed: str, corrected: str, kind: str | None, label: str | None
) -> None:
    body = suggest(client, typed)
    assert body["corrected_prefix"] == corrected
    items = body["suggestions"]
    assert isinstance(items, list)
    if kind is not None:
        assert {"type": kind, "label": label} in [
            {"type": s["type"], "label": s["label"]} for s in items
        ]


@pytest.mark.parametrize("typed", ["anxi", "emdr", "kowalski", "972", "anz", "portland"])
def test_what_is_typed_right_is_not_corrected(client: TestClient, typed: str) -> None:
    assert suggest(client, typed)["corrected_prefix"] is None


def test_the_typed_prefix_answers_first(client: TestClient) -> None:
    exact = suggest(client, "couples", size=20)["suggestions"]
    assert isinstance(exact, list)
    typo = suggest(client, "couplse", size=20)
    assert typo["corrected_prefix"] == "couples"
    assert typo["suggestions"] == exact, "nothing starts with the typo: all are the correction's"


def test_the_corrector_rules() -> None:
    c = PrefixCorrector(["anger", "anxiety", "portland", "emdr"])
    assert c.correct("anxe") == "anxi", "the longer shared start wins a tie"
    assert c.correct("ange") is None, "a known beginning"
    assert c.correct("anx") is None, "under 4 letters"
    assert c.correct("9721") is None, "numbers"
    assert c.correct("porltand") == "portland", "a swap is one edit"
    assert c.correct("xxxxxx") is None
    assert c.known("portl") and not c.known("portx")
