"""A registry entry that misses a part, or that the index mapping cannot serve, is refused
loudly when it is registered or the mapping is loaded, naming the filter and the part."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_core.errors import MappingError
from search_core.filters import (
    FILTER_VOCABULARIES,
    Filter,
    FilterError,
    Wording,
    check,
    entries,
    get,
    mapping_problems,
    register,
    unregister,
)
from search_core.mappings import load_mapping
from search_core.vocabulary import Term, Vocabulary
from tests.conftest import PROJECT_ROOT

FAITHS = Vocabulary("faiths", (Term("buddhist", "Buddhist"), Term("jewish", "Jewish")))
GOOD = Filter(
    "faiths", "facet", "Faith traditions", Wording("back", 90, "sharing {}"), FAITHS, "jewish",
    piece="faith", softness=99,
)  # fmt: skip


@pytest.fixture
def registered() -> Iterator[Filter]:
    """``GOOD`` registered for the test, taken out again after it."""
    register(GOOD)
    try:
        yield GOOD
    finally:
        unregister(GOOD.name)


def test_a_complete_entry_passes() -> None:
    assert check(GOOD) is GOOD


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"vocabulary": None}, "needs a non-empty vocabulary"),
        ({"vocabulary": Vocabulary("faiths", ())}, "needs a non-empty vocabulary"),
        ({"example": "pagan"}, "example must be a vocabulary slug"),
        ({"help": " "}, "no help text"),
        ({"wording": Wording("back", 91, "sharing a faith")}, "does not show the values"),
        ({"wording": Wording("back", 91, "{}", style="state")}, "a facet is not written state"),
        ({"piece": None}, "reads_terms needs a piece kind"),
        ({"softness": get("languages").softness}, "is already ['languages']'s"),
        ({"wording": Wording("front", get("gender").wording.order)}, "already ['gender']'s"),
        ({"name": "issues"}, "registered twice"),
        ({"name": "faith-traditions"}, "must be a Python identifier"),
        ({"field": "religion"}, "its own index field"),
        ({"boosts": True, "kind": "flag", "vocabulary": None}, "only a facet boosts"),
        ({"kind": "fee", "vocabulary": None}, "a fee needs its bounds"),
    ],
)
def test_an_entry_missing_a_part_is_refused(changes: dict[str, object], needle: str) -> None:
    broken = dataclasses.replace(GOOD, **changes)  # type: ignore[arg-type]
    with pytest.raises(FilterError, match="filter '") as caught:
        register(broken)
    assert needle in str(caught.value)
    assert all(e is not broken for e in entries())  # nothing half-registered
    assert "faiths" not in FILTER_VOCABULARIES


def test_the_mapping_serves_every_registered_filter() -> None:
    mapping = load_mapping(PROJECT_ROOT / "mappings", "therapists")
    assert mapping_problems(mapping.properties) == []


def test_a_mapping_without_the_filters_field_is_refused(registered: Filter, tmp_path: Path) -> None:
    """The new filter's field is missing from the mapping: loading it fails, naming both."""
    for path in (PROJECT_ROOT / "mappings").glob("*.json"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    with pytest.raises(MappingError) as caught:
        load_mapping(tmp_path, "therapists")
    assert "filter 'faiths': field 'faiths' is missing, not keyword" in str(caught.value)


@pytest.mark.parametrize(
    ("field", "change", "needle"),
    [
        ("languages", {"type": "text"}, "field 'languages' is text, not keyword"),
        ("gender", {"type": "keyword", "doc_values": False}, "no doc values to count"),
        ("telehealth", {"type": "keyword"}, "field 'telehealth' is keyword, not boolean"),
        ("issue_labels", {"type": "keyword"}, "label field 'issue_labels' is keyword"),
    ],
)
def test_a_mapping_that_cannot_serve_a_filter_is_refused(
    tmp_path: Path, field: str, change: dict[str, object], needle: str
) -> None:
    for path in (PROJECT_ROOT / "mappings").glob("*.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        if path.stem == "therapists":
            body["mappings"]["properties"][field] = change
        (tmp_path / path.name).write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(MappingError, match="does not fit the filters") as caught:
        load_mapping(tmp_path, "therapists")
    assert needle in str(caught.value)


def test_every_label_field_is_weighted_by_the_default_tuning() -> None:
    """A facet's labels are searched as words only when the tuning weighs their field."""
    from search_core.tuning import Tuning

    labelled = {e.label_field for e in entries() if e.label_field is not None}
    assert labelled <= set(Tuning().therapist_fields)
