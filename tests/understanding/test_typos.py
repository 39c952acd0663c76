"""Typo forgiveness: one edit in words of 4 to 7 letters, two in longer ones; exact wins."""

from __future__ import annotations

import pytest

from search_core.understanding import Understander
from search_core.understanding.fuzzy import FuzzyIndex, allowed_edits, edit_distance


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [
        ("anxeity", "anxiety", 1),
        ("depresion", "depression", 1),
        ("ptsd", "ptsd", 0),
        ("teh", "the", 1),
        ("kitten", "sitting", 3),
        ("ca", "abc", 3),
        ("", "abc", 3),
    ],
)
def test_edit_distance_counts_a_swap_as_one(a: str, b: str, d: int) -> None:
    assert edit_distance(a, b, limit=3) == d


def test_allowance_by_length() -> None:
    assert [allowed_edits(w) for w in ("adh", "adhd", "anxiety", "insomnia", "97214")] == [
        0, 1, 1, 2, 0,
    ]  # fmt: skip


def test_index_prefers_distance_then_order() -> None:
    idx = FuzzyIndex(["anxiety", "anxious", "depression"])
    m = idx.best("anxeity")
    assert m is not None and (m.word, m.distance) == ("anxiety", 1)
    assert idx.best("anxiety") is None  # exact: nothing to correct
    assert idx.best("xyzzy") is None


@pytest.mark.parametrize(
    ("typed", "field", "value", "corrected"),
    [
        ("anxeity", "issues", ["anxiety"], "anxiety"),
        ("depresion therapist", "issues", ["depression"], "depression therapist"),
        ("insomina", "issues", ["insomnia"], "insomnia"),
        ("ptsd  and traumma", "issues", ["trauma-ptsd"], "ptsd  and trauma"),
        ("scizophrenia", "issues", ["psychosis"], "schizophrenia"),
        ("spansih speaking", "languages", ["spanish"], "spanish speaking"),
        ("psycologist", "profession", ["psychologist"], "psychologist"),
        ("adolesents", "age_groups", ["teens"], "adolescents"),
        ("teenagres", "age_groups", ["teens"], "teenagers"),
        ("takes aetnaa", "insurance", ["aetna"], "takes aetna"),
        ("obsesive compulsive disorder", "issues", ["ocd"], "obsessive compulsive disorder"),
    ],
)
def test_vocabulary_typos_are_forgiven_and_reported(
    u: Understander, typed: str, field: str, value: list[str], corrected: str
) -> None:
    r = u.understand(typed)
    assert getattr(r.filters, field) == value
    assert r.corrected_query == corrected
    assert r.corrections and all(c.kind == "vocabulary" for c in r.corrections)


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("sacremento", "Sacramento, CA"),
        ("portlnd grief", "Portland, OR"),
        ("chicgo", "Chicago, IL"),
        ("anxiety pheonix", "Phoenix, AZ"),
    ],
)
def test_place_typos_are_forgiven(u: Understander, typed: str, label: str) -> None:
    r = u.understand(typed)
    assert r.place is not None and r.place.label == label
    assert [c.kind for c in r.corrections] == ["place"]


@pytest.mark.parametrize(
    "typed",
    [
        "adh",
        "ocd",
        "sad",
        "cbt",
        "97215",
        "9721",
        "emdr",
        "sorry",
        "danger",
        "madness",
        "brief therapy",
        "perkins",
    ],
)
def test_exact_short_and_numeric_words_are_not_corrected(u: Understander, typed: str) -> None:
    assert u.understand(typed).corrections == []


def test_two_edits_only_in_long_words(u: Understander) -> None:
    assert u.understand("axnieyt").corrections == []  # 7 letters, 3+ edits
    assert u.understand("anxity").filters.issues == ["anxiety"]  # 6 letters, one deletion
    assert u.understand("anixety").filters.issues == ["anxiety"]
    assert u.understand("deprssion").filters.issues == ["depression"]
    assert u.understand("deprision").filters.issues == ["depression"]  # 9 letters, 1 edit
    assert u.understand("dpresson").filters.issues == ["depression"]  # 8 letters, 2 edits


def test_the_typed_word_is_kept_in_the_piece(u: Understander) -> None:
    r = u.understand("Anxeity in Portlnd")
    by_kind = {p.kind: p for p in r.pieces}
    assert by_kind["issue"].corrected_from == "Anxeity"
    assert by_kind["place"].corrected_from == "Portlnd"
    assert (
        r.notes[0] == 'Showing results for "anxiety in portland"; search instead for '
        '"Anxeity in Portlnd"'
    )


@pytest.mark.parametrize("typed", ["mario vega", "jaques dorvil", "dr mario"])
def test_a_correction_nothing_reads_is_undone(u: Understander, typed: str) -> None:
    """A name like "mario" is one edit from the city word "maria", but "maria" alone is no
    place: the word is searched as typed (a name), with no "showing results for" note."""
    r = u.understand(typed)
    assert r.corrections == [] and r.corrected_query is None
    assert not any("Showing results" in n for n in r.notes)
    assert r.text is not None and r.text.split()[-1] == typed.split()[-1]


def test_did_you_mean_for_a_typeahead_box(u: Understander) -> None:
    assert u.did_you_mean("anxeity") == "anxiety"
    assert u.did_you_mean("Depresion in Sacremento") == "depression in sacramento"
    assert u.did_you_mean("anxiety") is None


@pytest.mark.parametrize(
    ("typed", "not_read_as"),
    [
        ("i keep putting things off", "self-harm"),  # not "cutting"
        ("i can't stop thinking about my ex", "alcohol-use"),  # not "drinking"
        ("i'm independent but struggling", "codependency"),
        ("worried about my son's education", "medication-management"),
        ("i keep telling myself it's fine", "anger-management"),  # not "yelling"
        ("we are building a family", "school-issues"),  # not "bullying"
        ("i'm fully exhausted", "school-issues"),  # not "bully"
        ("i keep watching the news", "ocd"),  # not "washing"
    ],
)
def test_a_real_english_word_is_never_a_typo(u: Understander, typed: str, not_read_as: str) -> None:
    """An English word as common as :data:`~search_core.understanding.english.MIN_ZIPF` is
    searched as typed, however close it is to a vocabulary word: a misreading here would set
    a filter, or a crisis, that the person never asked for."""
    r = u.understand(typed)
    assert r.corrections == [], typed
    assert not_read_as not in (r.filters.issues or []) and not_read_as not in str(r.filters)
    assert u.did_you_mean(typed) is None


def test_typos_of_our_words_are_still_forgiven_beside_real_words(u: Understander) -> None:
    """Typos are rarer than the English words the corrector leaves alone: still corrected."""
    assert u.understand("theraphy for anxeity").filters.issues == ["anxiety"]
    assert u.understand("marrige problems").filters.issues == ["couples-conflict"]
    assert u.did_you_mean("therapist in pheonix") == "therapist in phoenix"
