"""Typeahead, written once above the engine (:func:`suggestions`): folding, the vocabulary
table, place suggestions, the labels of name and title suggestions, and the merge of the four
sources.

An engine only finds candidates (names and article titles by a phrase-prefix query,
:meth:`~search_core.backend.SearchBackend.prefix_candidates`, and the city counts that drop
cities without therapists); everything else is decided here once:

* issues, therapy types, insurance plans and languages: :data:`VOCABULARY_TABLE`, every
  word-boundary suffix of every label, synonym and lay word (and the search box's own lay words:
  "medi cal", "espanol", "depressed"), folded and sorted once at import; a prefix
  is a bisect. Each suggestion is typed by its facet (``issue``, ``therapy_type``,
  ``insurance``, ``language``) and its target sets that filter;
* cities and ZIP codes come from the offline geocoder; cities where no therapist has an office
  are dropped, so no suggestion leads to an empty city page;
* :func:`interleave` merges the sources: exact-prefix vocabulary matches and places first for
  short prefixes, ZIP codes first for digits, then a round-robin over every source.

On an engine whose versions follow every edit, the names and titles of one- and two-character
prefixes and the city counts are remembered per version of the indexes they come from
(:func:`memo`, :mod:`search_core.remembering`): a keystroke is then one engine call at most.
"""

from __future__ import annotations

import asyncio
import functools
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from search_core.backend import SearchBackend
from search_core.geocode import Place
from search_core.queries import SuggestQuery
from search_core.remembering import Remembered, remembered
from search_core.results import Suggestion
from search_core.understanding.lay import INSURANCE_WORDS, LANGUAGE_WORDS, SURE, LayRow
from search_core.understanding.lay_clinical import ISSUE_WORDS, THERAPY_WORDS
from search_core.vocabulary import INSURANCE, ISSUES, LANGUAGES, THERAPY_TYPES, Vocabulary

FAVOURED_PREFIX = 2
"""Prefixes of at most this many letters favour vocabulary terms and places. (The embedded
engine's module once said 3 here, but a later constant of the same name, the memo's 2, replaced
it at import, so 2 is what both engines have always used; it is kept so nothing changes.)"""
NAME_CANDIDATES = 3
"""Name hits fetched per suggestion wanted, to move names that start with the prefix up."""

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents folded, punctuation as single spaces: ``" Self-Esteem"`` →
    ``"self esteem"``."""
    if len(text) > MAX_FOLDED_KEPT:
        return _fold(text)
    return _folded(text)


MAX_FOLDED_KEPT = 64
"""Texts up to this long have their folded form remembered (:func:`_folded`): the same names
are folded again at every keystroke (each candidate name is compared with the prefix)."""


def _fold(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_ALNUM.sub(" ", text.lower()).split())


_folded = functools.lru_cache(maxsize=1 << 16)(_fold)


# ---------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    tier: int  # 0: the label or synonym starts with the key; 1: a later word does
    synonym: bool
    order: int
    suggestion: Suggestion
    min_chars: int = 0  # letters typed before it is matched (LAY_MIN_CHARS)


JOINING_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "or", "the", "to", "with"})
"""Words inside a label that a prefix does not match on their own."""

VOCABULARY_SOURCES: tuple[tuple[Vocabulary, str, str], ...] = (
    (ISSUES, "issue", "issues"),
    (THERAPY_TYPES, "therapy_type", "therapy_types"),
    (INSURANCE, "insurance", "insurance"),
    (LANGUAGES, "language", "languages"),
)
"""The vocabularies typeahead suggests, in the order they win a tie: (vocabulary, the
suggestion's ``type``, the filter parameter its target sets)."""

SEARCH_BOX_WORDS: dict[str, tuple[LayRow, ...]] = {
    "insurance": INSURANCE_WORDS,
    "languages": LANGUAGE_WORDS,
    "issues": tuple(row for row in ISSUE_WORDS if row[3] is SURE),
    "therapy_types": tuple(row for row in THERAPY_WORDS if row[3] is SURE),
}
"""The search box's lay words, suggested too ("medi cal" → Medicaid); of issues and therapy
types the sure ones ("depressed" → Depression), from :data:`LAY_MIN_CHARS` letters typed."""
LAY_MIN_CHARS = {"issues": 4, "therapy_types": 4}  # "chea" is Infidelity, "ch" is not


def _lay_phrases(param: str, slug: str) -> list[str]:
    return [
        phrase
        for phrases, facet, slugs, _ in SEARCH_BOX_WORDS.get(param, ())
        if facet == param and slug in slugs
        for phrase in phrases
    ]


def _vocabulary_table() -> tuple[list[str], list[_Entry]]:
    entries: list[_Entry] = []
    order = 0
    for vocab, kind, param in VOCABULARY_SOURCES:
        for term in vocab:
            suggestion = Suggestion(
                type=kind,
                label=term.label,
                value=term.slug,
                target=f"/therapists/search?{param}={term.slug}",
            )
            own = (term.label, *term.synonyms, *term.lay)
            lay = [(p, LAY_MIN_CHARS.get(param, 0)) for p in _lay_phrases(param, term.slug)]
            for phrase, least in [*((p, 0) for p in own), *lay]:
                words = fold(phrase).split()
                for i in range(len(words)):
                    if i and words[i] in JOINING_WORDS:  # "a" should not find "Trauma and PTSD"
                        continue
                    key, synonym = " ".join(words[i:]), phrase != term.label
                    entries.append(_Entry(key, min(i, 1), synonym, order, suggestion, least))
            order += 1
    entries.sort(key=lambda e: e.key)
    return [e.key for e in entries], entries


VOCABULARY_KEYS, VOCABULARY_TABLE = _vocabulary_table()


def finished(prefix: str) -> bool:
    """True when the last word typed is complete: the prefix ends in a space or punctuation."""
    return not prefix[-1:].isalnum()


def vocabulary_matches(prefix: str) -> tuple[list[Suggestion], list[Suggestion]]:
    """Terms whose label or a synonym starts with ``prefix``, and those where only a later word
    does (``"stress"`` → Workplace Stress), each best first."""
    key = fold(prefix)
    if not key:
        return [], []
    lo = bisect_left(VOCABULARY_KEYS, key)
    hi = bisect_left(VOCABULARY_KEYS, key + "{", lo)  # "{" sorts after [a-z0-9 ]
    whole = finished(prefix)
    best: dict[str, tuple[tuple[int, bool, int], Suggestion]] = {}
    for e in VOCABULARY_TABLE[lo:hi]:
        if (whole and not (e.key == key or e.key.startswith(key + " "))) or len(key) < e.min_chars:
            continue
        rank = (e.tier, e.synonym, e.order)
        target = e.suggestion.target
        if target not in best or rank < best[target][0]:
            best[target] = (rank, e.suggestion)
    ranked = sorted(best.values(), key=lambda r: r[0])
    return [s for r, s in ranked if r[0] == 0], [s for r, s in ranked if r[0] == 1]


# ---------------------------------------------------------------------------- places


def place_suggestion(place: Place) -> Suggestion | None:
    if place.kind == "city":
        return Suggestion(
            type="city", label=place.label, value=place.slug, target=f"/browse/cities/{place.slug}"
        )
    if place.kind == "zip":
        target = f"/therapists/near?zip={place.name}"
        return Suggestion(type="zip", label=place.label, value=place.name, target=target)
    return None


def place_suggestions(places: Iterable[Place], city_counts: Mapping[str, int]) -> list[Suggestion]:
    """Cities with at least one therapist's office, and ZIP codes, in the geocoder's order."""
    out: list[Suggestion] = []
    for place in places:
        if place.kind == "city" and not city_counts.get(place.slug):
            continue
        if (s := place_suggestion(place)) is not None:
            out.append(s)
    return out


async def city_counts(backend: SearchBackend, places: Iterable[Place]) -> Mapping[str, int]:
    """Therapists per city slug, for the cities among ``places``. On an engine whose versions
    follow every edit, the counts of every city are asked once per version and remembered
    (:func:`memo`): a keystroke then makes no engine call for them. Elsewhere, one call for
    the cities named."""
    cities = [p.slug for p in places if p.kind == "city"]
    if not cities:
        return {}
    if not backend.versions_see_edits:
        return await backend.place_counts("city", slugs=cities)

    async def every_city() -> Mapping[str, int]:
        return await backend.place_counts("city")

    return await memo(backend).get(backend, ("city counts",), every_city)


# ---------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Sources:
    """Candidate suggestions from each source, each best first."""

    vocabulary: Sequence[Suggestion]  # label or synonym starts with the prefix
    places: Sequence[Suggestion]
    names: Sequence[Suggestion]
    articles: Sequence[Suggestion]
    vocabulary_words: Sequence[Suggestion]  # a later word starts with the prefix


def _plan(prefix: str, s: Sources) -> list[tuple[Sequence[Suggestion], int]]:
    """The sources in the order they are drawn from, with how many each gives in the first
    round."""
    key = fold(prefix)
    if key.replace(" ", "").isdigit():
        return [(s.places, 20), (s.names, 1), (s.articles, 1), (s.vocabulary, 1)]
    if len(key) <= FAVOURED_PREFIX:
        return [(s.vocabulary, 3), (s.places, 3), (s.vocabulary_words, 1),
                (s.names, 1), (s.articles, 1)]  # fmt: skip
    return [(s.vocabulary, 2), (s.places, 2), (s.names, 2),
            (s.articles, 1), (s.vocabulary_words, 1)]  # fmt: skip


def interleave(prefix: str, sources: Sources, size: int) -> list[Suggestion]:
    """At most ``size`` suggestions, no two with the same target: a first round taking a few
    from each source in priority order, then one from each in turn."""
    plan = _plan(prefix, sources)
    out: list[Suggestion] = []
    seen: set[str] = set()
    cursors = [0] * len(plan)

    def take(i: int, n: int) -> None:
        items = plan[i][0]
        while n > 0 and cursors[i] < len(items) and len(out) < size:
            s = items[cursors[i]]
            cursors[i] += 1
            if s.target not in seen:
                seen.add(s.target)
                out.append(s)
                n -= 1

    for i, (_, first) in enumerate(plan):
        take(i, first)

    def left() -> bool:
        return any(c < len(items) for c, (items, _) in zip(cursors, plan, strict=True))

    while len(out) < size and left():
        for i in range(len(plan)):
            take(i, 1)
    return out


# ---------------------------------------------------------------------------- candidates


def starts_with(text: str, key: str) -> bool:
    """Does ``text``, folded, start with the folded prefix ``key``?"""
    return fold(text).startswith(key)


def name_order(
    scored: Sequence[tuple[float, dict[str, Any]]], prefix: str
) -> list[tuple[float, dict[str, Any]]]:
    """Name hits (score, source) with names starting with ``prefix`` first, then by score,
    then by id."""
    key = fold(prefix)

    def order(d: tuple[float, dict[str, Any]]) -> tuple[bool, float, Any]:
        return (not starts_with(str(d[1]["name"]), key), -d[0], d[1]["id"])

    return sorted(scored, key=order)


def therapist_label(doc: Mapping[str, Any]) -> str:
    """ "Name, CRED" (the first credential), or the name alone."""
    credentials = doc.get("credentials") or []
    return f"{doc['name']}, {credentials[0]}" if credentials else str(doc["name"])


def therapist_suggestion(doc: Mapping[str, Any], label: str | None = None) -> Suggestion:
    return Suggestion(
        type="therapist",
        label=label if label is not None else therapist_label(doc),
        value=str(doc["id"]),
        target=f"/therapists/{doc['id']}",
    )


def _where(doc: Mapping[str, Any]) -> str:
    offices = doc.get("offices") or []
    return f"{offices[0]['city']}, {offices[0]['state']}" if offices else "online"


def distinct_therapist_suggestions(docs: Sequence[Mapping[str, Any]]) -> list[Suggestion]:
    """Labelled "Name, CRED"; where two would read the same, each also gets its city (when
    the candidates carry their offices)."""
    labels = [therapist_label(d) for d in docs]
    twice = {label for label, n in Counter(labels).items() if n > 1}
    return [
        therapist_suggestion(
            doc, f"{label} ({_where(doc)})" if label in twice and "offices" in doc else label
        )
        for label, doc in zip(labels, docs, strict=True)
    ]


def article_suggestion(doc: Mapping[str, Any]) -> Suggestion:
    return Suggestion(
        type="article",
        label=str(doc["title"]),
        value=str(doc["slug"]),
        target=f"/articles/{doc['slug']}",
    )


# ---------------------------------------------------------------------------- the use case


TYPEAHEAD_INDEXES = ("therapists", "articles")
"""The indexes whose candidates are remembered per version (names and article titles)."""
SHORT_PREFIX = 2
"""Suggestions of names and titles for prefixes up to this long are kept until either index
changes: a short prefix matches a large share of the index (one letter: a tenth of the
names), so it is the slowest to answer, and it is what every search box sends first."""
MAX_SHORT_PREFIXES = 4096
"""Short prefixes (with their sizes) remembered at most, then the memo starts again."""

Found = tuple[tuple[Suggestion, ...], tuple[Suggestion, ...]]


def memo(backend: SearchBackend) -> Remembered:
    """The typeahead memo of this engine (:mod:`search_core.remembering`)."""
    return remembered(backend, TYPEAHEAD_INDEXES, MAX_SHORT_PREFIXES)


async def suggestions(
    backend: SearchBackend, q: SuggestQuery, places: Sequence[Place] | None = None
) -> list[Suggestion]:
    """Suggestions for ``q.prefix``; ``places`` are the geocoder's cities and ZIP codes for it
    (none when not given)."""
    vocabulary, vocabulary_words = vocabulary_matches(q.prefix)

    async def remembered_or_found() -> Found:
        if len(q.prefix) > SHORT_PREFIX:
            return await names_and_titles(backend, q)
        key, find = (q.prefix, q.size), lambda: names_and_titles(backend, q)
        return await memo(backend).get(backend, key, find, capped=True)

    counts_asked, found = city_counts(backend, places or ()), remembered_or_found()
    if backend.versions_see_edits:  # mostly answered from memory: one after the other
        counts = await counts_asked
        names, titles = await found
    else:  # a cluster answers both side by side
        counts, (names, titles) = await asyncio.gather(counts_asked, found)
    sources = Sources(
        vocabulary=vocabulary,
        places=place_suggestions(places, counts) if places else [],
        names=names,
        articles=titles,
        vocabulary_words=vocabulary_words,
    )
    return interleave(q.prefix, sources, q.size)


async def names_and_titles(backend: SearchBackend, q: SuggestQuery) -> Found:
    """Therapists whose name, and articles whose title, start with ``q.prefix``: the engine's
    candidates (one call), names starting with the prefix first, labelled."""
    candidates = await backend.prefix_candidates(
        q.prefix, {"therapists": q.size * NAME_CANDIDATES, "articles": q.size}
    )
    ranked = name_order(candidates["therapists"], q.prefix)
    names = distinct_therapist_suggestions([doc for _, doc in ranked[: q.size]])
    return tuple(names), tuple(article_suggestion(doc) for _, doc in candidates["articles"])
