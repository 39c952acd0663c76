"""Geohash cells: a point indexed as the cells that contain it, at several sizes, so that an
area search becomes a handful of exact term lookups instead of a scan of coordinate columns.

A geohash interleaves longitude and latitude bits, five bits per character: a cell of
precision *p* contains the cells of precision *p + 1* that extend its string. Indexing the
cells of precision ``MIN_PRECISION`` to ``MAX_PRECISION`` of each office lets a search pick the
precision whose cells fit its radius, cover the bounding box with at most ``MAX_CELLS`` cells,
and ask for documents in any of them; the exact distance check then keeps those really within
the radius. Cells only ever widen the candidate set: no point inside the box is missed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from search_core.geo import Box

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
MIN_PRECISION = 2
MAX_PRECISION = 6
MAX_CELLS = 48


def encode(lat: float, lon: float, precision: int) -> str:
    """The geohash of (lat, lon) with ``precision`` characters."""
    lat_lo, lat_hi, lon_lo, lon_hi = -90.0, 90.0, -180.0, 180.0
    chars: list[str] = []
    bits, value, even = 0, 0, True
    while len(chars) < precision:
        if even:
            mid = (lon_lo + lon_hi) / 2
            if lon >= mid:
                value = value * 2 + 1
                lon_lo = mid
            else:
                value *= 2
                lon_hi = mid
        else:
            mid = (lat_lo + lat_hi) / 2
            if lat >= mid:
                value = value * 2 + 1
                lat_lo = mid
            else:
                value *= 2
                lat_hi = mid
        even = not even
        bits += 1
        if bits == 5:
            chars.append(_BASE32[value])
            bits, value = 0, 0
    return "".join(chars)


def cells_of(lat: float, lon: float) -> list[str]:
    """Every indexed cell that contains the point, largest first (``p:hash`` strings)."""
    full = encode(lat, lon, MAX_PRECISION)
    return [f"{p}:{full[:p]}" for p in range(MIN_PRECISION, MAX_PRECISION + 1)]


def cell_size(precision: int) -> tuple[float, float]:
    """(height, width) of a cell in degrees."""
    bits = 5 * precision
    lon_bits = (bits + 1) // 2
    lat_bits = bits // 2
    return 180.0 / 2**lat_bits, 360.0 / 2**lon_bits


def _cover(box: Box, precision: int) -> set[str]:
    height, width = cell_size(precision)
    out: set[str] = set()
    # Step through the box on the cell grid: every cell touching the box is visited once.
    lat = math.floor((box.min_lat + 90.0) / height) * height - 90.0
    while lat <= box.max_lat:
        lon = math.floor((box.min_lon + 180.0) / width) * width - 180.0
        while lon <= box.max_lon:
            centre_lat = min(89.999999, lat + height / 2)
            centre_lon = min(179.999999, lon + width / 2)
            out.add(f"{precision}:{encode(centre_lat, centre_lon, precision)}")
            lon += width
        lat += height
    return out


def covering_cells(boxes: Iterable[Box]) -> list[str]:
    """The finest indexed cells that cover ``boxes`` in at most ``MAX_CELLS`` cells (the
    coarsest precision when even that needs more)."""
    boxes = list(boxes)
    best: set[str] = set()
    for precision in range(MIN_PRECISION, MAX_PRECISION + 1):
        height, width = cell_size(precision)
        estimate = sum(
            (math.ceil((b.max_lat - b.min_lat) / height) + 1)
            * (math.ceil((b.max_lon - b.min_lon) / width) + 1)
            for b in boxes
        )
        if estimate > MAX_CELLS and best:
            break
        cells = set().union(*(_cover(b, precision) for b in boxes))
        if len(cells) > MAX_CELLS and best:
            break
        best = cells
    return sorted(best)
