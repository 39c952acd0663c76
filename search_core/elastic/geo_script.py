"""Distance to the nearest office on the WGS-84 ellipsoid, as a Painless script.

Elasticsearch's own ``geo_distance`` query and ``_geo_distance`` sort measure on a sphere
(haversine, mean radius): against the geodesic that is up to 0.5% off, and the error depends on
the direction (at 45°N an east-west distance comes out 0.28% short, a north-south one 0.06%
long). In a 10-mile search that moves the radius edge by tens of metres and swaps the order of
therapists whose distances differ by less than 0.3%, while the distance shown next to each hit
(computed like the embedded engine, :func:`search_core.geo.distances_km`) would not be sorted.

So the exact work is done by this script, which is :func:`search_core.geo.distances_km`
(Andoyer-Lambert) line by line: the radius check (a ``script`` query next to a ``geo_distance``
query whose radius is widened by :data:`SPHERE_MARGIN`, so the cheap BKD-tree filter runs first
and the script only sees candidates) and the distance sort (a ``_script`` sort). The relevance
blend keeps the native ``gauss`` decay on ``offices.location``: that only shapes scores, which
differ between engines anyway.

The script reads every point of ``offices.location`` of the document it runs on and returns the
smallest distance (km): on the parent document (``include_in_parent`` gives it every office's
point) that is the nearest office; inside the ``nested`` query, the one office.
"""

from __future__ import annotations

import math
from typing import Any

from search_core.geo import EARTH

GEO_FIELD = "offices.location"
SPHERE_MARGIN = 1.01
"""The haversine distance is within 0.6% of the ellipsoidal one anywhere on Earth (the sphere's
radius lies between the smallest and the largest radius of curvature of the ellipsoid), so a
``geo_distance`` radius 1% wider holds every office the exact check keeps."""
SPHERE_MARGIN_KM = 0.01
"""Plus 10 m, for the rounding of indexed points (about 1 cm) and tiny radii."""

_DISTANCE = """
double best = Double.POSITIVE_INFINITY;
if (doc.containsKey(params.field)) {
  def points = doc[params.field];
  double sb1 = params.sb1;
  double cb1 = params.cb1;
  double lon1 = params.lon;
  double k = 1.0 - params.f;
  for (int i = 0; i < points.size(); ++i) {
    def p = points.get(i);
    double phi = Math.toRadians(p.lat);
    double s = k * Math.sin(phi);
    double c = Math.cos(phi);
    double norm = Math.hypot(s, c);
    double sb2 = s / norm;
    double cb2 = c / norm;
    double dlon = Math.toRadians(p.lon - lon1);
    double cdl = Math.cos(dlon);
    double sinSigma = Math.hypot(cb2 * Math.sin(dlon), cb1 * sb2 - sb1 * cb2 * cdl);
    double cosSigma = sb1 * sb2 + cb1 * cb2 * cdl;
    double sigma = Math.atan2(sinSigma, cosSigma);
    double hs = Math.sin(sigma / 2);
    double hc = Math.cos(sigma / 2);
    double halfSin2 = hs * hs;
    double halfCos2 = hc * hc;
    double mean = (sb1 + sb2) / 2;
    double diff = (sb2 - sb1) / 2;
    double x = halfCos2 > 1e-15 ? (sigma - sinSigma) * mean * mean / halfCos2 : 0.0;
    double y = halfSin2 > 1e-30 ? (sigma + sinSigma) * diff * diff / halfSin2 : 0.0;
    double d = Math.max(params.a * (sigma - params.f / 2 * (x + y)), 0.0);
    if (d < best) {
      best = d;
    }
  }
}
""".strip()

DISTANCE_SCRIPT = _DISTANCE + "\nreturn best;"
"""A number: km from the origin to the nearest point (``Infinity`` without one)."""
WITHIN_SCRIPT = _DISTANCE + "\nreturn best <= params.radius_km;"
"""A boolean: some point lies within ``radius_km`` of the origin."""


def script_params(lat: float, lon: float, radius_km: float | None = None) -> dict[str, Any]:
    """The script's parameters for an origin: its reduced latitude is computed here once."""
    phi = math.radians(lat)
    s, c = (1 - EARTH.f) * math.sin(phi), math.cos(phi)
    norm = math.hypot(s, c)
    params: dict[str, Any] = {
        "field": GEO_FIELD,
        "lat": lat,
        "lon": lon,
        "sb1": s / norm,
        "cb1": c / norm,
        "a": EARTH.a_km,
        "f": EARTH.f,
    }
    if radius_km is not None:
        params["radius_km"] = radius_km
    return params


def reference_distance_km(params: dict[str, Any], lat: float, lon: float) -> float:
    """The script's arithmetic in Python, statement for statement (tests compare it with
    :func:`search_core.geo.distance_km`; keep the two in step when editing either)."""
    sb1, cb1, lon1, f, a = params["sb1"], params["cb1"], params["lon"], params["f"], params["a"]
    k = 1.0 - f
    phi = math.radians(lat)
    s = k * math.sin(phi)
    c = math.cos(phi)
    norm = math.hypot(s, c)
    sb2, cb2 = s / norm, c / norm
    dlon = math.radians(lon - lon1)
    cdl = math.cos(dlon)
    sin_sigma = math.hypot(cb2 * math.sin(dlon), cb1 * sb2 - sb1 * cb2 * cdl)
    cos_sigma = sb1 * sb2 + cb1 * cb2 * cdl
    sigma = math.atan2(sin_sigma, cos_sigma)
    hs, hc = math.sin(sigma / 2), math.cos(sigma / 2)
    half_sin2, half_cos2 = hs * hs, hc * hc
    mean, diff = (sb1 + sb2) / 2, (sb2 - sb1) / 2
    x = (sigma - sin_sigma) * mean * mean / half_cos2 if half_cos2 > 1e-15 else 0.0
    y = (sigma + sin_sigma) * diff * diff / half_sin2 if half_sin2 > 1e-30 else 0.0
    return float(max(a * (sigma - f / 2 * (x + y)), 0.0))


def distance_sort(lat: float, lon: float, order: str = "asc") -> dict[str, Any]:
    """Sort clause: by the exact distance to the nearest office."""
    return {
        "_script": {
            "type": "number",
            "script": {"source": DISTANCE_SCRIPT, "params": script_params(lat, lon)},
            "order": order,
        }
    }


def within(lat: float, lon: float, radius_km: float) -> dict[str, Any]:
    """Filter: therapists with an office within ``radius_km`` (exact, ellipsoidal)."""
    widened = radius_km * SPHERE_MARGIN + SPHERE_MARGIN_KM
    return {
        "nested": {
            "path": "offices",
            "score_mode": "none",
            "query": {
                "bool": {
                    "filter": [
                        {
                            "geo_distance": {
                                "distance": f"{widened:.6f}km",
                                GEO_FIELD: {"lat": lat, "lon": lon},
                            }
                        },
                        {
                            "script": {
                                "script": {
                                    "source": WITHIN_SCRIPT,
                                    "params": script_params(lat, lon, radius_km),
                                }
                            }
                        },
                    ]
                }
            },
        }
    }
