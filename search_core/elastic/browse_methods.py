"""Elasticsearch engine: browse pages (mixed into
:class:`search_core.elastic.backend.ElasticBackend`).

State and city counts are ``terms`` aggregations (:mod:`search_core.elastic.browse_query`);
Elasticsearch's request cache keeps them (it caches ``size: 0`` searches per shard until the
next refresh), so nothing is cached here. A city page is the ordinary distance-sorted search
around the city's point, with the embedded engine's default radius rule: 10 miles, widened so
that every therapist with an office in the city is on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from search_core.elastic import responses
from search_core.elastic.browse_query import (
    AGG,
    cities_body,
    city_counts_body,
    place_records_body,
    reach_body,
    states_body,
)
from search_core.embedded.browse_methods import (
    DEFAULT_CITY_RADIUS_KM,
    MAX_CITY_RADIUS_KM,
    REACH_MARGIN_KM,
    state_code,
)
from search_core.errors import NotFound
from search_core.geo import KM_PER_MILE
from search_core.paging import Cursor
from search_core.queries import MAX_RESULT_WINDOW, GeoFilter, TherapistQuery
from search_core.results import PlaceCount, ResolvedLocation, SearchPage, TherapistHit
from search_core.slugs import state_slug
from search_core.vocabulary import US_STATES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from search_core.documents import Location
    from search_core.tuning import Tuning


def _in_unit(km: float, unit: str) -> float:
    return km if unit == "km" else km / KM_PER_MILE


class BrowseMethods:
    if TYPE_CHECKING:  # provided by ElasticBackend

        async def search_raw(
            self,
            kind: str,
            body: dict[str, Any],
            what: str,
            index: str | None = None,
            preference: str | None = None,
        ) -> dict[str, Any]: ...

        async def search_therapists(
            self,
            q: TherapistQuery,
            unit: str = "mi",
            tuning: Tuning | None = None,
        ) -> SearchPage[TherapistHit]: ...

        async def get_location(self, slug: str) -> Location: ...

    async def browse_states(self) -> list[PlaceCount]:
        counts = responses.terms_counts(
            await self.search_raw("therapists", states_body(), "count therapists per state"), AGG
        )
        records_resp = await self.search_raw(
            "locations", place_records_body("state"), "read the states"
        )
        records = {str(d["state"]): d for d in responses.sources(records_resp)}
        places = [
            responses.place(state_slug(code), US_STATES[code], code, n, records.get(code))
            for code, n in counts.items()
            if code in US_STATES and n > 0
        ]
        return sorted(places, key=lambda p: p.name)

    async def browse_cities(self, state: str) -> list[PlaceCount]:
        code = state_code(state)
        resp = await self.search_raw("therapists", cities_body(code), "count therapists per city")
        counts = {s: n for s, n in responses.terms_counts(resp, AGG).items() if n > 0}
        if not counts:
            raise NotFound(f"no therapists have an office in {US_STATES[code]}")
        records_resp = await self.search_raw(
            "locations", place_records_body("city", sorted(counts)), "read the cities"
        )
        records = {str(d["slug"]): d for d in responses.sources(records_resp)}
        places = [
            responses.place(slug, str(records[slug]["name"]), code, n, records[slug])
            for slug, n in counts.items()
            if slug in records  # no location record: its page could not be shown
        ]
        if not places:
            raise NotFound(f"no therapists have an office in {US_STATES[code]}")
        return sorted(places, key=lambda p: (-p.therapists, p.name, p.slug))

    async def city_counts_for(self, slugs: Sequence[str]) -> dict[str, int]:
        """Therapists with an office in each of these cities (cities without any left out)."""
        wanted = sorted(set(slugs))
        if not wanted:
            return {}
        resp = await self.search_raw(
            "therapists", city_counts_body(wanted), "count therapists per city"
        )
        return {s: n for s, n in responses.terms_counts(resp, AGG).items() if n > 0}

    async def browse_city(
        self,
        city_slug: str,
        radius_km: float | None = None,
        unit: str = "mi",
        offset: int = 0,
        size: int = 10,
    ) -> tuple[Location, SearchPage[TherapistHit]]:
        city = await self.get_location(city_slug)
        if city.kind != "city":
            raise NotFound(f"{city_slug!r} is a {city.kind}, not a city")
        radius = radius_km if radius_km is not None else await self._default_radius_km(city)
        label = f"{city.name}, {city.state}"
        near = GeoFilter(
            lat=city.location.lat, lon=city.location.lon, radius_km=radius, label=label
        )
        query = TherapistQuery(
            near=near,
            sort="distance",
            offset=offset,
            size=size,
            facets=False,
            highlight=False,
            cursor=Cursor(offset) if offset + size > MAX_RESULT_WINDOW else None,
        )
        page = await self.search_therapists(query, unit)
        if page.total == 0:
            shown = round(_in_unit(radius, unit), 1)
            raise NotFound(f"no therapists in or near {label} (within {shown:g} {unit})")
        where = ResolvedLocation(
            label=label,
            lat=near.lat,
            lon=near.lon,
            radius=round(_in_unit(radius, unit), 3),
            unit=unit,
        )
        return city, page.model_copy(update={"location": where})

    async def _default_radius_km(self, city: Location) -> float:
        resp = await self.search_raw(
            "therapists",
            reach_body(city.slug, city.location.lat, city.location.lon),
            "measure a city's reach",
        )
        reach = responses.first_sort_value(resp) or 0.0
        return min(max(DEFAULT_CITY_RADIUS_KM, reach + REACH_MARGIN_KM), MAX_CITY_RADIUS_KM)
