"""The Painless distance script is the embedded engine's WGS-84 formula, line for line.

No cluster runs here, so the script's arithmetic is mirrored by
:func:`geo_script.reference_distance_km` (statement for statement) and that mirror is checked
against :func:`search_core.geo.distance_km`; the live suite runs the script itself.
"""

from __future__ import annotations

import random
import re

import pytest

from search_core.elastic import geo_script
from search_core.geo import distance_km


@pytest.mark.parametrize("seed", range(5))
def test_reference_equals_the_embedded_distance(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2_000):
        lat1, lon1 = rng.uniform(-80, 80), rng.uniform(-180, 180)
        lat2, lon2 = lat1 + rng.uniform(-3, 3), lon1 + rng.uniform(-3, 3)
        params = geo_script.script_params(lat1, lon1)
        got = geo_script.reference_distance_km(params, lat2, lon2)
        assert got == pytest.approx(distance_km(lat1, lon1, lat2, lon2), rel=1e-12, abs=1e-9)


def test_same_point_is_zero_and_far_points_are_finite() -> None:
    params = geo_script.script_params(45.5, -122.6)
    assert geo_script.reference_distance_km(params, 45.5, -122.6) == 0.0
    assert 19_000 < geo_script.reference_distance_km(params, -45.5, 57.4) < 20_100


def test_script_has_every_step_of_the_reference() -> None:
    """Each intermediate of the mirror appears in the script, as an assignment."""
    steps = [
        "phi",
        "s",
        "c",
        "norm",
        "sb2",
        "cb2",
        "dlon",
        "cdl",
        "sinSigma",
        "cosSigma",
        "sigma",
        "hs",
        "hc",
        "halfSin2",
        "halfCos2",
        "mean",
        "diff",
        "x",
        "y",
        "d",
    ]
    for name in steps:
        assert re.search(rf"double {name} = ", geo_script.DISTANCE_SCRIPT), name
    assert geo_script.DISTANCE_SCRIPT.endswith("return best;")
    assert geo_script.WITHIN_SCRIPT.endswith("return best <= params.radius_km;")
    assert geo_script.DISTANCE_SCRIPT.count("{") == geo_script.DISTANCE_SCRIPT.count("}")


def test_params_carry_the_ellipsoid_and_the_reduced_origin() -> None:
    params = geo_script.script_params(45.0, -122.0, radius_km=10.0)
    assert params["field"] == "offices.location"
    assert params["a"] == pytest.approx(6378.137)
    assert params["f"] == pytest.approx(1 / 298.257223563)
    assert params["sb1"] ** 2 + params["cb1"] ** 2 == pytest.approx(1.0)
    assert params["radius_km"] == 10.0
    assert "radius_km" not in geo_script.script_params(45.0, -122.0)
