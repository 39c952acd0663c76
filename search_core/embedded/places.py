"""Embedded engine: places (:class:`EmbeddedPlaces`, a part of the engine's core).

Therapist counts per state and city come from terms aggregations over the office fields; an
aggregation counts documents, so a therapist with two offices in one city counts once. The
counts, and each city's reach, are computed once per state of the therapists index and kept
(:class:`PlaceSnapshot`): over a million therapists an aggregation is not free, and browse
pages and typeahead ask for them far more often than the index changes.

The city counts are one aggregation over every therapist, filtered by slug suffix per state
(``portland-or`` ends with ``-or``), so a therapist with offices in two states never brings a
city of the other state into a state's counts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import tantivy

from search_core.embedded.columns import fast_floats, nearest_km
from search_core.embedded.reader import IndexReader, OpenIndex, count_matches

log = logging.getLogger(__name__)

CITY_BUCKETS = 65_000
"""Terms buckets asked for when counting cities: Tantivy's default bucket limit, well above the
~30,000 US cities."""
STATE_BUCKETS = 100


@dataclass
class PlaceSnapshot:
    """The counts of one state of the therapists index: ``city_counts`` when the snapshot is
    made, the rest on first use. ``stamp`` (documents, segments) also catches edits committed
    into a version in place, which keep the same :class:`OpenIndex`."""

    therapists: OpenIndex
    stamp: tuple[int, int]
    city_counts: dict[str, int]
    states: dict[str, int] | None = None
    cities: dict[str, dict[str, int]] = field(default_factory=dict)
    reach_km: dict[str, float] = field(default_factory=dict)

    def fits(self, therapists: OpenIndex, stamp: tuple[int, int]) -> bool:
        return self.therapists is therapists and self.stamp == stamp


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
    opened: OpenIndex, kind: str | None, slugs: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Location records of ``kind`` by slug (all of them, or those of ``slugs``)."""
    schema = opened.schema.schema
    parts: list[tantivy.Query] = []
    if kind is not None:
        parts.append(tantivy.Query.term_query(schema, "kind", kind))
    if slugs is not None:
        wanted = list(slugs)
        if not wanted:
            return {}
        parts.append(tantivy.Query.term_set_query(schema, "slug", wanted))
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])
    searcher = opened.searcher()
    docs = opened.sources(searcher, _all_docs(searcher, query))
    return {str(d["slug"]): d for d in docs}


# ---------------------------------------------------------------------------- the part


class EmbeddedPlaces:
    """Therapist counts per state and city, location records and each city's reach, over the
    serving indexes."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self._lock = threading.Lock()
        """Serialises computing snapshot parts, so concurrent requests after a new version
        wait for one aggregation instead of each running it."""
        self._snapshot: PlaceSnapshot | None = None

    def snapshot(self) -> PlaceSnapshot:
        """The snapshot of the serving therapists, made again when the index changed."""
        therapists = self.reader.get("therapists")
        searcher = therapists.searcher()
        stamp = (int(searcher.num_docs), int(searcher.num_segments))
        with self._lock:
            snap = self._snapshot
            if snap is None or not snap.fits(therapists, stamp):
                counts = _terms(searcher, "offices__city_slug", CITY_BUCKETS)
                snap = PlaceSnapshot(therapists, stamp, counts)
                self._snapshot = snap
            return snap

    def place_counts(
        self, field: str, state: str | None = None, slugs: Sequence[str] | None = None
    ) -> dict[str, int]:
        snap = self.snapshot()
        if field == "state":
            with self._lock:
                if snap.states is None:
                    counts = _terms(snap.therapists.searcher(), "offices__state", STATE_BUCKETS)
                    snap.states = {s: n for s, n in counts.items() if n > 0}
                return dict(snap.states)
        if slugs is not None:
            return {s: n for s in slugs if (n := snap.city_counts.get(s, 0)) > 0}
        if state is None:
            return {s: n for s, n in snap.city_counts.items() if n > 0}
        with self._lock:
            if state not in snap.cities:
                # A therapist with offices in two states carries the cities of both.
                suffix = f"-{state.lower()}"
                snap.cities[state] = {
                    s: n for s, n in snap.city_counts.items() if s.endswith(suffix) and n > 0
                }
            return dict(snap.cities[state])

    def location_records(
        self, kind: str | None = None, slugs: Sequence[str] | None = None
    ) -> Iterable[dict[str, Any]]:
        if kind is None and slugs is None:
            return self.reader.sources("locations")  # read as it is iterated
        return list(_locations(self.reader.get("locations"), kind, slugs).values())

    def reach_km(self, city_slug: str, lat: float, lon: float) -> float:
        snap = self.snapshot()
        with self._lock:
            known = snap.reach_km.get(city_slug)
        if known is not None:
            return known
        schema = snap.therapists.schema
        searcher = snap.therapists.searcher()
        query = tantivy.Query.term_query(schema.schema, "offices__city_slug", city_slug)
        addrs = _all_docs(searcher, query)
        km = nearest_km(schema, lambda f: fast_floats(searcher, f, addrs), len(addrs), lat, lon)
        finite = km[np.isfinite(km)]
        reach = float(finite.max()) if finite.size else 0.0
        with self._lock:
            snap.reach_km[city_slug] = reach
        return reach
