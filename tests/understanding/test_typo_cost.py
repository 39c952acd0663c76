"""The cost of typo correction is bounded whatever is typed (issue 24): counted, not timed.

A word longer than the longest dictionary word plus its allowance can be nobody's typo and is
not looked up; any other word looks up at most the deletion strings of a word of that length
and checks at most ``MAX_CANDIDATES`` dictionary words with the true distance.
"""

from __future__ import annotations

import string

import pytest

from search_core.geocode import Geocoder
from search_core.suggesting import PrefixCorrector, corrector_for
from search_core.understanding import Understander
from search_core.understanding.fuzzy import MAX_CANDIDATES, MAX_EDITS, FuzzyIndex


def _most_keys(longest: int) -> int:
    """Deletion strings of a word of ``longest + 2`` letters: itself, n singles, n(n-1)/2
    pairs."""
    n = longest + MAX_EDITS
    return 1 + n + n * (n - 1) // 2


HOSTILE = [
    "a" * 200,
    "ñ" * 200,
    string.ascii_lowercase * 7,
    "anxiety" * 28,
    "depressionanxiety",
    "abcdefghijklmnopqrst",  # 20 letters: looked up, nothing close
    "eaieaieaieaieaieaiea",
    "stststststststststst",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_a_hostile_word_costs_a_bounded_number_of_lookups(u: Understander, typed: str) -> None:
    cost = u.fuzzy.lookup(typed)
    assert cost.keys <= _most_keys(u.fuzzy.longest)
    assert cost.candidates <= MAX_CANDIDATES


def test_a_word_longer_than_any_typo_is_not_looked_up(u: Understander) -> None:
    cost = u.fuzzy.lookup("a" * 200)
    assert (cost.match, cost.keys, cost.candidates) == (None, 0, 0)
    r = u.understand("a" * 200)
    assert r.text == "a" * 200  # searched as typed, nothing corrected
    assert r.corrections == [] and r.corrected_query is None
    assert u.did_you_mean("a" * 200) is None


def test_the_longest_words_are_still_corrected(u: Understander) -> None:
    """The cut-off loses nothing: the longest dictionary word with two extra letters (its
    allowance) is still found, with three it cannot be (and is not looked up)."""
    longest = max(
        (w for w in u.fuzzy._rank if len(w) == u.fuzzy.longest),
        key=lambda w: w,
    )
    two_more = longest[:3] + "xx" + longest[3:]
    m = u.fuzzy.best(two_more)
    assert m is not None and (m.word, m.distance) == (longest, 2)
    assert u.fuzzy.lookup(longest[:3] + "xxx" + longest[3:]).keys == 0


def test_many_words_sharing_deletions_are_checked_up_to_the_cap() -> None:
    # 676 words of 8 letters that all become "abcdef" with two deletions
    words = [f"abcdef{x}{y}" for x in string.ascii_lowercase for y in string.ascii_lowercase]
    idx = FuzzyIndex(words)
    cost = idx.lookup("abcdefq")  # "abcdef" is one of its deletions
    assert cost.candidates == MAX_CANDIDATES
    assert cost.match is not None and cost.match.distance == 1  # "abcdefq?": one insertion


def test_a_long_text_of_near_words_is_read_whole(u: Understander) -> None:
    """Forty near-vocabulary words (the most a text is read for) are all corrected."""
    text = " ".join(["anxeity"] * 40)[:200]
    r = u.understand(text)
    assert r.filters.issues == ["anxiety"]
    assert {c.corrected for c in r.corrections} == {"anxiety"}


def test_the_typeahead_corrector_skips_words_no_beginning_is_near(geocoder: Geocoder) -> None:
    corrector = corrector_for(geocoder)
    assert corrector.correct("a" * 50) is None
    assert corrector.correct("anxe") == "anxi"
    small = PrefixCorrector(["portland"])
    assert small.longest == len("portland")
    assert small.correct("portlnd") == "portland"
    assert small.correct("portlandxx") is None  # two letters past the longest: no typo of it
