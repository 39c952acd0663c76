"""Browse by location: states and cities with therapist counts, city pages, location records.

Every answer here changes only when an index does, so each is marked cacheable. One router
without a prefix serves both ``/browse/...`` and ``/locations/...`` (the app includes
``browse.router`` only).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field

from search_api.deps import Services, cacheable, services
from search_api.errors import ERROR_RESPONSES
from search_api.rendering import json_response, rendered
from search_core import browsing
from search_core.documents import Location
from search_core.locating import DEFAULT_CITY_RADIUS_MI, MAX_CITY_RADIUS_MI, city_page_radius_km
from search_core.paging import MAX_CURSOR_CHARS, resolve_page
from search_core.queries import MAX_PAGE_SIZE, MAX_RESULT_WINDOW
from search_core.results import PlaceCount, SearchPage, TherapistHit

router = APIRouter(tags=["browse"])


class PlaceList(BaseModel):
    items: list[PlaceCount] = Field(description="The places, by name.")
    total: int = Field(description="Number of items (every one has at least one therapist).")


class CityPage(BaseModel):
    city: Location = Field(description="The city.")
    results: SearchPage[TherapistHit] = Field(
        description="Therapists in and near the city, nearest first; `results.location.radius` "
        "is the radius used."
    )


StateParam = Annotated[
    str, Path(max_length=40, description='A state code ("OR") or slug ("oregon")')
]
Slug = Annotated[str, Path(min_length=1, max_length=120, description='e.g. "portland-or"')]


@router.get(
    "/browse/states",
    response_model=PlaceList,
    responses=ERROR_RESPONSES,
    summary="States with the number of therapists who have an office there, by name",
)
async def states(response: Response, svc: Services = Depends(services)) -> Response:
    items = await browsing.states(svc.backend)
    cacheable(response, svc)
    return _place_list(svc, "states", items, response)


@router.get(
    "/browse/states/{state}/cities",
    response_model=PlaceList,
    responses=ERROR_RESPONSES,
    summary="Cities of a state that have therapists, most therapists first",
)
async def cities(
    response: Response, state: StateParam, svc: Services = Depends(services)
) -> Response:
    items = await browsing.cities(svc.backend, state)
    cacheable(response, svc)
    return _place_list(svc, ("cities", items[0].state if items else state), items, response)


def _place_list(
    svc: Services, key: Hashable, items: Sequence[PlaceCount], response: Response
) -> Response:
    body = svc.rendered.get(key, items, lambda: PlaceList(items=list(items), total=len(items)))
    return json_response(body, headers_from=response)


@router.get(
    "/browse/cities/{city_slug}",
    response_model=CityPage,
    responses=ERROR_RESPONSES,
    summary="A city page: the city and the therapists in and near it, nearest first",
)
async def city(
    response: Response,
    city_slug: Slug,
    radius: Annotated[
        float | None,
        Query(
            gt=0,
            description=f"Radius around the city's centre, in `unit` (at most "
            f"{MAX_CITY_RADIUS_MI:g} mi). By default {DEFAULT_CITY_RADIUS_MI:g} mi, "
            "widened when needed so that every therapist with an office in the city is listed.",
        ),
    ] = None,
    unit: Literal["mi", "km"] = "mi",
    page: Annotated[int, Query(ge=1, description="1-based page number")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
    cursor: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR_CHARS, description="next_cursor of the previous page"),
    ] = None,
    svc: Services = Depends(services),
) -> Response:
    radius_km = city_page_radius_km(radius, unit)
    offset, _ = resolve_page(page, size, cursor, MAX_RESULT_WINDOW)
    found, results = await browsing.city_page(svc.backend, city_slug, radius_km, unit, offset, size)
    cacheable(response, svc)
    return rendered(CityPage(city=found, results=results), headers_from=response)


@router.get(
    "/locations/{slug}",
    response_model=Location,
    responses=ERROR_RESPONSES,
    tags=["locations"],
    summary='A state, city or ZIP code by slug ("oregon", "portland-or", "97214")',
)
async def location(response: Response, slug: Slug, svc: Services = Depends(services)) -> Location:
    found = await svc.backend.get_location(slug)
    cacheable(response, svc)
    return found
