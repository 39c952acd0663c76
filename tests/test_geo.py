"""search_core.geo against geographiclib's exact geodesics (through geopy)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from geopy.distance import geodesic

from search_core.errors import InvalidQuery
from search_core.geo import (
    EARTH_EQUATORIAL_RADIUS_KM,
    EARTH_MEAN_RADIUS_KM,
    EARTH_POLAR_RADIUS_KM,
    Box,
    bounding_box,
    distance_km,
    distances_km,
    in_boxes,
    validate_point,
)
from search_core.units import KM_PER_MILE, from_km, to_km

US_LAT, US_LON = (24.5, 49.0), (-124.8, -66.9)


def _exact(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(geodesic((lat1, lon1), (lat2, lon2)).km)


def _world_lat(rng: np.random.Generator, n: int) -> np.ndarray:
    """Latitudes uniform over the sphere's area."""
    return np.degrees(np.arcsin(rng.uniform(-1, 1, n)))


def _relative_errors(lat0: float, lon0: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    ours = distances_km(lat0, lon0, lats, lons)
    exact = np.array([_exact(lat0, lon0, a, b) for a, b in zip(lats, lons, strict=True)])
    errors: np.ndarray = np.abs(ours - exact) / exact
    return errors


def test_constants() -> None:
    assert EARTH_EQUATORIAL_RADIUS_KM == 6378.137
    assert abs(EARTH_POLAR_RADIUS_KM - 6356.752314) < 1e-6
    assert abs(EARTH_MEAN_RADIUS_KM - 6371.0088) < 1e-4


def test_distances_match_geodesic_across_the_us() -> None:
    rng = np.random.default_rng(7)
    worst = 0.0
    for _ in range(30):  # 30 centres x 60 points = 1,800 pairs
        lat0, lon0 = rng.uniform(*US_LAT), rng.uniform(*US_LON)
        lats, lons = rng.uniform(*US_LAT, 60), rng.uniform(*US_LON, 60)
        worst = max(worst, float(_relative_errors(lat0, lon0, lats, lons).max()))
    assert worst < 0.0005
    # Haversine on the mean sphere would not pass this; Andoyer-Lambert is far inside it.
    assert worst < 1e-5


def test_distances_match_geodesic_worldwide() -> None:
    rng = np.random.default_rng(11)
    worst = 0.0
    for _ in range(10):
        lat0, lon0 = float(_world_lat(rng, 1)[0]), rng.uniform(-180, 180)
        lats, lons = _world_lat(rng, 20), rng.uniform(-180, 180, 20)
        worst = max(worst, float(_relative_errors(lat0, lon0, lats, lons).max()))
    assert worst < 0.0005


def test_short_distances_are_within_metres() -> None:
    rng = np.random.default_rng(3)
    lat0, lon0 = 45.52, -122.68
    lats = lat0 + rng.uniform(-0.5, 0.5, 300)
    lons = lon0 + rng.uniform(-0.7, 0.7, 300)
    lats[:5] = lat0 + np.array([1e-6, 0, 1e-5, -1e-4, 1e-3])
    lons[:5] = lon0 + np.array([0, 1e-6, 1e-5, 1e-4, 0])
    ours = distances_km(lat0, lon0, lats, lons)
    exact = np.array([_exact(lat0, lon0, a, b) for a, b in zip(lats, lons, strict=True)])
    assert np.abs(ours - exact).max() < 0.05  # 50 m
    assert np.abs(ours - exact).max() < 0.001  # in fact under a metre
    assert (np.abs(ours - exact) / exact).max() < 0.0005


def test_scalar_agrees_with_vectorized_and_is_symmetric() -> None:
    d = distance_km(45.52, -122.68, 43.66, -70.26)
    assert d == pytest.approx(_exact(45.52, -122.68, 43.66, -70.26), rel=1e-5)
    assert d == pytest.approx(distance_km(43.66, -70.26, 45.52, -122.68), rel=1e-12)
    vec = distances_km(45.52, -122.68, np.array([43.66]), np.array([-70.26]))
    assert vec.shape == (1,)
    assert vec[0] == pytest.approx(d, rel=1e-12)
    assert distances_km(0.0, 0.0, [1.0, 2.0], [0.0, 0.0]).shape == (2,)  # lists work too


@pytest.mark.parametrize("point", [(45.5, -122.6), (0.0, 0.0), (90.0, 0.0), (-90.0, 45.0)])
def test_zero_distance(point: tuple[float, float]) -> None:
    assert distance_km(*point, *point) == 0.0


def test_meridian_degree_and_equator_degree() -> None:
    # One degree of longitude on the equator is a·π/180 exactly.
    assert distance_km(0, 0, 0, 1) == pytest.approx(EARTH_EQUATORIAL_RADIUS_KM * math.pi / 180)
    assert distance_km(0, 0, 1, 0) == pytest.approx(_exact(0, 0, 1, 0), abs=0.001)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((0.0, 0.0), (0.0, 180.0)),
        ((10.0, 20.0), (-10.0, -160.0)),
        ((45.0, -100.0), (-45.0, 80.0)),
        ((0.0, 0.0), (0.5, 179.5)),
        ((90.0, 0.0), (-90.0, 0.0)),
        ((30.0, 0.0), (-30.0001, 180.0)),
    ],
)
def test_antipodal_points_are_finite_and_close(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    d = distance_km(*a, *b)
    assert math.isfinite(d)
    assert d == pytest.approx(_exact(*a, *b), rel=0.002)


def test_nan_coordinates_are_infinitely_far_and_sort_last() -> None:
    lats = np.array([np.nan, 45.6, 45.5, 46.0])
    lons = np.array([-122.6, np.nan, -122.6, -122.6])
    d = distances_km(45.5, -122.6, lats, lons)
    assert np.isinf(d[0])
    assert np.isinf(d[1])
    assert d[2] == 0.0
    assert list(np.argsort(d, kind="stable")) == [2, 3, 0, 1]
    assert not (d <= 1e6)[:2].any()
    assert math.isinf(distance_km(math.nan, 0, 0, 0))


def test_shape_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="shape"):
        distances_km(0, 0, np.zeros(2), np.zeros(3))


def test_units() -> None:
    assert KM_PER_MILE == 1.609344
    assert to_km(10, "mi") == pytest.approx(16.09344)
    assert to_km(10, "km") == 10
    assert from_km(16.09344, "mi") == pytest.approx(10)
    assert from_km(to_km(25, "mi"), "mi") == pytest.approx(25)
    with pytest.raises(InvalidQuery, match="unit must be 'mi' or 'km', got 'ft'"):
        to_km(1, "ft")  # type: ignore[arg-type]
    with pytest.raises(InvalidQuery):
        from_km(1, "miles")  # type: ignore[arg-type]


# --- bounding boxes ----------------------------------------------------------------------------


def _check_never_misses(lat0: float, lon0: float, radius: float, bearings: np.ndarray) -> None:
    boxes = bounding_box(lat0, lon0, radius)
    for bearing in bearings:
        # The circle's edge (a hair inside) and a point well inside, along each bearing.
        for dist in (radius * (1 - 1e-9), radius * 0.5):
            p = geodesic(kilometers=dist).destination((lat0, lon0), float(bearing))
            lat, lon = p.latitude, p.longitude
            assert in_boxes(boxes, lat, lon), (lat0, lon0, radius, lat, lon, boxes)


def test_bounding_box_never_misses_a_point_within_the_radius() -> None:
    rng = np.random.default_rng(5)
    for i in range(120):
        if i % 3 == 0:
            lat0, lon0 = float(_world_lat(rng, 1)[0]), rng.uniform(-180, 180)
        else:
            lat0, lon0 = rng.uniform(*US_LAT), rng.uniform(*US_LON)
        radius = float(np.exp(rng.uniform(0, math.log(500))))  # 1-500 km, log-uniform
        _check_never_misses(lat0, lon0, radius, rng.uniform(0, 360, 6))


def test_bounding_box_random_points_by_distance() -> None:
    """The literal property: any point whose geodesic distance is within the radius is inside."""
    rng = np.random.default_rng(9)
    inside = 0
    for _ in range(40):
        lat0, lon0 = rng.uniform(*US_LAT), rng.uniform(*US_LON)
        radius = rng.uniform(1, 500)
        span = radius / 60  # degrees: a region a bit larger than the circle
        lats = lat0 + rng.uniform(-span, span, 40)
        lons = lon0 + rng.uniform(-span, span, 40) / math.cos(math.radians(lat0))
        boxes = bounding_box(lat0, lon0, radius)
        for lat, lon in zip(lats, lons, strict=True):
            if _exact(lat0, lon0, lat, lon) <= radius:
                inside += 1
                assert in_boxes(boxes, lat, lon)
    assert inside > 300  # the test did look at points inside


def test_bounding_box_is_not_wildly_loose() -> None:
    (box,) = bounding_box(45.0, -100.0, 100.0)
    north = geodesic(kilometers=100).destination((45, -100), 0).latitude
    east = geodesic(kilometers=100).destination((45, -100), 90).longitude
    assert north < box.max_lat < north + 0.02
    assert 45 - (box.min_lat - 45) < north + 0.02
    assert east < box.max_lon < -100 + (east + 100) * 1.03


def test_zero_radius_box_contains_the_centre() -> None:
    (box,) = bounding_box(45.0, -100.0, 0.0)
    assert box == Box(45.0, 45.0, -100.0, -100.0)
    assert box.contains(45.0, -100.0)


@pytest.mark.parametrize("lon0", [179.9, -179.9, 180.0, -180.0])
def test_bounding_box_splits_at_the_antimeridian(lon0: float) -> None:
    boxes = bounding_box(0.0, lon0, 50.0)
    assert len(boxes) == 2
    assert any(b.max_lon == 180.0 for b in boxes)
    assert any(b.min_lon == -180.0 for b in boxes)
    assert all(-180.0 <= b.min_lon <= b.max_lon <= 180.0 for b in boxes)
    for lon in (179.8, -179.8, 179.999, -179.999):
        assert _exact(0.0, lon0, 0.0, lon) < 50
        assert in_boxes(boxes, 0.0, lon)
    assert not in_boxes(boxes, 0.0, 0.0)
    assert not in_boxes(boxes, 0.0, 178.0)
    _check_never_misses(0.0, lon0, 50.0, np.arange(0, 360, 15))


@pytest.mark.parametrize("lat0", [89.9, -89.9, 90.0, -90.0])
def test_bounding_box_takes_every_longitude_around_a_pole(lat0: float) -> None:
    (box,) = bounding_box(lat0, 10.0, 50.0)
    assert (box.min_lon, box.max_lon) == (-180.0, 180.0)
    assert box.max_lat == 90.0 if lat0 > 0 else box.min_lat == -90.0
    assert box.contains(math.copysign(89.95, lat0), -170.0)  # across the pole
    _check_never_misses(lat0, 10.0, 50.0, np.arange(0, 360, 30))


def test_bounding_box_near_but_not_around_a_pole_is_split_or_full() -> None:
    boxes = bounding_box(85.0, 179.0, 300.0)
    _check_never_misses(85.0, 179.0, 300.0, np.arange(0, 360, 10))
    assert all(b.max_lat <= 90 for b in boxes)


def test_huge_radius_covers_the_globe() -> None:
    (box,) = bounding_box(10.0, 10.0, 25_000.0)
    assert box == Box(-90.0, 90.0, -180.0, 180.0)


@pytest.mark.parametrize("radius", [-1.0, math.nan, math.inf])
def test_bounding_box_rejects_bad_radius(radius: float) -> None:
    with pytest.raises(InvalidQuery, match="radius"):
        bounding_box(0.0, 0.0, radius)


def test_box_is_frozen() -> None:
    box = Box(0, 1, 0, 1)
    with pytest.raises(AttributeError):
        box.min_lat = 5  # type: ignore[misc]


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (91.0, 0.0, "lat must be between -90 and 90, got 91.0"),
        (-90.5, 0.0, "lat must be between -90 and 90, got -90.5"),
        (0.0, 180.5, "lon must be between -180 and 180, got 180.5"),
        (0.0, -181, "lon must be between -180 and 180, got -181.0"),
        (math.nan, 0.0, "lat must be a finite number, got nan"),
        (0.0, math.inf, "lon must be a finite number, got inf"),
        (0.0, -math.inf, "lon must be a finite number, got -inf"),
    ],
)
def test_validate_point_errors(lat: float, lon: float, message: str) -> None:
    with pytest.raises(InvalidQuery) as err:
        validate_point(lat, lon)
    assert str(err.value) == message


@pytest.mark.parametrize("point", [(90.0, 180.0), (-90.0, -180.0), (0, 0), (45.5, -122.6)])
def test_validate_point_accepts_the_edges(point: tuple[float, float]) -> None:
    validate_point(*point)


def test_validate_point_rejects_non_numbers() -> None:
    with pytest.raises(InvalidQuery, match="lat must be a number"):
        validate_point("45", 0.0)  # type: ignore[arg-type]
