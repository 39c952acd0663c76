"""Embedded engine: typeahead (:class:`EmbeddedSuggest`, a part
:class:`~search_core.embedded.backend.EmbeddedBackend` holds).

The rules (vocabulary, places, labels, the merge) are :mod:`search_core.typeahead`'s; this
engine finds the candidates: therapist names by a phrase-prefix query on ``name.suggest``, article
titles on ``title.suggest``, and the city counts from the browse snapshot. Answers for short
prefixes are remembered until the index changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import tantivy

from search_core.embedded.reader import IndexReader, OpenIndex
from search_core.embedded.schema import EmbeddedSchema
from search_core.geocode import Place
from search_core.queries import SuggestQuery
from search_core.results import Suggestion
from search_core.typeahead import (
    NAME_CANDIDATES,
    Sources,
    article_suggestion,
    distinct_therapist_suggestions,
    finished,
    interleave,
    name_order,
    place_suggestions,
    vocabulary_matches,
)
from search_core.typeahead import VOCABULARY_TABLE as VOCABULARY_TABLE
from search_core.typeahead import fold as fold

R = TypeVar("R")

# ---------------------------------------------------------------------------- engine queries


def prefix_query(schema: EmbeddedSchema, path: str, prefix: str) -> tantivy.Query | None:
    """Documents whose ``path`` has the words of ``prefix`` in a row, the last one possibly
    unfinished (a prefix ending in a space or punctuation has only finished words)."""
    tokens = schema.analyze(path, prefix)
    if not tokens:
        return None
    tv_schema, name = schema.schema, schema.by_path[path].name
    if not finished(prefix):
        return tantivy.Query.phrase_prefix_query(tv_schema, name, list(tokens))
    if len(tokens) == 1:
        return tantivy.Query.term_query(tv_schema, name, tokens[0])
    return tantivy.Query.phrase_query(tv_schema, name, list(tokens))


class EmbeddedSuggest:
    """Typeahead over names, vocabulary, places and article titles. ``city_counts``: therapists
    per city slug (cities without any are not suggested)."""

    def __init__(self, reader: IndexReader, city_counts: Callable[[], Mapping[str, int]]) -> None:
        self.reader = reader
        self.city_counts_sync = city_counts

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
        ranked = name_order(docs, prefix)
        return distinct_therapist_suggestions([doc for _, doc in ranked[:size]])

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
        return [article_suggestion(d) for d in docs]


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
