"""Geohash cells: the cells a point is indexed under, and the cells an area search asks for."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from geopy.distance import geodesic

from search_core.geo import bounding_box
from search_core.geocells import (
    MAX_CELLS,
    MAX_PRECISION,
    MIN_PRECISION,
    _hashes,
    cell_size,
    cells_of,
    circle_cells,
    encode,
)


def test_encode_known_geohashes() -> None:
    assert encode(57.64911, 10.40744, 6) == "u4pruy"  # the usual worked example
    assert encode(45.5152, -122.6784, 5) == "c20fb"  # Portland, OR
    full = encode(45.5152, -122.6784, MAX_PRECISION)
    assert cells_of(45.5152, -122.6784) == [
        f"{p}:{full[:p]}" for p in range(MIN_PRECISION, MAX_PRECISION + 1)
    ]


@pytest.mark.parametrize("precision", range(MIN_PRECISION, MAX_PRECISION + 1))
def test_cell_indexes_hash_like_the_points_inside_them(precision: int) -> None:
    rng = random.Random(precision)
    height, width = cell_size(precision)
    for _ in range(300):
        lat, lon = rng.uniform(-89.99, 89.99), rng.uniform(-179.99, 179.99)
        i, j = int((lat + 90.0) // height), int((lon + 180.0) // width)
        got = _hashes(np.array([i]), np.array([j]), precision)
        assert got == [f"{precision}:{encode(lat, lon, precision)}"]


def _box_cells(lat: float, lon: float, km: float, precision: int) -> set[str]:
    height, width = cell_size(precision)
    out = set()
    for b in bounding_box(lat, lon, km):
        i0, i1 = int((b.min_lat + 90) // height), int((b.max_lat + 90) // height)
        j0, j1 = int((b.min_lon + 180) // width), int((b.max_lon + 180) // width)
        for i in range(i0, min(i1, 2 ** ((5 * precision) // 2) - 1) + 1):
            for j in range(j0, min(j1, 2 ** ((5 * precision + 1) // 2) - 1) + 1):
                out.add(_hashes(np.array([i]), np.array([j]), precision)[0])
    return out


CIRCLES = [
    (40.7128, -74.0060, 16.09),  # 10 mi in New York
    (45.5152, -122.6784, 8.0),
    (32.7767, -96.7970, 40.2),
    (61.2181, -149.9003, 80.0),  # Anchorage: longitude degrees are short
    (51.9, 179.95, 50.0),  # across the antimeridian
    (-33.9, 151.2, 3.0),
    (0.0, 0.0, 0.3),
    (89.5, 10.0, 100.0),  # around the pole
    (40.0, -100.0, 800.0),
]


@pytest.mark.parametrize(("lat", "lon", "km"), CIRCLES)
def test_no_point_within_the_radius_is_outside_the_cells(lat: float, lon: float, km: float) -> None:
    cells = set(circle_cells(lat, lon, km))
    precision = int(next(iter(cells)).split(":")[0])
    assert all(c.startswith(f"{precision}:") for c in cells)
    rng = random.Random(f"{lat},{lon},{km}")
    for k in range(3000):
        # many right at the edge, where a cell cut too keenly would lose a point
        distance = km * (1.0 if k % 3 == 0 else math.sqrt(rng.random())) * 0.99999
        point = geodesic(kilometers=distance).destination((lat, lon), rng.uniform(0, 360))
        cell = f"{precision}:{encode(point.latitude, point.longitude, precision)}"
        assert cell in cells, (point.latitude, point.longitude, distance)


@pytest.mark.parametrize(("lat", "lon", "km"), CIRCLES)
def test_cells_are_those_of_the_box_reaching_into_the_circle(
    lat: float, lon: float, km: float
) -> None:
    cells = set(circle_cells(lat, lon, km))
    precision = int(next(iter(cells)).split(":")[0])
    box = _box_cells(lat, lon, km, precision)
    assert cells <= box
    assert len(box) <= MAX_CELLS or precision == MIN_PRECISION  # the budget is kept


def test_corners_of_the_box_are_left_out() -> None:
    """10 miles around New York: the box's cells at the budget's precision reach far past the
    circle; the circle's own are fewer and cover much less ground."""
    lat, lon, km = 40.7128, -74.0060, 16.09
    cells = circle_cells(lat, lon, km)
    precision = int(cells[0][0])
    assert len(cells) < len(_box_cells(lat, lon, km, precision))


def test_a_bigger_budget_gives_finer_cells_that_still_cover_the_circle() -> None:
    lat, lon, km = 40.7128, -74.0060, 16.09
    coarse, fine = circle_cells(lat, lon, km), circle_cells(lat, lon, km, 96)
    assert int(fine[0][0]) > int(coarse[0][0])
    assert len(fine) <= 96
    for cell in fine:  # each fine cell lies inside a coarse one
        assert any(cell[2:].startswith(c[2:]) for c in coarse), cell


def test_a_huge_circle_keeps_the_coarsest_cells() -> None:
    cells = circle_cells(40.0, -100.0, 3000.0)
    assert all(c.startswith(f"{MIN_PRECISION}:") for c in cells)


def _halving(lat: float, lon: float, precision: int) -> str:
    """The textbook geohash: halve the longitude and latitude intervals in turn."""
    base32 = "0123456789bcdefghjkmnpqrstuvwxyz"
    box = [-90.0, 90.0, -180.0, 180.0]
    code = 0
    for k in range(5 * precision):
        value, lo = (lon, 2) if k % 2 == 0 else (lat, 0)
        mid = (box[lo] + box[lo + 1]) / 2
        upper = value >= mid
        code = code * 2 + upper
        box[lo if upper else lo + 1] = mid
    return "".join(base32[(code >> s) & 31] for s in range(5 * precision - 5, -1, -5))


@pytest.mark.parametrize("precision", [1, 2, 5, 6, 7, 9])
def test_encode_agrees_with_halving_on_and_next_to_cell_bounds(precision: int) -> None:
    """The fast encoding finds a point's cell by division and exact comparisons with the cell
    bounds: on a bound, and one float either side of it, it must agree with plain halving."""
    rng = random.Random(precision)
    lat_bits, lon_bits = (5 * precision) // 2, (5 * precision + 1) // 2
    for _ in range(400):
        lat = -90 + rng.randrange(2**lat_bits + 1) * 180 / 2**lat_bits
        lon = -180 + rng.randrange(2**lon_bits + 1) * 360 / 2**lon_bits
        for a in (lat, math.nextafter(lat, -math.inf), math.nextafter(lat, math.inf)):
            for b in (lon, math.nextafter(lon, -math.inf), math.nextafter(lon, math.inf)):
                assert encode(a, b, precision) == _halving(a, b, precision), (a, b)
    for a, b in [(90, 180), (-90, -180), (91, -181), (math.inf, -math.inf), (math.nan, 0.0)]:
        assert encode(a, b, precision) == _halving(a, b, precision), (a, b)
    for _ in range(300):
        a, b = rng.uniform(-90, 90), rng.uniform(-180, 180)
        assert encode(a, b, precision) == _halving(a, b, precision)
