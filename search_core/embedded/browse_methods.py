"""Embedded engine: browse pages (:class:`EmbeddedBrowse`, a part
:class:`~search_core.embedded.backend.EmbeddedBackend` holds).

States and cities with their therapist counts come from terms aggregations over the office
fields; an aggregation counts documents, so a therapist with two offices in one city counts
once. Names and coordinates come from the locations index. Both are computed once per index
version and kept in memory (:class:`BrowseSnapshot`): over a million therapists an aggregation
is not free, and browse pages are hit far more often than the index changes.

A city page is the ordinary therapist search around the city's point; its radius rule and
composition are :mod:`search_core.browsing`'s. This engine measures the city's reach.

The city counts are one aggregation over every therapist, filtered by slug suffix per state
(``portland-or`` ends with ``-or``), so a therapist with offices in two states never brings a
city of the other state into a state's list.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import tantivy

from search_core.browsing import (
    check_city,
    city_list,
    city_location,
    city_near,
    city_query,
    city_radius_km,
    empty_city,
    missing_records,
    state_code,
    state_list,
)
from search_core.documents import Location
from search_core.embedded.columns import fast_floats, nearest_km
from search_core.embedded.reader import IndexReader, OpenIndex, count_matches
from search_core.errors import NotFound
from search_core.queries import TherapistQuery
from search_core.results import PlaceCount, SearchPage, TherapistHit
from search_core.vocabulary import US_STATES

R = TypeVar("R")
log = logging.getLogger(__name__)

CITY_BUCKETS = 65_000
"""Terms buckets asked for when counting cities: Tantivy's default bucket limit, well above the
~30,000 US cities."""
STATE_BUCKETS = 100


MAX_PAGES = 256
"""City pages remembered per version of the therapists index (then the memo starts again)."""


@dataclass
class BrowseSnapshot:
    """What browse pages need from one version of the therapists and locations indexes.

    ``city_counts`` is filled when the snapshot is made (typeahead needs it too); the rest on
    first use. ``stamp`` (documents, segments) also catches edits committed into a version in
    place, which keep the same :class:`OpenIndex`. The lists are handed out as they are (tuples:
    nobody can change them), so the API can tell an unchanged list by its identity and send the
    JSON it rendered last time.
    """

    therapists: OpenIndex
    locations: OpenIndex
    stamp: tuple[int, int]
    city_counts: dict[str, int]
    states: tuple[PlaceCount, ...] | None = None
    cities: dict[str, tuple[PlaceCount, ...]] = field(default_factory=dict)
    reach_km: dict[str, float] = field(default_factory=dict)

    def fits(self, therapists: OpenIndex, locations: OpenIndex, stamp: tuple[int, int]) -> bool:
        return self.therapists is therapists and self.locations is locations and self.stamp == stamp


# ---------------------------------------------------------------------------- pure helpers


def _all_docs(searcher: tantivy.Searcher, query: tantivy.Query) -> list[tantivy.DocAddress]:
    count = count_matches(searcher, query)
    if count == 0:
        return []
    return [addr for _, addr in searcher.search(query, limit=count, count=False).hits]


def _terms(searcher: tantivy.Searcher, field_name: str, size: int) -> dict[str, int]:
    """Documents per value of a keyword field, over the whole index."""
    aggs = {"t": {"terms": {"field": field_name, "size": size}}}
    result = searcher.aggregate(tantivy.Query.all_query(), aggs)["t"]
    if result.get("sum_other_doc_count"):
        log.warning("%s: more than %d values; counts are truncated", field_name, size)
    return {str(b["key"]): int(b["doc_count"]) for b in result["buckets"]}


def _locations(
    opened: OpenIndex, kind: str, slugs: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Location records of ``kind`` by slug (all of them, or those of ``slugs``)."""
    schema = opened.schema.schema
    query = tantivy.Query.term_query(schema, "kind", kind)
    if slugs is not None:
        wanted = list(slugs)
        if not wanted:
            return {}
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, query),
                (tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "slug", wanted)),
            ]
        )
    searcher = opened.searcher()
    docs = opened.sources(searcher, _all_docs(searcher, query))
    return {str(d["slug"]): d for d in docs}


# ---------------------------------------------------------------------------- the part


class EmbeddedBrowse:
    """States and cities with therapist counts, and city pages, over the serving indexes.
    ``search`` is the engine's therapist search and ``location`` its location look-up (a city
    page is a therapist search around a location)."""

    def __init__(
        self,
        reader: IndexReader,
        search: Callable[[TherapistQuery, str], SearchPage[TherapistHit]],
        location: Callable[[str], Location],
    ) -> None:
        self.reader = reader
        self.search_therapists_sync = search
        self.get_location_sync = location
        self._browse_lock = threading.Lock()
        """Serialises computing snapshot parts, so concurrent requests after a new version
        wait for one aggregation instead of each running it."""
        self._browse: BrowseSnapshot | None = None

    # ------------------------------------------------------------------ snapshot

    def browse_snapshot(self) -> BrowseSnapshot:
        """The snapshot of the serving versions, made again when either index changed."""
        therapists = self.reader.get("therapists")
        locations = self.reader.get("locations")
        searcher = therapists.searcher()
        stamp = (int(searcher.num_docs), int(searcher.num_segments))
        with self._browse_lock:
            snap = self._browse
            if snap is None or not snap.fits(therapists, locations, stamp):
                counts = _terms(searcher, "offices__city_slug", CITY_BUCKETS)
                snap = BrowseSnapshot(therapists, locations, stamp, counts)
                self._browse = snap
            return snap

    def city_counts_sync(self) -> Mapping[str, int]:
        """Therapists with an office in each city, by city slug (only cities that have one)."""
        return self.browse_snapshot().city_counts

    # ------------------------------------------------------------------ states and cities

    def browse_states_sync(self) -> Sequence[PlaceCount]:
        snap = self.browse_snapshot()
        with self._browse_lock:
            if snap.states is None:
                snap.states = self._count_states(snap)
            return snap.states

    def _count_states(self, snap: BrowseSnapshot) -> tuple[PlaceCount, ...]:
        counts = _terms(snap.therapists.searcher(), "offices__state", STATE_BUCKETS)
        records = {str(d["state"]): d for d in _locations(snap.locations, "state").values()}
        return tuple(state_list(counts, records))

    def browse_cities_sync(self, state: str) -> Sequence[PlaceCount]:
        code = state_code(state)
        snap = self.browse_snapshot()
        with self._browse_lock:
            if code not in snap.cities:
                snap.cities[code] = self._count_cities(snap, code)
            cities = snap.cities[code]
        if not cities:
            raise NotFound(f"no therapists have an office in {US_STATES[code]}")
        return cities

    def _count_cities(self, snap: BrowseSnapshot, code: str) -> tuple[PlaceCount, ...]:
        # A therapist with offices in two states carries the cities of both: keep this state's.
        suffix = f"-{code.lower()}"
        counts = {s: n for s, n in snap.city_counts.items() if s.endswith(suffix) and n > 0}
        records = _locations(snap.locations, "city", counts)
        missing = missing_records(counts, records)
        if missing:  # no location record: its page could not be shown, so it is not listed
            log.warning("cities with therapists but no location record: %s", missing[:20])
        return tuple(city_list(code, counts, records))

    # ------------------------------------------------------------------ city pages

    def browse_city_sync(
        self,
        city_slug: str,
        radius_km: float | None = None,
        unit: str = "mi",
        offset: int = 0,
        size: int = 10,
    ) -> tuple[Location, SearchPage[TherapistHit]]:
        """The city and the therapists around it, nearest first. ``radius_km=None`` is the
        default radius, widened to reach every therapist with an office in the city."""
        started = time.perf_counter()
        therapists = self.reader.get("therapists")
        locations = self.reader.get("locations")
        key = (
            city_slug,
            radius_km,
            unit,
            offset,
            size,
            id(locations),
            self.reader.stamp("locations"),
        )
        known: tuple[Location, SearchPage[TherapistHit]] | None = therapists.pages.get(key)
        if known is None:
            city = self.get_location_sync(city_slug)
            check_city(city, city_slug)
            radius = radius_km if radius_km is not None else city_radius_km(self._reach_km(city))
            near = city_near(city, radius)
            page = self.search_therapists_sync(city_query(near, offset, size), unit)
            if page.total == 0:
                raise empty_city(near, unit)
            known = (city, page.model_copy(update={"location": city_location(near, unit)}))
            if len(therapists.pages) >= MAX_PAGES:
                therapists.pages.clear()
            therapists.pages[key] = known
        # A city page only changes with the indexes, so it is answered again from memory until
        # either changes. The models are frozen; the page's lists are copied for the caller.
        city, page = known
        took_ms = round((time.perf_counter() - started) * 1000, 2)
        return city, page.model_copy(
            update={"items": list(page.items), "warnings": list(page.warnings), "took_ms": took_ms}
        )

    def _reach_km(self, city: Location) -> float:
        """How far from the city's point its farthest therapist's nearest office lies (0 when
        no therapist has an office in the city)."""
        snap = self.browse_snapshot()
        with self._browse_lock:
            known = snap.reach_km.get(city.slug)
        if known is not None:
            return known
        schema = snap.therapists.schema
        searcher = snap.therapists.searcher()
        query = tantivy.Query.term_query(schema.schema, "offices__city_slug", city.slug)
        addrs = _all_docs(searcher, query)
        point = (city.location.lat, city.location.lon)
        km = nearest_km(schema, lambda f: fast_floats(searcher, f, addrs), len(addrs), *point)
        finite = km[np.isfinite(km)]
        reach = float(finite.max()) if finite.size else 0.0
        with self._browse_lock:
            snap.reach_km[city.slug] = reach
        return reach
