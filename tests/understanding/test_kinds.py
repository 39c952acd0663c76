"""Words anywhere in the text become their filter: queries of every kind, written for these
tests (none from the issue), each checked for what it sets and for what is left as text."""

from __future__ import annotations

from typing import Any

import pytest

from search_core.documents import Therapist
from search_core.understanding import AFFORDABLE_MAX_FEE, Understander
from search_core.understanding.couples import COUPLES
from tests.understanding.conftest import hits

# (typed, expected filters (subset of TherapistFilters as a dict), words left for text search)

CASES: list[tuple[str, dict[str, Any], str | None]] = [
    # age groups
    ("therapist for my teenager", {"age_groups": ["teens"]}, None),
    ("Teenagers anxiety", {"age_groups": ["teens"], "issues": ["anxiety"]}, None),
    (
        "counseling for elderly parents with dementia",
        {"age_groups": ["elders"], "issues": ["dementia"]},
        None,  # "parents" only ranks (an everyday word)
    ),
    ("seniors grief", {"age_groups": ["elders"], "issues": ["grief-loss"]}, None),
    (
        "play therapy for toddlers",
        {"therapy_types": ["play-therapy"], "age_groups": ["toddlers"]},
        None,
    ),
    # languages
    ("Spanish-speaking therapist", {"languages": ["spanish"]}, None),
    ("habla español", {"languages": ["spanish"]}, None),
    ("Therapist who speaks Korean", {"languages": ["korean"]}, None),
    ("chinese speaking counselor", {"languages": ["mandarin", "cantonese"]}, None),
    ("bilingual vietnamese", {"languages": ["vietnamese"]}, None),
    ("ASL", {"languages": ["asl"]}, None),
    # insurance
    ("takes blue cross", {"insurance": ["bcbs"]}, None),
    ("accepts BCBS", {"insurance": ["bcbs"]}, None),
    ("in network with united healthcare", {"insurance": ["united-healthcare"]}, None),
    (
        "medicare therapist for depression",
        {"insurance": ["medicare"], "issues": ["depression"]},
        None,
    ),
    ("tricare military", {"insurance": ["tricare"], "populations": ["veterans"]}, None),
    # gender
    ("woman therapist", {"gender": ["female"]}, None),
    ("a male counselor for anger", {"gender": ["male"]}, "anger"),
    ("nonbinary therapist", {"gender": ["non-binary"]}, None),
    ("therapist for women", {}, "women"),  # nothing else asked: the word is the request
    # profession and credentials
    ("LMFT", {"profession": ["marriage-family-therapist"]}, None),
    ("marriage counselor", {"any_of": [COUPLES]}, None),
    (
        "psychiatrist who can prescribe",
        {"profession": ["psychiatrist", "psychiatric-nurse-practitioner"]},
        None,
    ),
    ("PsyD", {"profession": ["psychologist"]}, None),
    ("licensed clinical social worker", {"profession": ["clinical-social-worker"]}, None),
    (
        "nurse practitioner for meds",
        {
            "profession": ["psychiatric-nurse-practitioner"],
            "therapy_types": ["medication-management"],
        },
        None,
    ),
    # telehealth, in person, accepting
    ("virtual therapy", {"telehealth": True}, None),
    ("video sessions for ocd", {"telehealth": True, "issues": ["ocd"]}, None),
    ("in-person counseling", {"in_person": True}, None),
    ("accepting new patients", {"accepting_new_clients": True}, None),
    (
        "psychiatrist accepting medicaid",
        {"profession": ["psychiatrist"], "insurance": ["medicaid"]},
        None,
    ),
    ("online or in person", {}, None),
    # price
    ("under $100", {"max_fee": 100}, None),
    ("less than 150 dollars a session", {"max_fee": 150}, None),
    ("$90 or less", {"max_fee": 90}, None),
    ("affordable therapist", {"max_fee": AFFORDABLE_MAX_FEE}, None),
    ("sliding scale fees", {"sliding_scale": True}, None),
    ("no more than 80 bucks", {"max_fee": 80}, None),
    # issues, therapy types, populations with lay forms
    (
        "feeling depressed and anxious",
        {"issues": ["depression", "anxiety"], "all_of": ["issues:depression", "issues:anxiety"]},
        None,
    ),
    ("panic attacks", {"issues": ["panic"]}, None),
    ("PTSD from the war", {"issues": ["trauma-ptsd"]}, "war"),
    ("eating disorders", {"issues": ["eating-disorders"]}, None),
    ("my wife cheated, affair recovery", {"issues": ["infidelity"]}, None),
    ("cognitive behavioral therapy", {"therapy_types": ["cbt"]}, None),
    ("DBT skills group", {"therapy_types": ["dbt"]}, "skills"),
    ("gay couples", {"populations": ["lgbtq"], "any_of": [COUPLES]}, None),
    (
        "christian counseling for marriage problems",
        {"populations": ["faith-based"], "issues": ["couples-conflict"]},
        None,
    ),
    (
        "first responders trauma",
        {"populations": ["first-responders"], "issues": ["trauma-ptsd"]},
        None,
    ),
    ("postpartum depression", {"issues": ["perinatal"]}, None),
    ("can't sleep", {"issues": ["insomnia"]}, None),
    ("ACT for chronic pain", {"therapy_types": ["act"], "issues": ["chronic-pain"]}, None),
    # filler only, and free text kept as typed
    ("i need someone to help me with my grief", {"issues": ["grief-loss"]}, None),
    ("looking for a good therapist", {}, None),
    ("internal family systems parts work", {"therapy_types": ["ifs"]}, None),
    ("perfectionism", {}, "perfectionism"),
]


@pytest.mark.parametrize(("typed", "expected", "text"), CASES, ids=[c[0] for c in CASES])
def test_understood(
    u: Understander, typed: str, expected: dict[str, Any], text: str | None
) -> None:
    r = u.understand(typed)
    assert r.filters.model_dump(exclude_defaults=True) == expected
    assert r.text == text


@pytest.mark.parametrize("typed", [c[0] for c in CASES if c[1]], ids=[c[0] for c in CASES if c[1]])
def test_understood_requests_exist_in_the_data(
    u: Understander, therapists: list[Therapist], typed: str
) -> None:
    assert hits(therapists, u.understand(typed)), typed


def test_act_and_do_lower_case_are_words_not_terms(u: Understander) -> None:
    assert u.understand("how do i act on my anger").filters.therapy_types == []
    assert u.understand("how do i act on my anger").filters.profession == []
    assert u.understand("DO for adhd").filters.profession == ["psychiatrist"]


def test_loose_lay_words_boost_but_keep_their_words(u: Understander) -> None:
    r = u.understand("always sad and worried")
    sad = next(p for p in r.pieces if p.text == "sad")
    assert sad.kind == "issue" and not sad.hard and sad.filter == {}
    assert r.filters.issues == [] and r.text is not None and "sad" in r.text


def test_hard_vocabulary_pieces_come_back_as_boost_phrases(u: Understander) -> None:
    r = u.understand("emdr for ptsd veterans")
    assert r.boost_phrases == ["EMDR", "Trauma and PTSD", "Veterans and Military"]


def test_pieces_quote_the_text_as_typed(u: Understander) -> None:
    r = u.understand("Habla Español, TAKES Aetna")
    typed = {p.kind: p.text for p in r.pieces}
    assert typed["language"] == "Habla Español" and typed["insurance"] == "Aetna"


def test_piece_filters_are_api_parameters(u: Understander) -> None:
    from search_core.queries import TherapistFilters

    allowed = set(TherapistFilters.model_fields) | {"zip", "city", "lat", "lon", "radius", "unit"}
    r = u.understand("female LCSW online under $120 for teens anxiety spanish aetna 97214")
    params = {k for p in r.pieces for k in p.filter}
    assert params <= allowed and len(params) >= 8


def test_explicit_filters_win(u: Understander) -> None:
    from search_core.queries import TherapistFilters

    explicit = TherapistFilters(gender=["male"], telehealth=False)
    r = u.understand("female therapist online for anxiety", explicit_filters=explicit)
    assert r.filters.gender == ["male"] and r.filters.telehealth is False
    assert r.filters.issues == ["anxiety"]
    assert r.explicit == explicit
    assert any("your filter is used" in n for n in r.notes)


def test_result_is_frozen(u: Understander) -> None:
    from pydantic import ValidationError

    r = u.understand("anxiety")
    with pytest.raises(ValidationError):
        r.text = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "the the the",
        "!!! ??? ...",
        '"quoted" OR AND NOT (x)',
        "a" * 400,
        "therapist " * 60,
        "$$$ 99999999 under",
        "in in near near me me",
    ],
)
def test_nothing_breaks_a_parse(u: Understander, typed: str) -> None:
    r = u.understand(typed)
    assert r.original == typed[:200]
    for p in r.pieces:
        assert p.text


@pytest.mark.parametrize(
    ("typed", "group"),
    [
        ("my 8 year old has adhd", "children"),
        ("therapist for my 15 yo", "teens"),
        ("age 4 speech", "toddlers"),
        ("my mom is 70 years old", "elders"),
        ("aged 30", "adults"),
    ],
)
def test_an_age_picks_its_age_group(u: Understander, typed: str, group: str) -> None:
    assert u.understand(typed).filters.age_groups == [group]
