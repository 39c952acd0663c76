"""Elasticsearch engine: places (:class:`ElasticPlaces`, a part of
:class:`search_core.elastic.backend.ElasticBackend`).

Therapist counts per state and city are ``terms`` aggregations
(:mod:`search_core.elastic.browse_query`); Elasticsearch's request cache keeps them (it caches
``size: 0`` searches per shard until the next refresh), so nothing is cached here. A city's
reach is one distance-sorted search; location records are read by kind and slug, or all of
them page by page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from search_core.elastic import responses
from search_core.elastic.browse_query import (
    AGG,
    cities_body,
    city_counts_body,
    place_records_body,
    reach_body,
    states_body,
)
from search_core.elastic.cluster import ClusterReader
from search_core.elastic.lookup_query import scan_body


class ElasticPlaces:
    """Place counts, location records and a city's reach over the aliases."""

    def __init__(self, cluster: ClusterReader) -> None:
        self.cluster = cluster

    async def place_counts(
        self, field: str, state: str | None = None, slugs: Sequence[str] | None = None
    ) -> dict[str, int]:
        if field == "state":
            body, what = states_body(), "count therapists per state"
        elif slugs is not None:
            wanted = sorted(set(slugs))
            if not wanted:
                return {}
            body, what = city_counts_body(wanted), "count therapists per city"
        elif state is not None:
            body, what = cities_body(state), "count therapists per city"
        else:
            raise ValueError("city counts need a state or slugs")
        resp = await self.cluster.search_raw("therapists", body, what)
        return {s: n for s, n in responses.terms_counts(resp, AGG).items() if n > 0}

    async def location_records(
        self, kind: str | None = None, slugs: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        if kind is None and slugs is None:
            return await self._every_location()
        if kind is None:
            raise ValueError("location records by slug need a kind")
        what = {"state": "read the states", "city": "read the cities"}.get(kind, "read places")
        body = place_records_body(kind, sorted(slugs) if slugs is not None else None)
        return responses.sources(await self.cluster.search_raw("locations", body, what))

    async def _every_location(self) -> list[dict[str, Any]]:
        """Every stored location, page by page in id order (``search_after``) over the one
        index the alias points to now, so a load finishing meanwhile cannot mix two versions.
        Reads until a page comes back empty, never stopping at a short page (a short page can
        be a partial one: every page is checked whole by :meth:`ClusterReader.search_raw`)."""
        index = await self.cluster.admin().require_serving("locations")
        out: list[dict[str, Any]] = []
        after: list[Any] | None = None
        while True:
            resp = await self.cluster.search_raw(
                "locations", scan_body(after), "read the locations", index=index
            )
            found = responses.hits(resp)
            if not found:
                return out
            out += [dict(h["_source"]) for h in found]
            after = list(found[-1]["sort"])

    async def reach_km(self, city_slug: str, lat: float, lon: float) -> float:
        resp = await self.cluster.search_raw(
            "therapists", reach_body(city_slug, lat, lon), "measure a city's reach"
        )
        return responses.first_sort_value(resp) or 0.0
