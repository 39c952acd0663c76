"""The typeahead use case, with one typo forgiven in the word being typed.

:func:`suggest` asks the engine for the suggestions of the prefix as typed; when they are fewer
than asked for and the last word (4 letters or more) starts no word the directory knows, the
prefix is corrected by one edit against the beginnings of those words ("anxe" → "anxi",
"anxeity" → "anxiety", "portlnd" → "portland") and the corrected prefix's suggestions follow
(``corrected_prefix`` says so). The known words are the vocabulary (labels, synonyms, lay
words) and the names of sizeable cities; therapist names are matched as typed.

The prefix index is built once per geocoder (about 0.1 s): every beginning of 4 letters or
more of every known word, stored under itself and each string one deletion away, so a typed
word finds its candidates in a few dozen lookups. A look-up's cost is bounded whatever is
typed: a word longer than the longest known beginning plus one is no beginning's typo and is
not looked up, and at most :data:`MAX_PREFIX_CANDIDATES` beginnings are checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from search_core.backend import SearchBackend
from search_core.crisis_help import crisis_help
from search_core.geocode import MAX_SUGGESTIONS, Geocoder
from search_core.queries import SuggestQuery
from search_core.results import Suggestion, SuggestPage
from search_core.typeahead import fold, suggestions
from search_core.understanding.crisis import read_crisis
from search_core.understanding.fuzzy import MAX_CANDIDATES, MIN_FUZZY_LENGTH, edit_distance
from search_core.understanding.understanders import understander_for

PLACES_PER_SUGGESTION = 3
"""Places asked of the geocoder per suggestion wanted: cities without therapists are dropped."""

MAX_PREFIX_CANDIDATES = MAX_CANDIDATES
"""Known beginnings checked with the true distance for one typed word, at most."""

__all__ = ["PLACES_PER_SUGGESTION", "PrefixCorrector", "corrector_for", "suggest"]


def _one_deletion(word: str) -> list[str]:
    """``word`` and each string one deletion away, in order, each once."""
    return list(dict.fromkeys([word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]))


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class PrefixCorrector:
    """The closest beginning of a known word, one edit away from a typed word."""

    def __init__(self, words: Iterable[str]) -> None:
        self._rank: dict[str, int] = {}
        self._deletes: dict[str, list[str]] = {}
        self.longest = 0
        for word in words:
            if not word.isalpha():
                continue
            self.longest = max(self.longest, len(word))
            for end in range(MIN_FUZZY_LENGTH, len(word) + 1):
                prefix = word[:end]
                if prefix in self._rank:
                    continue
                self._rank[prefix] = len(self._rank)
                for d in _one_deletion(prefix):
                    self._deletes.setdefault(d, []).append(prefix)

    def known(self, typed: str) -> bool:
        """Does some known word start with ``typed``?"""
        return typed in self._rank

    def correct(self, typed: str) -> str | None:
        """The known beginning one edit from ``typed`` (the same length first, then the one
        sharing the longest start with it, as typos fall later in a word more often, then
        the word given first), or None: for short words, numbers, a known beginning, or none
        close."""
        if len(typed) < MIN_FUZZY_LENGTH or not typed.isalpha() or typed in self._rank:
            return None
        if len(typed) > self.longest + 1:
            return None
        best: tuple[int, int, int, str] | None = None
        seen: set[str] = set()
        for d in _one_deletion(typed):
            for cand in self._deletes.get(d, ()):
                if cand in seen:
                    continue
                if len(seen) == MAX_PREFIX_CANDIDATES:
                    return best[3] if best is not None else None
                seen.add(cand)
                if edit_distance(typed, cand, 1) > 1:
                    continue
                key = (abs(len(cand) - len(typed)), -_shared(cand, typed), self._rank[cand], cand)
                if best is None or key < best:
                    best = key
        return best[3] if best is not None else None


_CORRECTORS: dict[int, tuple[Geocoder, PrefixCorrector]] = {}


def corrector_for(geocoder: Geocoder) -> PrefixCorrector:
    """The prefix corrector of this geocoder's understanding dictionary, built on first use."""
    kept = _CORRECTORS.get(id(geocoder))
    if kept is None or kept[0] is not geocoder:
        u = understander_for(geocoder)
        words = [*sorted(u.lex.words), *u.gaz.city_words()]
        kept = (geocoder, PrefixCorrector(fold(w) for w in words if " " not in w))
        _CORRECTORS.clear()
        _CORRECTORS[id(geocoder)] = kept
    return kept[1]


def corrected_prefix(prefix: str, corrector: PrefixCorrector) -> str | None:
    """``prefix`` with its last word corrected, or None when there is nothing to correct."""
    head, sep, last = prefix.rstrip().rpartition(" ")
    fixed = corrector.correct(fold(last))
    if fixed is None:
        return None
    return f"{head}{sep}{fixed}"


async def suggest(
    backend: SearchBackend, geocoder: Geocoder, prefix: str, size: int
) -> SuggestPage:
    """The page for ``prefix``: its suggestions, the corrected prefix whose suggestions were
    added (None when none were) and the crisis help its words call for (see
    :mod:`search_core.understanding.crisis`)."""
    crisis = crisis_help(read_crisis(prefix).signal())
    items, fixed = await _suggestions(backend, geocoder, prefix, size)
    return SuggestPage(prefix=prefix, suggestions=items, corrected_prefix=fixed, crisis=crisis)


async def _suggestions(
    backend: SearchBackend, geocoder: Geocoder, prefix: str, size: int
) -> tuple[list[Suggestion], str | None]:
    limit = min(MAX_SUGGESTIONS, size * PLACES_PER_SUGGESTION)
    items = await suggestions(
        backend, SuggestQuery(prefix=prefix, size=size), geocoder.suggest(prefix, limit=limit)
    )
    if len(items) >= size:
        return items, None
    fixed = corrected_prefix(prefix, corrector_for(geocoder))
    if fixed is None:
        return items, None
    more = await suggestions(
        backend, SuggestQuery(prefix=fixed, size=size), geocoder.suggest(fixed, limit=limit)
    )
    added = _new(items, more, size)
    return [*items, *added], fixed if added else None


def _new(items: Sequence[Suggestion], more: Sequence[Suggestion], size: int) -> list[Suggestion]:
    """The suggestions of ``more`` not in ``items``, as many as fit in ``size``."""
    seen = {(s.type, s.value) for s in items}
    return [s for s in more if (s.type, s.value) not in seen][: size - len(items)]
