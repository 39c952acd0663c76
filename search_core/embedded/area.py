"""The area of a location search: the geohash cells covering the circle (finer in dense areas),
the hits inside them (every one fetched, capped at :data:`MAX_AREA`, in two halves at once in
a big area), their exact distances, and the therapists in the circle from the geo grid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import tantivy

from search_core.embedded import querybuild as qb
from search_core.embedded.columns import GEO_PATH, Columns
from search_core.embedded.distances import NearestKm
from search_core.embedded.geogrid import GeoGrid, in_boxes
from search_core.embedded.hits import HitFields
from search_core.embedded.parallel import HELPER
from search_core.embedded.schema import ORD_FIELD, EmbeddedSchema, cells_name
from search_core.errors import InvalidQuery
from search_core.geo import bounding_box
from search_core.geocells import MAX_CELLS, circle_cells
from search_core.queries import GeoFilter

MAX_AREA = 200_000
DENSE_POINTS = 40_000
"""Offices in a circle's bounding box from which the finer cell cover is used (see
``_cells``): a 10-mile New York search at a million therapists has about 115,000."""
DENSE_CELLS = 96
"""The cell budget of a dense area's cover (``MAX_CELLS`` elsewhere)."""
SPLIT_POINTS = 20_000
"""Offices in a circle's bounding box from which a location search's Tantivy pass runs as two
searches at once, each over half of the cells (see ``_split_hits``)."""


@dataclass(frozen=True)
class Area:
    """Therapists with an office within the radius: ``ords`` sorted, ``km`` aligned."""

    ords: np.ndarray
    km: np.ndarray

    def distance_of(self, ords: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self.ords, ords)
        pos = np.clip(pos, 0, max(len(self.ords) - 1, 0))
        if not len(self.ords):
            return np.full(len(ords), np.inf)
        found = self.ords[pos] == ords
        return np.where(found, self.km[pos], np.inf)


def all_hits(
    searcher: tantivy.Searcher, query: tantivy.Query, cap: int, what: str
) -> list[tuple[float, tantivy.DocAddress]]:
    """Every hit of ``query`` (refusing more than ``cap``), in one pass: Tantivy's cost does
    not depend on the limit, only on the hits (a first pass sized to most searches and a
    second one when it was too small would run a big area's query twice)."""
    hits: list[tuple[float, tantivy.DocAddress]] = searcher.search(
        query, limit=cap + 1, count=False
    ).hits
    if len(hits) > cap:
        raise too_many(what, cap)
    return hits


def area_hits(
    searcher: tantivy.Searcher, query: tantivy.Query
) -> list[tuple[float, tantivy.DocAddress]]:
    """Every hit of a location search's ``query`` (at most :data:`MAX_AREA`)."""
    return all_hits(searcher, query, MAX_AREA, "the area")


def too_many(what: str, cap: int) -> InvalidQuery:
    return InvalidQuery(f"{what} holds more than {cap} therapists; use a smaller radius")


def check_area(count: int) -> None:
    """Refuse an area of more than :data:`MAX_AREA` therapists."""
    if count > MAX_AREA:
        raise too_many("the area", MAX_AREA)


def circle(schema: EmbeddedSchema, searcher: tantivy.Searcher, near: GeoFilter) -> Area:
    """The therapists with an office in the circle, from a Tantivy pass over its cells (a
    step ``benchmarks/anatomy.py`` times; searches themselves use the cover and the grid)."""
    fields = HitFields(searcher, area_hits(searcher, cover_query(schema, near)))
    if not len(fields):
        return Area(np.empty(0, dtype=np.uint64), np.empty(0))
    ords = fields.get(ORD_FIELD, np.uint64)
    best = hits_km(schema, fields, near).exact()
    keep = best <= near.radius_km
    order = np.argsort(ords[keep], kind="stable")
    return Area(ords[keep][order], best[keep][order])


def cover_query(
    schema: EmbeddedSchema, near: GeoFilter, grid: GeoGrid | None = None
) -> tantivy.Query:
    """The geohash cells that reach into the circle (see :func:`cover`), as a query."""
    return qb.cells_query(schema, GEO_PATH, cover(near, grid)[0])


def halves(
    schema: EmbeddedSchema, searcher: tantivy.Searcher, near: GeoFilter, budget: int
) -> list[tantivy.Query]:
    """A cover of the circle (of up to ``budget`` cells) cut in two halves holding about
    as many therapists each, as two queries: the cells by their document counts, largest
    first, each to the lighter half."""
    cells = circle_cells(near.lat, near.lon, near.radius_km, budget)
    name = cells_name(GEO_PATH)
    weights = [searcher.doc_freq(name, c) for c in cells]
    parts: tuple[list[str], list[str]] = ([], [])
    loads = [0, 0]
    for k in sorted(range(len(cells)), key=lambda k: -weights[k]):
        lighter = 0 if loads[0] <= loads[1] else 1
        parts[lighter].append(cells[k])
        loads[lighter] += weights[k]
    return [qb.cells_query(schema, GEO_PATH, sorted(part)) for part in parts]


def cover(near: GeoFilter, grid: GeoGrid | None = None) -> tuple[tuple[str, ...], int, int]:
    """The geohash cells that reach into the circle, how many offices the circle's
    bounding box holds (-1: unknown, without the geo grid) and the cell budget used.

    A search inside the cells puts them in every text clause (see ``text_query``), so each
    cell costs every clause a little, and each therapist in the cells but outside the
    circle costs a score, a row and a distance. Where the circle's box holds at least
    :data:`DENSE_POINTS` offices (a big metro area at national scale), the finer cover of
    up to :data:`DENSE_CELLS` cells pays for itself; elsewhere at most ``MAX_CELLS``."""
    budget, points = MAX_CELLS, -1
    if grid is not None:
        points = grid.count_in(bounding_box(near.lat, near.lon, near.radius_km))
        if points >= DENSE_POINTS:
            budget = DENSE_CELLS
    return circle_cells(near.lat, near.lon, near.radius_km, budget), points, budget


def hits_km(schema: EmbeddedSchema, fields: HitFields, near: GeoFilter) -> NearestKm:
    """Each hit's distance to its office nearest to ``near``, within bounds and measured on
    demand (``inf``: no office in the radius's bounding box, never measured)."""
    boxes = bounding_box(near.lat, near.lon, near.radius_km)
    names = schema.by_path[GEO_PATH].names
    owners, lats, lons = [], [], []
    for i in range(0, len(names), 2):
        slot_lats = fields.get(names[i], np.float64)
        if np.isnan(slot_lats).all():  # later slots: only therapists with more offices
            break
        slot_lons = fields.get(names[i + 1], np.float64)
        there = np.flatnonzero(in_boxes(slot_lats, slot_lons, boxes))
        owners.append(there)
        lats.append(slot_lats[there])
        lons.append(slot_lons[there])
    if not owners:
        owners, lats, lons = [np.empty(0, dtype=np.int64)], [np.empty(0)], [np.empty(0)]
    return NearestKm(
        near.lat,
        near.lon,
        boxes,
        len(fields),
        np.concatenate(owners),
        np.concatenate(lats),
        np.concatenate(lons),
    )


def split_hits(
    searcher: tantivy.Searcher, columns: Columns, queries: Sequence[tantivy.Query]
) -> HitFields | None:
    """The hits of two queries that together find what the whole would (the two halves of
    a cover's cells), searched at once: the second on the helper thread. A therapist with
    offices in both halves is found twice, with the same score (the cells score 0), and
    kept once. ``None`` when the helper is busy."""
    first, second = queries
    # The helper only searches (without the GIL); the hits become Python objects here.
    other = HELPER.submit(lambda: searcher.search(second, limit=MAX_AREA + 1, count=False))
    if other is None:
        return None
    try:
        hits_a = all_hits(searcher, first, MAX_AREA, "the area")
    finally:
        result_b = other.result()  # raises what the helper's search raised
    hits_b: list[tuple[float, tantivy.DocAddress]] = result_b.hits
    if len(hits_b) > MAX_AREA:
        raise too_many("the area", MAX_AREA)
    rows_a, rows_b = columns.rows(hits_a), columns.rows(hits_b)
    if len(rows_a) and len(rows_b):
        seen = np.zeros(int(max(rows_a.max(), rows_b.max())) + 1, dtype=bool)
        seen[rows_a] = True
        new_b = np.flatnonzero(~seen[rows_b])
    else:
        new_b = np.arange(len(rows_b))
    idx = np.concatenate([np.arange(len(rows_a)), len(rows_a) + new_b])
    if len(idx) > MAX_AREA:
        raise too_many("the area", MAX_AREA)
    rows = np.concatenate([rows_a, rows_b[new_b]])
    return HitFields(searcher, hits_a + hits_b, columns, idx, rows)


def grid_area(
    searcher: tantivy.Searcher, columns: Columns, grid: GeoGrid, near: GeoFilter
) -> tuple[HitFields, NearestKm]:
    """The therapists in the circle and their distances (measured on demand) from the
    columns' geo grid, with no Tantivy pass (a location search without text)."""
    rows, km = grid.nearest(near.lat, near.lon, near.radius_km)
    check_area(len(rows))
    return HitFields.of_rows(searcher, columns, rows), km
