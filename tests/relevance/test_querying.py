"""The lab reads places out of query text exactly as the API's search box does."""

from __future__ import annotations

import pytest

from search_core.relevance.judgments import Location, QuerySpec
from search_core.relevance.lab import Lab
from search_core.relevance.querying import default_radius_km, split_place


@pytest.mark.parametrize(
    ("text", "words", "place"),
    [
        ("anxiety therapist portland", "anxiety therapist", "Portland, OR"),
        ("emdr near 97214", "emdr", "97214 (Portland, OR)"),
        ("couples counseling in spanish", "couples counseling in spanish", None),
        ("chronic pain", "chronic pain", None),
        ("ocd psychologist new york", "ocd psychologist", "New York, NY"),
        ("therapist in atlanta", "therapist", "Atlanta, GA"),
    ],
)
def test_split_place(lab: Lab, text: str, words: str, place: str | None) -> None:
    rest, found = split_place(text, lab.geocoder())
    assert rest == words
    assert (found.label if found else None) == place


def test_explicit_location_wins_and_place_in_text_can_be_off(lab: Lab) -> None:
    spec = QuerySpec(qid="q", query="anxiety portland", location=Location(zip="10001", radius=5))
    r = lab.resolve(spec)
    assert r.near is not None and r.near.label is not None and "10001" in r.near.label
    assert r.near.radius_km == pytest.approx(5 * 1.609344)
    assert r.therapist_filters().issues == ["anxiety"], "the text is still understood"
    assert r.text is None, "the place word is gone"
    assert r.rank_text == "Anxiety", "the understood issue's label ranks"
    off = lab.resolve(QuerySpec(qid="q", query="anxiety portland", place_in_text=False))
    assert off.near is None and off.text == "anxiety portland"
    assert off.therapist_filters().issues == []
    on = lab.resolve(QuerySpec(qid="q", query="anxiety portland"))
    assert on.near is not None and on.near.radius_km == pytest.approx(default_radius_km())
