"""Embedded engine: prefix candidates for typeahead (:class:`EmbeddedPrefixes`, a part of the
engine's core).

Therapist names by a phrase-prefix query on ``name.suggest``, article titles on
``title.suggest``: the typed words in a row, the last one possibly unfinished. What becomes a
suggestion, and in which order, is :mod:`search_core.typeahead`'s. Answers for short prefixes
are remembered until the index changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tantivy

from search_core.embedded.reader import IndexReader, OpenIndex
from search_core.embedded.schema import EmbeddedSchema

Candidates = list[tuple[float, dict[str, Any]]]

FIELDS = {"therapists": "name.suggest", "articles": "title.suggest"}
"""The ``search_as_you_type`` field read per kind."""
SHORT_PREFIX = 2
"""Answers for prefixes up to this long are kept until the index changes: a short prefix
matches a large share of the index (one letter: a tenth of the names), so it is the slowest to
answer, and it is what every search box sends first."""
MAX_REMEMBERED = 4096


def prefix_query(schema: EmbeddedSchema, path: str, prefix: str) -> tantivy.Query | None:
    """Documents whose ``path`` has the words of ``prefix`` in a row, the last one possibly
    unfinished (a prefix ending in a space or punctuation has only finished words)."""
    tokens = schema.analyze(path, prefix)
    if not tokens:
        return None
    tv_schema, name = schema.schema, schema.by_path[path].name
    if prefix[-1:].isalnum():
        return tantivy.Query.phrase_prefix_query(tv_schema, name, list(tokens))
    if len(tokens) == 1:
        return tantivy.Query.term_query(tv_schema, name, tokens[0])
    return tantivy.Query.phrase_query(tv_schema, name, list(tokens))


class EmbeddedPrefixes:
    """Names and article titles starting with what has been typed."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader

    def candidates(self, kind: str, prefix: str, limit: int) -> Candidates:
        opened = self.reader.get(kind)
        return _remembered(
            opened, (kind, prefix, limit), lambda: self._find(opened, kind, prefix, limit)
        )

    def _find(self, opened: OpenIndex, kind: str, prefix: str, limit: int) -> Candidates:
        query = prefix_query(opened.schema, FIELDS[kind], prefix)
        if query is None:
            return []
        searcher = opened.searcher()
        hits = searcher.search(query, limit=limit, count=False).hits
        sources = opened.sources(searcher, [addr for _, addr in hits])
        return [(float(score), doc) for (score, _), doc in zip(hits, sources, strict=True)]


def _remembered(
    opened: OpenIndex, key: tuple[str, str, int], find: Callable[[], Candidates]
) -> Candidates:
    if len(key[1]) > SHORT_PREFIX:
        return find()
    found: Candidates | None = opened.memo.get(key)
    if found is None:
        found = find()
        if len(opened.memo) < MAX_REMEMBERED:
            opened.memo[key] = found
    return list(found)
