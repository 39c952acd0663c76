"""Browse pages: therapist counts per state and city, and how far a city's therapists reach.

Counts are ``terms`` aggregations over ``offices.state`` and ``offices.city_slug``: the offices
are ``nested`` with ``include_in_parent``, so the parent document carries every office's values
and a bucket counts therapists, not offices (a therapist with two offices in one city counts
once), exactly like the embedded engine. Pure: no I/O, no settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from search_core.elastic import geo_script
from search_core.elastic.lookup_query import by_terms_body
from search_core.elastic.therapist_query import term

Body = dict[str, Any]

STATE_FIELD = "offices.state"
CITY_FIELD = "offices.city_slug"
STATE_BUCKETS = 100
CITY_BUCKETS = 10_000
"""Cities asked for in one state (well above the largest state's ~1,500 cities, well below
``search.max_buckets``)."""
AGG = "places"


def states_body() -> Body:
    return {
        "size": 0,
        "track_total_hits": False,
        "aggregations": {AGG: {"terms": {"field": STATE_FIELD, "size": STATE_BUCKETS}}},
    }


def cities_body(state: str) -> Body:
    """Cities of ``state`` (a code) with their therapist counts. A therapist with offices in
    two states also carries the other state's cities: ``include`` keeps this state's slugs."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": [term(STATE_FIELD, state)]}},
        "aggregations": {
            AGG: {
                "terms": {
                    "field": CITY_FIELD,
                    "size": CITY_BUCKETS,
                    "include": f".*-{state.lower()}",
                }
            }
        },
    }


def city_counts_body(slugs: Sequence[str]) -> Body:
    """Therapist counts of just these cities (typeahead drops cities without therapists)."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": [{"terms": {CITY_FIELD: list(slugs)}}]}},
        "aggregations": {
            AGG: {"terms": {"field": CITY_FIELD, "size": len(slugs), "include": list(slugs)}}
        },
    }


def place_records_body(kind: str, slugs: Sequence[str] | None = None, size: int = 100) -> Body:
    """Location records of ``kind`` (all of them up to ``size``, or those of ``slugs``)."""
    if slugs is not None:
        return by_terms_body("slug", slugs, [term("kind", kind)])
    return {"query": {"bool": {"filter": [term("kind", kind)]}}, "size": size}


def reach_body(city_slug: str, lat: float, lon: float) -> Body:
    """The therapist with an office in the city whose nearest office is farthest from the
    city's point: its sort value is that distance (km)."""
    return {
        "query": {"bool": {"filter": [term(CITY_FIELD, city_slug)]}},
        "sort": [geo_script.distance_sort(lat, lon, order="desc")],
        "size": 1,
        "_source": False,
        "track_total_hits": False,
    }
