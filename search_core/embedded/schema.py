"""The embedded engine's Tantivy schema, derived from ``mappings/*.json``: one field plan per
mapped field, with the analysis (:mod:`.analysis`) and the document encoding (:mod:`.encoding`)
it needs.

Every mapped field becomes a Tantivy field (or is kept only in ``_source`` when the mapping says
``index: false``); a field type or analysis step the embedded engine cannot honour raises
:class:`MappingError` unless :data:`DELIBERATELY_UNSUPPORTED` names it with the reason.

How Elasticsearch types land here:

=====================  ==============================================================
keyword                raw-token text field, fast (facets, exact filters, sorting)
text                   text field with the mapping's analyzer, positions kept
search_as_you_type     text field with its analyzer; typeahead uses phrase-prefix queries
integer/short/long     i64, indexed and fast
float/double           f64, indexed and fast
boolean                bool, indexed and fast
date                   date, indexed and fast
geo_point              two fast f64 fields ``<path>.lat``/``<path>.lon``; inside a nested
                       object one pair per slot (``MAX_OFFICES``), so a bounding box is
                       checked per office, then exact distance is computed in Python
nested / object        flattened into multi-valued fields (nested queries that need two
                       conditions on the *same* office are not expressible; none is sent)
=====================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import tantivy

from search_core.documents import MAX_OFFICES
from search_core.embedded.analysis import Analysis
from search_core.embedded.encoding import DocumentEncoder
from search_core.embedded.fields import (
    EPOCH_SUFFIX,
    ID_KEY_FIELD,
    MASK_SUFFIX,
    ORD_FIELD,
    SOURCE_FIELD,
    FieldPlan,
    cells_name,
    geo_names,
    mask_name,
    tname,
)
from search_core.errors import MappingError
from search_core.mappings import IndexMapping, MappedField

__all__ = [  # the field names, re-exported: most readers of the schema need them too
    "EPOCH_SUFFIX",
    "ID_KEY_FIELD",
    "MASK_SUFFIX",
    "ORD_FIELD",
    "SOURCE_FIELD",
    "EmbeddedSchema",
    "FieldPlan",
    "cells_name",
    "geo_names",
    "mask_name",
    "tname",
]

DELIBERATELY_UNSUPPORTED: dict[tuple[str, str], str] = {
    # (kind, path): reason. Fields listed here are kept in _source but not searchable.
}

INTEGER_TYPES = {"integer", "short", "long", "byte"}
FLOAT_TYPES = {"float", "double", "half_float"}


class EmbeddedSchema:
    """Tantivy schema, analyzers and the document conversion for one index kind."""

    def __init__(
        self, mapping: IndexMapping, masks: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.mapping = mapping
        self.kind = mapping.kind
        self.text_analysis = Analysis(mapping.analysis)
        self.unsupported: dict[str, str] = {}
        self.source_only: list[str] = []
        self.plans: list[FieldPlan] = []
        builder = tantivy.SchemaBuilder()
        for mf in mapping.fields():
            key = (self.kind, mf.path)
            if key in DELIBERATELY_UNSUPPORTED:
                self.unsupported[mf.path] = DELIBERATELY_UNSUPPORTED[key]
                continue
            if not mf.indexed:
                self.source_only.append(mf.path)
                continue
            plan = self._plan(mf)
            self._add(builder, plan)
            self.plans.append(plan)
        self.by_path = {p.mapped.path: p for p in self.plans}
        self.mask_layout: dict[str, tuple[str, ...]] = {}
        for path, values in (masks or {}).items():
            masked = self.by_path.get(path)
            if masked is None or masked.kind != "keyword" or "." in path or len(values) > 64:
                raise MappingError(f"{path}: a facet mask needs a keyword field of ≤ 64 values")
            self.mask_layout[path] = tuple(values)
            builder.add_unsigned_field(mask_name(path), indexed=False, fast=True)
        builder.add_bytes_field(SOURCE_FIELD, stored=True)
        builder.add_unsigned_field(ORD_FIELD, indexed=True, fast=True)
        builder.add_unsigned_field(ID_KEY_FIELD, indexed=False, fast=True)
        self.schema = builder.build()
        self.encoder = DocumentEncoder(self.plans, self.mask_layout)
        self.order_key = self.encoder.order_key
        """Where a document goes in a full build's document order (see
        :meth:`DocumentEncoder.order_key`)."""
        self.to_tantivy = self.encoder.to_tantivy
        """The JSON object ``IndexWriter.add_json`` takes for one document."""
        self.mask_of = self.encoder.mask_of
        """The bits of some values in the facet mask of a path."""

    @property
    def analyzers(self) -> dict[str, tantivy.TextAnalyzer]:
        return self.text_analysis.analyzers

    # --- fields ---------------------------------------------------------------------------

    def _plan(self, mf: MappedField) -> FieldPlan:
        t = mf.type
        if t == "keyword":
            return FieldPlan(mf, "keyword", (tname(mf.path),), self.text_analysis.analyzer_for(mf))
        if t in ("text", "search_as_you_type"):
            return FieldPlan(mf, "text", (tname(mf.path),), self.text_analysis.analyzer_for(mf))
        if t in INTEGER_TYPES:
            return FieldPlan(mf, "integer", (tname(mf.path),))
        if t in FLOAT_TYPES:
            return FieldPlan(mf, "float", (tname(mf.path),))
        if t == "boolean":
            return FieldPlan(mf, "boolean", (tname(mf.path),))
        if t == "date":
            return FieldPlan(mf, "date", (tname(mf.path),))
        if t == "geo_point":
            if mf.nested:
                names = tuple(n for i in range(MAX_OFFICES) for n in geo_names(mf.path, i))
                return FieldPlan(mf, "geo", names, slots=MAX_OFFICES)
            return FieldPlan(mf, "geo", geo_names(mf.path))
        raise MappingError(
            f"{self.kind}: field {mf.path!r} has type {t!r}, which the embedded engine does not "
            "handle; support it or list it in DELIBERATELY_UNSUPPORTED with the reason"
        )

    @staticmethod
    def _add(b: tantivy.SchemaBuilder, p: FieldPlan) -> None:
        if p.kind in ("keyword", "text"):
            b.add_text_field(
                p.name,
                stored=False,
                fast=p.kind == "keyword" and p.mapped.doc_values,
                tokenizer_name=p.tokenizer or "raw",
            )
        elif p.kind == "integer":
            b.add_integer_field(p.name, indexed=True, fast=True)
        elif p.kind == "float":
            b.add_float_field(p.name, indexed=True, fast=True)
        elif p.kind == "boolean":
            b.add_boolean_field(p.name, indexed=True, fast=True)
        elif p.kind == "date":
            b.add_date_field(p.name, indexed=True, fast=True)
            b.add_integer_field(p.name + EPOCH_SUFFIX, indexed=False, fast=True)
        elif p.kind == "geo":
            for n in p.names:
                b.add_float_field(n, indexed=False, fast=True)
            b.add_text_field(cells_name(p.mapped.path), stored=False, tokenizer_name="raw")

    def register(self, index: tantivy.Index) -> None:
        """Tokenizers are not persisted with an index: register them on every open."""
        self.text_analysis.register(index)

    def analyze(self, path: str, text: str) -> tuple[str, ...]:
        """Tokens of ``text`` as the field at ``path`` indexes them (query-side analysis, kept
        per analyzer and text: see :meth:`Analysis.analyze`)."""
        tokenizer = self.by_path[path].tokenizer
        if tokenizer is None or tokenizer == "raw":
            return (text,)
        return self.text_analysis.analyze(tokenizer, text)
