"""Therapist search, "near me" and therapist details."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from pydantic import BaseModel, Field, JsonValue, ValidationError

from search_api.deps import Services, cacheable, services
from search_api.errors import ERROR_RESPONSES
from search_api.rendering import rendered
from search_core.documents import Therapist
from search_core.errors import InvalidQuery
from search_core.geo import KM_PER_MILE
from search_core.geocode import Place as GeoPlace
from search_core.paging import resolve_page
from search_core.queries import (
    DEFAULT_RADIUS_MI,
    MAX_FILTER_VALUES,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MAX_RADIUS_KM,
    MAX_RESULT_WINDOW,
    GeoFilter,
    TherapistFilters,
    TherapistQuery,
)
from search_core.relevance.querying import split_place
from search_core.relevance.request_tuning import resolve_request_tuning
from search_core.results import ResolvedLocation, SearchPage, TherapistHit
from search_core.text_query import place_candidates
from search_core.tuning import Tuning
from search_core.vocabulary import FILTER_VOCABULARIES, US_STATES

router = APIRouter(prefix="/therapists", tags=["therapists"])


def _values(what: str, example: str) -> Any:
    # The facet is the one vocabulary holding the example; its slugs go into the schema as an
    # enum, so that clients and the schema fuzzer know which values exist.
    (slugs,) = [v.slugs for v in FILTER_VOCABULARIES.values() if example in v]
    enum: list[JsonValue] = [*slugs]
    return Field(
        [],
        max_length=MAX_FILTER_VALUES,
        json_schema_extra={"items": {"type": "string", "enum": enum}},
        description=f"{what}: slugs from GET /vocabularies, e.g. `{example}`. Repeat the "
        f"parameter for several; a therapist matching any of them is kept. "
        f"At most {MAX_FILTER_VALUES}.",
    )


def _flag(what: str) -> Any:
    return Field(None, description=f"true: only {what}; false: only those not; omitted: either.")


# The query strings of /search and /near are read as pydantic models (FastAPI's query
# parameter models): one validation per request instead of one per parameter, which cost
# half a millisecond a search; each field is still documented as its own query parameter.


class _Text(BaseModel):
    q: str | None = Field(
        None, max_length=MAX_QUERY_CHARS, description="Words to search for, e.g. 'emdr trauma'"
    )


class _Filters(BaseModel):
    """Filter values are the slugs of GET /vocabularies; repeat a parameter for several values
    (any of them matches)."""

    issues: list[str] = _values("Issues treated", "anxiety")
    therapy_types: list[str] = _values("Therapy types", "emdr")
    age_groups: list[str] = _values("Age groups served", "teens")
    populations: list[str] = _values("Populations served", "lgbtq")
    languages: list[str] = _values("Languages spoken", "spanish")
    insurance: list[str] = _values("Insurance accepted", "aetna")
    gender: list[str] = _values("Therapist's gender", "female")
    profession: list[str] = _values("Profession", "psychologist")
    max_fee: int | None = Field(
        None,
        ge=0,
        le=2000,
        description="Budget per session (USD): the therapist's lowest fee is at most this.",
    )
    sliding_scale: bool | None = _flag("therapists offering a sliding scale")
    telehealth: bool | None = _flag("therapists offering online sessions")
    in_person: bool | None = _flag("therapists with an office")
    licensed_in: str | None = Field(
        None,
        pattern=r"^[A-Z]{2}$",
        json_schema_extra={"enum": [*sorted(US_STATES)]},
        description="Licensed in this state (two-letter code, e.g. `OR`): what matters for "
        "online sessions.",
    )
    accepting_new_clients: bool | None = _flag("therapists accepting new clients")

    def filters(self) -> TherapistFilters:
        return TherapistFilters(**self.model_dump(include=_FILTER_FIELDS))


_FILTER_FIELDS = set(_Filters.model_fields)


class _Place(BaseModel):
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    zip: str | None = Field(None, max_length=10, description="e.g. 97214")
    city: str | None = Field(None, max_length=100, description='e.g. "Portland, OR"')
    near: str | None = Field(None, max_length=100, description="A ZIP code or a city, as typed")
    radius: float | None = Field(
        None,
        gt=0,
        description=(
            f"Search radius (default {DEFAULT_RADIUS_MI:g} mi; at most {MAX_RADIUS_KM:g} km)"
        ),
    )
    unit: Literal["mi", "km"] = "mi"

    def place(self) -> Place:
        return Place(self.lat, self.lon, self.zip, self.city, self.near, self.radius, self.unit)


SORT_HELP = (
    "relevance: text match blended with distance (when a location is given), freshness and "
    "accepting new clients; distance: nearest office first (needs a location); recent: most "
    "recently confirmed listing first. Ties by id."
)
PAGE_HELP = (
    f"1-based page number; page × size at most {MAX_RESULT_WINDOW} (then follow next_cursor)"
)


class _Paging(BaseModel):
    page: int = Field(1, ge=1, description=PAGE_HELP)
    size: int = Field(10, ge=1, le=MAX_PAGE_SIZE, description="Hits per page")
    cursor: str | None = Field(None, description="next_cursor of the previous page")
    facets: bool = Field(True, description="Include facet counts for every filter")


class SearchParams(_Filters, _Place, _Paging, _Text):
    sort: Literal["relevance", "distance", "recent"] = Field("relevance", description=SORT_HELP)
    highlight: bool = Field(True, description="Include matched fragments of the bio")
    tuning: str | None = Field(
        None,
        description="Analysts only (with the X-Analyst-Key header): search with the tuning "
        "file of this name under tunings/ instead of the default.",
    )


class NearParams(_Filters, _Place, _Paging, _Text):
    sort: Literal["distance", "relevance", "recent"] = Field("distance", description=SORT_HELP)


class Place:
    """Where to search around: lat/lon, a ZIP code, a city ("Portland, OR"), or any of those
    typed in one box (``near``)."""

    def __init__(
        self,
        lat: float | None = None,
        lon: float | None = None,
        zip: str | None = None,
        city: str | None = None,
        near: str | None = None,
        radius: float | None = None,
        unit: Literal["mi", "km"] = "mi",
    ) -> None:
        self.lat, self.lon, self.zip, self.city, self.near = lat, lon, zip, city, near
        self.radius, self.unit = radius, unit

    @property
    def given(self) -> bool:
        return any(v is not None for v in (self.lat, self.lon, self.zip, self.city, self.near))

    async def resolve(self, svc: Services) -> GeoFilter | None:
        if not self.given:
            if self.radius is not None:
                raise InvalidQuery("radius needs a location: lat and lon, zip, city or near")
            return None
        chosen = [
            n
            for n, v in (
                ("lat/lon", self.lat if self.lat is not None else self.lon),
                ("zip", self.zip),
                ("city", self.city),
                ("near", self.near),
            )
            if v is not None
        ]
        if len(chosen) > 1:
            raise InvalidQuery(f"give one location, not {' and '.join(chosen)}")
        radius = (
            self.radius
            if self.radius is not None
            else (DEFAULT_RADIUS_MI if self.unit == "mi" else DEFAULT_RADIUS_MI * KM_PER_MILE)
        )
        radius_km = radius * KM_PER_MILE if self.unit == "mi" else radius
        if radius_km > MAX_RADIUS_KM + 1e-9:
            limit = MAX_RADIUS_KM / KM_PER_MILE if self.unit == "mi" else MAX_RADIUS_KM
            raise InvalidQuery(
                f"radius {radius:g} {self.unit} is over the maximum of {limit:.0f} {self.unit}"
            )
        if self.lat is not None or self.lon is not None:
            if self.lat is None or self.lon is None:
                raise InvalidQuery("give both lat and lon")
            return GeoFilter(lat=self.lat, lon=self.lon, radius_km=radius_km)
        geocoder = await svc.geocoder()
        if self.zip is not None:
            place = geocoder.zip(self.zip.strip())
        else:
            place = geocoder.resolve(self.city or self.near or "")
        return GeoFilter(lat=place.lat, lon=place.lon, radius_km=radius_km, label=place.label)

    def radius_km(self) -> float:
        radius = (
            self.radius
            if self.radius is not None
            else (DEFAULT_RADIUS_MI if self.unit == "mi" else DEFAULT_RADIUS_MI * KM_PER_MILE)
        )
        return radius * KM_PER_MILE if self.unit == "mi" else radius

    def around(self, found: GeoPlace) -> GeoFilter:
        return GeoFilter(
            lat=found.lat,
            lon=found.lon,
            radius_km=min(self.radius_km(), MAX_RADIUS_KM),
            label=found.label,
        )


async def place_from_text(svc: Services, text: str | None) -> tuple[str | None, GeoPlace | None]:
    """Split "anxiety therapist near 97214" into the search words and a place (see
    :func:`search_core.relevance.querying.split_place`, which analysts' scripts share)."""
    if not place_candidates(text):
        return text, None
    return split_place(text, await svc.geocoder())


async def _search(
    svc: Services,
    tuning: Tuning | None,
    text: str | None,
    f: TherapistFilters,
    place: Place,
    sort: str,
    page: int,
    size: int,
    cursor: str | None,
    facets: bool,
    highlight: bool,
) -> SearchPage[TherapistHit]:
    near = await place.resolve(svc)
    from_text = False
    if near is None and text:
        rest, found = await place_from_text(svc, text)
        if found is not None:
            text, from_text = rest, True
            near = place.around(found)
    offset, decoded = resolve_page(page, size, cursor, MAX_RESULT_WINDOW)
    try:
        query = TherapistQuery(
            text=text,
            filters=f,
            near=near,
            sort=sort,
            offset=offset,
            size=size,
            facets=facets,
            highlight=highlight,
            cursor=decoded,
        )
    except ValidationError as exc:
        raise InvalidQuery(
            "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        ) from exc
    result = await svc.backend.search_therapists(query, place.unit, tuning)
    if near is None:
        return result
    radius = near.radius_km / KM_PER_MILE if place.unit == "mi" else near.radius_km
    location = ResolvedLocation(
        label=near.label,
        lat=near.lat,
        lon=near.lon,
        radius=round(radius, 3),
        unit=place.unit,
        from_text=from_text,
    )
    return result.model_copy(update={"location": location})


@router.get(
    "/search",
    response_model=SearchPage[TherapistHit],
    responses=ERROR_RESPONSES,
    summary="Advanced therapist search: text, filters, facets, optional location",
)
async def search(
    params: Annotated[SearchParams, Query()],
    x_analyst_key: Annotated[str | None, Header(description="Analysts' key")] = None,
    svc: Services = Depends(services),
) -> Response:
    """Relevance blends text match with distance (when a location is given), how recently the
    listing was confirmed, and whether the therapist accepts new clients. Ties are broken by id,
    so pages never shuffle. Facet counts for a filter ignore that filter's own choice."""
    p = params
    chosen = resolve_request_tuning(
        default=None,
        engine=svc.backend.name,
        analyst_key=svc.settings.analyst_key,
        header_key=x_analyst_key,
        tuning_name=p.tuning,
    )
    page = await _search(
        svc,
        chosen,
        p.q,
        p.filters(),
        p.place(),
        p.sort,
        p.page,
        p.size,
        p.cursor,
        p.facets,
        p.highlight,
    )
    return rendered(page)


@router.get(
    "/near",
    response_model=SearchPage[TherapistHit],
    responses=ERROR_RESPONSES,
    summary='"Near me": therapists around a point, ZIP code or city, nearest first',
)
async def near(
    params: Annotated[NearParams, Query()], svc: Services = Depends(services)
) -> Response:
    p = params
    place = p.place()
    if not place.given:
        raise InvalidQuery("near needs a location: lat and lon, zip, city or near")
    page = await _search(
        svc, None, p.q, p.filters(), place, p.sort, p.page, p.size, p.cursor, p.facets, bool(p.q)
    )
    return rendered(page)


@router.get(
    "/{therapist_id}",
    response_model=Therapist,
    responses=ERROR_RESPONSES,
    summary="One therapist by id",
)
async def therapist(
    response: Response,
    therapist_id: Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")],
    svc: Services = Depends(services),
) -> Therapist:
    cacheable(response, svc)
    return await svc.backend.get_therapist(therapist_id)
