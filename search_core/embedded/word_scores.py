"""The scores of words that only rank, over the whole index, remembered per searcher.

A location search whose words only rank (the labels the search box understood) scores every
therapist its filters keep in a Tantivy pass of its own (see
:meth:`~.therapist_search.EmbeddedTherapistSearch._scores_of`). In a dense area that pass is
most of the search: at a million therapists "cbt" within 10 miles of New York scores 34,000 of
them with the label's words over every field the tuning searches, phrases included.

A therapist's score for those words does not depend on the area (the cells and the filters
score nothing), only on the index: so the scores of a set of words over the whole index are
one array by row, good for every area until the searcher changes. :class:`WordScores` keeps
such arrays, one per set of words, beside the columns they index (a reload makes new columns,
so an edit forgets them). An array is made for words asked with the engine's own tuning (an
analyst's tuning, read for one request, never pays for one), by one background thread per
process, one array at a time: words asked while it is busy are not queued (asked again later,
they are made then). Until their array is there, searches score their area as before. The
words are a few labels of the vocabulary (the workload's 700 location searches ask 27 sets).
The scores are Tantivy's own (32-bit floats), so a page is the same with or without it.
Making one costs a pass over every therapist matching the words (0.1–0.5 s at a million), on
one core at most.

Memory: 4 bytes a therapist per array; at most :data:`BUDGET_BYTES` per searcher (64 arrays at
a million therapists), the least recently used forgotten first.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

__all__ = ["BUDGET_BYTES", "WordScores"]

BUDGET_BYTES = 256 * 1024 * 1024
"""Memory for the arrays of one searcher's columns."""


_log = logging.getLogger(__name__)


class _Builder:
    """Makes the arrays in the background, one at a time per process, each on a daemon thread
    of its own (a one-off command does not wait for it to exit); takes no work while busy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy_in = 0  # the process whose thread is making an array (a fork has none)
        self._idle = threading.Condition(self._lock)

    def offer(self, fn: Callable[[], None]) -> bool:
        """Run ``fn`` in the background unless an array is being made; whether it will."""
        with self._lock:
            if self._busy_in == os.getpid():
                return False
            self._busy_in = os.getpid()
        threading.Thread(target=self._run, args=(fn,), name="word-scores", daemon=True).start()
        return True

    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # the searches go on scoring their areas as before
            _log.warning("could not make the scores of words over the index", exc_info=True)
        finally:
            with self._lock:
                self._busy_in = 0
                self._idle.notify_all()

    def wait(self, timeout: float) -> bool:
        with self._lock:
            return self._idle.wait_for(lambda: self._busy_in != os.getpid(), timeout)


_BUILDER = _Builder()


class WordScores:
    """Arrays of the whole index's scores for sets of words, by row of one searcher's columns
    (see the module docstring). Thread-safe."""

    def __init__(self, budget_bytes: int = BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._lock = threading.Lock()
        self._tables: OrderedDict[Hashable, np.ndarray] = OrderedDict()

    def table(self, key: Hashable) -> np.ndarray | None:
        """The array made for ``key``, if there is one."""
        with self._lock:
            table = self._tables.get(key)
            if table is not None:
                self._tables.move_to_end(key)
            return table

    def want(self, key: Hashable, make: Callable[[], np.ndarray]) -> bool:
        """An area asked for ``key`` and was scored the usual way: ``make`` its array in the
        background unless one is being made. Whether it will be."""
        with self._lock:
            if key in self._tables:
                return False
        return _BUILDER.offer(lambda: self._keep(key, make()))

    def _keep(self, key: Hashable, table: np.ndarray) -> None:
        with self._lock:
            self._tables[key] = table
            used = sum(t.nbytes for t in self._tables.values())
            while used > self.budget_bytes and len(self._tables) > 1:  # least recent first
                _, dropped = self._tables.popitem(last=False)
                used -= dropped.nbytes

    @staticmethod
    def wait(timeout: float = 60.0) -> bool:
        """Wait until no array is being made (for tests and benchmarks); whether it is so."""
        return _BUILDER.wait(timeout)

    def __len__(self) -> int:
        with self._lock:
            return len(self._tables)
