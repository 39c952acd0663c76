"""The OpenSearch product: the client, error translation, bulk helper and mapping dialect the
shared cluster code (:mod:`search_core.elastic`) runs with."""

from __future__ import annotations

from collections.abc import AsyncIterable
from contextlib import AbstractContextManager
from typing import Any

import opensearchpy
from opensearchpy.helpers import async_streaming_bulk

from search_core.elastic.index_bodies import create_index_body
from search_core.elastic.product import ClusterProduct, body_of
from search_core.mappings import IndexMapping
from search_core.opensearch import client, errors
from search_core.opensearch.dialect import opensearch_index_body
from search_core.settings import Settings

Body = dict[str, Any]


def served_types(nodes_plugins: Body) -> frozenset[str]:
    """Field types of optional modules every node serves, from ``GET /_nodes/plugins``."""
    per_node = [
        {m.get("name") for m in node.get("modules", []) + node.get("plugins", [])}
        for node in (nodes_plugins.get("nodes") or {}).values()
    ]
    if per_node and all("mapper-extras" in names for names in per_node):
        return frozenset({"search_as_you_type"})
    return frozenset()


class OpenSearch:
    name = "opensearch"
    label = "OpenSearch"
    unsure: tuple[type[BaseException], ...] = (opensearchpy.ConnectionError,)
    """ConnectionError and its ConnectionTimeout: the request may have been applied."""

    def make_client(self, settings: Settings, retries: bool = True) -> Any:
        return client.make_client(settings, retries)

    def translated(self, what: str) -> AbstractContextManager[None]:
        return errors.translated(what)

    def is_not_found(self, exc: BaseException) -> bool:
        return errors.is_not_found(exc)

    def streaming_bulk(
        self, client: Any, actions: list[str], **kwargs: Any
    ) -> AsyncIterable[tuple[bool, Any]]:
        return async_streaming_bulk(client, actions, **kwargs)

    async def index_body(
        self, client: Any, mapping: IndexMapping, shards: int, replicas: int
    ) -> Body:
        """The mapping, with what the cluster's modules lack replaced (see
        :mod:`search_core.opensearch.dialect`)."""
        with errors.translated("list the cluster's modules"):
            have = served_types(body_of(await client.nodes.info(metric="plugins")))
        return opensearch_index_body(create_index_body(mapping, shards, replicas), have)

    def max_retries(self, settings: Settings) -> int:
        return settings.opensearch_max_retries


OPENSEARCH: ClusterProduct = OpenSearch()
