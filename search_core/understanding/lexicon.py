"""The lexicon: every phrase the search box understands, and what each one sets.

Built once from the controlled vocabularies (:mod:`search_core.vocabulary`: labels, the
abbreviation in a label's parentheses, synonyms, one-way lay words), the credentials, the lay
words of :mod:`.lay` and the filler of :mod:`.filler`. Phrases are keyed by their plural-tolerant
folded words (:func:`.text.stem`), so "Teenagers", "teenager's" and "teenager" are one key.

Some deliberate departures from the vocabulary file, because searchers use these words loosely:

* a bare "counselor" is filler (people say it of any therapist), not the Professional Counselor
  profession; "professional counselor", "LPC", "mental health counselor" are the profession;
* "man" (a synonym of Male) names a gender only before a therapist word ("man therapist");
* a term's *lay* words in the vocabulary file ("worry", "sad", "faith") only boost;
* abbreviations that are also common words ("ACT", "DO", "ADD") count only typed in capitals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

import search_core.filters as filter_registry
from search_core.filters import FILTER_VOCABULARIES
from search_core.filters import pieces as filter_pieces
from search_core.understanding.couples import COUPLES, COUPLES_LABEL, COUPLES_PHRASES
from search_core.understanding.english import english_words
from search_core.understanding.filler import FILLER_PHRASES, FILLER_WORDS
from search_core.understanding.inflection import too_common, verb_forms
from search_core.understanding.lay import (
    ACCEPTING_PHRASES,
    AFFORDABLE_PHRASES,
    AGE_WORDS,
    GENDER_NOUNS,
    GENDER_WORDS,
    IN_PERSON_PHRASES,
    INSURANCE_WORDS,
    LANGUAGE_WORDS,
    POPULATION_WORDS,
    PROFESSION_WORDS,
    SLIDING_PHRASES,
    TELEHEALTH_PHRASES,
    LayRow,
)
from search_core.understanding.lay_clinical import ISSUE_WORDS, THERAPY_WORDS
from search_core.understanding.text import stem, tokenize
from search_core.vocabulary import CREDENTIALS_BY_PROFESSION

KIND_OF_FACET: dict[str, str] = filter_pieces()
"""Facet → the kind of piece its words are read as (the registry's ``piece``)."""

OTHER_KINDS = ("telehealth", "in_person", "accepting", "price", "place", "name", "filler")
"""Kinds of pieces that are no facet."""

if TYPE_CHECKING:
    Kind = str
else:
    Kind = Literal[(*dict.fromkeys(KIND_OF_FACET.values()), *OTHER_KINDS)]
"""What a piece of the search text is read as."""

AFFORDABLE_MAX_FEE = 120
"""What "cheap" or "affordable" means per session, USD: about the cheapest third of the
fixture therapists' lowest fees (the median is 135)."""

SECULAR_PHRASES = ("secular", "nonreligious", "non religious", "not religious", "no religion")
"""Read as ruling faith-based practices out (see :mod:`.negation`)."""

UPPER_ONLY = frozenset({"act", "do", "add", "md"})
"""Abbreviations that are also everyday words: understood only when typed in capitals."""

THERAPIST_NOUNS = (
    "therapist",
    "counselor",
    "counsellor",
    "doctor",
    "clinician",
    "provider",
    "practitioner",
    "psychotherapist",
)
"""Generic words a gender noun may stand before ("man therapist"); profession words are left
for the profession ("female psychologist" = Female + Psychologist)."""


@dataclass(frozen=True, slots=True)
class Sense:
    """What a phrase means: the filter ``param`` = any of ``values``; ``hard`` when it filters,
    else it only boosts (its words stay in the text search)."""

    kind: Kind
    param: str
    values: tuple[str | bool | int, ...]
    hard: bool
    label: str
    upper_only: bool = False
    client_sensitive: bool = False
    """A gender word: not a filter right after "for"/"with" ("therapist for women")."""


def key_of(phrase: str) -> tuple[str, ...]:
    return tuple(stem(t.norm) for t in tokenize(phrase) if t.number is None)


def _label(facet: str, slug: str) -> str:
    return FILTER_VOCABULARIES[facet].label(slug)


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], tuple[Sense, ...]]
    max_len: int
    words: frozenset[str]
    """Every folded word of every phrase (the typo dictionary and the known words)."""

    def senses(self, key: tuple[str, ...]) -> tuple[Sense, ...]:
        return self.phrases.get(key, ())

    def issues_in(self, text: str) -> list[str]:
        """The issues the phrases of ``text`` name or hint at, in order, each once (longest
        phrase first; no typo correction, no places): "he cheated on me" → infidelity."""
        keys = [stem(t.norm) for t in tokenize(text) if t.number is None]
        out: dict[str, None] = {}
        i = 0
        while i < len(keys):
            for n in range(min(self.max_len, len(keys) - i), 0, -1):
                senses = self.phrases.get(tuple(keys[i : i + n]))
                if senses:
                    for sense in senses:
                        if sense.kind == "issue":
                            out.update(dict.fromkeys(str(v) for v in sense.values))
                    i += n
                    break
            else:
                i += 1
        return list(out)


class _Builder:
    def __init__(self) -> None:
        self.phrases: dict[tuple[str, ...], list[Sense]] = {}
        self.words: list[str] = []

    def add(self, phrase: str, sense: Sense, *, override: bool = False) -> None:
        key = key_of(phrase)
        if not key:
            return
        if len(key) == 1 and key[0] in UPPER_ONLY and sense.kind != "filler":
            sense = Sense(sense.kind, sense.param, sense.values, sense.hard, sense.label, True)
        senses = self.phrases.setdefault(key, [])
        if override:
            senses.clear()
        same = [s for s in senses if s.kind == sense.kind and s.values == sense.values]
        if not same:
            senses.append(sense)
        elif sense.hard and not same[0].hard:  # a sure lay word beats a loose one
            senses[senses.index(same[0])] = sense
        for t in tokenize(phrase):
            if t.number is None and t.norm not in self.words:
                self.words.append(t.norm)

    def facet(self, facet: str, slugs: tuple[str, ...], hard: bool, phrases: Iterable[str]) -> None:
        kind = KIND_OF_FACET[facet]
        label = " or ".join(_label(facet, s) for s in slugs)
        for p in phrases:
            self.add(p, Sense(kind, facet, slugs, hard, label))


def _abbreviation(label: str) -> str | None:
    if label.endswith(")") and " (" in label:
        inner = label.rsplit(" (", 1)[1][:-1]
        return inner if " " not in inner else None
    return None


def _base(label: str) -> str:
    return label.split(" (")[0]


@cache
def lexicon() -> Lexicon:
    """The lexicon, built once (a few milliseconds)."""
    b = _Builder()
    for facet, vocab in FILTER_VOCABULARIES.items():
        if not filter_registry.get(facet).reads_terms:  # gender words are read below
            continue
        for term in vocab:
            phrases = [_base(term.label), term.slug.replace("-", " "), *term.synonyms]
            abbr = _abbreviation(term.label)
            if abbr:
                phrases.append(abbr)
            if facet == "profession":
                phrases.extend(CREDENTIALS_BY_PROFESSION[term.slug])
            if facet == "age_groups" and "(" in term.label:
                phrases.append(_base(term.label))
            b.facet(facet, (term.slug,), True, [p for p in phrases if p.lower() != "counselor"])
            b.facet(facet, (term.slug,), False, term.lay)
    rows: tuple[LayRow, ...] = (
        *ISSUE_WORDS,
        *THERAPY_WORDS,
        *AGE_WORDS,
        *POPULATION_WORDS,
        *INSURANCE_WORDS,
        *LANGUAGE_WORDS,
        *PROFESSION_WORDS,
    )
    for phrases_, facet, slugs, hard in rows:
        b.facet(facet, slugs, hard, phrases_)
    for vocab_lang in FILTER_VOCABULARIES["languages"]:
        name = _base(vocab_lang.label)
        for form in (f"{name} speaking", f"{name} speaker", f"speaks {name}", f"in {name}"):
            b.facet("languages", (vocab_lang.slug,), True, [form])
    b.facet("languages", ("spanish",), True, ["habla espanol", "hablo espanol", "en espanol"])
    for word, slug in GENDER_WORDS.items():
        b.add(word, Sense("gender", "gender", (slug,), True, _label("gender", slug),
                          client_sensitive=True))  # fmt: skip
    for noun, slug in {**GENDER_WORDS, **GENDER_NOUNS}.items():
        for t in THERAPIST_NOUNS:
            g = Sense("gender", "gender", (slug,), True, _label("gender", slug))
            b.add(f"{noun} {t}", g)
    for p in TELEHEALTH_PHRASES:
        b.add(p, Sense("telehealth", "telehealth", (True,), True, "Online sessions"))
    for p in IN_PERSON_PHRASES:
        b.add(p, Sense("in_person", "in_person", (True,), True, "In person"))
    for p in ACCEPTING_PHRASES:
        b.add(p, Sense("accepting", "accepting_new_clients", (True,), True, "Accepting clients"))
    for p in SLIDING_PHRASES:
        b.add(p, Sense("price", "sliding_scale", (True,), True, "Sliding scale"))
    for p in AFFORDABLE_PHRASES:
        b.add(p, Sense("price", "max_fee", (AFFORDABLE_MAX_FEE,), True,
                       f"Up to ${AFFORDABLE_MAX_FEE}"))  # fmt: skip
    couples = Sense("population", "any_of", (COUPLES,), True, COUPLES_LABEL)
    for p in COUPLES_PHRASES:
        b.add(p, couples, override=True)
    for p in SECULAR_PHRASES:
        b.add(p, Sense("population", "none_of", ("populations:faith-based",), True,
                       "not Faith-Based"))  # fmt: skip
    _add_verb_forms(b)
    filler = Sense("filler", "", (), False, "")
    for w in sorted(FILLER_WORDS):
        b.add(w, filler)
    for p in FILLER_PHRASES:
        b.add(p, filler)
    frozen = {k: tuple(v) for k, v in b.phrases.items()}
    return Lexicon(frozen, max(len(k) for k in frozen), frozenset(b.words))


def _add_verb_forms(b: _Builder) -> None:
    """Each one-word issue phrase's other verb forms, read as it ("cheated", "cried",
    "divorced": see :mod:`.inflection`)."""
    english = english_words()
    for key, senses in list(b.phrases.items()):
        issues = [s for s in senses if s.kind == "issue"]
        if len(key) != 1 or not issues:
            continue
        for form in verb_forms(key[0], english):
            if form in FILLER_WORDS or key_of(form) in b.phrases or too_common(form):
                continue
            for sense in issues:
                b.add(form, sense)
