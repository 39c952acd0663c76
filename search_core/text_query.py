"""What a search box's text means, engine-independently.

The text is split into *units*: a quoted phrase, a clinical phrase from the synonym list
("cognitive behavioral therapy", "ptsd"), or a single word. Each unit carries its alternatives
(the synonyms) and whether it is required. Directory filler ("therapist", "near", "for", "a")
is optional: it can raise a score but never excludes anyone. Operators and stray punctuation
are plain text here: nothing a user types can break the query.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from search_core.tuning import Tuning
from search_core.understanding.fuzzy import allowed_edits
from search_core.vocabulary import lay_rules, synonym_groups

_WORD = re.compile(r"[a-z0-9]+")
_QUOTED = re.compile(r'"([^"]+)"')

GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "for",
        "in",
        "near",
        "me",
        "my",
        "with",
        "and",
        "or",
        "of",
        "to",
        "on",
        "at",
        "by",
        "who",
        "that",
        "is",
        "are",
        "best",
        "good",
        "top",
        "find",
        "looking",
        "help",
        "someone",
        "specialist",
        "specializing",
        "specialized",
        "specialises",
        "specializes",
        "doctor",
        "therapist",
        "therapists",
        "counselor",
        "counselors",
        "counsellor",
        "counsellors",
        "psychotherapist",
        "psychotherapists",
        "therapy",
        "counseling",
        "counselling",
        "psychotherapy",
        "provider",
        "providers",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case ASCII words: ``"Post-Traumatic Stress"`` → ``["post", "traumatic", "stress"]``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded.lower())


@dataclass(frozen=True, slots=True)
class QueryUnit:
    alternatives: tuple[tuple[str, ...], ...]
    """Each alternative is a sequence of words (one word, or a phrase)."""
    required: bool
    phrase: bool = False
    """True for a quoted phrase: its words must appear in that order."""
    rank_only: bool = False
    """From ``rank_text``: it ranks and never selects (a query of such units alone matches
    every document its filters keep)."""

    @property
    def text(self) -> str:
        return " ".join(self.alternatives[0])


@cache
def _synonym_index() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    index: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for group in synonym_groups():
        phrases = tuple(dict.fromkeys(tuple(words(p)) for p in group if words(p)))
        for p in phrases:
            # the phrase itself first, then the others
            index[p] = (p, *(q for q in phrases if q != p))
    for lay, targets in lay_rules():
        key = tuple(words(lay))
        alternatives = [key, *(tuple(words(t)) for t in targets)]
        if key in index:  # also a member of an equivalence group
            alternatives += list(index[key])
        index[key] = tuple(dict.fromkeys(a for a in alternatives if a))
    return index


@cache
def _max_phrase_len() -> int:
    return max((len(p) for p in _synonym_index()), default=1)


def loosened(units: list[QueryUnit], match: str) -> list[QueryUnit]:
    """``match="any"``: the units with none required, so a hit needs one of them (a text query
    made only of optional clauses matches a document when one of them does, on both engines);
    ``"all"``: as they are."""
    if match != "any":
        return units
    return [QueryUnit(u.alternatives, False, u.phrase) for u in units]


def search_units(
    text: str | None, match: str, synonyms: bool, rank_text: str | None = None
) -> list[QueryUnit]:
    """The units a therapist or article query searches: those of ``text`` (see
    :func:`loosened` for ``match``), then those of ``rank_text``, all optional."""
    units = loosened(parse(text, synonyms), match)
    if rank_text:
        units += [
            QueryUnit(u.alternatives, False, u.phrase, rank_only=True)
            for u in parse(rank_text, synonyms)
        ]
    return units


def ranks_only(units: list[QueryUnit]) -> bool:
    """Whether every unit only ranks: then no word need match (an optional clause alone would
    otherwise select, on both engines)."""
    return bool(units) and all(u.rank_only for u in units)


def required_count(spec: str, n: int) -> int:
    """How many of ``n`` required units a match needs under a ``minimum_should_match`` spec
    (Elasticsearch's semantics for the forms :data:`search_core.tuning.MSM_PATTERN` allows):
    a count (``"2"``), all but a count (``"-1"``), a share rounded down (``"75%"``), all but a
    share (``"-25%"``), or ``"N<spec"`` (all of up to ``N`` units, ``spec`` above). Always at
    least one and at most ``n``."""
    if n <= 0:
        return 0
    head, _, spec = spec.rpartition("<")
    if head and n <= int(head):
        return n
    negative = spec.startswith("-")
    body = spec.lstrip("-")
    amount = n * int(body[:-1]) // 100 if body.endswith("%") else int(body)
    wanted = n - amount if negative else amount
    return max(1, min(n, wanted))


def word_edits(word: str, field: str, tuning: Tuning) -> int:
    """The edits ``word`` may differ by in ``field`` and still match, under ``tuning`` (the one
    rule both engines read)."""
    if not tuning.corrects(field):
        return 0
    return fuzzy_distance(word, tuning.fuzziness, tuning.fuzzy_min_length)


def fuzzy_distance(word: str, fuzziness: int | str, min_length: int) -> int:
    """The edits a search word may differ by and still match (0: exactly). ``"auto"`` is the
    search box's own allowance (:func:`search_core.understanding.fuzzy.allowed_edits`: none
    under 4 letters, one for 4 to 7, two from 8). Never for a word with a digit: a ZIP code or
    a number means itself."""
    if not fuzziness or any(c.isdigit() for c in word):
        return 0
    if fuzziness == "auto":
        return allowed_edits(word)
    return int(fuzziness) if len(word) >= min_length else 0


def parse(text: str | None, synonyms: bool = True) -> list[QueryUnit]:
    """The units of a search text, in order."""
    if not text:
        return []
    units: list[QueryUnit] = []
    rest = []
    pos = 0
    for m in _QUOTED.finditer(text):
        rest.append(text[pos : m.start()])
        quoted = tuple(words(m.group(1)))
        if quoted:
            units.append(QueryUnit((quoted,), required=True, phrase=len(quoted) > 1))
        pos = m.end()
    rest.append(text[pos:])
    for chunk in rest:
        units.extend(_units(words(chunk), synonyms))
    return units


def _units(tokens: list[str], synonyms: bool) -> list[QueryUnit]:
    out: list[QueryUnit] = []
    index = _synonym_index() if synonyms else {}
    i = 0
    while i < len(tokens):
        match = None
        if index:
            for n in range(min(_max_phrase_len(), len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + n])
                if key in index:
                    match = key
                    break
        if match is not None:
            generic = all(w in GENERIC_WORDS for w in match)
            out.append(QueryUnit(index[match], required=not generic))
            i += len(match)
            continue
        word = tokens[i]
        out.append(QueryUnit(((word,),), required=word not in GENERIC_WORDS))
        i += 1
    return out


_PLACE_MARKER = re.compile(r"\b(?:near|in|around|close to|nearby)\s+(?P<place>[^\"]+?)\s*$", re.I)
_TRAILING_ZIP = re.compile(r"\b(?P<place>\d{5}(?:-\d{4})?)\s*$")


@dataclass(frozen=True, slots=True)
class PlaceInText:
    """A place a search text may end with: ``"anxiety therapist near 97214"``."""

    rest: str
    place: str
    marked: bool
    """True when introduced by "near", "in" or "around" (a stronger signal than position)."""


def place_candidates(text: str | None) -> list[PlaceInText]:
    """Readings of ``text`` as *search words + a place at the end*, most explicit first.

    The caller geocodes each candidate and takes the first that resolves to a ZIP or a city it
    trusts; nothing here knows any geography.
    """
    if not text:
        return []
    text = text.strip()
    out: list[PlaceInText] = []
    m = _PLACE_MARKER.search(text)
    if m and m.group("place").strip(" ,").lower() not in {"me", "my area", "person", "office"}:
        out.append(PlaceInText(text[: m.start()].strip(" ,"), m.group("place").strip(" ,"), True))
    z = _TRAILING_ZIP.search(text)
    if z and not (m and z.start() >= m.start("place")):
        out.append(PlaceInText(text[: z.start()].strip(" ,"), z.group("place"), False))
    tokens = text.replace(",", " , ").split()
    for n in (4, 3, 2, 1):
        if len(tokens) > n:
            tail = " ".join(tokens[-n:]).replace(" , ", ", ").strip(" ,")
            head = " ".join(tokens[:-n]).replace(" , ", ", ").strip(" ,")
            if tail and not any(p.place == tail for p in out):
                out.append(PlaceInText(head, tail, False))
    return out
