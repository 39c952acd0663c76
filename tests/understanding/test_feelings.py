"""What a person types about a loss or about being alone, in their own words, is understood as
the issue a therapist lists ("i feel so alone since my husband died": grief and loneliness), and
finds therapists in the committed data; a job lost is a career concern, not a bereavement."""

from __future__ import annotations

import pytest

from search_core.documents import Therapist
from search_core.understanding import Understander
from tests.understanding.conftest import hits


@pytest.mark.parametrize(
    ("typed", "issues"),
    [
        ("i feel so alone since my husband died", {"grief-loss", "loneliness"}),
        ("my mom passed away last month", {"grief-loss"}),
        ("widowed and struggling", {"grief-loss"}),
        ("lost my wife in march", {"grief-loss"}),
        ("the death of my brother", {"grief-loss"}),
        ("my dog died", {"grief-loss"}),
        ("i feel alone all the time", {"loneliness"}),
        ("no friends since the move", {"loneliness"}),
        ("lost my job and feel lost", {"career", "life-transitions", "depression"}),
        ("got laid off", {"career"}),
    ],
)
def test_a_loss_or_being_alone_in_everyday_words(
    u: Understander, therapists: list[Therapist], typed: str, issues: set[str]
) -> None:
    r = u.understand(typed)
    named_together = {v.removeprefix("issues:") for v in r.filters.all_of or []}
    assert set(r.filters.issues or []) | named_together == issues
    assert hits(therapists, r)


def test_a_lost_word_is_not_a_bereavement(u: Understander) -> None:
    for typed in ("lost my keys", "i feel lost", "lost and confused"):
        assert "grief-loss" not in (u.understand(typed).filters.issues or [])


@pytest.mark.parametrize(
    ("typed", "issue"),
    [
        ("he cheated on me", "infidelity"),
        ("she cheats", "infidelity"),
        ("we got divorced", "divorce"),
        ("we separated last year", "divorce"),
        ("i panicked at work", "panic"),
        ("i purged after dinner", "eating-disorders"),
        ("he gambled our savings away", "gambling"),
    ],
)
def test_a_word_in_another_form_is_the_same_issue(u: Understander, typed: str, issue: str) -> None:
    """A lay word is written once ("cheating", "divorce"); its other verb forms read the same."""
    assert issue in (u.understand(typed).filters.issues or [])


def test_the_most_common_words_are_not_made_an_issue(u: Understander) -> None:
    """'cut' (of 'cutting'), 'check' (of 'checking'), 'parent' (of 'parenting') say too many
    other things."""
    for typed in ("i got a pay cut", "check my insurance", "my parent", "school counselor"):
        r = u.understand(typed)
        assert not {"self-harm", "ocd", "parenting"} & set(r.filters.issues or []), typed


def test_a_nouns_verb_or_an_ambiguous_form_is_not_the_issue(u: Understander) -> None:
    """'drugged' is no drug use, 'feared for my life' no phobia, 'transitioned to a new job'
    no gender identity: only the forms of an "-ing" word are read, and not the ambiguous."""
    for typed, issue in (
        ("i was drugged at a party", "substance-use"),
        ("i feared for my life", "phobias"),
        ("i transitioned to a new job", "gender-identity"),
    ):
        assert issue not in (u.understand(typed).filters.issues or []), typed
