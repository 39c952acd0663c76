"""Writing the Elasticsearch indexes behind the synchronous
:class:`search_core.backend.IndexWriter` protocol: full versioned loads
(:mod:`search_core.elastic.build`), single-document edits visible at once
(``refresh=wait_for``), version listing and rollback (:mod:`search_core.elastic.versions`).

The async client runs in a private event loop thread (:mod:`search_core.elastic.loop`), created
there and used only there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError

from search_core.backend import VersionView
from search_core.elastic import names
from search_core.elastic.build import ElasticBuild
from search_core.elastic.client import make_client
from search_core.elastic.errors import translated
from search_core.elastic.loop import LoopThread
from search_core.elastic.versions import ElasticVersion, VersionAdmin
from search_core.errors import SearchError
from search_core.settings import Settings


class ElasticWriter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = LoopThread()
        try:
            self.client: AsyncElasticsearch = self.loop.run(self._make_client())
        except BaseException:
            self.loop.close()
            raise
        self.admin = VersionAdmin(self.client, settings.elasticsearch_index_prefix)

    async def _make_client(self) -> AsyncElasticsearch:
        return make_client(self.settings)

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
        self._alias(kind)
        return self.loop.run(self.admin.rollback(kind, to))

    def close(self) -> None:
        try:
            self.loop.run(self.client.close())
        finally:
            self.loop.close()

    # ------------------------------------------------------------------ async

    async def _upsert(self, kind: str, doc: Mapping[str, Any]) -> None:
        self._alias(kind)
        index = await self.admin.require_serving(kind)
        with translated(f"upsert {kind[:-1]} {doc.get('id')!r}"):
            await self.client.index(
                index=index, id=str(doc["id"]), body=dict(doc), refresh="wait_for"
            )

    async def _delete(self, kind: str, doc_id: str) -> bool:
        self._alias(kind)
        index = await self.admin.require_serving(kind)
        with translated(f"delete {kind[:-1]} {doc_id!r}"):
            try:
                await self.client.delete(index=index, id=doc_id, refresh="wait_for")
            except NotFoundError:
                return False
        return True
