"""Crisis first: text that says someone may be harmed now, recognised before anything else.

:func:`read_crisis` runs on the words as typed, before typo correction, relaxation or any name
matching: misspellings of the risk words are mended by a dictionary of their own
(:data:`.crisis_words.SPELLINGS`, :data:`.crisis_words.FUZZY_WORDS`), never toward the
directory's vocabulary or names, and the words it recognises are then left alone by the typo
correction of :mod:`.understand` ("kill" is never "Hill").

The rule (docs/understanding.md, "Crisis first"):

* risk said in the first person, or of someone close in the present, is always a crisis
  ("i want to kill myself", "kms", "my son is cutting himself", "he hits me", "quiero morir");
* a word that only names the subject ("suicide", "self harm", "domestic violence") is a crisis
  too, unless the text is about the subject: professional, academic or loss words
  ("suicide prevention training", "grief after suicide loss", "self harm research");
* either way the words filter by their issue (Suicidal Thoughts, Self-Harm, Substance Use,
  Domestic Violence, Anger Management), and the rest of the text is read as usual (a place, an
  age group).

Article search shows help only for the first kind (:meth:`CrisisReading.signal` with
``topics=False``): a topic search there is someone reading about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from search_core.understanding.common import COMMON_WORDS
from search_core.understanding.crisis_words import (
    CHILD,
    CONTEXT,
    FUZZY_WORDS,
    ISSUE_OF,
    PATTERNS,
    SEVERITY,
    SPANISH,
    SPELLINGS,
    CrisisKind,
)
from search_core.understanding.filler import FILLER_WORDS
from search_core.understanding.fuzzy import FuzzyIndex
from search_core.understanding.model import CrisisSignal
from search_core.understanding.text import Token, tokenize

__all__ = ["CrisisReading", "CrisisSpan", "issue_of", "read_crisis"]


@dataclass(frozen=True, slots=True)
class CrisisSpan:
    start: int
    end: int
    """Token indices, end excluded."""
    kind: CrisisKind
    strong: bool


@dataclass(frozen=True)
class CrisisReading:
    """The crisis words of a text, whether they are a crisis, and for whom."""

    spans: tuple[CrisisSpan, ...] = ()
    typed: tuple[str, ...] = ()
    """Each span's words as typed."""
    context: str | None = None
    """The words that make a subject search of a topic word ("prevention", "suicide loss")."""
    child: bool = False
    spanish: bool = False

    @property
    def protected(self) -> frozenset[int]:
        """Token indices of crisis words: never typo-corrected, never searched as names."""
        return frozenset(i for s in self.spans for i in range(s.start, s.end))

    def span_at(self, i: int) -> CrisisSpan | None:
        return next((s for s in self.spans if s.start <= i < s.end), None)

    def next_start(self, i: int) -> int | None:
        """Where the next span after token ``i`` begins."""
        return next((s.start for s in self.spans if s.start > i), None)

    def signal(self, *, topics: bool = True) -> CrisisSignal | None:
        """The crisis to show help for, or None. ``topics=False``: risk language only."""
        shown = [
            (s, t)
            for s, t in zip(self.spans, self.typed, strict=True)
            if s.strong or (topics and self.context is None)
        ]
        if not shown:
            return None
        kinds = {s.kind for s, _ in shown}
        return CrisisSignal(
            kinds=[k for k in SEVERITY if k in kinds],
            matched=list(dict.fromkeys(t for _, t in shown)),
            strong=any(s.strong for s, _ in shown),
            child=self.child,
            spanish=self.spanish,
        )


def issue_of(kind: CrisisKind) -> str:
    """The issue slug therapists are filtered by for this kind of crisis."""
    return ISSUE_OF[kind]


@cache
def _compiled() -> tuple[
    re.Pattern[str], list[tuple[re.Pattern[str], CrisisKind, bool]], re.Pattern[str]
]:
    rows = [(re.compile(rf"\b(?:{p})\b"), kind, strong) for p, kind, strong in PATTERNS]
    anything = re.compile("|".join(rf"\b(?:{p})\b" for p, _, _ in PATTERNS))
    return anything, rows, re.compile(rf"\b(?:{'|'.join(CONTEXT)})\b")


_CHILD = re.compile(rf"\b(?:{CHILD})\b")
_SPANISH = frozenset(SPANISH.split("|"))


@cache
def _mender() -> tuple[FuzzyIndex, frozenset[str]]:
    return FuzzyIndex(FUZZY_WORDS), frozenset({*COMMON_WORDS, *FILLER_WORDS})


_FIRST_LETTERS = frozenset(w[0] for w in FUZZY_WORDS)
_SHORTEST = min(len(w) for w in FUZZY_WORDS) - 1


@lru_cache(maxsize=8192)
def _canonical(word: str) -> str:
    if word in SPELLINGS:
        return SPELLINGS[word]
    index, ordinary = _mender()
    if len(word) < _SHORTEST or word[0] not in _FIRST_LETTERS or word in ordinary:
        return word
    m = index.best(word)
    return m.word if m is not None and m.word[0] == word[0] else word


def read_crisis(text: str, tokens: list[Token] | None = None) -> CrisisReading:
    """The crisis words of ``text`` (``tokens``: its tokens, when already made)."""
    tokens = tokenize(text) if tokens is None else tokens
    if not tokens:
        return CrisisReading()
    words = [_canonical(t.norm) for t in tokens]
    joined, starts = "", []
    for w in words:
        starts.append(len(joined) + (1 if joined else 0))
        joined = f"{joined} {w}" if joined else w
    ends = [s + len(w) for s, w in zip(starts, words, strict=True)]
    anything, rows, context = _compiled()
    if anything.search(joined) is None:  # most texts: one pass, no crisis
        return CrisisReading()
    found: list[CrisisSpan] = []
    for pattern, kind, strong in rows:
        for m in pattern.finditer(joined):
            inside = [i for i in range(len(words)) if starts[i] < m.end() and ends[i] > m.start()]
            if inside:
                found.append(CrisisSpan(inside[0], inside[-1] + 1, kind, strong))
    if not found:
        return CrisisReading()
    # the longest first, a strong reading before a topic one; no two overlap
    found.sort(key=lambda s: (s.start - s.end, not s.strong, s.start))
    spans: list[CrisisSpan] = []
    for s in found:
        if all(s.end <= k.start or s.start >= k.end for k in spans):
            spans.append(s)
    spans.sort(key=lambda s: s.start)
    typed = tuple(text[tokens[s.start].start : tokens[s.end - 1].end] for s in spans)
    in_spans = {w for s in spans for word in words[s.start : s.end] for w in word.split()}
    ctx = context.search(joined)
    return CrisisReading(
        spans=tuple(spans),
        typed=typed,
        context=ctx.group(0) if ctx else None,
        child=_CHILD.search(joined) is not None,
        spanish=bool(in_spans & _SPANISH),
    )
