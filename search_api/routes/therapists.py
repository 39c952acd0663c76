"""Therapist search, "near me" and therapist details."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from pydantic import ValidationError

from search_api.deps import Services, cacheable, services
from search_api.errors import ERROR_RESPONSES
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

router = APIRouter(prefix="/therapists", tags=["therapists"])


def _values(what: str, example: str) -> Any:
    return Query(
        max_length=MAX_FILTER_VALUES,
        description=f"{what}: slugs from GET /vocabularies, e.g. `{example}`. Repeat the "
        f"parameter for several; a therapist matching any of them is kept. "
        f"At most {MAX_FILTER_VALUES}.",
    )


def _flag(what: str) -> Any:
    return Query(description=f"true: only {what}; false: only those not; omitted: either.")


async def filters(
    # FastAPI reads these list defaults; nothing mutates them (B006).
    issues: Annotated[list[str], _values("Issues treated", "anxiety")] = [],  # noqa: B006
    therapy_types: Annotated[list[str], _values("Therapy types", "emdr")] = [],  # noqa: B006
    age_groups: Annotated[list[str], _values("Age groups served", "teens")] = [],  # noqa: B006
    populations: Annotated[list[str], _values("Populations served", "lgbtq")] = [],  # noqa: B006
    languages: Annotated[list[str], _values("Languages spoken", "spanish")] = [],  # noqa: B006
    insurance: Annotated[list[str], _values("Insurance accepted", "aetna")] = [],  # noqa: B006
    gender: Annotated[list[str], _values("Therapist's gender", "female")] = [],  # noqa: B006
    profession: Annotated[list[str], _values("Profession", "psychologist")] = [],  # noqa: B006
    max_fee: Annotated[
        int | None,
        Query(
            ge=0,
            le=2000,
            description="Budget per session (USD): the therapist's lowest fee is at most this.",
        ),
    ] = None,
    sliding_scale: Annotated[bool | None, _flag("therapists offering a sliding scale")] = None,
    telehealth: Annotated[bool | None, _flag("therapists offering online sessions")] = None,
    in_person: Annotated[bool | None, _flag("therapists with an office")] = None,
    licensed_in: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Z]{2}$",
            description="Licensed in this state (two-letter code, "
            "e.g. `OR`): what matters for online sessions.",
        ),
    ] = None,
    accepting_new_clients: Annotated[bool | None, _flag("therapists accepting new clients")] = None,
) -> TherapistFilters:
    """Filter values are the slugs of GET /vocabularies; repeat a parameter for several values
    (any of them matches)."""
    return TherapistFilters(
        issues=issues,
        therapy_types=therapy_types,
        age_groups=age_groups,
        populations=populations,
        languages=languages,
        insurance=insurance,
        gender=gender,
        profession=profession,
        max_fee=max_fee,
        sliding_scale=sliding_scale,
        telehealth=telehealth,
        in_person=in_person,
        licensed_in=licensed_in,
        accepting_new_clients=accepting_new_clients,
    )


class Place:
    """Where to search around: lat/lon, a ZIP code, a city ("Portland, OR"), or any of those
    typed in one box (``near``)."""

    def __init__(
        self,
        lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
        lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
        zip: Annotated[str | None, Query(max_length=10, description="e.g. 97214")] = None,
        city: Annotated[
            str | None, Query(max_length=100, description='e.g. "Portland, OR"')
        ] = None,
        near: Annotated[
            str | None, Query(max_length=100, description="A ZIP code or a city, as typed")
        ] = None,
        radius: Annotated[
            float | None,
            Query(
                gt=0,
                description=(
                    f"Search radius (default {DEFAULT_RADIUS_MI:g} mi; "
                    f"at most {MAX_RADIUS_KM:g} km)"
                ),
            ),
        ] = None,
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


Text = Annotated[
    str | None,
    Query(max_length=MAX_QUERY_CHARS, description="Words to search for, e.g. 'emdr trauma'"),
]
Page = Annotated[
    int,
    Query(
        ge=1,
        description="1-based page number; page × size at most "
        f"{MAX_RESULT_WINDOW} (then follow next_cursor)",
    ),
]
Size = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Hits per page")]
SORT_HELP = (
    "relevance: text match blended with distance (when a location is given), freshness and "
    "accepting new clients; distance: nearest office first (needs a location); recent: most "
    "recently confirmed listing first. Ties by id."
)
Facets = Annotated[bool, Query(description="Include facet counts for every filter")]
Highlight = Annotated[bool, Query(description="Include matched fragments of the bio")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]


@router.get(
    "/search",
    response_model=SearchPage[TherapistHit],
    responses=ERROR_RESPONSES,
    summary="Advanced therapist search: text, filters, facets, optional location",
)
async def search(
    q: Text = None,
    f: TherapistFilters = Depends(filters),
    place: Place = Depends(),
    sort: Annotated[Literal["relevance", "distance", "recent"], Query(description=SORT_HELP)] = (
        "relevance"
    ),
    page: Page = 1,
    size: Size = 10,
    cursor: Cursor = None,
    facets: Facets = True,
    highlight: Highlight = True,
    tuning: Annotated[
        str | None,
        Query(
            description="Analysts only (with the X-Analyst-Key header): search with the "
            "tuning file of this name under tunings/ instead of the default."
        ),
    ] = None,
    x_analyst_key: Annotated[str | None, Header(description="Analysts' key")] = None,
    svc: Services = Depends(services),
) -> SearchPage[TherapistHit]:
    """Relevance blends text match with distance (when a location is given), how recently the
    listing was confirmed, and whether the therapist accepts new clients. Ties are broken by id,
    so pages never shuffle. Facet counts for a filter ignore that filter's own choice."""
    chosen = resolve_request_tuning(
        default=None,
        engine=svc.backend.name,
        analyst_key=svc.settings.analyst_key,
        header_key=x_analyst_key,
        tuning_name=tuning,
    )
    return await _search(svc, chosen, q, f, place, sort, page, size, cursor, facets, highlight)


@router.get(
    "/near",
    response_model=SearchPage[TherapistHit],
    responses=ERROR_RESPONSES,
    summary='"Near me": therapists around a point, ZIP code or city, nearest first',
)
async def near(
    place: Place = Depends(),
    f: TherapistFilters = Depends(filters),
    q: Text = None,
    sort: Annotated[Literal["distance", "relevance", "recent"], Query(description=SORT_HELP)] = (
        "distance"
    ),
    page: Page = 1,
    size: Size = 10,
    cursor: Cursor = None,
    facets: Facets = True,
    svc: Services = Depends(services),
) -> SearchPage[TherapistHit]:
    if not place.given:
        raise InvalidQuery("near needs a location: lat and lon, zip, city or near")
    return await _search(svc, None, q, f, place, sort, page, size, cursor, facets, bool(q))


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
