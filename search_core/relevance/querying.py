"""A judged query → the typed request an engine takes, the way the API builds it: its place
goes through :func:`search_core.locating.locate`, the rule every route uses.
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

__all__ = [
    "Resolved",
    "default_radius_km",
    "place_request",
    "radius_km",
    "resolve",
    "resolve_location",
    "split_place",
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

    def therapist_query(self, offset: int = 0, size: int = 10) -> TherapistQuery:
        return TherapistQuery(
            text=self.text,
            filters=TherapistFilters.model_validate(self.spec.filters),
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
    """Read the place of a therapist query (explicit ``location``, else the end of the text
    when ``place_in_text``)."""
    text: str | None = spec.query.strip() or None
    if spec.target != "therapists":
        return Resolved(spec, text, None)
    if spec.location is not None and geocoder is None and spec.location.lat is None:
        raise InvalidQuery(f"{spec.qid}: a zip or city location needs the geocoder")
    place = place_request(spec.location) if spec.location is not None else PlaceRequest()
    located = locate(place, text, geocoder, read_text=spec.place_in_text)
    return Resolved(spec, located.text, located.near)
