"""The text-matching rules both engines read (``search_core.text_query``): how many words a
match needs (``minimum_should_match``) and how many edits a word may differ by
(``fuzziness``, ``fuzzy_scope``); and the tuning file refusing what they cannot mean."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from search_core.text_query import (
    fuzzy_distance,
    parse,
    required_count,
    search_units,
    word_edits,
)
from search_core.tuning import Tuning


@pytest.mark.parametrize(
    ("spec", "n", "needed"),
    [
        ("100%", 5, 5),
        ("2", 5, 2),
        ("2", 1, 1),  # never more than there are
        ("-1", 5, 4),
        ("-1", 1, 1),  # never fewer than one
        ("75%", 4, 3),
        ("75%", 3, 2),  # rounded down, as Elasticsearch does
        ("-25%", 4, 3),
        ("-25%", 3, 3),  # 25% of 3 is 0 words allowed to miss
        ("3<75%", 3, 3),  # all of up to three words
        ("3<75%", 4, 3),
        ("3<75%", 8, 6),
        ("0%", 4, 1),
    ],
)
def test_required_count_follows_elasticsearch(spec: str, n: int, needed: int) -> None:
    assert required_count(spec, n) == needed


@pytest.mark.parametrize(
    ("word", "fuzziness", "edits"),
    [
        ("tom", "auto", 0),
        ("anna", "auto", 1),
        ("perkins", "auto", 1),
        ("patricia", "auto", 2),
        ("97214", "auto", 0),
        ("97214", 2, 0),
        ("2nd", 1, 0),
        ("grief", 1, 1),  # a number of edits: from fuzzy_min_length (5) letters
        ("adhd", 1, 0),
        ("anxiety", 0, 0),
    ],
)
def test_fuzzy_distance(word: str, fuzziness: int | str, edits: int) -> None:
    assert fuzzy_distance(word, fuzziness, 5) == edits


def test_fuzzy_scope_limits_the_fields() -> None:
    scoped = Tuning(fuzziness="auto", fuzzy_scope=["name"])
    assert word_edits("perkins", "name", scoped) == 1
    assert word_edits("perkins", "bio", scoped) == 0
    everywhere = Tuning(fuzziness="auto")
    assert word_edits("perkins", "bio", everywhere) == 1
    assert word_edits("perkins", "name", Tuning(fuzziness=0, fuzzy_scope=["name"])) == 0


def test_rank_text_units_are_all_optional() -> None:
    units = search_units("grief counseling", "all", True, rank_text="Depression Teens")
    typed = parse("grief counseling", True)
    assert units[: len(typed)] == typed
    assert [u.required for u in units[len(typed) :]] == [False, False]
    assert search_units(None, "all", True, rank_text=None) == []


@pytest.mark.parametrize("bad", ["101%", "abc", "3<", "<75%", "-200%", "1.5", ""])
def test_minimum_should_match_refuses_what_it_cannot_mean(bad: str) -> None:
    with pytest.raises(ValidationError):
        Tuning(minimum_should_match=bad)


def test_fuzzy_scope_names_searched_fields() -> None:
    Tuning(fuzzy_scope=["name", "author.name"])
    with pytest.raises(ValidationError, match="nmae"):
        Tuning(fuzzy_scope=["nmae"])


def test_the_default_tuning_corrects_names_and_needs_most_words() -> None:
    t = Tuning.load()
    assert t.fuzziness == "auto" and t.fuzzy_scope == ["name", "author.name"]
    assert t.minimum_should_match == "3<75%"
