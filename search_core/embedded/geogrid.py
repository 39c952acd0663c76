"""Every office point of an index in a latitude/longitude grid: the circle of a location search
without text, answered by binary searches (see :class:`GeoGrid`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from search_core.embedded.distances import NearestKm
from search_core.geo import Box, bounding_box

GRID_DEGREES = 0.1
"""Cell size of :class:`GeoGrid` (about 11 km of latitude)."""
_LON_CELLS = round(360 / GRID_DEGREES) + 1
IntArray = npt.NDArray[np.int64]


def in_boxes(lats: np.ndarray, lons: np.ndarray, boxes: Sequence[Box]) -> npt.NDArray[np.bool_]:
    """Which points lie in one of ``boxes`` (never a NaN one)."""
    out = np.zeros(len(lats), dtype=bool)
    for b in boxes:
        out |= (lats >= b.min_lat) & (lats <= b.max_lat) & (lons >= b.min_lon) & (lons <= b.max_lon)
    return out


def _cell_keys(lats: np.ndarray, lons: np.ndarray) -> npt.NDArray[np.int64]:
    i = np.floor((lats + 90.0) / GRID_DEGREES).astype(np.int64)
    j = np.floor((lons + 180.0) / GRID_DEGREES).astype(np.int64)
    keys: npt.NDArray[np.int64] = i * _LON_CELLS + np.clip(j, 0, _LON_CELLS - 1)
    return keys


@dataclass(frozen=True)
class GeoGrid:
    """Every office point of an index (row and geo slot), sorted by its cell of a
    ``GRID_DEGREES`` latitude/longitude grid.

    The cells of one latitude row of the grid are consecutive keys, so the points in a
    bounding box are one slice of the sorted keys per latitude row, found by binary search:
    a location search without text gets its therapists and their distances from here and the
    geo slot columns, without a Tantivy pass or a Python object per hit."""

    keys: npt.NDArray[np.int32]
    rows: npt.NDArray[np.int32]
    slots: npt.NDArray[np.int8]
    coords: tuple[tuple[np.ndarray, np.ndarray], ...]
    """Each slot's latitude and longitude columns (by row), shared with :class:`Columns`."""

    @classmethod
    def build(cls, coords: Sequence[tuple[np.ndarray, np.ndarray]]) -> GeoGrid:
        keys, rows, slots = [], [], []
        for slot, (lats, lons) in enumerate(coords):
            there = np.flatnonzero(~(np.isnan(lats) | np.isnan(lons)))
            keys.append(_cell_keys(lats[there], lons[there]))
            rows.append(there)
            slots.append(np.full(len(there), slot, dtype=np.int8))
        key = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
        order = np.argsort(key, kind="stable")
        return cls(
            key[order].astype(np.int32),
            np.concatenate(rows)[order].astype(np.int32) if rows else np.empty(0, np.int32),
            np.concatenate(slots)[order] if slots else np.empty(0, np.int8),
            tuple(coords),
        )

    def count_in(self, boxes: Sequence[Box]) -> int:
        """How many points lie in the grid cells touching ``boxes`` (binary searches only)."""
        lo, hi = self._ranges(boxes)
        return int((hi - lo).sum())

    def points_in(self, boxes: Sequence[Box]) -> npt.NDArray[np.int64]:
        """Positions (in the sorted arrays) of every point in a grid cell touching a box."""
        lo, hi = self._ranges(boxes)
        lengths = hi - lo
        total = int(lengths.sum())
        # the concatenation of range(lo[k], hi[k]) for every k, in one pass
        first = lo - (np.cumsum(lengths) - lengths)
        out: npt.NDArray[np.int64] = np.repeat(first, lengths) + np.arange(total)
        return out

    def _ranges(self, boxes: Sequence[Box]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """For each latitude row of grid cells touching a box, the slice of the sorted points
        in the cells of the row that touch it."""
        starts, ends = [], []
        for box in boxes:
            i0, i1 = (int((v + 90.0) // GRID_DEGREES) for v in (box.min_lat, box.max_lat))
            j0, j1 = (
                min(max(int((v + 180.0) // GRID_DEGREES), 0), _LON_CELLS - 1)
                for v in (box.min_lon, box.max_lon)
            )
            band = np.arange(i0, i1 + 1, dtype=np.int64) * _LON_CELLS
            starts.append(band + j0)
            ends.append(band + j1)
        if not starts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        # Asked in the keys' own dtype: numpy would otherwise convert the whole key array (a
        # copy of 1.5 million keys at a million therapists, 0.3 ms) on every call.
        lo = np.searchsorted(self.keys, np.concatenate(starts).astype(self.keys.dtype), "left")
        hi = np.searchsorted(self.keys, np.concatenate(ends).astype(self.keys.dtype), "right")
        return lo.astype(np.int64), hi.astype(np.int64)

    def within(
        self, lat: float, lon: float, radius_km: float
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The rows with an office within ``radius_km`` of (lat, lon), each once, and the
        distance to its nearest office; in no particular order."""
        rows, km = self.nearest(lat, lon, radius_km)
        return rows, km.exact()

    def nearest(self, lat: float, lon: float, radius_km: float) -> tuple[IntArray, NearestKm]:
        """The rows with an office within ``radius_km`` of (lat, lon), each once, in no
        particular order, and the distance to its nearest office, within bounds and measured
        on demand (see :class:`~.distances.NearestKm`: only the offices whose bounds straddle
        the radius are measured here)."""
        boxes = bounding_box(lat, lon, radius_km)
        pos = self.points_in(boxes)
        rows, slots = self.rows[pos], self.slots[pos]
        lats, lons = np.empty(len(pos)), np.empty(len(pos))
        for slot, (lat_column, lon_column) in enumerate(self.coords):
            at = np.flatnonzero(slots == slot)
            if len(at):
                lats[at] = lat_column[rows[at]]
                lons[at] = lon_column[rows[at]]
        boxed = np.flatnonzero(in_boxes(lats, lons, boxes))  # the cells reach past the box
        rows64, lats, lons = rows[boxed].astype(np.int64), lats[boxed], lons[boxed]
        if len(rows64) > 1 and bool((slots[boxed] != 0).any()):  # a therapist may repeat
            order = np.argsort(rows64, kind="stable")
            rows64, lats, lons = rows64[order], lats[order], lons[order]
            new = np.concatenate(([True], rows64[1:] != rows64[:-1]))
            owners_rows, owner = rows64[new], np.cumsum(new) - 1
        else:
            owners_rows, owner = rows64, np.arange(len(rows64))
        km = NearestKm(lat, lon, boxes, len(owners_rows), owner, lats, lons, grouped=True)
        inside = np.flatnonzero(km.within(radius_km))
        return owners_rows[inside], km[inside]
