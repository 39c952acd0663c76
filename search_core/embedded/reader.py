"""Reading the serving embedded indexes: one open index per kind, reused across requests, and
reopened when the pointer moves (a new load or a rollback) or the version is edited in place."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import tantivy

from search_core.embedded.columns import ColumnCache, therapist_columns
from search_core.embedded.formats import check_format
from search_core.embedded.opening import embedded_schema, open_index
from search_core.embedded.schema import ORD_FIELD, EmbeddedSchema
from search_core.embedded.sourcefile import SourceFile
from search_core.embedded.store import VersionStore, file_stamp, pointer_path
from search_core.errors import BackendUnavailable
from search_core.settings import Settings


@dataclass(frozen=True)
class OpenIndex:
    kind: str
    version: str
    schema: EmbeddedSchema
    index: tantivy.Index
    stored: SourceFile = field(compare=False)
    """The version's ``sources.dat``: the stored documents."""
    columns: ColumnCache | None = None
    """Per-hit fields of location searches, in numpy (therapists with masks only)."""
    counts: dict[Any, Any] = field(default_factory=dict, compare=False)
    """Therapist searches that only count (a page of at most one hit, no highlighting: the
    online list's counts), by query; emptied whenever the index is reloaded."""

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def source(self, searcher: tantivy.Searcher, address: tantivy.DocAddress) -> dict[str, Any]:
        return self.sources(searcher, [address])[0]

    def sources(
        self, searcher: tantivy.Searcher, addresses: Sequence[tantivy.DocAddress]
    ) -> list[dict[str, Any]]:
        """The stored documents at ``addresses``, in order. (One ``fast_field_values`` call
        for all of them: each call costs about 40 µs of set-up, each address 0.1 µs.)"""
        stored = self.stored
        ords = searcher.fast_field_values(ORD_FIELD, list(addresses))
        raws: list[object] = [None if o is None else stored.get(int(o)) for o in ords]
        out: list[dict[str, Any]] = []
        for raw in raws:
            if not isinstance(raw, bytes):
                raise BackendUnavailable(f"{self.kind} index {self.version} has no stored source")
            out.append(orjson.loads(raw))
        return out


def count_matches(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    """Documents matching ``query`` (the stub of ``SearchResult`` lacks ``count``)."""
    result = searcher.search(query, limit=1, count=True)
    return int(result.count)  # type: ignore[attr-defined]


class IndexReader:
    """Thread-safe access to the serving version of each kind."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._index_dir = settings.index_dir  # made once: checked per request
        self._lock = threading.Lock()
        self._open: dict[str, tuple[int | None, int | None, OpenIndex, str]] = {}
        """Per kind: the pointer's stamp, the version's ``meta.json`` stamp, the open index,
        the path of that ``meta.json``."""

    def get(self, kind: str) -> OpenIndex:
        """The serving index of ``kind``, reopened or reloaded if it changed since last time."""
        stamp = file_stamp(pointer_path(self._index_dir, kind))
        with self._lock:
            cached = self._open.get(kind)
            if cached is not None and cached[0] == stamp:
                opened, meta_path = cached[2], cached[3]
                meta = file_stamp(meta_path)
                if meta != cached[1]:  # an upsert or delete committed into this version
                    opened.index.reload()
                    opened.counts.clear()
                    if opened.columns is not None:
                        opened.columns.clear()
                    self._open[kind] = (stamp, meta, opened, meta_path)
                return opened
            store = VersionStore(self.settings.index_dir, kind)
            version = store.current_version()
            if version is None:
                raise BackendUnavailable(
                    f"no {kind} index has been built yet: run `therapist-search index`"
                )
            schema = embedded_schema(self.settings.mappings_dir, kind)
            path = store.path(version)
            check_format(schema, version, path, store.meta(version))
            masks = bool(schema.mask_layout)
            columns = therapist_columns(schema) if masks and kind == "therapists" else None
            opened = OpenIndex(
                kind, version, schema, open_index(schema, path), SourceFile(path), columns
            )
            meta_path = str(path / "meta.json")
            self._open[kind] = (stamp, file_stamp(meta_path), opened, meta_path)
            return opened

    def count(self, kind: str) -> int:
        return int(self.get(kind).searcher().num_docs)

    def get_source(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        opened = self.get(kind)
        searcher = opened.searcher()
        query = tantivy.Query.term_query(opened.schema.schema, "id", doc_id)
        hits = searcher.search(query, limit=1).hits
        return opened.source(searcher, hits[0][1]) if hits else None

    def sources(self, kind: str) -> Iterator[dict[str, Any]]:
        """Every stored document of the serving version (for checks and exports)."""
        opened = self.get(kind)
        searcher = opened.searcher()
        total = searcher.num_docs
        result = searcher.search(tantivy.Query.all_query(), limit=max(total, 1), count=False)
        addresses = [address for _, address in result.hits]
        for i in range(0, len(addresses), 1024):
            yield from opened.sources(searcher, addresses[i : i + 1024])
