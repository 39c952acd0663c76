"""What every part of a cluster engine reads through: the async client (created lazily, in the
event loop that serves the API), the aliases, one checked ``_search`` and one look-up by key.
The product (:mod:`search_core.elastic.product`) decides the client and the error map."""

from __future__ import annotations

from typing import Any

from search_core.elastic import names, responses
from search_core.elastic.errors import require_complete
from search_core.elastic.lookup_query import by_term_body
from search_core.elastic.product import ClusterProduct, body_of
from search_core.elastic.versions import VersionAdmin
from search_core.errors import NotFound
from search_core.settings import Settings

Body = dict[str, Any]


class ClusterReader:
    """Searches on the aliases of one cluster, for the engine's parts."""

    def __init__(self, settings: Settings, product: ClusterProduct) -> None:
        self.settings = settings
        self.product = product
        self.prefix = settings.elasticsearch_index_prefix
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self.product.make_client(self.settings)
        return self._client

    def alias(self, kind: str) -> str:
        return names.alias_name(self.prefix, kind)

    def admin(self) -> VersionAdmin:
        return VersionAdmin(self.client, self.prefix, self.product)

    async def search_raw(
        self,
        kind: str,
        body: Body,
        what: str,
        index: str | None = None,
        preference: str | None = None,
    ) -> Body:
        """One ``_search`` on the alias of ``kind`` (or on ``index``); a partial answer (failed
        shards, timed out) raises instead (:func:`~search_core.elastic.errors.require_complete`)."""
        extra: dict[str, Any] = {"preference": preference} if preference else {}
        with self.product.translated(what):
            resp = await self.client.search(index=index or self.alias(kind), body=body, **extra)
        result = body_of(resp)
        require_complete(result, what)
        return result

    async def by_term(self, kind: str, field: str, value: str) -> dict[str, Any]:
        resp = await self.search_raw(kind, by_term_body(field, value), f"find a {kind[:-1]}")
        found = responses.sources(resp)
        if not found:
            raise NotFound(f"no {kind[:-1]} with {field} {value!r}")
        return found[0]

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
