"""Distances and search boxes on the WGS-84 ellipsoid: pure functions, no I/O.

Distances use Andoyer-Lambert's first-order flattening correction to the great-circle distance
between the points' *reduced* latitudes (:func:`distances_km`). Against the exact geodesic
(``geopy.distance.geodesic``) the relative error measured below 0.0002% across the contiguous US
(a few metres over 2,000 km) and below 0.01% for random worldwide pairs; it reaches 0.17% only
for nearly antipodal points, where the result stays finite. Plain haversine on a mean-radius
sphere is off by up to 0.5%.

:func:`bounding_box` gives the coarse pre-filter an engine can run as a range query before the
exact distance check: it provably contains every point within the radius.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from search_core.errors import InvalidQuery

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Ellipsoid:
    """A reference ellipsoid: equatorial radius (km) and flattening."""

    a_km: float
    f: float

    @property
    def b_km(self) -> float:
        """Polar radius."""
        return self.a_km * (1 - self.f)

    @property
    def e2(self) -> float:
        """First eccentricity squared."""
        return self.f * (2 - self.f)

    @property
    def mean_radius_km(self) -> float:
        """IUGG mean radius (2a + b) / 3."""
        return (2 * self.a_km + self.b_km) / 3

    @property
    def min_meridian_radius_km(self) -> float:
        """Smallest meridional radius of curvature, a(1 - e²), reached at the equator."""
        return self.a_km * (1 - self.e2)

    def parallel_radius_km(self, lat: float) -> float:
        """Radius of the parallel at geodetic latitude ``lat`` (degrees): N(φ)·cos φ."""
        phi = math.radians(lat)
        n = self.a_km / math.sqrt(1 - self.e2 * math.sin(phi) ** 2)
        return max(0.0, n * math.cos(phi))


EARTH = Ellipsoid(a_km=6378.137, f=1 / 298.257223563)
"""WGS-84, the datum of GPS coordinates and of the fixtures."""
EARTH_EQUATORIAL_RADIUS_KM = EARTH.a_km
EARTH_POLAR_RADIUS_KM = EARTH.b_km
EARTH_MEAN_RADIUS_KM = EARTH.mean_radius_km


# --- distances ---------------------------------------------------------------------------------


def _reduced(lat: FloatArray | float) -> tuple[FloatArray, FloatArray]:
    """sin β and cos β of the reduced latitude, tan β = (1 - f) tan φ, for φ in degrees."""
    phi = np.radians(lat)
    s, c = (1 - EARTH.f) * np.sin(phi), np.cos(phi)
    norm = np.hypot(s, c)
    return s / norm, c / norm


def distances_km(lat: float, lon: float, lats: npt.ArrayLike, lons: npt.ArrayLike) -> FloatArray:
    """Distances (km) from one point to arrays of points, on the WGS-84 ellipsoid.

    A NaN coordinate (a missing office, say) gives ``inf``: it sorts last and is outside any
    radius. ``lats`` and ``lons`` must have the same shape; the result has that shape.

    Andoyer-Lambert: the central angle ``s`` between the reduced latitudes on the auxiliary
    sphere, corrected by ``-f/2 * (X + Y)`` with
    ``X = (s - sin s) * ((sin b1 + sin b2) / 2)**2 / cos(s/2)**2`` and
    ``Y = (s + sin s) * ((sin b2 - sin b1) / 2)**2 / sin(s/2)**2``.
    """
    la = np.asarray(lats, dtype=np.float64)
    lo = np.asarray(lons, dtype=np.float64)
    if la.shape != lo.shape:
        raise ValueError(f"lats and lons differ in shape: {la.shape} vs {lo.shape}")
    with np.errstate(invalid="ignore", divide="ignore"):
        sb1, cb1 = _reduced(lat)
        sb2, cb2 = _reduced(la)
        dlon = np.radians(lo - lon)
        cdl = np.cos(dlon)
        # Central angle, Vincenty's atan2 form: well-conditioned at 0 and at π.
        sin_sigma = np.hypot(cb2 * np.sin(dlon), cb1 * sb2 - sb1 * cb2 * cdl)
        cos_sigma = sb1 * sb2 + cb1 * cb2 * cdl
        sigma = np.arctan2(sin_sigma, cos_sigma)
        half_sin2 = np.sin(sigma / 2) ** 2
        half_cos2 = np.cos(sigma / 2) ** 2
        x = (sigma - sin_sigma) * ((sb1 + sb2) / 2) ** 2 / half_cos2
        y = (sigma + sin_sigma) * ((sb2 - sb1) / 2) ** 2 / half_sin2
        x = np.where(half_cos2 > 1e-15, x, 0.0)  # exactly antipodal: no finite correction
        y = np.where(half_sin2 > 1e-30, y, 0.0)  # identical points
        d = np.maximum(EARTH.a_km * (sigma - EARTH.f / 2 * (x + y)), 0.0)
        out: FloatArray = np.where(np.isnan(d), np.inf, d)
    return out


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance (km) between two points on the WGS-84 ellipsoid; ``inf`` if any input is NaN.

    The same formula as :func:`distances_km`, in scalar arithmetic (a page of hits calls it
    per office, where numpy's per-call cost would dominate)."""
    if math.isnan(lat1) or math.isnan(lon1) or math.isnan(lat2) or math.isnan(lon2):
        return math.inf
    sb1, cb1 = _reduced_scalar(lat1)
    sb2, cb2 = _reduced_scalar(lat2)
    dlon = math.radians(lon2 - lon1)
    cdl = math.cos(dlon)
    sin_sigma = math.hypot(cb2 * math.sin(dlon), cb1 * sb2 - sb1 * cb2 * cdl)
    cos_sigma = sb1 * sb2 + cb1 * cb2 * cdl
    sigma = math.atan2(sin_sigma, cos_sigma)
    half_sin2 = math.sin(sigma / 2) ** 2
    half_cos2 = math.cos(sigma / 2) ** 2
    x = (sigma - sin_sigma) * ((sb1 + sb2) / 2) ** 2 / half_cos2 if half_cos2 > 1e-15 else 0.0
    y = (sigma + sin_sigma) * ((sb2 - sb1) / 2) ** 2 / half_sin2 if half_sin2 > 1e-30 else 0.0
    return max(EARTH.a_km * (sigma - EARTH.f / 2 * (x + y)), 0.0)


def _reduced_scalar(lat: float) -> tuple[float, float]:
    phi = math.radians(lat)
    s, c = (1 - EARTH.f) * math.sin(phi), math.cos(phi)
    norm = math.hypot(s, c)
    return s / norm, c / norm


# --- validation --------------------------------------------------------------------------------


def _check_range(name: str, value: float, bound: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidQuery(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise InvalidQuery(f"{name} must be a finite number, got {value}")
    if not -bound <= value <= bound:
        raise InvalidQuery(f"{name} must be between {-bound} and {bound}, got {float(value)}")


def validate_point(lat: float, lon: float) -> None:
    """Raise :class:`InvalidQuery` unless -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180 (finite)."""
    _check_range("lat", lat, 90)
    _check_range("lon", lon, 180)


def validate_radius(radius_km: float) -> None:
    """Raise :class:`InvalidQuery` unless the radius is a finite, non-negative number."""
    if not isinstance(radius_km, int | float) or isinstance(radius_km, bool):
        raise InvalidQuery(f"radius must be a number, got {radius_km!r}")
    if not math.isfinite(radius_km) or radius_km < 0:
        raise InvalidQuery(f"radius must be a finite number >= 0, got {radius_km}")


# --- bounding boxes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Box:
    """A latitude/longitude rectangle in degrees, edges included; never crosses the antimeridian."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


def bounding_box(lat: float, lon: float, radius_km: float) -> list[Box]:
    """Boxes that together contain every point within ``radius_km`` of (lat, lon).

    Conservative by construction, not by tuning: along any path, ds ≥ M(φ)·|dφ| ≥ a(1-e²)·|dφ|,
    which bounds the latitude span; within that band ds ≥ N(φ)cos φ·|dλ| with the parallel radius
    taken at the band's most poleward latitude, which bounds the longitude span. A box crossing the
    antimeridian is split in two; a band reaching a pole takes every longitude.
    """
    validate_point(lat, lon)
    validate_radius(radius_km)
    dlat = math.degrees(radius_km / EARTH.min_meridian_radius_km)
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    if min_lat <= -90.0 or max_lat >= 90.0:
        return [Box(min_lat, max_lat, -180.0, 180.0)]
    parallel = EARTH.parallel_radius_km(max(abs(min_lat), abs(max_lat)))
    dlon_rad = radius_km / parallel
    if dlon_rad >= math.pi:
        return [Box(min_lat, max_lat, -180.0, 180.0)]
    dlon = math.degrees(dlon_rad)
    west, east = lon - dlon, lon + dlon
    if west <= -180.0:
        return [Box(min_lat, max_lat, west + 360.0, 180.0), Box(min_lat, max_lat, -180.0, east)]
    if east >= 180.0:
        return [Box(min_lat, max_lat, west, 180.0), Box(min_lat, max_lat, -180.0, east - 360.0)]
    return [Box(min_lat, max_lat, west, east)]


def in_boxes(boxes: list[Box], lat: float, lon: float) -> bool:
    """Whether (lat, lon) lies in any of ``boxes``."""
    return any(b.contains(lat, lon) for b in boxes)
