"""Embedded engine: typeahead (mixed into EmbeddedBackend).

One call mixes four sources, each a few dictionary look-ups or one small query:

* issues and therapy types: :data:`VOCABULARY_TABLE`, every word-boundary suffix of every label
  and synonym, folded and sorted once at import; a prefix is a bisect;
* cities and ZIP codes: found by the offline geocoder (the API holds it) and passed in as
  ``places``; cities where no therapist has an office are dropped, so no suggestion leads to an
  empty city page;
* therapist names: a phrase-prefix query on ``name.suggest`` (names starting with the prefix
  first);
* article titles: a phrase-prefix query on ``title.suggest``.

:func:`interleave` merges them: exact-prefix vocabulary matches and places first for short
prefixes (three letters are more likely the start of a topic or a place than of a name), ZIP
codes first for digits, then a round-robin over every source.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import tantivy

from search_core.embedded.reader import IndexReader, OpenIndex
from search_core.embedded.schema import EmbeddedSchema
from search_core.geocode import Place
from search_core.queries import SuggestQuery
from search_core.results import Suggestion
from search_core.vocabulary import ISSUES, THERAPY_TYPES, Vocabulary

R = TypeVar("R")

SHORT_PREFIX = 3
"""Prefixes of at most this many letters favour vocabulary terms and places."""
NAME_CANDIDATES = 3
"""Name hits fetched per suggestion wanted, to move names that start with the prefix up."""

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents folded, punctuation as single spaces: ``" Self-Esteem"`` →
    ``"self esteem"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_ALNUM.sub(" ", ascii_text.lower()).split())


# ---------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    tier: int  # 0: the label or synonym starts with the key; 1: a later word does
    synonym: bool
    order: int
    suggestion: Suggestion


JOINING_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "or", "the", "to", "with"})
"""Words inside a label that a prefix does not match on their own."""

VOCABULARY_SOURCES: tuple[tuple[Vocabulary, str, str], ...] = (
    (ISSUES, "issue", "issues"),
    (THERAPY_TYPES, "therapy_type", "therapy_types"),
)


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
            for phrase in (term.label, *term.synonyms, *term.lay):
                words = fold(phrase).split()
                for i in range(len(words)):
                    if i and words[i] in JOINING_WORDS:  # "a" should not find "Trauma and PTSD"
                        continue
                    key = " ".join(words[i:])
                    entries.append(_Entry(key, min(i, 1), phrase != term.label, order, suggestion))
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
        if whole and not (e.key == key or e.key.startswith(key + " ")):
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


# ---------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Sources:
    """Candidate suggestions from each source, each best first."""

    vocabulary: list[Suggestion]  # label or synonym starts with the prefix
    places: list[Suggestion]
    names: list[Suggestion]
    articles: list[Suggestion]
    vocabulary_words: list[Suggestion]  # a later word starts with the prefix


def _plan(prefix: str, s: Sources) -> list[tuple[list[Suggestion], int]]:
    """The sources in the order they are drawn from, with how many each gives in the first
    round."""
    key = fold(prefix)
    if key.replace(" ", "").isdigit():
        return [(s.places, 20), (s.names, 1), (s.articles, 1), (s.vocabulary, 1)]
    if len(key) <= SHORT_PREFIX:
        return [
            (s.vocabulary, 3),
            (s.places, 3),
            (s.vocabulary_words, 1),
            (s.names, 1),
            (s.articles, 1),
        ]
    return [
        (s.vocabulary, 2),
        (s.places, 2),
        (s.names, 2),
        (s.articles, 1),
        (s.vocabulary_words, 1),
    ]


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


# ---------------------------------------------------------------------------- engine queries


def prefix_query(es: EmbeddedSchema, path: str, prefix: str) -> tantivy.Query | None:
    """Documents whose ``path`` has the words of ``prefix`` in a row, the last one possibly
    unfinished (a prefix ending in a space or punctuation has only finished words)."""
    tokens = es.analyze(path, prefix)
    if not tokens:
        return None
    schema, name = es.schema, es.by_path[path].name
    if not finished(prefix):
        return tantivy.Query.phrase_prefix_query(schema, name, list(tokens))
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema, name, tokens[0])
    return tantivy.Query.phrase_query(schema, name, list(tokens))


def _starts(text: str, key: str) -> bool:
    return fold(text).startswith(key)


class SuggestMethods:
    """Typeahead over names, vocabulary, places and article titles."""

    if TYPE_CHECKING:  # provided by EmbeddedBackend and BrowseMethods
        reader: IndexReader

        async def _run(self, fn: Callable[..., R], *args: Any) -> R: ...

        def city_counts_sync(self) -> Mapping[str, int]: ...

    def suggest_sync(
        self, q: SuggestQuery, places: Sequence[Place] | None = None
    ) -> list[Suggestion]:
        """Suggestions for ``q.prefix``; ``places`` are the geocoder's cities and ZIP codes for
        it (none when not given)."""
        vocabulary, vocabulary_words = vocabulary_matches(q.prefix)
        sources = Sources(
            vocabulary=vocabulary,
            places=place_suggestions(places, self.city_counts_sync()) if places else [],
            names=self._names(q.prefix, q.size),
            articles=self._articles(q.prefix, q.size),
            vocabulary_words=vocabulary_words,
        )
        return interleave(q.prefix, sources, q.size)

    def _names(self, prefix: str, size: int) -> list[Suggestion]:
        opened = self.reader.get("therapists")
        return _remembered(
            opened, ("names", prefix, size), lambda: self._find_names(opened, prefix, size)
        )

    def _find_names(self, opened: OpenIndex, prefix: str, size: int) -> list[Suggestion]:
        query = prefix_query(opened.schema, "name.suggest", prefix)
        if query is None:
            return []
        searcher = opened.searcher()
        hits = searcher.search(query, limit=size * NAME_CANDIDATES, count=False).hits
        sources = opened.sources(searcher, [addr for _, addr in hits])
        docs = [(float(score), doc) for (score, _), doc in zip(hits, sources, strict=True)]
        key = fold(prefix)
        docs.sort(key=lambda d: (not _starts(d[1]["name"], key), -d[0], d[1]["id"]))
        return _therapist_suggestions([doc for _, doc in docs[:size]])

    def _articles(self, prefix: str, size: int) -> list[Suggestion]:
        opened = self.reader.get("articles")
        return _remembered(
            opened, ("articles", prefix, size), lambda: self._find_articles(opened, prefix, size)
        )

    def _find_articles(self, opened: OpenIndex, prefix: str, size: int) -> list[Suggestion]:
        query = prefix_query(opened.schema, "title.suggest", prefix)
        if query is None:
            return []
        searcher = opened.searcher()
        hits = searcher.search(query, limit=size, count=False).hits
        docs = opened.sources(searcher, [addr for _, addr in hits])
        return [
            Suggestion(
                type="article",
                label=str(d["title"]),
                value=str(d["slug"]),
                target=f"/articles/{d['slug']}",
            )
            for d in docs
        ]

    async def suggest(
        self, q: SuggestQuery, places: Sequence[Place] | None = None
    ) -> list[Suggestion]:
        return await self._run(self.suggest_sync, q, places)


SHORT_PREFIX = 2
"""Typeahead answers for prefixes up to this long are kept until the index changes: a short
prefix matches a large share of the index (one letter: a tenth of the names), so it is the
slowest to answer, and it is what every search box sends first."""
MAX_REMEMBERED = 4096


def _remembered(
    opened: OpenIndex, key: tuple[str, str, int], find: Callable[[], list[Suggestion]]
) -> list[Suggestion]:
    if len(key[1]) > SHORT_PREFIX:
        return find()
    found: list[Suggestion] | None = opened.memo.get(key)
    if found is None:
        found = find()
        if len(opened.memo) < MAX_REMEMBERED:
            opened.memo[key] = found
    return list(found)


def _therapist_label(doc: dict[str, Any]) -> str:
    credentials = doc.get("credentials") or []
    return f"{doc['name']}, {credentials[0]}" if credentials else str(doc["name"])


def _where(doc: dict[str, Any]) -> str:
    offices = doc.get("offices") or []
    return f"{offices[0]['city']}, {offices[0]['state']}" if offices else "online"


def _therapist_suggestions(docs: list[dict[str, Any]]) -> list[Suggestion]:
    """Labelled "Name, CRED"; where two would read the same, each also gets its city."""
    labels = [_therapist_label(d) for d in docs]
    twice = {label for label, n in Counter(labels).items() if n > 1}
    return [
        Suggestion(
            type="therapist",
            label=f"{label} ({_where(doc)})" if label in twice else label,
            value=str(doc["id"]),
            target=f"/therapists/{doc['id']}",
        )
        for label, doc in zip(labels, docs, strict=True)
    ]
