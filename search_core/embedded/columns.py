"""Fast-field columns of a whole index in numpy, read once per searcher.

A location search fetches every hit in the area and needs, per hit, its offices' coordinates,
facet masks, id key, date and flags. Reading those through ``Searcher.fast_field_values`` costs a
Python list per field per search, which dominates big areas (tens of thousands of hits at 1M
therapists). Instead, the columns of every live document are read once, into arrays indexed by
*row* = segment base + document number, and a search gathers them with numpy.

The columns belong to one searcher (one set of segments): :class:`ColumnCache` hands out a
searcher together with its columns, and is cleared when the index is reloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import tantivy

from search_core.embedded.schema import EPOCH_SUFFIX, ID_KEY_FIELD, EmbeddedSchema, mask_name
from search_core.geo import distances_km

GEO_PATH = "offices.location"
"""The therapists' office points (one latitude/longitude pair of fast fields per slot)."""
LAST_CONFIRMED = "last_confirmed"
ACCEPTING = "accepting_new_clients"


def fast_floats(
    searcher: tantivy.Searcher,
    field: str,
    addrs: Sequence[tantivy.DocAddress],
    missing: float | None = None,
) -> npt.NDArray[np.float64]:
    """A float fast field of each document: NaN (or ``missing``) where it has none."""
    out = np.array(searcher.fast_field_values(field, list(addrs)), dtype=np.float64)  # None → NaN
    if missing is not None:
        out[np.isnan(out)] = missing
    return out


def nearest_km(
    es: EmbeddedSchema, read: Callable[[str], np.ndarray], n: int, lat: float, lon: float
) -> npt.NDArray[np.float64]:
    """Each of ``n`` therapists' distance (km) from ``(lat, lon)`` to their nearest office
    (``inf``: none), ``read`` giving a geo slot field's values for those therapists."""
    best = np.full(n, np.inf)
    if not n:
        return best
    names = es.by_path[GEO_PATH].names
    for i in range(0, len(names), 2):
        lats = read(names[i])
        missing = np.isnan(lats)
        if missing.all():
            break
        lons = read(names[i + 1])
        if missing.any():  # later slots: only the therapists with that many offices
            there = np.flatnonzero(~missing)
            best[there] = np.minimum(best[there], distances_km(lat, lon, lats[there], lons[there]))
        else:
            best = np.minimum(best, distances_km(lat, lon, lats, lons))
    return best


@dataclass(frozen=True)
class Columns:
    """Arrays of fast-field values by row; ``rows`` turns document addresses into rows."""

    bases: npt.NDArray[np.int64]
    """First row of each segment (by segment ordinal)."""
    arrays: Mapping[str, np.ndarray]

    def rows(self, hits: Sequence[tuple[float, tantivy.DocAddress]]) -> npt.NDArray[np.int64]:
        """The rows of search hits (``(score, address)`` pairs)."""
        n = len(hits)
        docs = np.fromiter((h[1].doc for h in hits), dtype=np.int64, count=n)
        if len(self.bases) == 1:  # one segment, the usual case after a full build
            return docs
        segs = np.fromiter((h[1].segment_ord for h in hits), dtype=np.int64, count=n)
        rows: npt.NDArray[np.int64] = self.bases[segs] + docs
        return rows

    def __getitem__(self, field: str) -> np.ndarray:
        return self.arrays[field]

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays.values())


def read_columns(
    searcher: tantivy.Searcher, fields: Mapping[str, npt.DTypeLike], missing: Mapping[str, object]
) -> Columns:
    """Every live document's value of each field (``missing`` where it has none)."""
    total = int(searcher.num_docs)
    hits = searcher.search(tantivy.Query.all_query(), limit=max(total, 1), count=False).hits
    addrs = [a for _, a in hits]
    n = len(addrs)
    segs = np.fromiter((a.segment_ord for a in addrs), dtype=np.int64, count=n)
    docs = np.fromiter((a.doc for a in addrs), dtype=np.int64, count=n)
    nseg = int(segs.max()) + 1 if n else 0
    sizes = np.zeros(nseg, dtype=np.int64)
    if n:
        np.maximum.at(sizes, segs, docs + 1)
    bases = np.zeros(max(nseg, 1), dtype=np.int64)
    if nseg > 1:
        bases[1:] = np.cumsum(sizes)[:-1]
    rows = bases[segs] + docs if n else np.empty(0, dtype=np.int64)
    width = int(sizes.sum())
    arrays: dict[str, np.ndarray] = {}
    for field, dtype in fields.items():
        fill = missing.get(field, np.nan if np.dtype(dtype).kind == "f" else 0)
        column = np.full(width, fill, dtype=dtype)
        if n:
            values = searcher.fast_field_values(field, addrs)
            if np.dtype(dtype).kind == "f":
                column[rows] = np.array(values, dtype=np.float64)  # None → NaN
            else:
                column[rows] = [fill if v is None else v for v in values]
        arrays[field] = column
    return Columns(bases, arrays)


class ColumnCache:
    """One searcher and its columns, built on first use and dropped by :meth:`clear`."""

    def __init__(
        self, fields: Mapping[str, npt.DTypeLike], missing: Mapping[str, object] | None = None
    ) -> None:
        self._fields = dict(fields)
        self._missing = dict(missing or {})
        self._lock = threading.Lock()
        self._current: tuple[tantivy.Searcher, Columns] | None = None

    def get(self, index: tantivy.Index) -> tuple[tantivy.Searcher, Columns]:
        with self._lock:
            if self._current is None:
                searcher = index.searcher()
                self._current = (searcher, read_columns(searcher, self._fields, self._missing))
            return self._current

    @property
    def built(self) -> bool:
        return self._current is not None

    def clear(self) -> None:
        with self._lock:
            self._current = None


def therapist_columns(es: EmbeddedSchema) -> ColumnCache:
    """The columns a therapist location search reads per hit."""
    fields: dict[str, npt.DTypeLike] = {n: np.float64 for n in es.by_path[GEO_PATH].names}
    fields.update({mask_name(f): np.uint64 for f in es.mask_layout})
    fields[ID_KEY_FIELD] = np.uint64
    fields[LAST_CONFIRMED + EPOCH_SUFFIX] = np.float64
    fields[ACCEPTING] = np.bool_
    missing: dict[str, object] = {LAST_CONFIRMED + EPOCH_SUFFIX: 0.0, ACCEPTING: False}
    return ColumnCache(fields, missing)
