"""Each hit's distance to its nearest office, measured exactly only where an answer depends on it.

A location search needs, for every therapist found in the area, whether an office lies within
the radius; and for the first page only, the distance itself (the distance sort, or the decay of
the relevance blend). The exact formula (Andoyer-Lambert, :func:`~search_core.geo.distances_km`)
costs about twenty array passes with trigonometry; at a million therapists a big metro area has
80,000 to 120,000 offices in its box. :class:`NearestKm` first bounds every distance from below
and above with a few multiplications (:class:`KmBounds`), then measures exactly:

- for the radius, only the offices whose bounds straddle it (about 1% of the circle: the bounds
  are within 1% of each other inside a circle's bounding box);
- for the ranking, only the therapists that can still reach the page (:mod:`.ranking`).

Every distance shown, compared with the radius or ranked on is still the exact formula's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from search_core.geo import EARTH, Box, distances_km

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SLACK = 1e-3
"""Relative widening of both bounds: covers the formula's own difference from the geodesic
(Andoyer-Lambert is within 0.0002% at these distances) and a geodesic bulging poleward out of
the box's latitude band (under 0.01° for two points of one circle's box), with room to spare."""

MEASURE_ALL_BELOW = 2048
"""Offices in the box up to which every distance is measured at once (the bounds save nothing
there: numpy's cost per call is most of the cost)."""


def _meridian_km(lat: float) -> float:
    """Meridional radius of curvature M(φ) = a(1-e²)/(1-e² sin²φ)^(3/2)."""
    s = math.sin(math.radians(lat))
    radius: float = EARTH.a_km * (1 - EARTH.e2) / (1 - EARTH.e2 * s * s) ** 1.5
    return radius


@dataclass(frozen=True)
class KmBounds:
    """Lower and upper bounds on the distance from (lat, lon) to any point of a circle's
    bounding boxes (:func:`~search_core.geo.bounding_box`: one latitude band).

    On the ellipsoid ds² = M(φ)²dφ² + P(φ)²dλ², M the meridional radius (growing poleward) and P
    the parallel's radius (shrinking poleward). Over the band, M and P lie between their values
    at its two extreme latitudes, so the straight path in (φ, λ) is at most
    √((M_max Δφ)² + (P_max Δλ)²) long (an upper bound on the geodesic), and any path within the
    band is at least √((M_min Δφ)² + (P_min Δλ)²) long (a lower bound). Both are widened by
    :data:`SLACK`."""

    lat: float
    lon: float
    m_min: float
    m_max: float
    p_min: float
    p_max: float

    @classmethod
    def of(cls, lat: float, lon: float, boxes: Sequence[Box]) -> KmBounds:
        lo_lat = min(min(b.min_lat for b in boxes), lat)
        hi_lat = max(max(b.max_lat for b in boxes), lat)
        poleward = max(abs(lo_lat), abs(hi_lat))
        equatorward = 0.0 if lo_lat <= 0.0 <= hi_lat else min(abs(lo_lat), abs(hi_lat))
        return cls(
            lat,
            lon,
            _meridian_km(equatorward),
            _meridian_km(poleward),
            EARTH.parallel_radius_km(poleward),
            EARTH.parallel_radius_km(equatorward),
        )

    def of_points(self, lats: FloatArray, lons: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Squared bounds (lower², upper²) on the distance to each point (of the boxes), in
        plain multiplications (no trigonometry, no square root: minima and comparisons keep
        the order of squares)."""
        dphi = lats - self.lat
        dlam = np.abs(lons - self.lon)
        dlam = np.minimum(dlam, 360.0 - dlam)  # the shorter way round
        dphi *= dphi
        dlam *= dlam
        per_degree = math.radians(1.0)
        low, high = per_degree * (1.0 - SLACK), per_degree * (1.0 + SLACK)
        lo2 = dphi * (self.m_min * low) ** 2
        lo2 += dlam * (self.p_min * low) ** 2
        hi2 = dphi * (self.m_max * high) ** 2
        hi2 += dlam * (self.p_max * high) ** 2
        return lo2, hi2


class NearestKm:
    """The distance from the centre to each of ``n`` hits' nearest office, known within
    bounds (``lo`` ≤ km ≤ ``hi``, ``inf`` for a hit with no office in the circle's box) and
    measured exactly on demand (:meth:`exact`), once per hit.

    Built from the offices in the box: ``owner`` (the hit of each office), their coordinates.
    Offices are kept grouped by hit (``order``, ``starts``) so that one hit's offices can be
    measured alone."""

    def __init__(
        self,
        lat: float,
        lon: float,
        boxes: Sequence[Box],
        n: int,
        owner: IntArray,
        lats: FloatArray,
        lons: FloatArray,
        grouped: bool = False,
    ) -> None:
        """``grouped``: the offices already come in order of ``owner``."""
        self.lat, self.lon = lat, lon
        counts = np.bincount(owner, minlength=n)
        several = len(owner) > 0 and int(counts.max()) > 1
        if several and not grouped:  # some hit has several offices in the box
            order = np.argsort(owner, kind="stable")
            owner, lats, lons = owner[order], lats[order], lons[order]
        if len(lats) <= MEASURE_ALL_BELOW:  # a small area: measuring is cheaper than bounds
            point_lo = point_hi = distances_km(lat, lon, lats, lons) ** 2
        else:
            point_lo, point_hi = KmBounds.of(lat, lon, boxes).of_points(lats, lons)
        self.lo = np.full(n, np.inf)
        self.hi = np.full(n, np.inf)
        self.km = np.full(n, np.nan)  # NaN: not measured yet
        if several:
            starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
            first = owner[starts]
            self.lo[first] = np.sqrt(np.minimum.reduceat(point_lo, starts))
            self.hi[first] = np.sqrt(np.minimum.reduceat(point_hi, starts))
            ends = np.cumsum(counts)
            self._begin, self._end = ends - counts, ends  # each hit's offices, grouped
            self._lats, self._lons = lats, lons
        else:  # at most one office a hit: kept at the hit's own position
            self.lo[owner] = np.sqrt(point_lo)
            self.hi[owner] = np.sqrt(point_hi)
            self._lats, self._lons = np.full(n, np.nan), np.full(n, np.nan)
            self._lats[owner], self._lons[owner] = lats, lons
            self._begin = np.arange(n)
            self._end = self._begin + counts
        self.km[counts == 0] = np.inf  # no office in the box: beyond the radius
        self.measured = len(lats) <= MEASURE_ALL_BELOW
        """Whether every distance is measured already (a small area)."""
        if self.measured:  # (√(d²) is d again, exactly)
            self.km = self.lo.copy()
        self._at = np.arange(n)  # the hits of this view, as positions of the whole

    def __len__(self) -> int:
        return len(self._at)

    def __getitem__(self, which: IntArray) -> NearestKm:
        """The view of some hits (positions of this view), sharing what was measured."""
        out = object.__new__(NearestKm)
        out.__dict__.update(self.__dict__)
        out._at = self._at[which]
        out.lo, out.hi = self.lo, self.hi
        return out

    @property
    def lower(self) -> FloatArray:
        return self.lo[self._at]

    @property
    def upper(self) -> FloatArray:
        return self.hi[self._at]

    def exact(self, which: IntArray | None = None) -> FloatArray:
        """The exact distances of the hits at ``which`` (positions of this view; all of them
        when ``None``), measuring those not yet measured."""
        at = self._at if which is None else self._at[which]
        todo = at[np.isnan(self.km[at])]
        if len(todo):
            todo = np.unique(todo)
            begin, end = self._begin[todo], self._end[todo]
            lengths = end - begin
            first = begin - (np.cumsum(lengths) - lengths)
            points = np.repeat(first, lengths) + np.arange(int(lengths.sum()))
            km = distances_km(self.lat, self.lon, self._lats[points], self._lons[points])
            starts = np.cumsum(lengths) - lengths
            self.km[todo] = np.minimum.reduceat(km, starts)
        out: FloatArray = self.km[at]
        return out

    def within(self, radius_km: float) -> npt.NDArray[np.bool_]:
        """Which hits of this view have an office within ``radius_km``: by the bounds where
        they settle it, else measured."""
        if self.measured:
            known: npt.NDArray[np.bool_] = self.km[self._at] <= radius_km
            return known
        lo, hi = self.lower, self.upper
        inside = hi <= radius_km
        open_ = np.flatnonzero((lo <= radius_km) & ~inside)
        if len(open_):
            inside[open_] = self.exact(open_) <= radius_km
        return inside
