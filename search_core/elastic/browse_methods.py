"""Elasticsearch engine: browse pages (mixed into
:class:`search_core.elastic.backend.ElasticBackend`).

State and city counts are ``terms`` aggregations (:mod:`search_core.elastic.browse_query`);
Elasticsearch's request cache keeps them (it caches ``size: 0`` searches per shard until the
next refresh), so nothing is cached here. A city page is the ordinary distance-sorted search
around the city's point, with :mod:`search_core.browsing`'s radius rule and composition;
this engine measures the city's reach with one distance-sorted search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from search_core.browsing import (
    check_city,
    city_list,
    city_location,
    city_near,
    city_query,
    city_radius_km,
    empty_city,
    state_code,
    state_list,
)
from search_core.elastic import responses
from search_core.elastic.browse_query import (
    AGG,
    cities_body,
    city_counts_body,
    place_records_body,
    reach_body,
    states_body,
)
from search_core.errors import NotFound
from search_core.queries import TherapistQuery
from search_core.results import PlaceCount, SearchPage, TherapistHit
from search_core.vocabulary import US_STATES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from search_core.documents import Location
    from search_core.tuning import Tuning


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
        return state_list(counts, records)

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
        places = city_list(code, counts, records)  # no location record: no page, not listed
        if not places:
            raise NotFound(f"no therapists have an office in {US_STATES[code]}")
        return places

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
        check_city(city, city_slug)
        radius = radius_km if radius_km is not None else await self._default_radius_km(city)
        near = city_near(city, radius)
        page = await self.search_therapists(city_query(near, offset, size), unit)
        if page.total == 0:
            raise empty_city(near, unit)
        return city, page.model_copy(update={"location": city_location(near, unit)})

    async def _default_radius_km(self, city: Location) -> float:
        resp = await self.search_raw(
            "therapists",
            reach_body(city.slug, city.location.lat, city.location.lon),
            "measure a city's reach",
        )
        reach = responses.first_sort_value(resp) or 0.0
        return city_radius_km(reach)
