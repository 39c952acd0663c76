"""Geohash cells: a point indexed as the cells that contain it, at several sizes, so that an
area search becomes a handful of exact term lookups instead of a scan of coordinate columns.

A geohash interleaves longitude and latitude bits, five bits per character: a cell of
precision *p* contains the cells of precision *p + 1* that extend its string. Indexing the
cells of precision ``MIN_PRECISION`` to ``MAX_PRECISION`` of each office lets a search pick the
precision whose cells fit its radius (:func:`circle_cells`: at most ``MAX_CELLS`` of them by
default) and ask for documents in any of them; the exact distance check then keeps those
really within the radius. Cells only ever widen the candidate set: no point within the radius
is missed.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from search_core.geo import EARTH, bounding_box

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
MIN_PRECISION = 2
MAX_PRECISION = 6
MAX_CELLS = 48
_BASE32_CHARS = np.array(list(_BASE32))


def encode(lat: float, lon: float, precision: int) -> str:
    """The geohash of (lat, lon) with ``precision`` characters."""
    bits = 5 * precision
    code = _interleaved(lat, lon, bits)
    return "".join([_BASE32[(code >> s) & 31] for s in range(bits - 5, -1, -5)])


def _cell(value: float, low: float, span: float, bits: int) -> int:
    """The index of the cell of ``value`` among ``2**bits`` equal cells of [low, low + span),
    as the geohash's halving finds it: the last cell whose lower bound is at most ``value``
    (0 below, the last one above). The bounds ``low + k * span / 2**bits`` are exact binary
    fractions for the spans used (180° and 360°), so after a first guess by division the
    comparisons are exact."""
    top = (1 << bits) - 1
    step = span / (1 << bits)
    if not low <= value <= low + span:  # outside, or not a number
        return top if value > low else 0
    k = min(math.floor((value - low) / step), top)
    while k > 0 and value < low + k * step:
        k -= 1
    while k < top and value >= low + (k + 1) * step:
        k += 1
    return k


def _spread(bits: int) -> int:
    """``bits`` with a zero after each bit: 0b1011 → 0b1000101."""
    out = 0
    for i in range(bits.bit_length()):
        out |= ((bits >> i) & 1) << (2 * i)
    return out


_SPREAD = [_spread(b) for b in range(256)]


def _interleaved(lat: float, lon: float, bits: int) -> int:
    """The geohash's ``bits`` as one integer: longitude and latitude cell indexes
    interleaved, longitude first (this runs for every office of every document of a load)."""
    lon_bits, lat_bits = (bits + 1) // 2, bits // 2
    i = _cell(lat, -90.0, 180.0, lat_bits)
    j = _cell(lon, -180.0, 360.0, lon_bits)
    spread = _SPREAD
    si = spread[i & 255] | spread[(i >> 8) & 255] << 16 | spread[(i >> 16) & 255] << 32
    sj = spread[j & 255] | spread[(j >> 8) & 255] << 16 | spread[(j >> 16) & 255] << 32
    if lon_bits == lat_bits:
        return (sj << 1) | si
    return sj | (si << 1)


_CELL_SHIFTS = range(5 * MAX_PRECISION - 5, -1, -5)


def cells_of(lat: float, lon: float) -> list[str]:
    """Every indexed cell that contains the point, largest first (``p:hash`` strings)."""
    code = _interleaved(lat, lon, 5 * MAX_PRECISION)
    full = "".join([_BASE32[(code >> s) & 31] for s in _CELL_SHIFTS])
    return [f"{p}:{full[:p]}" for p in range(MIN_PRECISION, MAX_PRECISION + 1)]


def cell_size(precision: int) -> tuple[float, float]:
    """(height, width) of a cell in degrees."""
    bits = 5 * precision
    lon_bits = (bits + 1) // 2
    lat_bits = bits // 2
    return 180.0 / 2**lat_bits, 360.0 / 2**lon_bits


@lru_cache(maxsize=4096)
def circle_cells(
    lat: float, lon: float, radius_km: float, max_cells: int = MAX_CELLS
) -> tuple[str, ...]:
    """The cells that can hold a point within ``radius_km`` of (lat, lon), as ``p:hash``
    strings, at the finest precision whose cells touching the circle's bounding box number at
    most ``max_cells`` (the coarsest precision when even that needs more).

    Of the cells touching the box, only those reaching into the circle are kept: a box's
    corners are a fifth of its area, and the few large cells a budget allows stick out further
    (a 10-mile New York search: 9 cells covering 6.4 times the circle's area before, 5 now).
    Fewer cells and fewer therapists outside the circle, at the same precision: a search inside
    the cells puts them in each of its text clauses, and every therapist it finds costs a score,
    a row and a distance. A cell is left out only when the distance to its nearest point is
    provably over the radius, by the bound of :func:`~search_core.geo.bounding_box` (over any
    path within the circle's latitude band, ds² ≥ (a(1-e²)·dφ)² + (P·dλ)², P the radius of the
    band's most poleward parallel), so no point within the radius is ever outside the cells.
    Remembered per circle: the same cities and ZIP codes are searched again and again."""
    boxes = bounding_box(lat, lon, radius_km)
    dlat = math.degrees(radius_km / EARTH.min_meridian_radius_km)
    poleward = min(90.0, max(abs(lat - dlat), abs(lat + dlat)))
    k_lat = math.radians(EARTH.min_meridian_radius_km)  # km per degree of latitude, at least
    k_lon = math.radians(EARTH.parallel_radius_km(poleward))  # km per degree of longitude, at least
    best: tuple[str, ...] = ()
    for precision in range(MIN_PRECISION, MAX_PRECISION + 1):
        lat_bits, lon_bits = (5 * precision) // 2, (5 * precision + 1) // 2
        height, width = cell_size(precision)
        estimate = sum(
            (math.ceil((b.max_lat - b.min_lat) / height) + 1)
            * (math.ceil((b.max_lon - b.min_lon) / width) + 1)
            for b in boxes
        )
        if estimate > max_cells and best:
            return best
        rows, cols = [], []
        for b in boxes:
            i = np.arange(
                _index(b.min_lat + 90.0, height, lat_bits),
                _index(b.max_lat + 90.0, height, lat_bits) + 1,
            )
            j = np.arange(
                _index(b.min_lon + 180.0, width, lon_bits),
                _index(b.max_lon + 180.0, width, lon_bits) + 1,
            )
            ii, jj = np.meshgrid(i, j, indexing="ij")
            rows.append(ii.ravel())
            cols.append(jj.ravel())
        i_all, j_all = np.concatenate(rows), np.concatenate(cols)  # at most ``estimate``
        lat0 = i_all * height - 90.0
        lon0 = j_all * width - 180.0
        d_lat = np.maximum(0.0, np.maximum(lat0 - lat, lat - (lat0 + height)))
        inside = (lon0 <= lon) & (lon <= lon0 + width)
        d_lon = np.where(
            inside, 0.0, np.minimum((lon0 - lon) % 360.0, (lon - (lon0 + width)) % 360.0)
        )
        reach = np.hypot(k_lat * d_lat, k_lon * d_lon) <= radius_km
        best = tuple(sorted(set(_hashes(i_all[reach], j_all[reach], precision))))
    return best


def _index(offset_deg: float, size: float, bits: int) -> int:
    """The grid index of a coordinate (degrees from -90 or -180) at cells of ``size``."""
    index: int = min(max(math.floor(offset_deg / size), 0), 2**bits - 1)
    return index


def _hashes(i: np.ndarray, j: np.ndarray, precision: int) -> list[str]:
    """``p:hash`` of the cells at latitude index ``i`` and longitude index ``j``: the geohash
    interleaves their bits, longitude first, five bits a character."""
    bits = 5 * precision
    lat_bits, lon_bits = bits // 2, (bits + 1) // 2
    i, j = i.astype(np.int64), j.astype(np.int64)
    code = np.zeros(len(i), dtype=np.int64)
    for k in range(bits):
        source, width = (j, lon_bits) if k % 2 == 0 else (i, lat_bits)
        code = (code << 1) | ((source >> (width - 1 - k // 2)) & 1)
    shifts = 5 * np.arange(precision - 1, -1, -1, dtype=np.int64)
    chars = _BASE32_CHARS[(code[:, None] >> shifts[None, :]) & 31]
    return [f"{precision}:{''.join(row)}" for row in chars.tolist()]
