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
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
import tantivy

from search_core.embedded.geogrid import GeoGrid, in_boxes
from search_core.embedded.schema import EPOCH_SUFFIX, ID_KEY_FIELD, EmbeddedSchema, mask_name
from search_core.embedded.word_scores import WordScores
from search_core.geo import bounding_box, distances_km
from search_core.queries import FLAGS

GEO_PATH = "offices.location"
"""The therapists' office points (one latitude/longitude pair of fast fields per slot)."""
LAST_CONFIRMED = "last_confirmed"
ACCEPTING = "accepting_new_clients"
FEE_MIN = "fee_min"
NO_FLAG = -1
"""A yes/no column's value where the document has none (it matches neither yes nor no)."""


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
    schema: EmbeddedSchema,
    read: Callable[[str], np.ndarray],
    n: int,
    lat: float,
    lon: float,
    radius_km: float | None = None,
) -> npt.NDArray[np.float64]:
    """Each of ``n`` therapists' distance (km) from ``(lat, lon)`` to their nearest office
    (``inf``: none), ``read`` giving a geo slot field's values for those therapists.

    With ``radius_km``, only the offices in the circle's bounding box are measured (the
    formula costs far more than the box test): a therapist with none there gets ``inf``,
    which is right for every use, since they are beyond the radius."""
    best = np.full(n, np.inf)
    if not n:
        return best
    boxes = bounding_box(lat, lon, radius_km) if radius_km is not None else None
    names = schema.by_path[GEO_PATH].names
    for i in range(0, len(names), 2):
        lats = read(names[i])
        missing = np.isnan(lats)
        if missing.all():
            break
        lons = read(names[i + 1])
        if boxes is not None:
            there = np.flatnonzero(in_boxes(lats, lons, boxes))
        elif missing.any():  # later slots: only the therapists with that many offices
            there = np.flatnonzero(~missing)
        else:
            best = np.minimum(best, distances_km(lat, lon, lats, lons))
            continue
        best[there] = np.minimum(best[there], distances_km(lat, lon, lats[there], lons[there]))
    return best


@dataclass(frozen=True)
class Columns:
    """Arrays of fast-field values by row; ``rows`` turns document addresses into rows."""

    bases: npt.NDArray[np.int64]
    """First row of each segment (by segment ordinal)."""
    arrays: Mapping[str, np.ndarray]
    """Each field by row (a column of its block when it has one)."""
    blocks: Mapping[str, tuple[np.ndarray, int | slice, np.dtype[Any]]] = field(
        default_factory=dict
    )
    """The fields stored side by side: block (rows × fields), where in a row, dtype. A search
    gathers a hit's fields of one block in one read (``np.take`` of whole rows), which at a
    million therapists is several times faster than one random gather per field. A block of
    one dtype has a column per field (``int``); a block of several is bytes, each field a
    span of its row (``slice``): facet masks take the bytes their vocabulary needs, not 8."""
    grid: GeoGrid | None = None
    """The office points by place (location searches without text are answered from it)."""
    absent: Mapping[str, tuple[object, np.dtype[Any]]] = field(default_factory=dict)
    """Fields of a one-dtype block that no document has (their fill value and dtype), not
    stored: the geo slots past the most offices any therapist lists (the fixture therapists
    list at most three, so the last two of five: 32 MB of NaN at a million otherwise)."""
    words: WordScores = field(default_factory=WordScores, compare=False, repr=False)
    """The scores searches have found for words that only rank, by row (see
    :mod:`.word_scores`)."""

    def rows(self, hits: Sequence[tuple[float, tantivy.DocAddress]]) -> npt.NDArray[np.int64]:
        """The rows of search hits (``(score, address)`` pairs)."""
        n = len(hits)
        addrs = list(map(_ADDRESS, hits))
        docs = np.fromiter(map(_DOC, addrs), dtype=np.int64, count=n)
        if len(self.bases) == 1:  # one segment, the usual case after a full build
            return docs
        segs = np.fromiter(map(_SEGMENT, addrs), dtype=np.int64, count=n)
        rows: npt.NDArray[np.int64] = self.bases[segs] + docs
        return rows

    def address(self, row: int) -> tantivy.DocAddress:
        """The document at ``row`` (the inverse of :meth:`rows`)."""
        seg = int(np.searchsorted(self.bases, row, side="right")) - 1
        return tantivy.DocAddress(seg, row - int(self.bases[seg]))

    def __getitem__(self, name: str) -> np.ndarray:
        column = self.arrays.get(name)
        if column is None:
            if name in self.absent:
                return self.missing(name, self.width)
            block, where, dtype = self.blocks[name]
            return field_of(block, where, dtype)
        return column

    @property
    def width(self) -> int:
        """Rows in all."""
        return len(next(iter(self.arrays.values()))) if self.arrays else 0

    def missing(self, name: str, n: int) -> np.ndarray:
        """``n`` rows of an :attr:`absent` field: its fill value."""
        fill, dtype = self.absent[name]
        return np.full(n, fill, dtype=dtype)


def field_of(rows: np.ndarray, where: int | slice, dtype: np.dtype[Any]) -> np.ndarray:
    """One field's values from rows of its block (see :attr:`Columns.blocks`): a column, or
    the field's bytes of a packed block read as ``dtype``."""
    if isinstance(where, int):
        column: np.ndarray = rows[:, where]
        return column
    values: np.ndarray = np.ascontiguousarray(rows[:, where]).view(dtype).reshape(-1)
    return values


_ADDRESS, _SCORE = itemgetter(1), itemgetter(0)
_DOC, _SEGMENT = attrgetter("doc"), attrgetter("segment_ord")
# (map with operator getters: the fastest way through one Python object per hit)


def hit_scores(hits: Sequence[tuple[float, tantivy.DocAddress]]) -> npt.NDArray[np.float64]:
    """The scores of search hits (``(score, address)`` pairs)."""
    return np.fromiter(map(_SCORE, hits), dtype=np.float64, count=len(hits))


def read_columns(
    searcher: tantivy.Searcher,
    fields: Mapping[str, npt.DTypeLike],
    missing: Mapping[str, object],
    grid: Sequence[tuple[str, str]] = (),
    blocks: Sequence[Sequence[str]] = (),
) -> Columns:
    """Every live document's value of each field (``missing`` where it has none), the fields
    of each of ``blocks`` (of one dtype) side by side, and a :class:`GeoGrid` of the point
    fields ``grid`` (latitude and longitude names) if any."""
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

    def fill_of(name: str) -> object:
        return missing.get(name, np.nan if np.dtype(fields[name]).kind == "f" else 0)

    def read(name: str, dtype: np.dtype[Any]) -> np.ndarray:
        fill = fill_of(name)
        column = np.full(width, fill, dtype=dtype)
        if n:
            values = searcher.fast_field_values(name, addrs)
            if dtype.kind == "f":
                column[rows] = np.array(values, dtype=np.float64)  # None → NaN
            else:
                column[rows] = [fill if v is None else v for v in values]
        return column

    arrays: dict[str, np.ndarray] = {}
    placed: dict[str, tuple[np.ndarray, int | slice, np.dtype[Any]]] = {}
    absent: dict[str, tuple[object, np.dtype[Any]]] = {}
    for names in blocks:
        dtypes = [np.dtype(fields[name]) for name in names]
        if len(set(dtypes)) == 1:
            dtype = dtypes[0]
            # Filled one column at a time (each read is a temporary the next one reuses),
            # then narrowed to the fields some document has: a copy, the wide block freed.
            block = np.empty((width, len(names)), dtype=dtype)
            for j, name in enumerate(names):
                block[:, j] = read(name, dtype)
            held = [j for j, name in enumerate(names) if not _all_fill(block[:, j], fill_of(name))]
            if len(held) < len(names):
                block = np.ascontiguousarray(block[:, held])
            absent.update(
                {names[j]: (fill_of(names[j]), dtype) for j in range(len(names)) if j not in held}
            )
            for k, j in enumerate(held):
                arrays[names[j]] = block[:, k]
                placed[names[j]] = (block, k, dtype)
            continue
        block = np.empty((width, sum(d.itemsize for d in dtypes)), dtype=np.uint8)
        start = 0
        for name, packed in zip(names, dtypes, strict=True):
            span = slice(start, start + packed.itemsize)
            block[:, span] = read(name, packed).view(np.uint8).reshape(width, packed.itemsize)
            placed[name] = (block, span, packed)
            start = span.stop
    for name, wanted in fields.items():
        if name not in placed and name not in absent:
            arrays[name] = read(name, np.dtype(wanted))
    coords = tuple((arrays[a], arrays[b]) for a, b in grid if a in arrays and b in arrays)
    grid_of = GeoGrid.build(coords) if grid else None
    return Columns(bases, arrays, placed, grid_of, absent)


def _all_fill(column: np.ndarray, fill: object) -> bool:
    """Whether every value of ``column`` is ``fill`` (NaN counts as NaN)."""
    if isinstance(fill, float) and np.isnan(fill):
        return bool(np.isnan(column).all())
    return bool((column == fill).all())


class ColumnCache:
    """One searcher and its columns, built on first use and dropped by :meth:`clear`."""

    def __init__(
        self,
        fields: Mapping[str, npt.DTypeLike],
        missing: Mapping[str, object] | None = None,
        grid: Sequence[tuple[str, str]] = (),
        blocks: Sequence[Sequence[str]] = (),
    ) -> None:
        self._fields = dict(fields)
        self._missing = dict(missing or {})
        self._grid = tuple(grid)
        self._blocks = [list(b) for b in blocks]
        self._lock = threading.Lock()
        self._current: tuple[tantivy.Searcher, Columns] | None = None

    def get(self, index: tantivy.Index) -> tuple[tantivy.Searcher, Columns]:
        with self._lock:
            if self._current is None:
                searcher = index.searcher()
                self._current = (
                    searcher,
                    read_columns(searcher, self._fields, self._missing, self._grid, self._blocks),
                )
            return self._current

    @property
    def built(self) -> bool:
        return self._current is not None

    def clear(self) -> None:
        with self._lock:
            self._current = None


def mask_dtype(values: int) -> np.dtype[Any]:
    """The narrowest little-endian unsigned integer with a bit for each of ``values``."""
    for size in (1, 2, 4, 8):
        if values <= 8 * size:
            return np.dtype(f"<u{size}")
    raise ValueError(f"a facet mask holds at most 64 values, not {values}")


def therapist_columns(schema: EmbeddedSchema, grid: bool = True) -> ColumnCache:
    """The columns a therapist location search reads per hit (and, with ``grid``, the
    :class:`GeoGrid` of the offices)."""
    names = schema.by_path[GEO_PATH].names
    fields: dict[str, npt.DTypeLike] = {n: np.float64 for n in names}
    fields.update({mask_name(f): mask_dtype(len(v)) for f, v in schema.mask_layout.items()})
    fields[ID_KEY_FIELD] = np.uint64
    fields[LAST_CONFIRMED + EPOCH_SUFFIX] = np.float64
    fields[FEE_MIN] = np.float32  # NaN: no fee given (exact: fees are whole dollars)
    fields.update({flag: np.int8 for flag in FLAGS})
    missing: dict[str, object] = {LAST_CONFIRMED + EPOCH_SUFFIX: 0.0}
    missing.update({flag: NO_FLAG for flag in FLAGS})
    slots = [(names[i], names[i + 1]) for i in range(0, len(names), 2)] if grid else []
    blocks = [list(names), [mask_name(f) for f in schema.mask_layout]]
    return ColumnCache(fields, missing, slots, [b for b in blocks if b])
