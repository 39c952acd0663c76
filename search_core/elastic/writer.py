"""Writing the Elasticsearch indexes behind the synchronous
:class:`search_core.backend.IndexWriter` protocol: full versioned loads
(:mod:`search_core.elastic.build`), single-document edits visible at once
(``refresh=wait_for``), version listing and rollback (:mod:`search_core.elastic.versions`).

The async client runs in a private event loop thread (:mod:`search_core.elastic.loop`), created
there and used only there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_core.backend import VersionView
from search_core.elastic import names
from search_core.elastic.build import ElasticBuild
from search_core.elastic.loop import LoopThread
from search_core.elastic.product import ELASTICSEARCH, ClusterProduct
from search_core.elastic.versions import ElasticVersion, VersionAdmin
from search_core.settings import Settings


class ElasticWriter:
    product: ClusterProduct = ELASTICSEARCH

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.translated = self.product.translated
        self.loop = LoopThread(f"{self.product.name}-writer")
        try:
            self.client: Any = self.loop.run(self._make_client())
        except BaseException:
            self.loop.close()
            raise
        self.admin = VersionAdmin(self.client, settings.elasticsearch_index_prefix, self.product)

    async def _make_client(self) -> Any:
        return self.product.make_client(self.settings)

    def _alias(self, kind: str) -> str:
        return names.alias_name(self.settings.elasticsearch_index_prefix, kind)

    # ------------------------------------------------------------------ IndexWriter

    def build(self, kind: str) -> ElasticBuild:
        return ElasticBuild(self, kind)

    def upsert(self, kind: str, doc: Mapping[str, Any]) -> None:
        self.loop.run(self._upsert(kind, doc))

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
        with self.translated(f"upsert {kind[:-1]} {doc.get('id')!r}"):
            await self.client.index(
                index=index, id=str(doc["id"]), body=dict(doc), refresh="wait_for"
            )

    async def _delete(self, kind: str, doc_id: str) -> bool:
        self._alias(kind)
        index = await self.admin.require_serving(kind)
        with self.translated(f"delete {kind[:-1]} {doc_id!r}"):
            try:
                await self.client.delete(index=index, id=doc_id, refresh="wait_for")
            except Exception as exc:
                if self.product.is_not_found(exc):
                    return False
                raise
        return True
