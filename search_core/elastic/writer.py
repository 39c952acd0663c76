"""Writing the Elasticsearch indexes behind the synchronous
:class:`search_core.backend.IndexWriter` protocol: full versioned loads
(:mod:`search_core.elastic.build`), single-document edits visible at once
(``refresh=wait_for``), version listing and rollback (:mod:`search_core.elastic.versions`).
Writers of one kind take turns through a lock kept in the cluster
(:mod:`search_core.elastic.kindlock`): an edit made during a full load waits for it and lands in
the new index; a second load waits up to ``write_wait_s`` and then gives up, naming the first.

The async client runs in a private event loop thread (:mod:`search_core.elastic.loop`), created
there and used only there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search_core.backend import VersionView
from search_core.elastic import names
from search_core.elastic.build import ElasticBuild
from search_core.elastic.kindlock import ClusterLock
from search_core.elastic.loop import LoopThread
from search_core.elastic.once import once, status_of
from search_core.elastic.product import ELASTICSEARCH, ClusterProduct
from search_core.elastic.versions import ElasticVersion, VersionAdmin
from search_core.errors import SearchError
from search_core.settings import Settings


class ElasticWriter:
    product: ClusterProduct = ELASTICSEARCH

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.translated = self.product.translated
        self.loop = LoopThread(f"{self.product.name}-writer")
        try:
            self.client: Any = self.loop.run(self._make_client(True))
            self.once_client: Any = self.loop.run(self._make_client(False))
        except BaseException:
            self.loop.close()
            raise
        self.retries = self.product.max_retries(settings)
        self.admin = VersionAdmin(
            self.client,
            settings.elasticsearch_index_prefix,
            self.product,
            self.once_client,
            self.retries,
        )

    async def _make_client(self, retries: bool) -> Any:
        return self.product.make_client(self.settings, retries)

    def lock(self, kind: str) -> ClusterLock:
        """The write lock of ``kind`` (see :mod:`search_core.elastic.kindlock`)."""
        self._alias(kind)  # refuses unknown kinds
        return ClusterLock(
            self.client,
            self.once_client,
            self.settings.elasticsearch_index_prefix,
            kind,
            self.product,
            self.retries,
        )

    def _alias(self, kind: str) -> str:
        return names.alias_name(self.settings.elasticsearch_index_prefix, kind)

    # ------------------------------------------------------------------ IndexWriter

    def build(self, kind: str) -> ElasticBuild:
        return ElasticBuild(self, kind)

    def upsert(self, kind: str, doc: Mapping[str, Any]) -> None:
        self.loop.run(self._upsert(kind, doc))

    def upsert_many(self, kind: str, docs: Sequence[Mapping[str, Any]]) -> None:
        """One by one (Elasticsearch has no transaction over documents): an error says which
        records landed before it, so that the rest can be sent again."""
        done: list[str] = []
        for doc in docs:
            try:
                self.upsert(kind, doc)
            except SearchError as exc:
                landed = ", ".join(done) if done else "none"
                raise type(exc)(
                    f"{exc}; upserted before it: {len(done)} of {len(docs)} ({landed})"
                ) from exc
            done.append(str(doc["id"]))

    def delete(self, kind: str, doc_id: str) -> bool:
        return self.loop.run(self._delete(kind, doc_id))

    def versions(self, kind: str) -> list[VersionView]:
        self._alias(kind)  # refuses unknown kinds
        return list(self.loop.run(self.admin.inventory(kind)).complete)

    def rollback(self, kind: str, to: str | None = None) -> ElasticVersion:
        return self.loop.run(self._rollback(kind, to))

    def close(self) -> None:
        try:
            self.loop.run(self.client.close())
            self.loop.run(self.once_client.close())
        finally:
            self.loop.close()

    # ------------------------------------------------------------------ async

    async def _rollback(self, kind: str, to: str | None) -> ElasticVersion:
        async with self.lock(kind).held("a rollback", self.settings.write_wait_s):
            return await self.admin.rollback(kind, to)

    async def _upsert(self, kind: str, doc: Mapping[str, Any]) -> None:
        """Indexing a document under its id is idempotent: the retrying client sends it."""
        async with self.lock(kind).held("an upsert", None):
            index = await self.admin.require_serving(kind)
            with self.translated(f"upsert {kind[:-1]} {doc.get('id')!r}"):
                await self.client.index(
                    index=index, id=str(doc["id"]), body=dict(doc), refresh="wait_for"
                )

    async def _delete(self, kind: str, doc_id: str) -> bool:
        """True if the document was there. A delete sent again after a lost answer (by us or
        by the HTTP library) answers 404 for the document the first request deleted, so the
        answer is read from a look-up made before (nobody else writes this kind meanwhile: the
        lock is held)."""
        async with self.lock(kind).held("a delete", None):
            index = await self.admin.require_serving(kind)
            with self.translated(f"delete {kind[:-1]} {doc_id!r}"):
                if not await self.client.exists(index=index, id=doc_id):
                    return False

                async def delete() -> None:
                    await self.once_client.delete(index=index, id=doc_id, refresh="wait_for")

                async def deleted(exc: BaseException) -> None:
                    if status_of(exc) != 404:
                        raise exc
                    await self.client.indices.refresh(index=index)  # visible, as wait_for

                await once(delete, deleted, self.retries, self.product.unsure)
        return True
