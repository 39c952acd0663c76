"""Typo forgiveness: a precomputed deletion neighbourhood (SymSpell-style) over known words.

Every dictionary word of 4 letters or more is stored under each string made by deleting up to
two of its letters. A typed word looks up its own deletions the same way, so the candidates are
found with a few dozen dict lookups whatever the dictionary size, and only those candidates are
checked with the true Damerau-Levenshtein distance (optimal string alignment: a swap of two
neighbouring letters is one edit, "anxeity" → "anxiety").

The allowance follows the length of the typed word: none under 4 letters, one edit for 4 to 7,
two for 8 and more. Numbers are never corrected.

The cost of one look-up is bounded whatever is typed (a search box takes hostile text too):
a word longer than the longest dictionary word plus its allowance can be no word's typo and
is not looked up at all, so a word's deletion strings are at most those of a word of
``longest + 2`` letters (211 for the 18 letters of the longest word now); and at most
:data:`MAX_CANDIDATES` dictionary words are checked with the true distance, the ones found
through the fewest deletions first. :meth:`FuzzyIndex.lookup` says how many of each it took.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_FUZZY_LENGTH = 4
TWO_EDIT_LENGTH = 8
MAX_EDITS = 2
MAX_CANDIDATES = 64
"""Dictionary words checked with the true distance for one typed word, at most. The real
dictionary gives a typo 13 at most (1.4 on average) over five random typos of each of its
words. A typed word sharing deletion strings with more words than this is checked against
the first ones found (fewest deletions first)."""


def allowed_edits(word: str) -> int:
    """Edits forgiven in a typed word of this length (0 for numbers and short words)."""
    if len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
        return 0
    return 1 if len(word) < TWO_EDIT_LENGTH else 2


def _deletions(word: str, depth: int) -> list[str]:
    """``word`` and every string made by deleting up to ``depth`` of its letters (never all of
    them), fewest deletions first, each once: at most 1 + n + n(n-1)/2 strings for depth 2."""
    out = {word: None}
    frontier = [word]
    for _ in range(depth):
        made: dict[str, None] = {}
        for w in frontier:
            if len(w) <= 1:
                continue
            for i in range(len(w)):
                made.setdefault(w[:i] + w[i + 1 :])
        frontier = [d for d in made if d not in out]
        out.update(made)
    return list(out)


def edit_distance(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), or ``limit + 1`` when over it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1] if prev[-1] <= limit else limit + 1


@dataclass(frozen=True, slots=True)
class Match:
    word: str
    distance: int
    rank: int
    """The word's priority in the dictionary (lower wins a tie in distance)."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """What one typed word cost: its best match, the deletion strings looked up and the
    dictionary words checked with the true distance (both bounded, see the module)."""

    match: Match | None
    keys: int
    candidates: int


class FuzzyIndex:
    """Close words from a fixed dictionary. Words given first win ties (pass the more useful
    dictionary first: vocabulary before place names)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._rank: dict[str, int] = {}
        self._deletes: dict[str, list[str]] = {}
        self.longest = 0
        """Letters of the longest dictionary word."""
        for word in words:
            if word in self._rank or len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
                continue
            self._rank[word] = len(self._rank)
            self.longest = max(self.longest, len(word))
            for d in _deletions(word, MAX_EDITS):
                self._deletes.setdefault(d, []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self._rank

    def __len__(self) -> int:
        return len(self._rank)

    def best(self, typed: str) -> Match | None:
        """The closest dictionary word within the typed word's allowance; None for an exact
        word (nothing to correct) or when none is close enough."""
        return self.lookup(typed).match

    def lookup(self, typed: str) -> Lookup:
        """:meth:`best` with what it cost."""
        limit = allowed_edits(typed)
        if limit == 0 or typed in self._rank or len(typed) > self.longest + limit:
            return Lookup(None, 0, 0)
        seen: set[str] = set()
        found: Match | None = None
        keys = _deletions(typed, limit)
        for d in keys:
            for word in self._deletes.get(d, ()):
                if word in seen:
                    continue
                if len(seen) == MAX_CANDIDATES:
                    return Lookup(found, len(keys), len(seen))
                seen.add(word)
                dist = edit_distance(typed, word, limit)
                if dist > limit:
                    continue
                m = Match(word, dist, self._rank[word])
                if found is None or (m.distance, m.rank) < (found.distance, found.rank):
                    found = m
        return Lookup(found, len(keys), len(seen))
