"""The scores of words that only rank, remembered per searcher and therapist.

A location search whose words only rank (the labels the search box understood) scores every
therapist its filters keep in a Tantivy pass of its own (see
:meth:`~.therapist_search.EmbeddedTherapistSearch._scores_of`). In a dense area that pass is
most of the search: at a million therapists "cbt" within 10 miles of New York scores 34,000 of
them with the label's words over every field the tuning searches, phrases included.

A therapist's score for those words does not depend on the area or the filters (the cells and
the filters score nothing), only on the index. So :class:`WordScores` keeps, per set of words,
the score of every therapist a pass has scored, in an array by row beside the columns it
indexes (a reload makes new columns, so an edit or a load forgets them). A later search of the
same words whose kept therapists all have a score there (the same area, or a part of it, with
the same filters or narrower ones) reads them instead of searching. Only searches with the
engine's own tuning keep and read them (an analyst's tuning, read for one request, never
does). Nothing runs in the background: the searches fill the arrays as they go. The scores are
Tantivy's own (32-bit floats), so a page is the same either way. The words are a few labels
of the vocabulary (the workload's 700 location searches ask 27 sets).

Memory: 4 bytes a therapist per set of words; at most :data:`BUDGET_BYTES` per searcher (64
sets at a million therapists), the least recently used forgotten first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np

__all__ = ["BUDGET_BYTES", "WordScores"]

BUDGET_BYTES = 256 * 1024 * 1024
"""Memory for the arrays of one searcher's columns."""


class WordScores:
    """The scores of sets of words by row of one searcher's columns, NaN where no pass has
    scored the therapist yet (see the module docstring). Thread-safe: two searches filling
    one array write the same score for a row."""

    def __init__(self, budget_bytes: int = BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._lock = threading.Lock()
        self._tables: OrderedDict[Hashable, np.ndarray] = OrderedDict()

    def scores(self, key: Hashable, rows: np.ndarray) -> np.ndarray | None:
        """The scores of ``rows`` for ``key``, when every one of them is known."""
        with self._lock:
            table = self._tables.get(key)
            if table is None:
                return None
            self._tables.move_to_end(key)
        got: np.ndarray = table[rows]
        return None if bool(np.isnan(got).any()) else got

    def keep(self, key: Hashable, rows: np.ndarray, scores: np.ndarray, width: int) -> None:
        """Remember the ``scores`` of ``rows`` (of ``width`` rows in all) for ``key``."""
        if not len(rows) or 4 * width > self.budget_bytes:
            return
        with self._lock:
            table = self._tables.get(key)
            if table is None:
                while self._tables and 4 * width + self._used() > self.budget_bytes:
                    self._tables.popitem(last=False)  # the least recently used
                table = self._tables[key] = np.full(width, np.nan, dtype=np.float32)
            self._tables.move_to_end(key)
        table[rows] = scores

    def _used(self) -> int:
        return sum(t.nbytes for t in self._tables.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._tables)
