"""One full load into a fresh Elasticsearch index, invisible until :meth:`ElasticBuild.finish`.

Documents arrive already encoded (``encoder`` runs in the load's worker processes: the two
``_bulk`` lines as one string) and are sent in chunks of ``elasticsearch_bulk_chunk_size``
through the client's ``async_streaming_bulk`` helper, at most :data:`MAX_IN_FLIGHT` chunks at
a time. Items refused with 429 are retried with exponential back-off; items refused for good
are collected as :class:`ItemFailure` (see :mod:`search_core.elastic.failures`).

``finish(expected)``: restore the refresh interval, refresh, count, and only if the count is
``expected`` seal the index and move the alias in one atomic ``_aliases`` call, then prune old
versions. Anything off deletes the new index and leaves the serving one untouched.

The build holds its kind's write lock (:mod:`search_core.elastic.kindlock`) from before it
names its version until it is finished or aborted: edits wait and land in the new index, a
second load waits or gives up, and prune (run under the lock) never meets a running load's index.
Creating the index is not idempotent: sent again after a timeout it answers
``resource_already_exists_exception`` for the index the first attempt created; the version
name is fresh and the lock is held, so that answer means the index is ours.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from search_core.elastic import names
from search_core.elastic.failures import ItemFailure, item_failure
from search_core.elastic.index_bodies import (
    SERVING_REFRESH,
    encode_bulk,
    refresh_interval_body,
    seal_body,
    split_payload,
)
from search_core.elastic.kindlock import ClusterLock
from search_core.elastic.loop import LoopThread
from search_core.elastic.once import error_type, once
from search_core.elastic.product import ClusterProduct
from search_core.elastic.versions import ElasticVersion, VersionAdmin
from search_core.errors import IndexingError, SearchError
from search_core.mappings import IndexMapping, load_mapping
from search_core.settings import Settings

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 2
"""Bulk requests sent and not yet answered, so encoding and indexing overlap."""
INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 30.0

Chunk = list[tuple[str, int]]


class BuildHost(Protocol):
    """What a build needs of the writer that starts it
    (:class:`~search_core.elastic.writer.ElasticWriter`): its settings and product, its event
    loop and clients, the version admin and the kind's write lock. Named here so that the build
    does not import the writer that imports it."""

    settings: Settings
    product: ClusterProduct
    loop: LoopThread
    client: Any
    once_client: Any
    admin: VersionAdmin

    def lock(self, kind: str) -> ClusterLock: ...


class ElasticBuild:
    def __init__(self, writer: BuildHost, kind: str) -> None:
        settings = writer.settings
        mapping = load_mapping(settings.mappings_dir, kind)  # refuses unknown kinds
        self.kind = kind
        self._writer = writer
        self._chunk_size = settings.elasticsearch_bulk_chunk_size
        self._product = writer.product
        self._retries = writer.product.max_retries(settings)
        self._lock = writer.lock(kind)
        writer.loop.run(self._lock.acquire("a full load", settings.write_wait_s))
        try:
            self.version = writer.loop.run(writer.admin.next_version(kind))
            self.index = names.index_name(settings.elasticsearch_index_prefix, kind, self.version)
            writer.loop.run(
                self._create(
                    mapping, settings.elasticsearch_shards, settings.elasticsearch_replicas
                )
            )
        except BaseException:
            writer.loop.run(self._lock.release())
            raise
        self.encoder: Callable[[Mapping[str, Any], int], str] = encode_bulk
        self.order_key: Callable[[dict[str, Any]], str] | None = None  # shards have no order
        self._buffer: Chunk = []
        self._in_flight: deque[concurrent.futures.Future[list[ItemFailure]]] = deque()
        self._failures: list[ItemFailure] = []
        self._failed = 0
        self._added = 0
        self._next_seq = 1
        self._open = True
        self._serving = False

    # ------------------------------------------------------------------ adding

    def add(self, doc: Mapping[str, Any]) -> None:
        self.add_encoded(encode_bulk(doc, self._next_seq), self._next_seq)

    def add_encoded(self, payload: str, seq: int) -> None:
        if not self._open:
            raise IndexingError("this build is finished")
        self._buffer.append((payload, seq))
        self._added += 1
        self._next_seq = max(self._next_seq, seq + 1)
        if len(self._buffer) >= self._chunk_size:
            self._send()

    def _send(self) -> None:
        if not self._buffer:
            return
        chunk, self._buffer = self._buffer, []
        self._in_flight.append(self._writer.loop.submit(self._bulk(chunk)))
        while len(self._in_flight) > MAX_IN_FLIGHT:
            self._collect(self._in_flight.popleft())

    def _collect(self, future: concurrent.futures.Future[list[ItemFailure]]) -> None:
        failures = future.result()  # raises the translated error of a failed request
        self._failures.extend(failures)
        self._failed += len(failures)

    # ------------------------------------------------------------------ failures

    def take_failures(self) -> list[ItemFailure]:
        while self._in_flight and self._in_flight[0].done():
            self._collect(self._in_flight.popleft())
        taken, self._failures = self._failures, []
        return taken

    def flush(self) -> list[ItemFailure]:
        self._send()
        while self._in_flight:
            self._collect(self._in_flight.popleft())
        return self.take_failures()

    # ------------------------------------------------------------------ finishing

    def finish(self, expected: int) -> ElasticVersion:
        if not self._open:
            raise IndexingError("this build is finished")
        try:
            self.flush()
            self._open = False
            return self._writer.loop.run(self._complete(expected))
        except BaseException:
            self._open = False
            self._discard()
            raise
        finally:
            self._writer.loop.run(self._lock.release())

    def abort(self) -> None:
        self._open = False
        for future in self._in_flight:
            future.cancel()
        self._in_flight.clear()
        self._buffer.clear()
        try:
            self._discard()
        finally:
            self._writer.loop.run(self._lock.release())

    def _discard(self) -> None:
        if self._serving:
            return
        try:
            self._writer.loop.run(self._writer.admin.delete_index(self.index))
        except Exception as exc:  # the cluster may be why we are here; the index is unsealed
            log.warning(
                "%s: could not delete the unfinished index %s: %s", self.kind, self.index, exc
            )

    # ------------------------------------------------------------------ async steps

    async def _create(self, mapping: IndexMapping, shards: int, replicas: int) -> None:
        client = self._writer.client
        with self._product.translated(f"create the index {self.index}"):
            body = await self._product.index_body(client, mapping, shards, replicas)

        async def create() -> None:
            await self._writer.once_client.indices.create(index=self.index, body=body)

        async def ours(exc: BaseException) -> None:
            if error_type(exc) != "resource_already_exists_exception":
                raise exc

        with self._product.translated(f"create the index {self.index}"):
            await once(create, ours, self._retries, self._product.unsure)

    async def _bulk(self, chunk: Chunk) -> list[ItemFailure]:
        seq_of = {str(split_payload(p)[0]["index"]["_id"]): seq for p, seq in chunk}
        failures: list[ItemFailure] = []
        with self._product.translated(f"bulk-load {self.index}"):
            async for ok, item in self._product.streaming_bulk(
                self._writer.client,
                [p for p, _ in chunk],
                chunk_size=len(chunk),
                max_retries=self._retries,
                initial_backoff=INITIAL_BACKOFF,
                max_backoff=MAX_BACKOFF,
                raise_on_error=False,
                raise_on_exception=True,
                expand_action_callback=split_payload,
                yield_ok=False,
                index=self.index,
            ):
                if not ok:
                    failures.append(item_failure(item, seq_of))
        return failures

    async def _complete(self, expected: int) -> ElasticVersion:
        client, admin = self._writer.client, self._writer.admin
        with self._product.translated(f"refresh {self.index}"):
            await client.indices.put_settings(
                index=self.index, body=refresh_interval_body(SERVING_REFRESH)
            )
            await client.indices.refresh(index=self.index)
        found = await admin.count(self.index)
        if expected == 0:
            raise IndexingError(f"{self.kind}: no documents to index; serving version unchanged")
        if found != expected:
            refused = f"; {self._failed} refused by {self._product.label}" if self._failed else ""
            raise IndexingError(
                f"{self.kind}: new version holds {found} documents, expected {expected}"
                f"{refused}; the serving version was left as it was"
            )
        await self._lock.require_held()
        created = dt.datetime.now(dt.UTC).isoformat()
        with self._product.translated(f"seal {self.index}"):
            await client.indices.put_mapping(
                index=self.index, body=seal_body(self.kind, self.version, found, created)
            )
        await admin.move_alias(self.kind, self.index)
        self._serving = True
        try:
            await admin.prune(self.kind, self._writer.settings.keep_versions)
        except SearchError as exc:  # the new version serves; old ones go next time
            log.warning("%s: could not delete old versions: %s", self.kind, exc)
        return ElasticVersion(self.kind, self.version, self.index, found, created, True)
