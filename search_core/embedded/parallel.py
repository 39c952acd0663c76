"""One helper thread per process, for the second half of a big area's split search."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class HalfSearchHelper:
    """One helper thread per process for the second half of a split search (Tantivy lets go of
    the GIL while it searches, so the halves run on two cores). Used only by a search that is
    alone in its process: when others are running they already use the cores, and the search
    runs in one pass as usual. It never queues."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0
        self._running = 0  # searches in this process
        self._busy = False

    @contextlib.contextmanager
    def searching(self) -> Iterator[None]:
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1

    def free(self) -> bool:
        """Whether :meth:`submit` would take a search now (it may not, a moment later)."""
        return not self._busy and self._running <= 1

    def submit(self, fn: Callable[[], Any]) -> Future[Any] | None:
        with self._lock:
            if self._busy or self._running > 1:
                return None
            if self._pool is None or self._pid != os.getpid():  # a forked child has no thread
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="search-half")
                self._pid = os.getpid()
            self._busy = True
        future = self._pool.submit(fn)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self._busy = False


HELPER = HalfSearchHelper()
