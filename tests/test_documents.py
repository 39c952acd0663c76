"""Document models: what a record must satisfy to be indexed, and the reasons given when not."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from search_core.documents import MAX_OFFICES, STORED, Article, Location, Therapist
from search_core.filters import FILTER_VOCABULARIES
from search_core.index_docs import therapist_doc, therapist_from_doc
from search_core.vocabulary import (
    ISSUES,
    THERAPY_TYPES,
    synonym_groups,
)


def therapist(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "t0000001",
        "slug": "ana-ruiz-lcsw-1",
        "name": "Ana Ruiz",
        "credentials": ["LCSW"],
        "profession": "clinical-social-worker",
        "gender": "female",
        "pronouns": "she/her",
        "bio": "I work with anxiety.",
        "issues": ["anxiety"],
        "therapy_types": ["cbt"],
        "age_groups": ["adults"],
        "languages": ["english", "spanish"],
        "insurance": ["aetna"],
        "fee_min": 100,
        "fee_max": 150,
        "sliding_scale": True,
        "telehealth": False,
        "licensed_states": ["OR"],
        "accepting_new_clients": True,
        "last_confirmed": "2026-05-01",
        "years_in_practice": 8,
        "offices": [
            {
                "id": "o1",
                "street": "1 Main St",
                "city": "Portland",
                "state": "OR",
                "zip": "97214",
                "location": {"lat": 45.51, "lon": -122.64},
            }
        ],
    }
    base.update(changes)
    return base


def reasons(data: dict[str, Any], model: type = Therapist) -> str:
    with pytest.raises(ValidationError) as err:
        model.model_validate(data)
    return str(err.value)


def test_valid_therapist_round_trips_through_index_doc() -> None:
    t = Therapist.model_validate(therapist())
    doc = therapist_doc(t)
    assert doc["issue_labels"] == ["Anxiety"]
    assert doc["offices"][0]["city_slug"] == "portland-or"
    assert doc["in_person"] is True
    assert therapist_from_doc(doc) == t


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("issues", ["anxiety", "anxeity"], "unknown issues value(s): 'anxeity'"),
        ("therapy_types", ["cbt", "cbt"], "duplicate therapy_types"),
        ("languages", ["klingon"], "unknown languages value(s)"),
        ("credentials", ["LCSW", "Dr"], "unknown credential(s): 'Dr'"),
        ("licensed_states", ["ZZ"], "unknown US state code 'ZZ'"),
        ("profession", "wizard", "unknown professions value 'wizard'"),
        ("fee_min", -5, "greater than or equal to 0"),
        ("last_confirmed", "yesterday", "last_confirmed"),
    ],
)
def test_bad_values_are_rejected_with_the_reason(field: str, value: Any, expected: str) -> None:
    assert expected in reasons(therapist(**{field: value}))


def test_fee_range_must_be_ordered() -> None:
    assert "fee_min is greater than fee_max" in reasons(therapist(fee_min=200, fee_max=100))


def test_no_office_requires_telehealth() -> None:
    assert "must offer telehealth" in reasons(therapist(offices=[], telehealth=False))
    assert Therapist.model_validate(therapist(offices=[], telehealth=True)).in_person is False


def test_office_limit_and_coordinates() -> None:
    office = therapist()["offices"][0]
    many = [{**office, "id": f"o{i}"} for i in range(MAX_OFFICES + 1)]
    assert f"at most {MAX_OFFICES} items" in reasons(therapist(offices=many))
    bad = {**office, "location": {"lat": 95, "lon": 0}}
    assert "offices.0.location.lat" in reasons(therapist(offices=[bad])).replace("\n", ".")
    assert "zip" in reasons(therapist(offices=[{**office, "zip": "9721"}]))


def test_unknown_fields_are_rejected() -> None:
    assert "Extra inputs are not permitted" in reasons(therapist(favourite_color="blue"))


def test_location_shape() -> None:
    loc = {
        "id": "zip-97214",
        "kind": "zip",
        "name": "97214",
        "slug": "97214",
        "state": "OR",
        "state_name": "Oregon",
        "location": {"lat": 45.5, "lon": -122.6},
        "parent": "portland-or",
        "zip": "97214",
        "city": "Portland",
    }
    assert Location.model_validate(loc).parent == "portland-or"
    assert "needs its parent" in reasons({**loc, "parent": None}, Location)
    assert "zip is set exactly" in reasons({**loc, "zip": None}, Location)


def test_article_topics_are_controlled() -> None:
    art = {
        "id": "a0001",
        "slug": "x",
        "title": "T",
        "author": {"name": "A"},
        "published": "2024-01-01",
        "topics": ["not-a-topic"],
        "summary": "s",
        "body": "b",
    }
    assert "unknown article_topics value(s)" in reasons(art, Article)


def location(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "portland-or",
        "kind": "city",
        "name": "Portland",
        "slug": "portland-or",
        "state": "OR",
        "state_name": "Oregon",
        "county": "Multnomah",
        "location": {"lat": 45.5, "lon": -122.6},
        "parent": "or",
    }
    return base | changes


def article(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "a0001",
        "slug": "x",
        "title": "Coping with worry",
        "author": {"name": "Ana Ruiz"},
        "published": "2024-01-01",
        "topics": ["anxiety"],
        "summary": "How to cope.",
        "body": "First paragraph.\n\n\tSecond paragraph.\r\n",
        "comments": [
            {"id": "c1", "author_name": "Sam", "date": "2024-01-02T10:00:00Z", "text": "Thanks"}
        ],
    }
    return base | changes


OFFICE = therapist()["offices"][0]
COMMENT = article()["comments"][0]
TEXT_FIELDS: list[tuple[str, type, Any]] = [
    # (where, model, a function putting the text there)
    ("name", Therapist, lambda v: therapist(name=v)),
    ("pronouns", Therapist, lambda v: therapist(pronouns=v)),
    ("bio", Therapist, lambda v: therapist(bio=v)),
    ("offices.0.street", Therapist, lambda v: therapist(offices=[{**OFFICE, "street": v}])),
    ("offices.0.city", Therapist, lambda v: therapist(offices=[{**OFFICE, "city": v}])),
    ("name", Location, lambda v: location(name=v)),
    ("state_name", Location, lambda v: location(state_name=v)),
    ("county", Location, lambda v: location(county=v)),
    ("title", Article, lambda v: article(title=v)),
    ("author.name", Article, lambda v: article(author={"name": v})),
    ("summary", Article, lambda v: article(summary=v)),
    ("body", Article, lambda v: article(body=v)),
    (
        "comments.0.author_name",
        Article,
        lambda v: article(comments=[{**COMMENT, "author_name": v}]),
    ),
    ("comments.0.text", Article, lambda v: article(comments=[{**COMMENT, "text": v}])),
]
EVERY_TEXT_FIELD = pytest.mark.parametrize(
    ("where", "model", "make"), TEXT_FIELDS, ids=[w for w, _, _ in TEXT_FIELDS]
)
MULTI_LINE = {"bio", "summary", "body", "comments.0.text"}
CONTROLS = {
    "\x00": "U+0000 (NUL)",
    "\x07": "U+0007 (BEL)",
    "\x1b": "U+001B (ESC)",
    "\x7f": "U+007F (DEL)",
    "\x85": "U+0085",
    "\u202e": "U+202E (RIGHT-TO-LEFT OVERRIDE)",
    "\u2066": "U+2066 (LEFT-TO-RIGHT ISOLATE)",
    "\u2069": "U+2069 (POP DIRECTIONAL ISOLATE)",
}


def value_at(obj: Any, where: str) -> Any:
    for part in where.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
    return obj


@pytest.mark.parametrize(
    ("where", "model", "make"), TEXT_FIELDS, ids=[w for w, _, _ in TEXT_FIELDS]
)
@pytest.mark.parametrize("char", list(CONTROLS), ids=list(CONTROLS.values()))
def test_control_characters_in_text_are_refused_with_the_reason(
    where: str, model: type, make: Any, char: str
) -> None:
    why = reasons(make(f"Ana{char}Ruiz"), model)
    assert where in why.replace("\n", ".")
    assert f"control character {CONTROLS[char]} at character 4: not allowed" in why


@pytest.mark.parametrize(
    ("where", "model", "make"), TEXT_FIELDS, ids=[w for w, _, _ in TEXT_FIELDS]
)
def test_tabs_and_line_breaks_only_in_multi_line_text(where: str, model: type, make: Any) -> None:
    text = "Ana\tRuiz\r\nSecond line"
    if where in MULTI_LINE:
        assert value_at(model.model_validate(make(text)), where) == text
    else:
        assert "U+0009 (TAB) at character 4: not allowed in one-line text" in reasons(
            make(text), model
        )


@pytest.mark.parametrize(
    ("where", "model", "make"), TEXT_FIELDS, ids=[w for w, _, _ in TEXT_FIELDS]
)
def test_records_read_back_from_an_index_have_control_characters_removed(
    where: str, model: type, make: Any
) -> None:
    """What an index built before the rule holds is served without them."""
    read = model.model_validate(make("A\x00n\x1ba\u202e \x85Ruiz\u2069"), context=STORED)
    assert value_at(read, where) == "Ana Ruiz"


def test_vocabularies_have_unique_slugs_and_labels() -> None:
    for vocab in FILTER_VOCABULARIES.values():
        assert len(set(vocab.slugs)) == len(vocab)
        assert len({t.label for t in vocab}) == len(vocab)


def test_clinical_synonyms_cover_the_abbreviations_searchers_type() -> None:
    groups = synonym_groups()

    def group_of(phrase: str) -> tuple[str, ...]:
        return next(g for g in groups if phrase in g)

    assert "cognitive behavioral therapy" in group_of("cbt")
    assert "post-traumatic stress" in group_of("ptsd")
    assert "eye movement desensitization and reprocessing" in group_of("emdr")
    assert "counselor" in group_of("therapist")
    assert all(p == p.lower() for g in groups for p in g)
    assert ISSUES["trauma-ptsd"].label == "Trauma and PTSD"
    assert "emdr" in THERAPY_TYPES
