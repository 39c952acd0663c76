"""Browse locations: states with counts → a state's cities with counts → a city page with its
therapists. Every list comes from the API's browse routes, which only hold places that have
therapists, so no page is empty."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from search_api.pages import links
from search_api.pages.api import Api, ApiError, api_for, vocabulary_labels
from search_api.pages.errors import PageRoute
from search_api.pages.render import page

router = APIRouter(include_in_schema=False, route_class=PageRoute)

PAGE_SIZE = 10


@router.get("/states", response_class=HTMLResponse, name="page_states")
async def states(request: Request, api: Api = Depends(api_for)) -> HTMLResponse:
    found = await api.get("/browse/states")
    context = {"states": found["items"], "canonical": links.canonical(request, "page_states")}
    return page(request, "states.html", context, api)


def _state_of(states: list[dict[str, Any]], key: str) -> dict[str, Any]:
    for s in states:
        if key.lower() in (s["slug"], s["state"].lower()):
            return s
    raise ApiError(404, "not_found", f"no state {key!r} has therapists", [])


@router.get("/states/{state}", response_class=HTMLResponse, name="page_cities")
async def cities(
    request: Request,
    state: str,
    api: Api = Depends(api_for),
) -> HTMLResponse:
    all_states = await api.get("/browse/states")
    found = _state_of(all_states["items"], state)
    listed = await api.get(f"/browse/states/{found['state']}/cities")
    context = {
        "state": found,
        "cities": listed["items"],
        "canonical": links.canonical(request, "page_cities", state=found["slug"]),
    }
    return page(request, "cities.html", context, api)


@router.get("/cities/{slug}", response_class=HTMLResponse, name="page_city")
async def city(
    request: Request,
    slug: str,
    api: Api = Depends(api_for),
) -> HTMLResponse:
    current = links.page_of(request.query_params)
    found, labels = await asyncio.gather(
        api.get_one(
            "/browse/cities/{city_slug}", {"city_slug": slug}, {"page": current, "size": PAGE_SIZE}
        ),
        vocabulary_labels(request, api),
    )
    place, results = found["city"], found["results"]
    last = links.last_page(results["total"], PAGE_SIZE)
    canonical = links.canonical(request, "page_city", slug=place["slug"])
    location = results.get("location") or {}
    context = {
        "city": place,
        "results": results,
        "labels": labels,
        "items": links.given(request.query_params),
        "current": current,
        "last": last,
        "pages": links.page_numbers(current, last),
        "canonical": canonical + (f"?page={current}" if current > 1 else ""),
        "profile_query": _profile_query(location, f"{place['name']}, {place['state']}"),
    }
    return page(request, "city.html", context, api)


def _profile_query(location: dict[str, Any], label: str) -> str:
    if not location:
        return ""
    return links.with_changes(
        "", [], lat=str(location["lat"]), lon=str(location["lon"]), unit="mi", place=label
    )
