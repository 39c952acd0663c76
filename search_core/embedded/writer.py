"""Writing the embedded (Tantivy) indexes: full versioned loads, single-record edits, rollback."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import tantivy

from search_core.embedded.encoding import NO_ORDER_KEY
from search_core.embedded.formats import check_format
from search_core.embedded.kindlock import KindLock
from search_core.embedded.opening import embedded_schema as embedded_schema
from search_core.embedded.opening import open_index
from search_core.embedded.schema import EmbeddedSchema
from search_core.embedded.sourcefile import SourceWriter, entry_count
from search_core.embedded.store import VersionInfo, VersionStore
from search_core.errors import BackendUnavailable, IndexingError
from search_core.faults import pause_at
from search_core.mappings import load_mapping
from search_core.settings import Settings


def _next_seq(store: VersionStore, version: str, path: Path) -> int:
    """The ``_ord`` of the next document an edit adds to ``version``: past every number ever
    handed out. ``version.json`` says so after each edit, but an edit killed after its commit
    and before that update leaves it behind; the entries of ``sources.idx`` (on disk before the
    commit) never are. Reusing a number would point a committed document at another's record."""
    return max(int(store.meta(version).get("next_seq", 1)), entry_count(path))


def _encode(schema: EmbeddedSchema, doc: dict[str, Any], seq: int) -> str:
    """The JSON ``add_json`` takes (the stored document is kept in ``sources.dat``)."""
    return orjson.dumps(schema.to_tantivy(doc, None, seq)).decode()


def encode_payload(mappings_dir: Path, kind: str, doc: Mapping[str, Any], seq: int) -> bytes:
    """An index document for a full build (picklable, so worker processes of a parallel load
    can do this part): the stored JSON, a newline, then the JSON Tantivy's ``add_json`` takes,
    in UTF-8. (JSON from orjson has no raw newline.)"""
    plain = doc if type(doc) is dict else dict(doc)
    tantivy_json = orjson.dumps(embedded_schema(mappings_dir, kind).to_tantivy(plain, None, seq))
    return orjson.dumps(plain) + b"\n" + tantivy_json


def encode_document(mappings_dir: Path, kind: str, doc: Mapping[str, Any], seq: int) -> str:
    """:func:`encode_payload` as text (the engine-neutral :attr:`IndexBuild.encoder`)."""
    return encode_payload(mappings_dir, kind, doc, seq).decode()


def document_order_key(mappings_dir: Path, kind: str, record: dict[str, Any]) -> str:
    """Where a source record goes in a full build's document order (see
    :meth:`EmbeddedSchema.order_key`), read from the record as parsed, before validation:
    a record without a usable point goes last (validation will say what is wrong with it)."""
    try:
        return embedded_schema(mappings_dir, kind).order_key(record)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return NO_ORDER_KEY


class EmbeddedBuild:
    """A full load into a new version directory; invisible until :meth:`finish`."""

    def __init__(self, writer: EmbeddedWriter, kind: str) -> None:
        self.kind = kind
        self._settings = writer.settings
        self._store = writer.store(kind)
        self._schema = embedded_schema(writer.settings.mappings_dir, kind)
        self._lock = KindLock(self._store.dir, kind)
        self._lock.acquire("a full load", self._settings.write_wait_s)  # finish/abort release
        try:
            self.version, self._path = self._store.new_version()
        except BaseException:
            self._lock.release()
            raise
        self._index = tantivy.Index(self._schema.schema, path=str(self._path), reuse=False)
        self._schema.register(self._index)
        self._writer: tantivy.IndexWriter | None = self._index.writer(
            heap_size=self._settings.writer_heap_mb * 1_000_000,
            num_threads=self._settings.writer_threads,
        )
        self._sources = SourceWriter(self._path)
        self._added = 0
        self._next_seq = 1
        self.encoder: Callable[[Mapping[str, Any], int], str] = functools.partial(
            encode_document, writer.settings.mappings_dir, kind
        )
        self.payload_encoder: Callable[[Mapping[str, Any], int], bytes] = functools.partial(
            encode_payload, writer.settings.mappings_dir, kind
        )
        """:attr:`encoder` in UTF-8: what a full load's workers send, for :meth:`add_payload`."""
        self.order_key: Callable[[dict[str, Any]], str] | None = functools.partial(
            document_order_key, writer.settings.mappings_dir, kind
        )
        """Documents near each other get neighbouring document numbers: a full load feeds
        them in this order (see :meth:`EmbeddedSchema.order_key`)."""

    def add(self, doc: Mapping[str, Any]) -> None:
        self.add_encoded(self.encoder(doc, self._next_seq), self._next_seq)

    def add_encoded(self, payload: str, seq: int) -> None:
        """Add one record made by :attr:`encoder` (document numbers follow the calls)."""
        data = payload.encode()
        self.add_payload(data, 0, len(data), seq)

    def add_payload(self, data: bytes, start: int, end: int, seq: int) -> None:
        """Add the record ``data[start:end]`` made by :attr:`payload_encoder` (a full load's
        workers send a batch of them in one ``bytes``: the stored JSON goes to ``sources.dat``
        and the JSON for Tantivy is read as text without a copy first)."""
        if self._writer is None:
            raise IndexingError("this build is finished")
        split = data.index(b"\n", start, end)
        view = memoryview(data)
        try:
            self._writer.add_json(str(view[split + 1 : end], "utf-8"))
            self._sources.add(seq, data[start:split])
        except ValueError as exc:
            raise IndexingError(f"{self.kind}: the engine refused record {seq}: {exc}") from exc
        self._added += 1
        self._next_seq = max(self._next_seq, seq + 1)

    def finish(self, expected: int) -> VersionInfo:
        """Commit, check, seal and serve the new version; the write lock is let go whatever
        happens."""
        try:
            return self._finish(expected)
        finally:
            self._lock.release()

    def _finish(self, expected: int) -> VersionInfo:
        if self._writer is None:
            raise IndexingError("this build is finished")
        writer, self._writer = self._writer, None
        try:
            self._sources.close()
            writer.commit()
            writer.wait_merging_threads()
        except OSError:
            self._store.discard(self.version)
            raise  # the caller names the file or the full disk
        except Exception as exc:
            self._store.discard(self.version)
            raise IndexingError(f"{self.kind}: commit failed: {exc}") from exc
        pause_at("commit")
        self._index.reload()
        found = self._index.searcher().num_docs
        if found != expected or self._added != expected:
            self._store.discard(self.version)
            raise IndexingError(
                f"{self.kind}: new version holds {found} documents, expected {expected}; "
                "the serving version was left as it was"
            )
        if expected == 0:
            self._store.discard(self.version)
            raise IndexingError(f"{self.kind}: no documents to index; serving version unchanged")
        self._store.seal(
            self.version,
            {
                "kind": self.kind,
                "doc_count": found,
                "next_seq": self._next_seq,
                "facet_masks": {k: list(v) for k, v in self._schema.mask_layout.items()},
            },
        )
        pause_at("seal")
        self._store.point_to(self.version)
        pause_at("prune")
        self._store.prune(self._settings.keep_versions)
        current = self._store.current()
        assert current is not None
        return current

    def abort(self) -> None:
        try:
            self._sources.discard()
            if self._writer is not None:
                self._writer.rollback()
                self._writer = None
            self._store.discard(self.version)
        finally:
            self._lock.release()


class EmbeddedWriter:
    concurrent_builds = True
    """Builds of different kinds may run at once, one thread each: each has its own Tantivy
    index, writer, source file, version folder and lock."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def store(self, kind: str) -> VersionStore:
        load_mapping(self.settings.mappings_dir, kind)  # refuses unknown kinds
        return VersionStore(self.settings.index_dir, kind)

    def build(self, kind: str) -> EmbeddedBuild:
        return EmbeddedBuild(self, kind)

    def _serving(self, kind: str) -> tuple[EmbeddedSchema, VersionStore, tantivy.Index]:
        store = self.store(kind)
        version = store.current_version()
        if version is None:
            raise BackendUnavailable(f"no {kind} index has been built yet; run the indexer first")
        schema = embedded_schema(self.settings.mappings_dir, kind)
        path = store.path(version)
        check_format(schema, version, path, store.meta(version))
        return schema, store, open_index(schema, path)

    def _lock(self, kind: str) -> KindLock:
        return KindLock(self.store(kind).dir, kind)

    def upsert(self, kind: str, doc: Mapping[str, Any]) -> None:
        """Into the serving version; after a running full load of ``kind`` has finished, so
        that the edit lands in the version that serves then (see :mod:`.kindlock`)."""
        self.upsert_many(kind, [doc])

    def upsert_many(self, kind: str, docs: Sequence[Mapping[str, Any]]) -> None:
        """Insert or replace ``docs`` all at once: one engine commit, so that a failure or a
        ``kill -9`` at any step leaves every one of them or none (a later record with the
        same id wins). After a running full load, as :meth:`upsert`."""
        with self._lock(kind).held("an upsert", None):
            self._upsert(kind, docs)

    def _upsert(self, kind: str, docs: Sequence[Mapping[str, Any]]) -> None:
        schema, store, index = self._serving(kind)
        version = store.current_version()
        assert version is not None
        path = store.path(version)
        latest: dict[str, dict[str, Any]] = {}
        for doc in docs:
            latest.pop(str(doc["id"]), None)
            latest[str(doc["id"])] = dict(doc)
        first = _next_seq(store, version, path)
        writer = index.writer(heap_size=15_000_000, num_threads=1)
        sources = SourceWriter(path)
        try:
            for seq, (doc_id, plain) in enumerate(latest.items(), start=first):
                writer.delete_documents_by_term("id", doc_id)
                try:
                    writer.add_json(_encode(schema, plain, seq))  # appended: no order to keep
                except ValueError as exc:
                    raise IndexingError(
                        f"{kind}: the engine refused record {doc_id!r}: {exc}; nothing of this "
                        "upsert was written"
                    ) from exc
                sources.add(seq, orjson.dumps(plain))
            pause_at("edit-staged")
            sources.close()  # on disk before the commit makes the documents visible
            pause_at("edit-sources")
            writer.commit()
        except BaseException:
            sources.discard()
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        pause_at("edit-commit")
        self._record_count(store, index, next_seq=first + len(latest))
        pause_at("edit-done")

    def delete(self, kind: str, doc_id: str) -> bool:
        """From the serving version, after a running full load (as :meth:`upsert`)."""
        with self._lock(kind).held("a delete", None):
            return self._delete(kind, doc_id)

    def _delete(self, kind: str, doc_id: str) -> bool:
        schema, store, index = self._serving(kind)
        index.reload()
        query = tantivy.Query.term_query(schema.schema, "id", doc_id)
        if int(index.searcher().search(query, limit=1).count) == 0:  # type: ignore[attr-defined]
            return False
        writer = index.writer(heap_size=15_000_000, num_threads=1)
        try:
            writer.delete_documents_by_term("id", doc_id)
            pause_at("edit-staged")
            writer.commit()
        finally:
            writer.wait_merging_threads()
        pause_at("edit-commit")
        self._record_count(store, index)
        pause_at("edit-done")
        return True

    @staticmethod
    def _record_count(store: VersionStore, index: tantivy.Index, **changes: Any) -> None:
        index.reload()
        version = store.current_version()
        if version is not None:
            store.update_meta(
                version, phase="edit-meta", doc_count=index.searcher().num_docs, **changes
            )

    def versions(self, kind: str) -> list[VersionInfo]:
        return self.store(kind).versions()

    def rollback(self, kind: str, to: str | None = None) -> VersionInfo:
        with self._lock(kind).held("a rollback", self.settings.write_wait_s):
            return self.store(kind).rollback(to)

    def close(self) -> None:
        return None
