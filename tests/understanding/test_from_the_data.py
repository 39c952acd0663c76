"""Texts written from real therapists' own attributes, with the vocabulary's labels and
synonyms in random order and forms: the understood request must keep that therapist. This
checks the general rules over the whole vocabulary, not a list of examples."""

from __future__ import annotations

import random

import pytest

from search_core.documents import Therapist
from search_core.filters import FILTER_VOCABULARIES
from search_core.queries import TherapistFilters
from search_core.understanding import Understander
from tests.understanding.conftest import satisfies

SAMPLE = 1500


def _phrase(rng: random.Random, facet: str, slug: str) -> str:
    term = FILTER_VOCABULARIES[facet][slug]
    forms = [term.label.split(" (")[0], *term.synonyms]
    return rng.choice(forms)


def _text(rng: random.Random, t: Therapist) -> tuple[str, str | None]:
    parts = [
        _phrase(rng, "issues", rng.choice(t.issues)),
        rng.choice(["female therapist", "woman therapist", "female"])
        if t.gender == "female"
        else rng.choice(["male therapist", "male"])
        if t.gender == "male"
        else "nonbinary therapist",
    ]
    if t.therapy_types and rng.random() < 0.5:
        parts.append(_phrase(rng, "therapy_types", rng.choice(t.therapy_types)))
    other = [lang for lang in t.languages if lang != "english"]
    if other:
        lang = FILTER_VOCABULARIES["languages"].label(rng.choice(other)).split(" (")[0]
        parts.append(rng.choice([f"{lang} speaking", f"speaks {lang}", f"in {lang}"]))
    if t.insurance and rng.random() < 0.7:
        parts.append("takes " + _phrase(rng, "insurance", rng.choice(t.insurance)))
    if rng.random() < 0.5:
        parts.append(_phrase(rng, "age_groups", rng.choice(t.age_groups)))
    if t.telehealth and rng.random() < 0.3:
        parts.append(rng.choice(["online", "virtual", "video"]))
    if rng.random() < 0.3:
        parts.append(f"under ${t.fee_min + rng.choice([0, 10, 50])}")
    rng.shuffle(parts)
    place = None
    if t.offices:
        o = rng.choice(t.offices)
        place = rng.choice([o.zip, f"{o.city}, {o.state}"])
        parts.insert(rng.randrange(len(parts) + 1), place)
    return " ".join(parts), place


def _sample(therapists: list[Therapist]) -> list[tuple[Therapist, str, str | None]]:
    rng = random.Random(1616)
    return [(t, *_text(rng, t)) for t in rng.sample(therapists, SAMPLE)]


def test_texts_from_a_therapist_keep_that_therapist(
    u: Understander, therapists: list[Therapist]
) -> None:
    lost = []
    for t, text, place in _sample(therapists):
        r = u.understand(text)
        # The place is checked by name: a fixture office may lie over 25 mi from its city's
        # centre, which is the data, not the parse.
        found = r.place.label if r.place is not None else None
        right_place = place is None or (found is not None and found.startswith(place))
        if not satisfies(t, r.filters, None) or r.text is not None or not right_place:
            lost.append((t.id, text, r.filters.model_dump(exclude_defaults=True), r.text))
    assert not lost, f"{len(lost)} of {SAMPLE}: {lost[:5]}"


def _values(f: TherapistFilters, facet: str) -> list[str]:
    """The facet's values, and those of a group that includes it: "couples", "marriage
    counseling" mean any of couples therapy, clients, issues or the MFT licence."""
    out = list(f.facet_values(facet))
    for group in f.any_of:
        out += [c.split(":", 1)[1] for c in group.split("|") if c.startswith(facet + ":")]
    return out


@pytest.mark.parametrize("facet", list(FILTER_VOCABULARIES))
def test_every_label_and_synonym_alone_sets_its_filter(u: Understander, facet: str) -> None:
    wrong = []
    for term in FILTER_VOCABULARIES[facet]:
        for form in (term.label.split(" (")[0], *term.synonyms):
            if facet == "gender" or form.lower() in {"counselor", "man"}:
                continue  # deliberate departures, see search_core.understanding.lexicon
            got = _values(u.understand(form).filters, facet)
            if got[:1] != [term.slug] and term.slug not in got:
                wrong.append((form, got))
    assert not wrong


def test_every_sure_lay_phrase_alone_sets_its_filter(u: Understander) -> None:
    from search_core.understanding.lay import (
        AGE_WORDS,
        INSURANCE_WORDS,
        LANGUAGE_WORDS,
        POPULATION_WORDS,
        PROFESSION_WORDS,
    )
    from search_core.understanding.lay_clinical import ISSUE_WORDS, THERAPY_WORDS

    wrong = []
    rows = (*ISSUE_WORDS, *THERAPY_WORDS, *AGE_WORDS, *POPULATION_WORDS, *INSURANCE_WORDS,
            *LANGUAGE_WORDS, *PROFESSION_WORDS)  # fmt: skip
    for phrases, facet, slugs, sure in rows:
        for phrase in phrases:
            r = u.understand(phrase)
            got = _values(r.filters, facet)
            if sure and not set(slugs) <= set(got):
                wrong.append((phrase, facet, got))
            if not sure and (got or not r.text):
                wrong.append((phrase, "boost", got))
    assert not wrong
