"""Location records (or their JSON dicts, as the locations index returns them) read into
:class:`~search_core.geocode.place.Place` values, and states without a record of their own
derived from their cities."""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from search_core.documents import Location
from search_core.geocode.place import Place
from search_core.slugs import state_slug
from search_core.vocabulary import US_STATES


def derive_states(codes: set[str], cities: list[Place], zips: list[Place]) -> dict[str, Place]:
    """States without their own record, centred on their cities (population-weighted when
    populations are known), else on their ZIP codes. States with neither are left out."""
    grouped: dict[str, list[Place]] = defaultdict(list)
    for p in (*cities, *zips):
        if p.state in codes:
            grouped[p.state].append(p)
    return {code: _centred_state(code, grouped[code]) for code in codes if grouped[code]}


def _centred_state(code: str, places: list[Place]) -> Place:
    cities = [p for p in places if p.kind == "city"]
    weighted = [c for c in cities if c.population]
    points = weighted or cities or places
    weights = [float(p.population or 0) if weighted else 1.0 for p in points]
    total = sum(weights)
    name = US_STATES[code]
    return Place(
        kind="state",
        name=name,
        slug=state_slug(code),
        state=code,
        label=name,
        lat=sum(p.lat * w for p, w in zip(points, weights, strict=True)) / total,
        lon=sum(p.lon * w for p, w in zip(points, weights, strict=True)) / total,
    )


class LocationRow(NamedTuple):
    """The fields of a Location the geocoder reads."""

    kind: str
    name: str
    slug: str
    state: str
    lat: float
    lon: float
    population: int | None
    parent: str | None
    zip: str | None
    city: str | None


def location_row(loc: Location | Mapping[str, Any]) -> LocationRow:
    if isinstance(loc, Location):
        return LocationRow(
            loc.kind, loc.name, loc.slug, loc.state, loc.location.lat, loc.location.lon,
            loc.population, loc.parent, loc.zip, loc.city,
        )  # fmt: skip
    try:
        row = LocationRow(
            str(loc["kind"]), str(loc["name"]), str(loc["slug"]), str(loc["state"]),
            float(loc["location"]["lat"]), float(loc["location"]["lon"]),
            loc.get("population"), loc.get("parent"), loc.get("zip"), loc.get("city"),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a location record ({exc!r}): {dict(loc)!r:.200}") from exc
    if row.kind not in ("state", "city", "zip") or row.state not in US_STATES:
        raise ValueError(f"not a location record (kind or state): {dict(loc)!r:.200}")
    return row


def state_place(row: LocationRow) -> Place:
    return Place(
        kind="state",
        name=row.name,
        slug=row.slug,
        state=row.state,
        label=row.name,
        lat=row.lat,
        lon=row.lon,
        population=row.population,
    )


def city_place(row: LocationRow) -> Place:
    return Place(
        kind="city",
        name=row.name,
        slug=row.slug,
        state=row.state,
        label=f"{row.name}, {row.state}",
        lat=row.lat,
        lon=row.lon,
        population=row.population,
    )


def zip_place(row: LocationRow, city_names: Mapping[str, str]) -> Place:
    code = row.zip or row.name
    city = row.city or city_names.get(row.parent or "")
    return Place(
        kind="zip",
        name=code,
        slug=row.slug,
        state=row.state,
        label=f"{code} ({city}, {row.state})" if city else f"{code} ({row.state})",
        lat=row.lat,
        lon=row.lon,
        population=row.population,
    )


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)
