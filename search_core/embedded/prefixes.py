"""Embedded engine: prefix candidates for typeahead (:class:`EmbeddedPrefixes`, a part of the
engine's core).

Therapist names by a phrase-prefix query on ``name.suggest``, article titles on
``title.suggest``: the typed words in a row, the last one possibly unfinished. What becomes a
suggestion, and in which order, is :mod:`search_core.typeahead`'s (which also remembers the
answers for short prefixes until an index changes).
"""

from __future__ import annotations

from typing import Any

import tantivy

from search_core.embedded.reader import IndexReader
from search_core.embedded.schema import EmbeddedSchema

Candidates = list[tuple[float, dict[str, Any]]]

FIELDS = {"therapists": "name.suggest", "articles": "title.suggest"}
"""The ``search_as_you_type`` field read per kind."""


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
        query = prefix_query(opened.schema, FIELDS[kind], prefix)
        if query is None:
            return []
        searcher = opened.searcher()
        hits = searcher.search(query, limit=limit, count=False).hits
        sources = opened.sources(searcher, [addr for _, addr in hits])
        return [(float(score), doc) for (score, _), doc in zip(hits, sources, strict=True)]
