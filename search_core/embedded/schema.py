"""The embedded engine's Tantivy schema, derived from ``mappings/*.json``.

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

import base64
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tantivy

from search_core.documents import MAX_OFFICES
from search_core.errors import MappingError
from search_core.geocells import cells_of
from search_core.geocells import encode as geohash
from search_core.mappings import IndexMapping, MappedField

SOURCE_FIELD = "_source"
"""The stored document, in versions built before ``sources.dat`` (see
:mod:`search_core.embedded.sourcefile`); new versions leave it empty."""
ORD_FIELD = "_ord"
"""u64, indexed and fast: unique per document within a version (the source line number on a
full load), so a set of documents found by exact distance can be turned back into a query."""
ID_KEY_FIELD = "_id_key"
"""u64, fast: the first 8 bytes of the id, big-endian, so sorting on it sorts by id (exactly
for ids of up to 8 bytes, like ``t0001234``): the stable tie-breaker of every sort."""
MASK_SUFFIX = "__mask"
"""A keyword field with a closed vocabulary (a facet) also gets ``<name>__mask`` (u64, fast):
bit *i* set when the document holds the vocabulary's *i*-th value. A search that fetches all
its hits counts every facet and applies facet filters from these, in numpy, instead of one
Tantivy aggregation per facet. The layout is recorded in the version's metadata, and a
version whose layout differs from the code's is searched without them."""
ORDER_PRECISION = 6
NO_ORDER_KEY = "~" * ORDER_PRECISION
ANALYZED_KEPT = 50_000
"""Texts whose query-side tokens :meth:`EmbeddedSchema.analyze` keeps (per schema)."""
EPOCH_SUFFIX = "__epoch"
"""Each date field also gets ``<name>__epoch`` (i64 seconds, fast): Tantivy cannot read date
fast fields back into Python, and sorting and freshness decay need the values."""


def id_key(doc_id: str) -> int:
    return int.from_bytes(doc_id.encode("utf-8")[:8].ljust(8, b"\0"), "big")


DELIBERATELY_UNSUPPORTED: dict[tuple[str, str], str] = {
    # (kind, path): reason. Fields listed here are kept in _source but not searchable.
}

INTEGER_TYPES = {"integer", "short", "long", "byte"}
_PLAIN = frozenset({"keyword", "text", "integer", "float", "boolean"})
FLOAT_TYPES = {"float", "double", "half_float"}


def tname(path: str) -> str:
    """Tantivy field name for a mapping path (dots would read as JSON paths in Tantivy)."""
    return path.replace(".", "__")


def mask_name(path: str) -> str:
    """The u64 fast field of a facet's value bits (see :data:`MASK_SUFFIX`)."""
    return f"{tname(path)}{MASK_SUFFIX}"


def cells_name(path: str) -> str:
    """The field holding the geohash cells of every point of a geo_point ``path``."""
    return f"{tname(path)}__cells"


def geo_names(path: str, slot: int | None = None) -> tuple[str, str]:
    suffix = "" if slot is None else f"_{slot}"
    base = tname(path)
    return f"{base}__lat{suffix}", f"{base}__lon{suffix}"


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """How one mapped field is stored in Tantivy."""

    mapped: MappedField
    kind: str  # keyword | text | integer | float | boolean | date | geo
    names: tuple[str, ...]  # Tantivy field names (two for geo, or 2 x slots)
    tokenizer: str | None = None
    slots: int | None = None

    @property
    def name(self) -> str:
        return self.names[0]


# ---------------------------------------------------------------------------- analyzers


def _filter(
    name: str, defs: dict[str, Any], where: str, search_side: bool
) -> tantivy.Filter | None:
    """One Elasticsearch token filter as a Tantivy filter; ``None`` when it is a no-op here."""
    if name == "lowercase":
        return tantivy.Filter.lowercase()
    if name == "asciifolding":
        return tantivy.Filter.ascii_fold()
    spec = defs.get(name)
    if spec is None:
        raise MappingError(f"{where}: token filter {name!r} is not defined")
    ftype = spec.get("type")
    if ftype == "stemmer" and spec.get("language") in ("english", "porter2"):
        # Tantivy's English stemmer is Snowball English, which Elasticsearch calls porter2.
        return tantivy.Filter.stemmer("english")
    if ftype == "stemmer" and spec.get("language") == "possessive_english":
        # Tantivy's simple tokenizer already splits "client's" into "client" + "s".
        return None
    if ftype == "synonym_graph":
        if not search_side:
            raise MappingError(f"{where}: synonym_graph is only supported at search time")
        # Applied by the embedded query builder from search_core.vocabulary.
        return None
    if ftype == "stop":
        return tantivy.Filter.stopword("english")
    raise MappingError(f"{where}: token filter {name!r} of type {ftype!r} is not supported")


_TOKENIZERS: dict[str, Callable[[], tantivy.Tokenizer]] = {
    "standard": tantivy.Tokenizer.simple,
    "whitespace": tantivy.Tokenizer.whitespace,
    "keyword": tantivy.Tokenizer.raw,
}


def _chain(
    spec: dict[str, Any], analysis: dict[str, Any], where: str, search_side: bool
) -> tuple[str, list[str]]:
    tok = spec.get("tokenizer", "keyword")
    if tok not in _TOKENIZERS:
        raise MappingError(f"{where}: tokenizer {tok!r} is not supported")
    kept = [
        f
        for f in spec.get("filter", [])
        if _filter(f, analysis.get("filter", {}), where, search_side) is not None
    ]
    return tok, kept


def build_analyzer(
    tokenizer: str, filters: list[str], analysis: dict[str, Any]
) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(_TOKENIZERS[tokenizer]())
    for name in filters:
        f = _filter(name, analysis.get("filter", {}), name, search_side=False)
        if f is not None:
            builder = builder.filter(f)
    return builder.filter(tantivy.Filter.remove_long(255)).build()


# ---------------------------------------------------------------------------- schema


class EmbeddedSchema:
    """Tantivy schema, analyzers and the document conversion for one index kind."""

    def __init__(
        self, mapping: IndexMapping, masks: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.mapping = mapping
        self.kind = mapping.kind
        self.analysis = mapping.analysis
        self.analyzers: dict[str, tantivy.TextAnalyzer] = {}
        self.unsupported: dict[str, str] = {}
        self.source_only: list[str] = []
        self.plans: list[FieldPlan] = []
        self._chains: dict[str, tuple[str, list[str]]] = {}
        self._analyzed: dict[tuple[str, str], tuple[str, ...]] = {}
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
        self._mask_bits = {
            path: {v: 1 << i for i, v in enumerate(values)}
            for path, values in self.mask_layout.items()
        }
        self._mask_names = {path: mask_name(path) for path in self.mask_layout}
        builder.add_bytes_field(SOURCE_FIELD, stored=True)
        builder.add_unsigned_field(ORD_FIELD, indexed=True, fast=True)
        builder.add_unsigned_field(ID_KEY_FIELD, indexed=False, fast=True)
        self.schema = builder.build()
        self._geo_paths = [p.mapped.source_path for p in self.plans if p.kind == "geo"]
        self._extract = [
            (
                p.mapped.source_path if "." not in p.mapped.source_path else None,
                _getter(p.mapped.source_path),
                p.kind,
                p.names,
                p.slots,
                cells_name(p.mapped.path) if p.kind == "geo" else "",
            )
            for p in self.plans
        ]

    # --- analyzers ----------------------------------------------------------------------

    def _analyzer_name(self, mf: MappedField) -> str:
        if mf.normalizer:
            spec = self.analysis.get("normalizer", {}).get(mf.normalizer)
            if spec is None:
                raise MappingError(f"{mf.path}: normalizer {mf.normalizer!r} is not defined")
            name = f"normalizer__{mf.normalizer}"
            self._register(name, "keyword", spec, mf.path, search_side=False)
            return name
        if mf.type == "keyword":
            return "raw"
        analyzer = mf.analyzer or "standard"
        spec = self.analysis.get("analyzer", {}).get(analyzer)
        if spec is None:
            if analyzer != "standard":
                raise MappingError(f"{mf.path}: analyzer {analyzer!r} is not defined")
            spec = {"tokenizer": "standard", "filter": ["lowercase"]}
        self._register(analyzer, spec.get("tokenizer", "standard"), spec, mf.path, False)
        if mf.search_analyzer and mf.search_analyzer != analyzer:
            s_spec = self.analysis.get("analyzer", {}).get(mf.search_analyzer)
            if s_spec is None:
                raise MappingError(f"{mf.path}: analyzer {mf.search_analyzer!r} is not defined")
            search_chain = _chain(s_spec, self.analysis, mf.path, search_side=True)
            if search_chain != self._chains[analyzer]:
                raise MappingError(
                    f"{mf.path}: search analyzer {mf.search_analyzer!r} differs from "
                    f"{analyzer!r} by more than synonyms; the embedded engine cannot honour it"
                )
        return analyzer

    def _register(
        self, name: str, tokenizer: str, spec: dict[str, Any], where: str, search_side: bool
    ) -> None:
        if name in self.analyzers:
            return
        spec = {"tokenizer": tokenizer, **spec}
        chain = _chain(spec, self.analysis, where, search_side)
        self._chains[name] = chain
        self.analyzers[name] = build_analyzer(chain[0], chain[1], self.analysis)

    # --- fields ---------------------------------------------------------------------------

    def _plan(self, mf: MappedField) -> FieldPlan:
        t = mf.type
        if t == "keyword":
            return FieldPlan(mf, "keyword", (tname(mf.path),), self._analyzer_name(mf))
        if t in ("text", "search_as_you_type"):
            return FieldPlan(mf, "text", (tname(mf.path),), self._analyzer_name(mf))
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
        for name, analyzer in self.analyzers.items():
            index.register_tokenizer(name, analyzer)
            index.register_fast_field_tokenizer(name, analyzer)

    def analyze(self, path: str, text: str) -> tuple[str, ...]:
        """Tokens of ``text`` as the field at ``path`` indexes them (query-side analysis).

        Kept per analyzer and text: a search analyses each of its words for each of the
        tuning's fields (nine of them, eight sharing one analyzer), and people search with the
        same words. At most :data:`ANALYZED_KEPT` are kept; then the memo starts again."""
        plan = self.by_path[path]
        if plan.tokenizer in (None, "raw"):
            return (text,)
        key = (plan.tokenizer, text)
        tokens = self._analyzed.get(key)
        if tokens is None:
            if len(self._analyzed) >= ANALYZED_KEPT:
                self._analyzed.clear()
            tokens = self._analyzed[key] = tuple(self.analyzers[plan.tokenizer].analyze(text))
        return tokens

    # --- documents ------------------------------------------------------------------------

    def order_key(self, doc: dict[str, Any]) -> str:
        """Where a document goes in a full build's document order: the geohash (precision
        :data:`ORDER_PRECISION`) of its first point, so that documents near each other get
        neighbouring document numbers; ``~`` (after every geohash) without a point.

        Tantivy intersects a small geo-cell filter with a text query by skipping, but its
        union of many text clauses refills blocks of 4,096 documents: when a search area's
        documents are spread over the whole index every block is read, when they sit
        together only a few are."""
        for path in self._geo_paths:
            values = _getter(path)(doc)
            if values:
                return geohash(values[0]["lat"], values[0]["lon"], ORDER_PRECISION)
        return NO_ORDER_KEY

    def to_tantivy(self, doc: dict[str, Any], source: bytes | None, ord_: int) -> dict[str, Any]:
        """The JSON object ``IndexWriter.add_json`` takes for one index document; ``source``
        goes into Tantivy's store only for a version that keeps it there (see
        :mod:`search_core.embedded.sourcefile`)."""
        out: dict[str, Any] = {ORD_FIELD: ord_, ID_KEY_FIELD: id_key(str(doc["id"]))}
        if source is not None:
            out[SOURCE_FIELD] = base64.b64encode(source).decode("ascii")
        for top, get, kind, names, slots, cells in self._extract:
            if top is not None:  # a top-level field: most of them, so the fast path
                values = doc.get(top)
                if values is None or values == "" or values == []:
                    continue
                if kind in _PLAIN:
                    out[names[0]] = values
                    continue
                if not isinstance(values, list):
                    values = [values]
            else:
                values = get(doc)
                if not values:
                    continue
                if kind in _PLAIN:
                    out[names[0]] = values
                    continue
            if kind == "geo":
                out[cells] = sorted({c for v in values for c in cells_of(v["lat"], v["lon"])})
                if slots is None:
                    out[names[0]] = values[0]["lat"]
                    out[names[1]] = values[0]["lon"]
                    continue
                if len(values) > slots:
                    raise MappingError(f"{names[0]}: more than {slots} values")
                for i, v in enumerate(values):
                    out[names[2 * i]] = v["lat"]
                    out[names[2 * i + 1]] = v["lon"]
            elif kind == "date":
                stamps = [_parse_date(v) for v in values]
                out[names[0]] = [d.strftime("%Y-%m-%dT%H:%M:%SZ") for d in stamps]
                out[names[0] + EPOCH_SUFFIX] = [int(d.timestamp()) for d in stamps]
        for path, name in self._mask_names.items():
            out[name] = self.mask_of(path, doc.get(path))
        return out

    def mask_of(self, path: str, values: str | Sequence[str] | None) -> int:
        """The bits of ``values`` in the facet mask of ``path`` (unknown values have none)."""
        if not values:
            return 0
        bits = self._mask_bits[path]
        mask = 0
        for v in (values,) if isinstance(values, str) else values:
            mask |= bits.get(v, 0)
        return mask


def _parse_date(value: str) -> dt.datetime:
    """An ISO date or date-time as an aware UTC datetime (plain dates are midnight UTC)."""
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def date_value(value: dt.date | dt.datetime) -> dt.datetime:
    """A Python value for Tantivy date range queries (dates are midnight UTC)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _present(v: Any) -> bool:
    return v is not None and v != ""


def _getter(path: str) -> Callable[[dict[str, Any]], list[Any]]:
    """A function collecting the values at a dotted path, descending through lists.

    Paths of one and two steps (all the mappings use) get straight-line code: this runs for
    every field of every document of a full load.
    """
    parts = path.split(".")

    def as_list(v: Any) -> list[Any]:
        if v is None or v == "":
            return []
        if isinstance(v, list):
            return [x for x in v if _present(x)]
        return [v]

    if len(parts) == 1:
        key = parts[0]
        return lambda doc: as_list(doc.get(key))
    if len(parts) == 2:
        outer, inner = parts

        def two(doc: dict[str, Any]) -> list[Any]:
            node = doc.get(outer)
            if node is None:
                return []
            if isinstance(node, list):
                return [v for item in node if _present(v := item.get(inner))]
            return as_list(node.get(inner))

        return two
    head, rest = parts[0], _getter(".".join(parts[1:]))

    def deep(doc: dict[str, Any]) -> list[Any]:
        node = doc.get(head)
        items = node if isinstance(node, list) else [node] if node is not None else []
        return [v for item in items for v in rest(item)]

    return deep
