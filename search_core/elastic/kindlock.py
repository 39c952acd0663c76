"""One writer at a time per index kind on a cluster: full loads, rollbacks, upserts and deletes
take turns, as the embedded engine's writers do (:mod:`search_core.embedded.kindlock`).

Without it an upsert made while a full load of the same kind runs goes to the serving index and
is lost when the load's alias switch makes the new index serve (and the command said it
succeeded); two loads at once race for the alias and prune each other's index while it is
being written.

The lock lives in the cluster, so it holds across processes and machines: a document ``<kind>``
in the small index ``<prefix>-locks``, created with ``op_type=create`` (the cluster lets one
creator win), saying who holds it (what, host, pid, since). Its holder renews a lease
(``heartbeat``, wall-clock seconds) every :data:`RENEW_S`; a lock whose lease is older than
:data:`LEASE_S` belongs to a writer that died (``kill -9``, a lost machine) and the next writer
takes it over with a conditional write (``if_seq_no``/``if_primary_term``: of two writers
taking over at once, one wins). A load that finds its lock taken over (it stalled longer than
the lease) does not move the alias. The lease assumes the writers' clocks agree within a few
seconds (NTP); release deletes the document only if it is still the holder's version.

A load or a rollback waits up to ``Settings.write_wait_s`` (an edit holds the lock for
milliseconds) and otherwise fails, naming the holder, with nothing changed. An edit waits as
long as it takes: it then lands in the index that serves when the load is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from search_core.elastic.once import error_type, once, status_of
from search_core.elastic.product import ClusterProduct, body_of
from search_core.errors import IndexingError

LEASE_S = 60.0
"""Seconds without a renewal after which a lock's holder is presumed dead."""
RENEW_S = 10.0
POLL_S = 0.2
LOCKS_INDEX_BODY: dict[str, Any] = {
    "settings": {"index": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}},
    "mappings": {"dynamic": False, "properties": {"owner": {"type": "keyword"}}},
}

log = logging.getLogger(__name__)


def locks_index(prefix: str) -> str:
    return f"{prefix}-locks"


def describe(doc: dict[str, Any]) -> str:
    return (
        f"{doc.get('what', 'another writer')} (pid {doc.get('pid', '?')} on "
        f"{doc.get('host', '?')}, since {doc.get('since', '?')})"
    )


class ClusterLock:
    """The write lock of one kind; ``client`` retries (reads), ``once_client`` does not
    (the conditional writes, retried by :func:`once`)."""

    def __init__(
        self,
        client: Any,
        once_client: Any,
        prefix: str,
        kind: str,
        product: ClusterProduct,
        retries: int,
    ) -> None:
        self.product = product
        self.translated = product.translated
        self.client = client
        self.once_client = once_client
        self.index = locks_index(prefix)
        self.kind = kind
        self.retries = retries
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.lost = False
        self._version: tuple[int, int] | None = None  # (seq_no, primary_term) of our document
        self._beat: asyncio.Task[None] | None = None
        self._doc: dict[str, Any] = {}

    # ---------------------------------------------------------------- cluster calls

    async def _ensure_index(self) -> None:
        async def create() -> None:
            await self.once_client.indices.create(index=self.index, body=LOCKS_INDEX_BODY)

        async def exists(exc: BaseException) -> None:
            if error_type(exc) != "resource_already_exists_exception":
                raise exc

        with self.translated(f"create the lock index {self.index}"):
            try:
                await once(create, exists, self.retries, self.product.unsure)
            except Exception as exc:
                if error_type(exc) != "resource_already_exists_exception":
                    raise

    async def _read(self) -> tuple[dict[str, Any], tuple[int, int]] | None:
        with self.translated(f"read the {self.kind} write lock"):
            try:
                resp = await self.client.get(index=self.index, id=self.kind)
            except Exception as exc:
                if status_of(exc) != 404:
                    raise
                if error_type(exc) == "index_not_found_exception":  # the first writer here
                    await self._ensure_index()
                return None
        got = body_of(resp)
        return dict(got["_source"]), (int(got["_seq_no"]), int(got["_primary_term"]))

    async def _write(self, doc: dict[str, Any], over: tuple[int, int] | None) -> bool:
        """Create our document (``over`` None) or replace the version ``over``; False if the
        cluster says someone else got there first."""

        async def put() -> Any:
            if over is None:
                return await self.once_client.create(index=self.index, id=self.kind, body=doc)
            return await self.once_client.index(
                index=self.index, id=self.kind, body=doc, if_seq_no=over[0], if_primary_term=over[1]
            )

        async def settle(exc: BaseException) -> Any:
            if status_of(exc) == 409:  # our earlier attempt may be the one that won
                found = await self._read()
                if found is not None and found[0].get("owner") == self.owner:
                    return {"_seq_no": found[1][0], "_primary_term": found[1][1]}
            raise exc

        with self.translated(f"take the {self.kind} write lock"):
            try:
                resp = body_of(await once(put, settle, self.retries, self.product.unsure))
            except Exception as exc:
                if status_of(exc) == 409:
                    return False
                raise
        self._version = (int(resp["_seq_no"]), int(resp["_primary_term"]))
        return True

    # ---------------------------------------------------------------- taking turns

    async def acquire(self, what: str, wait_s: float | None) -> None:
        """Take the lock for ``what``; wait at most ``wait_s`` seconds (None: as long as it
        takes) or raise :class:`IndexingError` naming the holder."""
        deadline = None if wait_s is None else time.monotonic() + wait_s
        told = False
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._doc = {
            "owner": self.owner,
            "what": what,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": since,
        }
        while True:
            found = await self._read()
            if found is None:
                if await self._write(self._beat_doc(), None):
                    break
                continue
            holder, version = found
            if time.time() - float(holder.get("heartbeat", 0)) > LEASE_S:
                log.warning(
                    "%s: taking over the write lock of %s (lease expired)",
                    self.kind,
                    describe(holder),
                )
                if await self._write(self._beat_doc(), version):
                    break
                continue
            if deadline is not None and time.monotonic() >= deadline:
                raise IndexingError(
                    f"{self.kind}: {describe(holder)} is writing this index; {what} waited "
                    f"{wait_s:g} s and changed nothing. Run it again when that is done."
                )
            if not told:
                log.warning("%s: %s waits for %s to finish", self.kind, what, describe(holder))
                told = True
            await asyncio.sleep(POLL_S)
        self.lost = False
        self._beat = asyncio.create_task(self._renew())

    def _beat_doc(self) -> dict[str, Any]:
        return {**self._doc, "heartbeat": time.time()}

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RENEW_S)
            try:
                if not await self._write(self._beat_doc(), self._version):
                    self.lost = True
                    log.error("%s: the write lock was taken over by another writer", self.kind)
                    return
            except Exception as exc:  # a blip: try again next time, the lease is long
                log.warning("%s: could not renew the write lock: %s", self.kind, exc)

    async def require_held(self) -> None:
        """Raise if the lease ran out and another writer took the lock (a load then must not
        move the alias)."""
        found = await self._read()
        if self.lost or found is None or found[0].get("owner") != self.owner:
            raise IndexingError(
                f"{self.kind}: this load lost the write lock (it stalled longer than the "
                f"{LEASE_S:g} s lease and another writer took over); the serving version was "
                "left as it was"
            )

    async def release(self) -> None:
        if self._beat is not None:
            self._beat.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._beat
            self._beat = None
        version, self._version = self._version, None
        if version is None or self.lost:
            return

        async def delete() -> None:
            await self.once_client.delete(
                index=self.index, id=self.kind, if_seq_no=version[0], if_primary_term=version[1]
            )

        async def gone(exc: BaseException) -> None:
            if status_of(exc) not in (404, 409):  # our earlier attempt deleted it
                raise exc

        try:
            with self.translated(f"release the {self.kind} write lock"):
                await once(delete, gone, self.retries, self.product.unsure)
        except Exception as exc:  # the lease runs out on its own
            log.warning("%s: could not release the write lock: %s", self.kind, exc)

    @contextlib.asynccontextmanager
    async def held(self, what: str, wait_s: float | None) -> AsyncIterator[None]:
        await self.acquire(what, wait_s)
        try:
            yield
        finally:
            await self.release()
