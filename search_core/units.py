"""The units a request gives a radius in, miles or kilometres, and the conversions between them.

Everything inside the search is in km (:class:`~search_core.queries.GeoFilter`); a request's
``radius`` and ``unit`` are turned into km when it is checked (:mod:`search_core.locating`),
and distances are shown back in the request's unit.
"""

from __future__ import annotations

from typing import Literal

from search_core.errors import InvalidQuery

Unit = Literal["mi", "km"]

KM_PER_MILE = 1.609344
"""International mile."""


def _factor(unit: str) -> float:
    if unit == "km":
        return 1.0
    if unit == "mi":
        return KM_PER_MILE
    raise InvalidQuery(f"unit must be 'mi' or 'km', got {unit!r}")


def to_km(value: float, unit: Unit) -> float:
    """``to_km(10, "mi")`` → 16.09344."""
    return value * _factor(unit)


def from_km(km: float, unit: Unit) -> float:
    """``from_km(16.09344, "mi")`` → 10.0."""
    return km / _factor(unit)
