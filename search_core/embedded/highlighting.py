"""Highlights: fragments of the highlighted fields with the matched words marked."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import tantivy

from search_core.embedded.schema import EmbeddedSchema
from search_core.query_rules import THERAPIST_HIGHLIGHT_CHARS

HIGHLIGHT_FIELDS = tuple(THERAPIST_HIGHLIGHT_CHARS)


def snippet_generators(
    schema: EmbeddedSchema, searcher: tantivy.Searcher, query: tantivy.Query
) -> dict[str, tantivy.SnippetGenerator]:
    """One snippet generator per highlighted field, for the words of ``query``."""
    out = {}
    for field in HIGHLIGHT_FIELDS:
        gen = tantivy.SnippetGenerator.create(searcher, query, schema.schema, field)
        gen.set_max_num_chars(THERAPIST_HIGHLIGHT_CHARS[field])
        out[field] = gen
    return out


def highlights(
    snippets: dict[str, tantivy.SnippetGenerator], source: dict[str, Any]
) -> dict[str, list[str]]:
    """Fragments of each highlighted field with the matched words marked."""
    out: dict[str, list[str]] = {}
    for field, gen in snippets.items():
        text = source.get(field)
        if not text:
            continue
        doc = tantivy.Document()
        doc.add_text(field, text)
        snippet = gen.snippet_from_doc(doc)
        ranges = [(r.start, r.end) for r in snippet.highlighted()]
        if ranges:
            out[field] = [mark(snippet.fragment(), ranges)]
    return out


def mark(fragment: str, ranges: Sequence[tuple[int, int]]) -> str:
    """HTML-escape ``fragment`` and wrap each highlighted byte range in ``<mark>``."""
    raw = fragment.encode("utf-8")
    out: list[str] = []
    pos = 0
    for start, end in sorted(ranges):
        if start < pos:
            continue
        out.append(html.escape(raw[pos:start].decode("utf-8", "replace")))
        out.append("<mark>" + html.escape(raw[start:end].decode("utf-8", "replace")) + "</mark>")
        pos = end
    out.append(html.escape(raw[pos:].decode("utf-8", "replace")))
    return "".join(out).strip()
