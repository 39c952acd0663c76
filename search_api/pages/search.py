"""Find a therapist: the home page with its results, the advanced search form and the
therapist profile."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode, urljoin

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from search_api.pages import links, wording
from search_api.pages.api import Api, ApiError, api_for, state_names, vocabulary_labels
from search_api.pages.errors import PageRoute
from search_api.pages.render import page
from search_core.filters import entries as filter_entries

router = APIRouter(include_in_schema=False, route_class=PageRoute)

PAGE_SIZE = 10
POPULAR_ISSUES = 6
"""Issues offered as links when nothing matched."""
PLACE_FIELDS = ("near", "zip", "city", "lat", "lon", "radius", "unit")
"""Parameters whose error is shown beside the place field rather than above the results."""
FLAGS = {
    "telehealth": "Offers online sessions",
    "in_person": "Sees clients in person",
    "accepting_new_clients": "Accepting new clients",
    "sliding_scale": "Sliding-scale fees",
}
"""The yes/no filters, shown as check boxes (true when ticked, either when not)."""
PROFILE_DETAILS = [(e.name, e.profile, e.many) for e in filter_entries() if e.profile]
"""The filters a profile lists under its details: (field, row title, several values)."""


def chips(understanding: dict[str, Any] | None, q: str, items: links.Items) -> list[Any]:
    """The understood pieces of the search text (issue 16), each with the link that searches
    again without its words."""
    out = []
    for piece in (understanding or {}).get("pieces") or []:
        if piece.get("kind") == "filler" and not piece.get("filter"):
            continue
        rest = links.without_words(q, str(piece.get("text", "")))
        out.append(
            {
                "label": piece.get("label") or piece.get("text"),
                "kind": str(piece.get("kind", "")).replace("_", " "),
                "corrected_from": piece.get("corrected_from"),
                "remove": links.with_changes("/", items, q=rest or None),
            }
        )
    return out


async def _search(api: Api, search: links.Items) -> tuple[Any, ApiError | None]:
    """The results, or the API's complaint about the request (an unknown place, a malformed
    budget): the page then keeps the form as filled and says what was wrong beside it."""
    try:
        return await api.get("/therapists/search", search), None
    except ApiError as exc:
        if 400 <= exc.status < 500:
            return None, exc
        raise


@router.get("/", response_class=HTMLResponse, name="page_home")
async def home(request: Request, api: Api = Depends(api_for)) -> HTMLResponse:
    """With no query string: the search form and browse links; with one: the same page with
    results, facets and paging (``GET /therapists/search``). A request the API refuses (an
    unknown place) keeps the form as filled, with the API's message beside the field."""
    items = links.given(request.query_params)
    search = [(k, v) for k, v in items if k != "size"] + [("size", str(PAGE_SIZE))]
    labels, states, (results, problem) = await asyncio.gather(
        vocabulary_labels(request, api),
        state_names(request, api),
        _search(api, search) if items else asyncio.sleep(0, (None, None)),
    )
    q = request.query_params.get("q", "")
    context: dict[str, Any] = {
        "items": items,
        "params": request.query_params,
        "labels": labels,
        "flags": FLAGS,
        "results": results,
        "problem": _problem(problem, items) if problem is not None else None,
    }
    if results is not None:
        current = links.page_of(request.query_params)
        last = links.last_page(results["total"], PAGE_SIZE)
        context.update(
            current=current,
            last=last,
            pages=links.page_numbers(current, last),
            chips=chips(results.get("understanding"), q, items),
            profile_query=_profile_query(results.get("location")),
            heading=wording.results_heading(results, q, states),
            alternatives=_elsewhere(results.get("location"), items),
            filters_chosen=sum(1 for k, _ in items if k in labels or k in FLAGS),
        )
        if results["total"] == 0:
            popular = await api.get("/therapists/search", {"size": 0})
            context["popular"] = popular["facets"].get("issues", [])[:POPULAR_ISSUES]
    status = problem.status if problem is not None else 200
    return page(request, "home.html", context, api, status=status)


def _place_link(items: links.Items, place: str) -> str:
    """The current search around ``place`` instead (typed in the place box)."""
    return links.with_changes("/", items, near=place, zip=None, city=None, lat=None, lon=None)


def _problem(exc: ApiError, items: links.Items) -> dict[str, Any]:
    """The API's error for the page: its message, whether it is about the place field, and
    the places it suggests as links."""
    place = any(f in PLACE_FIELDS for f in exc.fields)
    named = next((v for k, v in items if k in ("near", "zip", "city")), None)
    message = exc.message
    if place and exc.status == 404 and named:
        message = f"We could not find the place “{named}”."
        message += (
            " Did you mean one of these?" if exc.suggestions else " Try a ZIP code or City, ST."
        )
    return {
        "message": message,
        "place": place,
        "status": exc.status,
        "suggestions": [{"label": s, "href": _place_link(items, s)} for s in exc.suggestions],
    }


def _elsewhere(location: dict[str, Any] | None, items: links.Items) -> list[dict[str, str]]:
    """The other cities a bare city name could mean, as links to the same search there."""
    return [
        {"label": alt, "href": _place_link(items, alt)}
        for alt in (location or {}).get("alternatives") or []
    ]


def _profile_query(location: dict[str, Any] | None) -> str:
    """What a profile link carries so that the profile can show distances."""
    if not location:
        return ""
    keep = {"lat": location["lat"], "lon": location["lon"], "unit": location["unit"]}
    if location.get("label"):
        keep["place"] = location["label"]
    return "?" + urlencode(keep)


@router.get("/advanced", response_class=HTMLResponse, name="page_advanced")
async def advanced(request: Request, api: Api = Depends(api_for)) -> HTMLResponse:
    """Every filter as a form; it submits to the home page (the same results page)."""
    labels, states = await asyncio.gather(
        vocabulary_labels(request, api), api.get("/browse/states")
    )
    context = {
        "params": request.query_params,
        "labels": labels,
        "flags": FLAGS,
        "states": sorted(s["state"] for s in states["items"]),
    }
    return page(request, "advanced.html", context, api)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@router.get("/profile/{therapist_id}", response_class=HTMLResponse, name="page_profile")
async def profile(
    request: Request,
    therapist_id: str,
    api: Api = Depends(api_for),
) -> HTMLResponse:
    """A therapist (``GET /therapists/{id}``); with ``lat``/``lon`` (from the search that led
    here) each office shows its distance, nearest first."""
    therapist, labels = await asyncio.gather(
        api.get_one("/therapists/{therapist_id}", {"therapist_id": therapist_id}),
        vocabulary_labels(request, api),
    )
    lat, lon = _float(request.query_params.get("lat")), _float(request.query_params.get("lon"))
    unit = "km" if request.query_params.get("unit") == "km" else "mi"
    offices = [{"office": o, "distance": None} for o in therapist["offices"]]
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        for entry in offices:
            point = entry["office"]["location"]
            entry["distance"] = links.distance(lat, lon, point["lat"], point["lon"], unit)
        offices.sort(key=lambda e: e["distance"])
    canonical = links.canonical(request, "page_profile", therapist_id=therapist["id"])
    context = {
        "t": therapist,
        "labels": labels,
        "offices": offices,
        "unit": unit,
        "place": request.query_params.get("place"),
        "canonical": canonical,
        "ld": _person(therapist, labels, canonical),
        "details": PROFILE_DETAILS,
    }
    return page(request, "profile.html", context, api)


def _person(t: dict[str, Any], labels: dict[str, dict[str, str]], url: str) -> dict[str, Any]:
    """schema.org Person, working at one MedicalBusiness per office, for search engines: ``url``
    is this profile (the page about the person), ``sameAs`` their own website, ``image`` the
    photo or avatar as an absolute URL; contact properties only when listed."""
    reach: dict[str, Any] = {"image": urljoin(url, t["photo_url"])} if t.get("photo_url") else {}
    if t.get("phone"):
        reach["telephone"] = t["phone"]
    if t.get("email"):
        reach["email"] = t["email"]
    if t.get("website"):
        reach["sameAs"] = [t["website"]]
    return {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": t["name"],
        "url": url,
        "honorificSuffix": ", ".join(t["credentials"]),
        "jobTitle": labels.get("profession", {}).get(t["profession"], t["profession"]),
        "description": t["bio"],
        "knowsLanguage": [labels.get("languages", {}).get(x, x) for x in t["languages"]],
        **reach,
        "workLocation": [
            {
                "@type": "MedicalBusiness",
                "name": f"{t['name']}, {o['city']}",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": o["street"],
                    "addressLocality": o["city"],
                    "addressRegion": o["state"],
                    "postalCode": o["zip"],
                    "addressCountry": "US",
                },
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": o["location"]["lat"],
                    "longitude": o["location"]["lon"],
                },
            }
            for o in t["offices"]
        ],
    }
