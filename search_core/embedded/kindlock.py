"""One writer at a time per index kind: full loads, rollbacks, upserts and deletes take turns.

Without it an upsert made while a full load of the same kind runs goes to the serving version
and is lost when the load's new version starts serving; two loads of one kind would race for
the pointer. The lock is an ``flock`` on ``<index_dir>/<kind>/.write.lock``, so the operating
system lets go of it when its holder dies (a ``kill -9`` of a load never leaves it held). The
file says who holds it (pid, what, since), for the message of whoever waits.

A load or a rollback waits up to ``Settings.write_wait_s`` (an edit holds the lock for
milliseconds) and otherwise fails, naming the holder, with nothing changed. An edit waits as
long as it takes: it then lands in the version that serves when the load is done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from search_core.errors import IndexingError

LOCK_FILE = ".write.lock"
POLL_S = 0.05

log = logging.getLogger(__name__)


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096) or b"{}")
        return f"{data['what']} (pid {data['pid']}, since {data['since']})"
    except (OSError, ValueError, KeyError):
        return "another writer"


class KindLock:
    """The write lock of one kind's folder; use :meth:`held` as a context manager."""

    def __init__(self, folder: Path, kind: str) -> None:
        self.path = folder / LOCK_FILE
        self.kind = kind
        self._fd: int | None = None

    def acquire(self, what: str, wait_s: float | None) -> None:
        """Take the lock for ``what`` (``"a full load"``, ``"an upsert"``); wait at most
        ``wait_s`` seconds (``None``: as long as it takes) or raise :class:`IndexingError`."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if wait_s is None else time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    raise IndexingError(
                        f"{self.kind}: {holder} is writing this index; {what} waited "
                        f"{wait_s:g} s and changed nothing. Run it again when that is done."
                    ) from None
                if not told:
                    log.warning("%s: %s waits for %s to finish", self.kind, what, holder)
                    told = True
                time.sleep(POLL_S)
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps({"pid": os.getpid(), "what": what, "since": since}).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @contextlib.contextmanager
    def held(self, what: str, wait_s: float | None) -> Iterator[None]:
        self.acquire(what, wait_s)
        try:
            yield
        finally:
            self.release()
