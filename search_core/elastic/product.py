"""The product a cluster engine talks to, and the few things that differ between products.

The Elasticsearch engine's backend, writer, load and version code are written once over the pure
builders and parsers of this package; what depends on the server product (its client library,
how that client is built and retries, how its exceptions become the product's errors, the bulk
helper, and what an index mapping must look like on that server) comes from a
:class:`ClusterProduct`. :data:`ELASTICSEARCH` is this package's; the OpenSearch engine
(``search_core.opensearch``) brings its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from contextlib import AbstractContextManager
from typing import Any, Protocol

import elastic_transport
from elasticsearch.helpers import async_streaming_bulk

from search_core.elastic import client, errors
from search_core.elastic.index_bodies import create_index_body
from search_core.mappings import IndexMapping
from search_core.settings import Settings

Body = dict[str, Any]


class ClusterProduct(Protocol):
    """What a cluster engine needs to know about the server product it talks to."""

    name: str
    """The engine's name (``SEARCH_ENGINE``, ``/health``, pages' ``engine``)."""
    label: str
    """The product as messages name it ("Elasticsearch")."""

    unsure: tuple[type[BaseException], ...]
    """The client's errors after which a request may or may not have been applied (timeouts,
    lost connections): :func:`search_core.elastic.once.once` sends it again knowing that."""

    def make_client(self, settings: Settings, retries: bool = True) -> Any:
        """A new async client (create it in the event loop that will use it); ``retries``:
        resend failed requests (only for idempotent calls; see :mod:`.client`)."""
        ...

    def translated(self, what: str) -> AbstractContextManager[None]:
        """A block inside which client errors become :class:`search_core.errors.SearchError`."""
        ...

    def is_not_found(self, exc: BaseException) -> bool:
        """The client's "404 not found" error."""
        ...

    def streaming_bulk(
        self, client: Any, actions: list[str], **kwargs: Any
    ) -> AsyncIterable[tuple[bool, Any]]:
        """The client library's ``async_streaming_bulk``."""
        ...

    async def index_body(
        self, client: Any, mapping: IndexMapping, shards: int, replicas: int
    ) -> Body:
        """``PUT /<index>`` for this product (the mapping file, in the dialect of the cluster
        ``client`` talks to)."""
        ...

    def max_retries(self, settings: Settings) -> int:
        """Retries of a bulk chunk refused with 429."""
        ...


class Elasticsearch:
    name = "elasticsearch"
    label = "Elasticsearch"
    unsure: tuple[type[BaseException], ...] = (
        elastic_transport.ConnectionTimeout,
        elastic_transport.ConnectionError,
    )

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
        return create_index_body(mapping, shards, replicas)

    def max_retries(self, settings: Settings) -> int:
        return settings.elasticsearch_max_retries


ELASTICSEARCH: ClusterProduct = Elasticsearch()


def body_of(resp: Any) -> Body:
    """A response's decoded body: elasticsearch-py wraps it (``.body``), opensearch-py does not."""
    body: Body = getattr(resp, "body", resp)
    return body
