"""Browse pages, written once above the engine: the states and a state's cities with their
therapist counts, and city pages (:func:`states`, :func:`cities`, :func:`city_page`).

An engine counts (:meth:`~search_core.backend.SearchBackend.place_counts`), reads location
records and measures a city's reach (how far from the city's point its farthest therapist's
nearest office lies); what a page shows is decided here. On an engine whose version follows
every edit (:attr:`~search_core.backend.SearchBackend.versions_see_edits`), lists and city pages
are remembered per version of the therapists and locations indexes (:mod:`.remembering`): they
are asked for far more often than the indexes change, and a list handed out again is the same
object, so the API sends the JSON it rendered for it before.

A city page is the ordinary therapist search around the city's point, nearest first. Its
default radius is :data:`DEFAULT_CITY_RADIUS_KM`, widened when needed so that every therapist
with an office *in* the city is on it (a city is one point, and a sprawling city has offices
farther out than that), up to :data:`MAX_CITY_RADIUS_KM`: a listed city never leads to an empty
page. The search's own default radius (25 miles) is wider; both are named, with their
reasons, in :mod:`search_core.locating`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from search_core.backend import SearchBackend
from search_core.documents import Location
from search_core.errors import NotFound
from search_core.locating import DEFAULT_CITY_RADIUS_MI, MAX_CITY_RADIUS_MI
from search_core.paging import Cursor
from search_core.queries import MAX_RESULT_WINDOW, GeoFilter, TherapistQuery
from search_core.remembering import Remembered
from search_core.remembering import remembered as remembered_for
from search_core.results import PlaceCount, ResolvedLocation, SearchPage, TherapistHit
from search_core.slugs import state_slug
from search_core.units import from_km, to_km
from search_core.vocabulary import US_STATES

DEFAULT_CITY_RADIUS_KM = to_km(DEFAULT_CITY_RADIUS_MI, "mi")
MAX_CITY_RADIUS_KM = to_km(MAX_CITY_RADIUS_MI, "mi")
REACH_MARGIN_KM = 1e-6
"""Added to a city's reach so the farthest office is inside the radius, not on its edge."""
STATE_BY_SLUG: dict[str, str] = {state_slug(code): code for code in US_STATES}
MAX_PAGES = 256
"""City pages remembered per version of the indexes (then the memo starts again)."""

CityPage = tuple[Location, SearchPage[TherapistHit]]
log = logging.getLogger(__name__)


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


# ---------------------------------------------------------------------------- the use cases


BROWSE_INDEXES = ("therapists", "locations")
"""The indexes browse answers come from: they are remembered per version of these."""


def remembered(backend: SearchBackend) -> Remembered:
    """The browse memo of this engine (one per backend object, gone with it)."""
    return remembered_for(backend, BROWSE_INDEXES, MAX_PAGES)


async def states(backend: SearchBackend) -> Sequence[PlaceCount]:
    """States with therapists, by name (the same object while the indexes are unchanged, on
    an engine that remembers)."""

    async def make() -> tuple[PlaceCount, ...]:
        counts = await backend.place_counts("state")
        records = {str(d["state"]): d for d in await backend.location_records("state")}
        return tuple(state_list(counts, records))

    return await remembered(backend).get(backend, ("states",), make)


async def cities(backend: SearchBackend, state: str) -> Sequence[PlaceCount]:
    """A state's cities with therapists, most first (the same object while unchanged, as
    :func:`states`). NotFound for a state without any."""
    code = state_code(state)

    async def make() -> tuple[PlaceCount, ...]:
        counts = await backend.place_counts("city", state=code)
        if not counts:
            return ()
        records = {
            str(d["slug"]): d for d in await backend.location_records("city", sorted(counts))
        }
        missing = missing_records(counts, records)
        if missing:  # no location record: its page could not be shown, so it is not listed
            log.warning("cities with therapists but no location record: %s", missing[:20])
        return tuple(city_list(code, counts, records))

    found = await remembered(backend).get(backend, ("cities", code), make)
    if not found:
        raise NotFound(f"no therapists have an office in {US_STATES[code]}")
    return found


async def city_page(
    backend: SearchBackend,
    city_slug: str,
    radius_km: float | None = None,
    unit: str = "mi",
    offset: int = 0,
    size: int = 10,
) -> CityPage:
    """The city and the therapists around it, nearest first. ``radius_km=None`` is the
    default radius, widened to reach every therapist with an office in the city."""
    started = time.perf_counter()

    async def make() -> CityPage:
        city = await backend.get_location(city_slug)
        check_city(city, city_slug)
        if radius_km is not None:
            radius = radius_km
        else:
            reach = await backend.reach_km(city.slug, city.location.lat, city.location.lon)
            radius = city_radius_km(reach)
        near = city_near(city, radius)
        page = await backend.search_therapists(city_query(near, offset, size), unit)
        if page.total == 0:
            raise empty_city(near, unit)
        return city, page.model_copy(update={"location": city_location(near, unit)})

    key = ("city", city_slug, radius_km, unit, offset, size)
    city, page = await remembered(backend).get(backend, key, make, capped=True)
    # The models are frozen; the page's lists are copied for the caller.
    took_ms = round((time.perf_counter() - started) * 1000, 2)
    return city, page.model_copy(
        update={"items": list(page.items), "warnings": list(page.warnings), "took_ms": took_ms}
    )
