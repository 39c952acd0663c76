"""The schema of an index kind and the opening of one of its versions: shared by the reader
(serving) and the writer (loads and edits), so that neither imports the other."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import tantivy

from search_core.embedded.schema import EmbeddedSchema
from search_core.errors import BackendUnavailable
from search_core.filters import FILTER_VOCABULARIES
from search_core.mappings import load_mapping

FACET_MASK_KINDS = frozenset({"therapists"})
"""Kinds whose facet fields (:data:`FILTER_VOCABULARIES`) get value bitmasks."""


@cache
def embedded_schema(mappings_dir: Path, kind: str) -> EmbeddedSchema:
    masks = (
        {facet: vocab.slugs for facet, vocab in FILTER_VOCABULARIES.items()}
        if kind in FACET_MASK_KINDS
        else None
    )
    return EmbeddedSchema(load_mapping(mappings_dir, kind), masks)


def open_index(schema: EmbeddedSchema, path: Path) -> tantivy.Index:
    try:
        index = tantivy.Index.open(str(path))
    except ValueError as exc:
        raise BackendUnavailable(f"cannot open index at {path}: {exc}") from exc
    schema.register(index)
    return index
