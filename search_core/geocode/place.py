"""The place a geocoder resolves a text to: a ZIP code, a city, a state or a street address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PlaceKind = Literal["zip", "city", "state", "address"]


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place. ``state`` is the two-letter code; ``population`` None when unknown."""

    kind: PlaceKind
    name: str
    slug: str
    state: str
    label: str
    lat: float
    lon: float
    population: int | None = None
