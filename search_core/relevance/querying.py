"""A judged query → the typed request an engine takes, the way the API builds it: the text is
understood (:mod:`search_core.understanding`) and its place located
(:func:`search_core.locating.locate`) by the rules every route uses. The lab's rankings go
further, through the whole use case (:func:`search_core.searching.search_therapists`: online
therapists in the state, relaxation); :func:`resolve` is the request as understood, before
any relaxation (what explain and the export look at).
"""

from __future__ import annotations

from dataclasses import dataclass

from search_core.errors import InvalidQuery
from search_core.geocode import Geocoder
from search_core.locating import PlaceRequest, default_radius_km, locate, split_place
from search_core.queries import (
    ArticleQuery,
    GeoFilter,
    TherapistFilters,
    TherapistQuery,
)
from search_core.relevance.judgments import Location, QuerySpec
from search_core.search_request import TherapistSearch
from search_core.understanding import Request, understand
from search_core.understood_ranking import boosted

__all__ = [
    "Resolved",
    "default_radius_km",
    "place_request",
    "radius_km",
    "resolve",
    "resolve_location",
    "split_place",
    "therapist_search",
]


def place_request(loc: Location) -> PlaceRequest:
    """A judged query's location as the request fields :mod:`search_core.locating` reads."""
    return PlaceRequest(
        lat=loc.lat, lon=loc.lon, zip=loc.zip, city=loc.city, radius=loc.radius, unit=loc.unit
    )


def radius_km(loc: Location) -> float:
    return place_request(loc).radius_km()


def resolve_location(loc: Location, geocoder: Geocoder) -> GeoFilter:
    near = locate(place_request(loc), None, geocoder, read_text=False).near
    assert near is not None  # a Location always names a place
    return near


@dataclass(frozen=True)
class Resolved:
    """What a query searches for once its place is read: the words and the area."""

    spec: QuerySpec
    text: str | None
    near: GeoFilter | None
    filters: TherapistFilters | None = None
    """The filters as understood (None: the spec's own)."""
    rank_text: str | None = None
    """The labels of the understood filters: words that only rank."""

    def therapist_filters(self) -> TherapistFilters:
        if self.filters is not None:
            return self.filters
        return TherapistFilters.model_validate(self.spec.filters)

    def therapist_query(self, offset: int = 0, size: int = 10) -> TherapistQuery:
        return TherapistQuery(
            text=self.text,
            rank_text=self.rank_text,
            filters=self.therapist_filters(),
            near=self.near,
            offset=offset,
            size=size,
            facets=False,
            highlight=False,
        )

    def article_query(self, offset: int = 0, size: int = 10) -> ArticleQuery:
        return ArticleQuery.model_validate(
            {
                "text": self.text,
                **self.spec.filters,
                "offset": offset,
                "size": size,
                "highlight": False,
            }
        )


def resolve(spec: QuerySpec, geocoder: Geocoder | None) -> Resolved:
    """Read a therapist query as the search box does (``place_in_text``, the default: filters,
    a place and typos out of the text; the explicit ``location`` and filters win), else take
    the text as typed with the explicit location alone."""
    text: str | None = spec.query.strip() or None
    if spec.target != "therapists":
        return Resolved(spec, text, None)
    if spec.location is not None and geocoder is None and spec.location.lat is None:
        raise InvalidQuery(f"{spec.qid}: a zip or city location needs the geocoder")
    place = place_request(spec.location) if spec.location is not None else PlaceRequest()
    explicit = locate(place, None, geocoder, read_text=False)
    if not (spec.place_in_text and text and geocoder is not None):
        return Resolved(spec, text, explicit.near)
    caller = (place.lat, place.lon) if place.lat is not None and place.lon is not None else None
    u = understand(
        text,
        geocoder=geocoder,
        explicit_filters=TherapistFilters.model_validate(spec.filters),
        caller_location=caller,
        explicit_near=explicit.near,
    )
    req = boosted(Request(filters=u.filters, near=u.near, text=u.text), u)
    return Resolved(spec, req.text, req.near, req.filters, req.rank_text)


def therapist_search(spec: QuerySpec, offset: int = 0, size: int = 10) -> TherapistSearch:
    """A judged therapist query as the use case takes it (what the API builds from the same
    parameters)."""
    place = place_request(spec.location) if spec.location is not None else PlaceRequest()
    return TherapistSearch(
        text=spec.query.strip() or None,
        filters=TherapistFilters.model_validate(spec.filters),
        place=place,
        offset=offset,
        size=size,
        facets=False,
        highlight=False,
        understand=spec.place_in_text,
    )
