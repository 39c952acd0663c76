"""Browse pages, the rules both engines share: state names, the city-page radius, the city
page's query, its location and its "nothing here" message, and the order of the lists.

An engine counts (terms aggregations over the office fields) and measures a city's reach (how
far from the city's point its farthest therapist's nearest office lies); what a page shows is
decided here once.

A city page is the ordinary therapist search around the city's point, nearest first. Its
default radius is :data:`DEFAULT_CITY_RADIUS_KM`, widened when needed so that every therapist
with an office *in* the city is on it (a city is one point, and a sprawling city has offices
farther out than that), up to :data:`MAX_CITY_RADIUS_KM`: a listed city never leads to an empty
page. The search's own default radius (25 miles) is wider; both are named, with their
reasons, in :mod:`search_core.locating`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from search_core.documents import Location
from search_core.errors import NotFound
from search_core.geo import from_km, to_km
from search_core.locating import DEFAULT_CITY_RADIUS_MI, MAX_CITY_RADIUS_MI
from search_core.paging import Cursor
from search_core.queries import MAX_RESULT_WINDOW, GeoFilter, TherapistQuery
from search_core.results import PlaceCount, ResolvedLocation
from search_core.slugs import state_slug
from search_core.vocabulary import US_STATES

DEFAULT_CITY_RADIUS_KM = to_km(DEFAULT_CITY_RADIUS_MI, "mi")
MAX_CITY_RADIUS_KM = to_km(MAX_CITY_RADIUS_MI, "mi")
REACH_MARGIN_KM = 1e-6
"""Added to a city's reach so the farthest office is inside the radius, not on its edge."""
STATE_BY_SLUG: dict[str, str] = {state_slug(code): code for code in US_STATES}


def state_code(state: str) -> str:
    """``"OR"``, ``"or"`` or ``"oregon"`` → ``"OR"``; NotFound otherwise."""
    text = state.strip()
    if text.upper() in US_STATES:
        return text.upper()
    code = STATE_BY_SLUG.get(text.lower())
    if code is None:
        raise NotFound(
            f"unknown US state {state!r}: use a two-letter code like OR or a slug like oregon"
        )
    return code


def in_unit(km: float, unit: str) -> float:
    """``km`` in kilometres or (any other unit) miles."""
    return from_km(km, "km" if unit == "km" else "mi")


def city_radius_km(reach_km: float) -> float:
    """A city page's default radius: the default, widened to ``reach_km``, at most the cap."""
    return min(max(DEFAULT_CITY_RADIUS_KM, reach_km + REACH_MARGIN_KM), MAX_CITY_RADIUS_KM)


def check_city(city: Location, slug: str) -> None:
    if city.kind != "city":
        raise NotFound(f"{slug!r} is a {city.kind}, not a city")


def city_label(city: Location) -> str:
    return f"{city.name}, {city.state}"


def city_near(city: Location, radius_km: float) -> GeoFilter:
    return GeoFilter(
        lat=city.location.lat,
        lon=city.location.lon,
        radius_km=radius_km,
        label=city_label(city),
    )


def city_query(near: GeoFilter, offset: int, size: int) -> TherapistQuery:
    """The city page's search: no text, nearest first, no facets or highlights; a cursor past
    the result window."""
    return TherapistQuery(
        text=None,
        near=near,
        sort="distance",
        offset=offset,
        size=size,
        facets=False,
        highlight=False,
        cursor=Cursor(offset) if offset + size > MAX_RESULT_WINDOW else None,
    )


def empty_city(near: GeoFilter, unit: str) -> NotFound:
    """The error for a city page with nobody within its radius."""
    shown = f"{in_unit(near.radius_km, unit):.1f}".removesuffix(".0")
    return NotFound(f"no therapists in or near {near.label} (within {shown} {unit})")


def city_location(near: GeoFilter, unit: str) -> ResolvedLocation:
    """Where a city page searched, in the request's unit."""
    return ResolvedLocation(
        label=near.label,
        lat=near.lat,
        lon=near.lon,
        radius=round(in_unit(near.radius_km, unit), 3),
        unit=unit,
        from_text=False,
    )


def place_count(
    slug: str, name: str, state: str, count: int, record: Mapping[str, Any] | None
) -> PlaceCount:
    """One list entry, with the point of its location record (none without a record)."""
    point = (record or {}).get("location") or {}
    return PlaceCount(
        slug=slug,
        name=name,
        state=state,
        therapists=count,
        lat=point.get("lat"),
        lon=point.get("lon"),
    )


def state_list(
    counts: Mapping[str, int], records: Mapping[str, Mapping[str, Any]]
) -> list[PlaceCount]:
    """States with at least one therapist's office, by name; ``records`` by state code."""
    places = [
        place_count(state_slug(code), US_STATES[code], code, n, records.get(code))
        for code, n in counts.items()
        if code in US_STATES and n > 0
    ]
    return sorted(places, key=lambda p: p.name)


def city_list(
    code: str, counts: Mapping[str, int], records: Mapping[str, Mapping[str, Any]]
) -> list[PlaceCount]:
    """Cities of state ``code`` with a location record, most therapists first; ``records`` by
    slug (a city without one is left out: its page could not be shown)."""
    places = [
        place_count(slug, str(records[slug]["name"]), code, n, records[slug])
        for slug, n in counts.items()
        if slug in records
    ]
    return sorted(places, key=lambda p: (-p.therapists, p.name, p.slug))


def missing_records(counts: Iterable[str], records: Mapping[str, Any]) -> list[str]:
    return sorted(set(counts) - set(records))
