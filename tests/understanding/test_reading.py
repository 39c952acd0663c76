"""Issue 28 in the understanding alone: negation and its scope, several issues, couples, a
child inside a couples story, ages as numbers, and which leftover words only rank."""

from __future__ import annotations

import pytest

from search_core.understanding import Understander
from search_core.understanding.couples import COUPLES
from search_core.understanding.whom import likely_in_data


@pytest.mark.parametrize(
    ("typed", "none_of"),
    [
        ("no dbt", ["therapy_types:dbt"]),
        ("no dbt or cbt", ["therapy_types:dbt", "therapy_types:cbt"]),
        ("not religious nor christian", ["populations:faith-based"]),
        ("non-religious", ["populations:faith-based"]),
        ("I don't want a male therapist", ["gender:male"]),
        ("anxiety but without medication", ["therapy_types:medication-management"]),
        ("not a psychiatrist", ["profession:psychiatrist"]),
    ],
)
def test_negation_is_an_exclusion(u: Understander, typed: str, none_of: list[str]) -> None:
    r = u.understand(typed)
    assert r.filters.none_of == none_of
    assert r.filters.therapy_types == [] and r.filters.gender == [] and r.filters.profession == []
    assert r.text is None and r.rank_text is None, "negation words are never searched"
    assert all(p.label.startswith("not ") for p in r.pieces if p.filter.get("none_of"))


@pytest.mark.parametrize(
    ("typed", "issues"),
    [
        # what the person does not do is the trouble they describe
        ("she won't sleep", ["insomnia"]),
        ("i don't sleep", ["insomnia"]),
        ("i never sleep", ["insomnia"]),
        ("he doesn't sleep or eat", ["insomnia"]),
        ("i don't want to drink anymore", ["alcohol-use"]),
        ("i don't want to be depressed anymore", ["depression"]),
        # a denial asks for nothing, and leaves no therapist out
        ("i'm not depressed, just stressed", ["stress"]),
        ("no anxiety", []),
        ("not ocd", []),
        ("i don't have adhd", []),
        ("i don't feel depressed", []),
    ],
)
def test_a_negated_problem_is_never_an_exclusion(
    u: Understander, typed: str, issues: list[str]
) -> None:
    """A person's own trouble is never a kind of therapist to leave out ("won't sleep" left
    out every sleep specialist): it is described, or denied."""
    r = u.understand(typed)
    assert r.filters.none_of == [] and r.filters.issues == issues


def test_and_ends_the_scope_of_a_negation(u: Understander) -> None:
    r = u.understand("no dbt and anxiety")
    assert r.filters.none_of == ["therapy_types:dbt"] and r.filters.issues == ["anxiety"]


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        ("no waitlist", "accepting_new_clients", True),
        ("not expensive", "max_fee", 120),
        ("no more than $90", "max_fee", 90),
        ("not online", "in_person", True),
        ("not in person", "telehealth", True),
        ("non binary", "gender", ["non-binary"]),
    ],
)
def test_phrases_starting_with_a_negation_word_keep_their_meaning(
    u: Understander, typed: str, field: str, value: object
) -> None:
    r = u.understand(typed)
    assert getattr(r.filters, field) == value and r.filters.none_of == []


def test_a_negation_that_makes_no_exclusion_is_dropped(u: Understander) -> None:
    r = u.understand("no insurance anxiety")
    assert r.filters.none_of == [] and r.filters.insurance == [] and r.text is None


def test_several_issues_are_all_required_unless_or(u: Understander) -> None:
    r = u.understand("anxiety, ocd and insomnia")
    assert r.filters.all_of == ["issues:anxiety", "issues:ocd", "issues:insomnia"]
    assert u.understand("anxiety or insomnia").filters.all_of == []
    assert u.understand("anxiety therapist").filters.all_of == []


@pytest.mark.parametrize(
    "typed",
    ["marriage counselor", "couples therapist", "for my wife and me", "my husband and i",
     "our marriage is falling apart", "me and my girlfriend"],
)  # fmt: skip
def test_couples_is_the_couples_group(u: Understander, typed: str) -> None:
    r = u.understand(typed)
    assert r.filters.any_of == [COUPLES] and r.text is None


def test_a_child_in_a_couples_story_sets_no_age_group(u: Understander) -> None:
    r = u.understand("my wife and i keep fighting about my son")
    assert r.filters.any_of == [COUPLES] and r.filters.age_groups == []
    assert any("not an age group" in n for n in r.notes)
    assert u.understand("my son has adhd").filters.age_groups == ["children"]


@pytest.mark.parametrize(
    ("typed", "ages"),
    [
        # a time in the past: the client is the adult looking back
        ("childhood trauma", []),
        ("i was abused as a child", []),
        ("i was bullied as a kid", []),
        ("when i was a little kid my father hit me", []),
        ("i was molested as a teenager", []),
        ("since we were teens", []),
        ("i was abused when i was 12 years old", []),
        ("growing up my parents fought", []),
        ("adult child of an alcoholic", ["adults"]),
        # whom the therapy is for
        ("my teenage son is depressed", ["teens"]),
        ("therapist for my child", ["children"]),
        ("as a parent of a teen", ["teens"]),
        ("my 9 year old", ["children"]),
    ],
)  # fmt: skip
def test_a_life_stage_in_the_past_sets_no_age_group(
    u: Understander, typed: str, ages: list[str]
) -> None:
    r = u.understand(typed)
    assert r.filters.age_groups == ages
    assert r.text is None or not {"child", "kid", "teenager", "teens"} & set(r.text.split())


@pytest.mark.parametrize(
    ("typed", "age"),
    [("my 9 year old", "children"), ("nine year old", "children"), ("my 15yo", "teens"),
     ("aged 70", "elders"), ("my 3 year old", "toddlers")],
)  # fmt: skip
def test_ages_as_numbers(u: Understander, typed: str, age: str) -> None:
    assert u.understand(typed).filters.age_groups == [age]


def test_ordinary_leftover_words_only_rank(u: Understander) -> None:
    r = u.understand("compassionate therapist for my mom evenings perfectionism")
    assert r.text == "perfectionism" and r.corrections == [], "ordinary words are not typos"
    assert r.rank_text == "compassionate mom evenings"
    assert not likely_in_data("s") and not likely_in_data("mom") and likely_in_data("perkins")
