"""Typo forgiveness: a precomputed deletion neighbourhood (SymSpell-style) over known words.

Every dictionary word of 4 letters or more is stored under each string made by deleting up to
two of its letters. A typed word looks up its own deletions the same way, so the candidates are
found with a few dozen dict lookups whatever the dictionary size, and only those candidates are
checked with the true Damerau-Levenshtein distance (optimal string alignment: a swap of two
neighbouring letters is one edit, "anxeity" → "anxiety").

The allowance follows the length of the typed word: none under 4 letters, one edit for 4 to 7,
two for 8 and more. Numbers are never corrected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

MIN_FUZZY_LENGTH = 4
TWO_EDIT_LENGTH = 8
MAX_EDITS = 2


def allowed_edits(word: str) -> int:
    """Edits forgiven in a typed word of this length (0 for numbers and short words)."""
    if len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
        return 0
    return 1 if len(word) < TWO_EDIT_LENGTH else 2


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    for k in range(1, depth + 1):
        if len(word) - k < 1:
            break
        for drop in combinations(range(len(word)), k):
            out.add("".join(c for i, c in enumerate(word) if i not in drop))
    return out


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


class FuzzyIndex:
    """Close words from a fixed dictionary. Words given first win ties (pass the more useful
    dictionary first: vocabulary before place names)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._rank: dict[str, int] = {}
        self._deletes: dict[str, list[str]] = {}
        for word in words:
            if word in self._rank or len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
                continue
            self._rank[word] = len(self._rank)
            for d in _deletions(word, MAX_EDITS):
                self._deletes.setdefault(d, []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self._rank

    def __len__(self) -> int:
        return len(self._rank)

    def best(self, typed: str) -> Match | None:
        """The closest dictionary word within the typed word's allowance; None for an exact
        word (nothing to correct) or when none is close enough."""
        limit = allowed_edits(typed)
        if limit == 0 or typed in self._rank:
            return None
        seen: set[str] = set()
        found: Match | None = None
        for d in _deletions(typed, limit):
            for word in self._deletes.get(d, ()):
                if word in seen:
                    continue
                seen.add(word)
                dist = edit_distance(typed, word, limit)
                if dist > limit:
                    continue
                m = Match(word, dist, self._rank[word])
                if found is None or (m.distance, m.rank) < (found.distance, found.rank):
                    found = m
        return found
