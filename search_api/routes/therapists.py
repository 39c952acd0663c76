"""Therapist search, "near me" and therapist details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from pydantic import BaseModel, Field, JsonValue, create_model

from search_api.analyst import resolve_request_tuning
from search_api.deps import Services, cacheable, services
from search_api.errors import ERROR_RESPONSES
from search_api.query_models import get_with_query_model
from search_api.rendering import rendered
from search_core.documents import Therapist
from search_core.errors import InvalidQuery
from search_core.filters import Filter
from search_core.filters import entries as filter_entries
from search_core.locating import PlaceRequest
from search_core.paging import MAX_CURSOR_CHARS, resolve_page
from search_core.queries import (
    DEFAULT_RADIUS_MI,
    MAX_FILTER_VALUES,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MAX_RADIUS_KM,
    MAX_RESULT_WINDOW,
    TherapistFilters,
)
from search_core.results import TherapistPage
from search_core.searching import TherapistSearch, search_therapists
from search_core.tuning import Tuning
from search_core.vocabulary import US_STATES, Vocabulary

router = APIRouter(prefix="/therapists", tags=["therapists"])


def _values(what: str, vocabulary: Vocabulary | None, example: str | None) -> Any:
    # The vocabulary's slugs go into the schema as an enum, so that clients and the schema
    # fuzzer know which values exist.
    enum: list[JsonValue] = [*(vocabulary.slugs if vocabulary is not None else [])]
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


def _param(entry: Filter) -> tuple[Any, Any]:
    """The query parameter of one filter entry (:mod:`search_core.filters`)."""
    if entry.kind == "facet":
        return list[str], _values(entry.help, entry.vocabulary, entry.example)
    if entry.kind == "flag":
        return bool | None, _flag(entry.help)
    if entry.kind == "fee":
        low, high = entry.bounds or (0, 0)
        return int | None, Field(None, ge=low, le=high, description=entry.help)
    if entry.kind == "state":
        return str | None, Field(
            None,
            pattern=r"^[A-Z]{2}$",
            json_schema_extra={"enum": [*sorted(US_STATES)]},
            description=entry.help,
        )
    return list[str], Field([], max_length=MAX_FILTER_VALUES, description=entry.help)


# The query strings of /search and /near are read as pydantic models (FastAPI's query
# parameter models): one validation per request instead of one per parameter, which cost
# half a millisecond a search; each field is still documented as its own query parameter.
# FastAPI's reading of such a model still went field by field (another half millisecond):
# the routes are registered with search_api.query_models, which validates the model at once.


class _Text(BaseModel):
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_CHARS,
        description="What the person typed, e.g. 'female therapist for anxiety near 97214' "
        "(read as filters, a place and words to search: see `understand`). A hit needs most "
        "of the words left (all of up to three, three of four...: the tuning's "
        "`minimum_should_match`), and a name may have a typo ('patrica perkins': "
        "`fuzziness`, exact spellings first). Words that say someone may be harmed now "
        "('i want to kill myself', 'quiero morir') are read before anything else, never as "
        "a name or a typo: the answer's `crisis` then holds help to show first.",
    )
    understand: bool = Field(
        True,
        description="true: read filters, a place and typos out of q (each shown back in "
        "`understanding.pieces`) and relax a search with no hits (said in `relaxed`); false: "
        "search q as typed, with the place parameters alone, and never relax.",
    )
    online_in_state: bool = Field(
        True,
        description="Around a ZIP or city with fewer than 30 offices within the radius: list "
        "therapists who see clients online and are licensed in its state after the in-person "
        "ones (marked `online`).",
    )


class _FilterParams(BaseModel):
    """Filter values are the slugs of GET /vocabularies; repeat a parameter for several values
    (any of them matches)."""

    def filters(self) -> TherapistFilters:
        return TherapistFilters(**self.model_dump(include=_FILTER_FIELDS))


if TYPE_CHECKING:
    _Filters = _FilterParams
else:
    # One query parameter per entry of the filter registry, in its order.
    _Filters = create_model(
        "_Filters",
        __base__=_FilterParams,
        __module__=__name__,
        __doc__=_FilterParams.__doc__,
        **{e.name: _param(e) for e in filter_entries()},
    )

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

    def place(self) -> PlaceRequest:
        return PlaceRequest(
            lat=self.lat,
            lon=self.lon,
            zip=self.zip,
            city=self.city,
            near=self.near,
            radius=self.radius,
            unit=self.unit,
        )


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
    size: int = Field(
        10,
        ge=0,
        le=MAX_PAGE_SIZE,
        description="Hits per page; 0: no hits, only `total`, the split of it and the facets "
        "(e.g. to show counts before a search is run)",
    )
    cursor: str | None = Field(
        None, max_length=MAX_CURSOR_CHARS, description="next_cursor of the previous page"
    )
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


async def _search(
    svc: Services, tuning: Tuning | None, p: SearchParams | NearParams, highlight: bool
) -> TherapistPage:
    offset, decoded = resolve_page(p.page, p.size, p.cursor, MAX_RESULT_WINDOW)
    search = TherapistSearch(
        text=p.q,
        filters=p.filters(),
        place=p.place(),
        sort=p.sort,
        offset=offset,
        size=p.size,
        cursor=decoded,
        facets=p.facets,
        highlight=highlight,
        understand=p.understand,
        online_in_state=p.online_in_state,
    )
    return await search_therapists(svc.backend, search, svc.geocoder, p.unit, tuning)


@get_with_query_model(
    router,
    "/search",
    response_model=TherapistPage,
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
    return rendered(await _search(svc, chosen, p, p.highlight))


@get_with_query_model(
    router,
    "/near",
    response_model=TherapistPage,
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
    return rendered(await _search(svc, None, p, bool(p.q)))


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
) -> Response:
    cacheable(response, svc)
    return rendered(await svc.backend.get_therapist(therapist_id), headers_from=response)
