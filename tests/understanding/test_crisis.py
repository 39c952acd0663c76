"""Crisis words, read before anything else (issue 25): what is a crisis, what is a subject, and
that their words are never corrected toward the vocabulary, places or names."""

from __future__ import annotations

import pytest

from search_core.understanding import Understander
from search_core.understanding.crisis import read_crisis

CRISES = [
    ("i want to kill myself", "suicide", True),
    ("i wanna kil myself tonight", "suicide", True),
    ("kill mysef", "suicide", True),
    ("gonna end my life", "suicide", True),
    ("kms", "suicide", True),
    ("kms lol idk", "suicide", True),
    ("i just want to end it all", "suicide", True),
    ("don't want to be here any more", "suicide", True),
    ("i wish i was dead", "suicide", True),
    ("nothing to live for", "suicide", True),
    ("tired of living", "suicide", True),
    ("i feel so suicidal", "suicide", True),
    ("sucidal thoughts", "suicide", False),
    ("suiside", "suicide", False),
    ("suicidal ideation therapist", "suicide", False),
    ("me quiero matar", "suicide", True),
    ("quiero suicidarme", "suicide", True),
    ("ya no quiero vivir", "suicide", True),
    ("i cut myself", "self_harm", True),
    ("burning myself", "self_harm", True),
    ("my son is hurting himself", "self_harm", True),
    ("selfharm", "self_harm", False),
    ("self injury teen", "self_harm", False),
    ("mi hija se corta", "self_harm", True),
    ("me estoy cortando", "self_harm", True),
    ("swallowed all my pills", "overdose", True),
    ("overdosing", "overdose", True),
    ("sobredosis", "overdose", False),
    ("my boyfriend hits me", "abuse", True),
    ("scared of my husband", "abuse", True),
    ("getting beaten", "abuse", True),
    ("abusive relationship", "abuse", False),
    ("child abuse", "abuse", False),
    ("mi novio me golpea", "abuse", True),
    ("i want to hurt someone", "violence", True),
    ("thoughts of harming my baby", "violence", True),
    ("homicidal thoughts", "violence", False),
    # said another way: passive wishes, a method, someone close, what is going on now
    ("i never want to wake up", "suicide", True),
    ("i hope i don't wake up tomorrow", "suicide", True),
    ("i want to go to sleep and never wake up", "suicide", True),
    ("i want it all to end", "suicide", True),
    ("thinking about ending things", "suicide", True),
    ("i want to disappear", "suicide", True),
    ("i want to hang myself", "suicide", True),
    ("i have a gun and i want to use it on myself", "suicide", True),
    ("i'm going to jump off a bridge", "suicide", True),
    ("i'm done with life", "suicide", True),
    ("life isn't worth living", "suicide", True),
    ("i don't see the point in living", "suicide", True),
    ("my son said he wants to die", "suicide", True),
    ("my daughter wants to kill herself", "suicide", True),
    ("i took a bottle of pills", "overdose", True),
    ("he won't stop hitting me", "abuse", True),
    ("my husband is hitting me", "abuse", True),
    ("he keeps beating me", "abuse", True),
    ("my boyfriend pushed me", "abuse", True),
    ("my uncle touches me", "abuse", True),
    ("someone is touching me", "abuse", True),
    ("he threatened to kill me", "abuse", True),
    ("i'm afraid he will kill me", "abuse", True),
    ("i don't feel safe at home", "abuse", True),
    ("i'm scared to go home", "abuse", True),
    ("my partner won't let me leave", "abuse", True),
    ("i was raped last night", "abuse", True),
    ("i'm scared i'll hurt my baby", "violence", True),
    ("i think about killing my husband", "violence", True),
    ("i just want to sleep forever", "suicide", True),
    ("i keep thinking about death", "suicide", True),
    ("nobody would miss me if i was gone", "suicide", True),
    ("everyone would be happier if i was dead", "suicide", True),
    ("i'm a burden to everyone", "suicide", True),
    ("i'm being sexually abused", "abuse", True),
    ("my stepfather molested me", "abuse", True),
    ("tengo miedo de mi esposo", "abuse", True),
    ("no me siento segura en casa", "abuse", True),
    ("mi papá me toca", "abuse", True),
    ("me violaron", "abuse", True),
]

NOT_CRISES = [
    "suicide prevention training",
    "suicide prevention ceus for counselors",
    "qpr gatekeeper training",
    "grief after suicide loss",
    "suicide loss survivors group",
    "my brother died by suicide",
    "lost my dad to suicide",
    "self harm research",
    "domestic violence survivors support group",
    "overdose prevention",
    "cutting edge therapy",
    "cutting back on drinking",
    "putting myself first",
    "i am amused",
    "this job is killing me",
    "kill the stigma",
    "hill",
    "emdr",
    "",
    # the same words about something else
    "my friend killed himself",
    "my brother took his own life last year",
    "my mom will kill me if i fail",
    "i killed it at the interview",
    "he hit me up last night",
    "my husband touched me deeply with his words",
    "i want to disappear from social media",
    "she wants to end things with her boyfriend",
    "done with life coaching",
    "life isn't worth it without coffee",
    "what's the point of therapy",
    "i'm afraid i'll hurt her feelings",
    "worried i might hurt my knee",
    "i don't feel safe driving",
    "he won't stop texting me",
    "thinking about the death of my mother",
    "me toca la guitarra",
]


@pytest.mark.parametrize(("text", "kind", "strong"), CRISES)
def test_crises(text: str, kind: str, strong: bool) -> None:
    signal = read_crisis(text).signal()
    assert signal is not None, text
    assert signal.kinds[0] == kind
    assert signal.strong is strong


@pytest.mark.parametrize("text", NOT_CRISES)
def test_subjects_and_ordinary_words_are_not_crises(text: str) -> None:
    assert read_crisis(text).signal() is None


@pytest.mark.parametrize(("text", "kind", "strong"), [c for c in CRISES if c[2]])
def test_articles_show_help_for_risk_language(text: str, kind: str, strong: bool) -> None:
    assert read_crisis(text).signal(topics=False) is not None


def test_articles_show_none_for_a_topic() -> None:
    for text in ("suicide", "self harm", "domestic violence", "overdose"):
        assert read_crisis(text).signal(topics=False) is None
        assert read_crisis(text).signal() is not None


def test_spanish_and_children() -> None:
    spanish = read_crisis("me quiero morir").signal()
    assert spanish is not None and spanish.spanish
    afraid = read_crisis("tengo miedo de mi esposo").signal()
    assert afraid is not None and afraid.spanish
    english = read_crisis("i want to die").signal()
    assert english is not None and not english.spanish
    child = read_crisis("my stepdad hits me").signal()
    assert child is not None and child.child
    adult = read_crisis("my wife hits me").signal()
    assert adult is not None and not adult.child


def test_several_kinds_most_serious_first() -> None:
    signal = read_crisis("he hits me and i want to die").signal()
    assert signal is not None and signal.kinds == ["suicide", "abuse"]


@pytest.mark.parametrize(
    "text",
    [
        "i want to kill myself",
        "kil myself",
        "i wanna die",
        "sucide",
        "my teenage son is cutting himself",
    ],
)
def test_crisis_words_are_never_corrected(u: Understander, text: str) -> None:
    got = u.understand(text)
    assert got.corrections == [], got.corrections
    assert got.text is None, "no word is left to match a name"
    assert got.crisis is not None
    assert u.did_you_mean(text) is None


def test_a_word_after_the_crisis_words_is_still_read(u: Understander) -> None:
    got = u.understand("i want to kill myself portland oregon spanish")
    assert got.crisis is not None and got.place is not None and got.place.label == "Portland, OR"
    assert got.filters.issues == ["suicidal-thoughts"] and got.filters.languages == ["spanish"]


def test_a_subject_keeps_its_words_and_issue(u: Understander) -> None:
    got = u.understand("suicide prevention training")
    assert got.crisis is None
    assert got.filters.issues == ["suicidal-thoughts"]
    assert got.text == "prevention training"
