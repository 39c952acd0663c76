"""The Tantivy fields of an embedded index: the reserved ones every document gets, how a mapping
path is named in Tantivy, and :class:`FieldPlan` (how one mapped field is stored)."""

from __future__ import annotations

from dataclasses import dataclass

from search_core.mappings import MappedField

SOURCE_FIELD = "_source"
"""Where versions built before ``sources.dat`` kept the stored document (such versions are
refused, see :mod:`.formats`); kept, empty, so this release's Tantivy schema is unchanged."""
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
EPOCH_SUFFIX = "__epoch"
"""Each date field also gets ``<name>__epoch`` (i64 seconds, fast): Tantivy cannot read date
fast fields back into Python, and sorting and freshness decay need the values."""


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
