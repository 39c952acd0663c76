"""Therapist search on the embedded engine: text, filters, disjunctive facets, distance.

Tantivy has no geo query. A location search on a version with facet masks (every full build
since they exist) runs in one Tantivy pass, then in numpy:

1. Tantivy: the text (each clause checked only inside the geo cells), the non-facet filters,
   with two or more facet filters the documents failing at most one of them (no other can
   count anywhere), and the geohash cells reaching into the circle
   (:func:`~search_core.geocells.circle_cells`, finer in dense areas, see ``_cells``); every
   hit is fetched;
2. numpy, with each hit's fields gathered from the searcher's columns (:mod:`.columns`): the
   exact distance of each office (the radius), the facet filters and the facet counts from
   per-document value bitmasks, each facet leaving out its own filter (choosing one issue does
   not zero the others' counts); then the first page ranked by the blend of relevance,
   distance decay, freshness and the accepting-new-clients boost (or by distance, or by date),
   ties broken by id.

In a big area (at least ``SPLIT_POINTS`` offices in the circle's box, national scale), step 1
runs as two Tantivy searches at once, each over half of a finer cover's cells (balanced by
their document counts), when no other search is running in the process: Tantivy lets go of
the GIL, so the halves use both cores. A therapist found by both is kept once.

A location search without text (near me, city pages) skips step 1 when the columns hold its
filters: the therapists in the circle and their distances come from the columns'
:class:`~.columns.GeoGrid` (a binary search per latitude row of 0.1° cells), so no Python
object is made per hit.

A search without a location ranks Tantivy's top hits by BM25 and counts facets with Tantivy
aggregations. A version without facet masks (built by an older release) is searched the old
way: the area as a term set of ``_ord`` values, one aggregation per selected facet.
"""

from __future__ import annotations

import contextlib
import html
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import tantivy

from search_core.documents import Therapist
from search_core.embedded import querybuild as qb
from search_core.embedded.columns import (
    ACCEPTING,
    FEE_MIN,
    GEO_PATH,
    LAST_CONFIRMED,
    NO_FLAG,
    Columns,
    fast_floats,
    field_of,
    hit_scores,
    nearest_km,
)
from search_core.embedded.geogrid import GeoGrid
from search_core.embedded.reader import OpenIndex
from search_core.embedded.schema import (
    EPOCH_SUFFIX,
    ID_KEY_FIELD,
    ORD_FIELD,
    cells_name,
    mask_name,
)
from search_core.errors import InvalidQuery
from search_core.geo import bounding_box, distance_km
from search_core.geocells import MAX_CELLS, circle_cells
from search_core.index_docs import therapist_from_doc
from search_core.paging import encode_cursor
from search_core.queries import FACETS, FLAGS, GeoFilter, TherapistFilters, TherapistQuery
from search_core.results import FacetBucket, NearestOffice, SearchPage, TherapistHit, TherapistPage
from search_core.text_query import parse
from search_core.tuning import Tuning
from search_core.vocabulary import FILTER_VOCABULARIES

RESCORE_WINDOW = 200
"""Without a location, the top hits by BM25 that the freshness and accepting boosts re-rank."""
MAX_AREA = 200_000
DENSE_POINTS = 40_000
"""Offices in a circle's bounding box from which the finer cell cover is used (see
``_cells``): a 10-mile New York search at a million therapists has about 115,000."""
DENSE_CELLS = 96
"""The cell budget of a dense area's cover (``MAX_CELLS`` elsewhere)."""
SPLIT_POINTS = 20_000
"""Offices in a circle's bounding box from which a location search's Tantivy pass runs as two
searches at once, each over half of the cells (see ``_split_hits``)."""
HIGHLIGHT_FIELDS = ("bio",)
SNIPPET_CHARS = 200
MI_PER_KM = 0.621371192237334


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


class HitFields:
    """Some of a search's hits (positions ``idx`` in ``hits``) and their fast-field values:
    gathered from the index's numpy columns when the searcher has them, else read through
    ``fast_field_values`` (one call per field). Without ``hits`` (a search answered from the
    columns alone, see :meth:`of_rows`) the hits are the ``rows`` of the columns."""

    def __init__(
        self,
        searcher: tantivy.Searcher,
        hits: Sequence[tuple[float, tantivy.DocAddress]],
        columns: Columns | None = None,
        idx: np.ndarray | None = None,
        rows: np.ndarray | None = None,
    ) -> None:
        self.searcher, self.hits, self.columns = searcher, hits, columns
        self.idx = idx if idx is not None else np.arange(len(hits))
        if columns is not None and rows is None:
            rows = columns.rows(hits)
        self.rows = rows
        self._addrs: list[tantivy.DocAddress] | None = None
        self._taken: dict[int, np.ndarray] = {}  # the hits' rows of each block, by id

    @classmethod
    def of_rows(cls, searcher: tantivy.Searcher, columns: Columns, rows: np.ndarray) -> HitFields:
        return cls(searcher, (), columns, np.arange(len(rows)), rows)

    def __len__(self) -> int:
        return len(self.idx)

    def subset(self, which: np.ndarray) -> HitFields:
        rows = self.rows[which] if self.rows is not None else None
        out = HitFields(self.searcher, self.hits, self.columns, self.idx[which], rows)
        out._taken = {k: np.take(v, which, axis=0) for k, v in self._taken.items()}
        return out

    def addr(self, k: int) -> tantivy.DocAddress:
        if not self.hits and self.columns is not None and self.rows is not None:
            return self.columns.address(int(self.rows[k]))
        return self.hits[int(self.idx[k])][1]

    @property
    def addrs(self) -> list[tantivy.DocAddress]:
        if self._addrs is None:
            hits = self.hits
            self._addrs = [hits[i][1] for i in self.idx.tolist()]
        return self._addrs

    def scores(self) -> np.ndarray:
        scores: np.ndarray = hit_scores(self.hits)[self.idx]
        return scores

    def get(self, field: str, dtype: type, missing: float | None = None) -> np.ndarray:
        if self.columns is not None and self.rows is not None:
            placed = self.columns.blocks.get(field)
            if placed is None:
                if field in self.columns.absent:
                    return self.columns.missing(field, len(self.rows))
                column: np.ndarray = np.take(self.columns[field], self.rows)
                return column
            block, where, dtype_of = placed
            taken = self._taken.get(id(block))
            if taken is None:
                taken = self._taken[id(block)] = np.take(block, self.rows, axis=0)
            return field_of(taken, where, dtype_of)
        if np.dtype(dtype).kind == "f":
            return fast_floats(self.searcher, field, self.addrs, missing)
        values = self.searcher.fast_field_values(field, self.addrs)
        try:
            return np.array(values, dtype=dtype)
        except TypeError:  # some documents lack the field
            fill = 0 if missing is None else missing
            return np.array([fill if v is None else v for v in values], dtype=dtype)


@dataclass(frozen=True)
class Ranked:
    """Hits in result order: ``order`` indexes ``fields``; ``final`` holds the shown scores
    (``None`` when the search has no text)."""

    fields: HitFields | None
    order: np.ndarray
    final: np.ndarray | None

    def page(self, offset: int, size: int) -> list[tuple[tantivy.DocAddress, float | None]]:
        if self.fields is None:
            return []
        fields, final = self.fields, self.final
        return [
            (fields.addr(k), float(final[k]) if final is not None else None)
            for k in self.order[offset : offset + size].tolist()
        ]


NOTHING = Ranked(None, np.empty(0, dtype=np.int64), None)


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


class _Helper:
    """One helper thread per process for the second half of a split search (Tantivy lets go of
    the GIL while it searches, so the halves run on two cores). Used only by a search that is
    alone in its process: when others are running they already use the cores, and the search
    runs in one pass as usual. It never queues."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0
        self._running = 0  # searches in this process
        self._busy = False

    @contextlib.contextmanager
    def searching(self) -> Iterator[None]:
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1

    def free(self) -> bool:
        """Whether :meth:`submit` would take a search now (it may not, a moment later)."""
        return not self._busy and self._running <= 1

    def submit(self, fn: Callable[[], Any]) -> Future[Any] | None:
        with self._lock:
            if self._busy or self._running > 1:
                return None
            if self._pool is None or self._pid != os.getpid():  # a forked child has no thread
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="search-half")
                self._pid = os.getpid()
            self._busy = True
        future = self._pool.submit(fn)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self._busy = False


HELPER = _Helper()


def too_many(what: str, cap: int) -> InvalidQuery:
    return InvalidQuery(f"{what} holds more than {cap} therapists; use a smaller radius")


_BITS_OF_BYTE = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1, bitorder="little")
"""Row *b*: the 8 bits of byte value *b*, least significant first."""


BIT_COUNT_ROWS = 16_384
"""Rows histogrammed at a time by :func:`bit_counts_of` (its codes are 8 bytes a byte)."""


def bit_counts(masks: np.ndarray, nbits: int) -> np.ndarray:
    """How many of ``masks`` (unsigned integers) have each of the low ``nbits`` bits set."""
    return bit_counts_of([(masks, nbits)])[0]


def bit_counts_of(columns: Sequence[tuple[np.ndarray, int]]) -> list[np.ndarray]:
    """:func:`bit_counts` of several mask arrays of the same length at once: one histogram of
    every byte the bits need, of every array, then bits per byte value (cheaper than unpacking
    every mask, and one ``bincount`` instead of one per byte of each facet)."""
    parts: list[np.ndarray] = []
    for masks, nbits in columns:
        size = masks.dtype.itemsize
        if nbits > 8 * size:
            raise ValueError(f"{nbits} bits do not fit in {masks.dtype}")
        as_bytes = np.ascontiguousarray(masks, dtype=masks.dtype.newbyteorder("<"))
        parts.append(as_bytes.view(np.uint8).reshape(-1, size)[:, : (nbits + 7) // 8])
    if not parts:
        return []
    every = np.hstack(parts) if len(parts) > 1 else parts[0]
    width = every.shape[1]
    offsets = np.arange(width, dtype=np.intp) * 256  # byte j of a row counts at 256 j + value
    histogram = np.zeros(256 * width, dtype=np.int64)
    for start in range(0, len(every), BIT_COUNT_ROWS):  # bounded temporaries in big areas
        codes = every[start : start + BIT_COUNT_ROWS].astype(np.intp) + offsets
        histogram += np.bincount(codes.ravel(), minlength=256 * width)
    per_byte = histogram.reshape(width, 256) @ _BITS_OF_BYTE  # width × 8
    out, start = [], 0
    for (_, nbits), part in zip(columns, parts, strict=True):
        out.append(per_byte[start : start + part.shape[1]].reshape(-1)[:nbits])
        start += part.shape[1]
    return out


def _all_of(conditions: Iterable[np.ndarray], n: int) -> np.ndarray:
    """Where every boolean array of ``conditions`` holds (everywhere when there are none)."""
    out = np.ones(n, dtype=bool)
    for ok in conditions:
        out &= ok
    return out


def _first(key: np.ndarray, id_keys: np.ndarray, want: int) -> np.ndarray:
    """Positions of the ``want`` smallest ``(key, id)`` pairs in order (all of them when
    fewer; possibly a few more, tied with the last). Only those are sorted."""
    n = len(key)
    candidates = np.arange(n)
    if 0 < want < n // 4:
        kth = np.partition(key, want - 1)[want - 1]
        candidates = np.flatnonzero(key <= kth)
    by = np.lexsort((id_keys[candidates], key[candidates]))
    ordered: np.ndarray = candidates[by]
    return ordered


def _gauss(x: np.ndarray, offset: float, scale: float, decay: float) -> np.ndarray:
    """Elasticsearch's gauss decay: 1 up to ``offset``, ``decay`` at ``offset + scale``."""
    sigma2 = -(scale**2) / (2.0 * math.log(decay))
    over = np.maximum(0.0, x - offset)
    result: np.ndarray = np.exp(-(over**2) / (2.0 * sigma2))
    return result


class EmbeddedTherapistSearch:
    def __init__(self, opened: OpenIndex, tuning: Tuning) -> None:
        self.opened = opened
        self.es = opened.schema
        self.tuning = tuning

    # ------------------------------------------------------------------ area

    def area(self, searcher: tantivy.Searcher, near: GeoFilter) -> Area:
        fields = HitFields(searcher, all_hits(searcher, self._cells(near), MAX_AREA, "the area"))
        if not len(fields):
            return Area(np.empty(0, dtype=np.uint64), np.empty(0))
        ords = fields.get(ORD_FIELD, np.uint64)
        best = self._nearest_km(fields, near)
        keep = best <= near.radius_km
        order = np.argsort(ords[keep], kind="stable")
        return Area(ords[keep][order], best[keep][order])

    # ------------------------------------------------------------------ search

    def search(self, q: TherapistQuery, unit: str = "mi") -> SearchPage[TherapistHit]:
        with HELPER.searching():
            return self._search(q, unit)

    def _search(self, q: TherapistQuery, unit: str) -> SearchPage[TherapistHit]:
        started = time.perf_counter()
        near = q.near if self.opened.masks else None  # the one-pass location search
        columns = None
        if near is not None and self.opened.columns is not None:
            searcher, columns = self.opened.columns.get(self.opened.index)
        else:
            searcher = self.opened.searcher()
        grid = columns.grid if columns is not None else None
        cover = self._cover(near, grid) if near is not None else None
        cells = qb.cells_query(self.es, GEO_PATH, cover[0]) if cover is not None else None
        units = parse(q.text, self.tuning.synonyms)

        def scoring_within(within: tantivy.Query | None) -> tantivy.Query | None:
            # With a location, each text clause is checked only inside the cells (see
            # text_query).
            fields = self.tuning.therapist_fields
            return qb.text_query(self.es, units, fields, self.tuning, within=within)

        scoring = scoring_within(cells)
        warnings: list[str] = []
        if q.text and scoring is None:
            warnings.append("the search text has no searchable words; showing all matches")
        if near is not None and cover is not None and cells is not None:
            halves = None
            tantivy_pass = scoring is not None or bool(q.filters.licensed_in)
            if tantivy_pass and cover[1] >= SPLIT_POINTS and HELPER.free():
                halves = [
                    (part, scoring_within(part))
                    for part in self._halves(searcher, near, 2 * cover[2])
                ]
            ranked, total, facets, query = self._search_near(
                searcher, columns, q, near, cells, scoring, halves
            )
        else:
            area = self.area(searcher, q.near) if q.near else None
            geo_filters = [qb.ords_query(self.es, area.ords.tolist())] if area is not None else []
            filters = qb.therapist_filters(self.es, q.filters) + geo_filters
            query = qb.combine(scoring, filters)
            ranked, total, matched = self._rank(searcher, query, q, area, scoring is not None)
            facets = self._facets(searcher, q, scoring, geo_filters, matched) if q.facets else {}
        page = ranked.page(q.offset, q.size)
        snippets = self._snippet_generators(searcher, query) if q.highlight and q.text else {}
        sources = self.opened.sources(searcher, [addr for addr, _ in page])
        items = [
            self._hit(source, score, q, unit, snippets)
            for source, (_, score) in zip(sources, page, strict=True)
        ]
        next_offset = q.offset + q.size
        return TherapistPage(
            items=items,
            total=total,
            offset=q.offset,
            size=q.size,
            facets=facets,
            next_cursor=encode_cursor(next_offset) if next_offset < total else None,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            warnings=warnings,
            engine="embedded",
        )

    def _search_near(
        self,
        searcher: tantivy.Searcher,
        columns: Columns | None,
        q: TherapistQuery,
        near: GeoFilter,
        cells: tantivy.Query,
        scoring: tantivy.Query | None,
        halves: Sequence[tuple[tantivy.Query, tantivy.Query | None]] | None = None,
    ) -> tuple[Ranked, int, dict[str, list[FacetBucket]], tantivy.Query]:
        """A location search in one Tantivy pass: text, the non-facet filters and the geo
        ``cells`` covering the circle; then, in numpy over those hits, the exact distance (the
        radius), the facet filters and every facet's counts (each leaving out its own filter)
        from the facet masks, and the ranking.

        Without text, and with filters the columns hold, the therapists in the circle come
        from the columns' :class:`~.columns.GeoGrid` instead, with no Tantivy pass at all.

        ``halves`` (a big area's cells in two halves, each with its scoring query) lets the
        Tantivy pass run as two searches at once, see :meth:`_split_hits`."""
        filters = qb.therapist_filters(self.es, q.filters, facets=False)
        if (but_one := qb.all_facets_but_one(self.es, q.filters)) is not None:
            filters.append(but_one)  # fewer hits; the facet filters themselves are in numpy
        query = qb.combine(scoring, [*filters, cells])
        grid = columns.grid if columns is not None else None
        if (
            columns is not None
            and grid is not None
            and scoring is None
            and not q.filters.licensed_in
        ):
            rows, km = grid.within(near.lat, near.lon, near.radius_km)
            if len(rows) > MAX_AREA:
                raise too_many("the area", MAX_AREA)
            fields = HitFields.of_rows(searcher, columns, rows)
            passed = self._column_filters(q.filters, fields)
        else:
            split = None
            if halves is not None and columns is not None:
                queries = [qb.combine(text, [*filters, part]) for part, text in halves]
                split = self._split_hits(searcher, columns, queries)
            if split is None:
                hits = all_hits(searcher, query, MAX_AREA, "the area")
            fields = split if split is not None else HitFields(searcher, hits, columns)
            km = self._nearest_km(fields, near)
            passed = [km <= near.radius_km]  # the cells cover more than the circle
        within = np.flatnonzero(_all_of(passed, len(km)))
        fields, km = fields.subset(within), km[within]
        chosen = {f: v for f in FACETS if (v := q.filters.facet_values(f))}
        masks = {
            f: fields.get(mask_name(f), np.uint64, 0)
            for f in (FACETS if q.facets else tuple(chosen))
        }
        passes = {
            f: (masks[f] & masks[f].dtype.type(self.es.mask_of(f, values))) != 0
            for f, values in chosen.items()
        }
        keep = _all_of(passes.values(), len(km))
        facets = self._mask_facets(q, masks, passes) if q.facets else {}
        idx = np.flatnonzero(keep)
        kept = fields.subset(idx)
        ranked = self._order(kept, kept.scores() if scoring is not None else None, km[idx], q)
        return ranked, len(idx), facets, query

    @staticmethod
    def _split_hits(
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

    @staticmethod
    def _column_filters(f: TherapistFilters, fields: HitFields) -> list[np.ndarray]:
        """The non-facet filters but ``licensed_in`` (which has no column) on the columns, as
        Tantivy applies them: a document without the field fails."""
        out = []
        if f.max_fee is not None:
            out.append(fields.get(FEE_MIN, np.float32) <= f.max_fee)
        for flag in FLAGS:
            if (value := getattr(f, flag)) is not None:
                out.append(fields.get(flag, np.int8) == int(value))
        return out

    def _cells(self, near: GeoFilter, grid: GeoGrid | None = None) -> tantivy.Query:
        """The geohash cells that reach into the circle (see :meth:`_cover`), as a query."""
        return qb.cells_query(self.es, GEO_PATH, self._cover(near, grid)[0])

    def _halves(
        self, searcher: tantivy.Searcher, near: GeoFilter, budget: int
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
        return [qb.cells_query(self.es, GEO_PATH, sorted(part)) for part in parts]

    def _cover(
        self, near: GeoFilter, grid: GeoGrid | None = None
    ) -> tuple[tuple[str, ...], int, int]:
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

    def _nearest_km(self, fields: HitFields, near: GeoFilter) -> np.ndarray:
        """Each hit's distance to its office nearest to ``near`` (``inf``: none in the radius's
        bounding box)."""
        return nearest_km(
            self.es,
            lambda f: fields.get(f, np.float64),
            len(fields),
            near.lat,
            near.lon,
            near.radius_km,
        )

    def _mask_facets(
        self,
        q: TherapistQuery,
        masks: dict[str, np.ndarray],
        passes: dict[str, np.ndarray],
    ) -> dict[str, list[FacetBucket]]:
        """Disjunctive counts: each facet over the hits that pass every *other* facet filter."""
        counts: dict[str, dict[str, int]] = {}
        # Facets counted over the same hits are counted together: every facet not chosen
        # over the hits passing every chosen one, each chosen one over its own.
        groups: dict[frozenset[str], list[str]] = {}
        for facet in masks:
            groups.setdefault(frozenset(passes) - {facet}, []).append(facet)
        n = len(next(iter(masks.values()))) if masks else 0
        for others, facets in groups.items():
            rows = _all_of((passes[o] for o in others), n) if others else None
            layouts = [self.es.mask_layout[f] for f in facets]
            per_bits = bit_counts_of(
                [
                    (masks[f] if rows is None else masks[f][rows], len(layout))
                    for f, layout in zip(facets, layouts, strict=True)
                ]
            )
            for facet, layout, per_bit in zip(facets, layouts, per_bits, strict=True):
                counts[facet] = {
                    layout[i]: int(per_bit[i]) for i in np.flatnonzero(per_bit).tolist()
                }
        return self._buckets(q, counts)

    def _rank(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        q: TherapistQuery,
        area: Area | None,
        has_text: bool,
    ) -> tuple[Ranked, int, np.ndarray | None]:
        """Hits in order, the total, and the ``_ord`` of every hit when all were fetched."""
        want = q.offset + q.size
        if area is None and q.sort == "recent":
            result = searcher.search(
                query,
                limit=want + RESCORE_WINDOW,
                count=True,
                order_by_field=LAST_CONFIRMED + EPOCH_SUFFIX,
            )
            hits, count = result.hits, int(result.count)  # type: ignore[attr-defined]
        elif area is None:
            result = searcher.search(
                query, limit=max(want, RESCORE_WINDOW) + RESCORE_WINDOW, count=True
            )
            hits, count = result.hits, int(result.count)  # type: ignore[attr-defined]
        else:
            hits = all_hits(searcher, query, MAX_AREA, "the area")
            count = len(hits)
        if count == 0:
            return NOTHING, 0, None
        fields = HitFields(searcher, hits)
        ords = fields.get(ORD_FIELD, np.uint64) if area is not None else None
        km = area.distance_of(ords) if area is not None and ords is not None else None
        return self._order(fields, fields.scores() if has_text else None, km, q), count, ords

    def _order(
        self,
        fields: HitFields,
        scores: np.ndarray | None,
        km: np.ndarray | None,
        q: TherapistQuery,
    ) -> Ranked:
        """The hits in the query's order (ties by id), with their shown scores (none without
        search text)."""
        if not len(fields):
            return NOTHING
        id_keys = fields.get(ID_KEY_FIELD, np.uint64, 0)
        epochs = fields.get(LAST_CONFIRMED + EPOCH_SUFFIX, np.float64, 0.0)
        raw = scores if scores is not None else np.ones(len(fields))
        want = q.offset + q.size
        if q.sort == "distance" and km is not None:
            order = _first(km, id_keys, want)
            final = raw
        elif q.sort == "recent":
            order = _first(-epochs, id_keys, want)
            final = raw
        else:
            final = self._blend(fields, raw, epochs, km)
            order = _first(-final, id_keys, want)
        return Ranked(fields, order, final if scores is not None else None)

    def _blend(
        self,
        fields: HitFields,
        scores: np.ndarray,
        epochs: np.ndarray,
        km: np.ndarray | None,
    ) -> np.ndarray:
        t = self.tuning
        out = scores.copy()
        if km is not None and t.distance.weight > 0:
            d = t.distance
            g = _gauss(km, d.offset_km, d.scale_km, d.decay)
            out *= (1 - d.weight) + d.weight * g
        if t.freshness.weight > 0:
            f = t.freshness
            now = time.time()
            age_days = np.maximum(0.0, (now - epochs) / 86400.0)
            g = _gauss(age_days, f.offset_days, f.scale_days, f.decay)
            out *= (1 - f.weight) + f.weight * g
        if t.accepting_new_clients_boost != 1.0:
            acc = fields.get(ACCEPTING, np.int8, NO_FLAG) == 1
            out *= np.where(acc, t.accepting_new_clients_boost, 1.0)
        return out

    # ------------------------------------------------------------------ hits

    def _hit(
        self,
        source: dict[str, Any],
        score: float | None,
        q: TherapistQuery,
        unit: str,
        snippets: dict[str, tantivy.SnippetGenerator],
    ) -> TherapistHit:
        therapist = therapist_from_doc(source)
        return TherapistHit(
            therapist=therapist,
            score=None if score is None else round(score, 4),
            nearest_office=nearest_office(therapist, q.near, unit) if q.near else None,
            highlights=highlights(snippets, source),
        )

    def _snippet_generators(
        self, searcher: tantivy.Searcher, query: tantivy.Query
    ) -> dict[str, tantivy.SnippetGenerator]:
        out = {}
        for field in HIGHLIGHT_FIELDS:
            gen = tantivy.SnippetGenerator.create(searcher, query, self.es.schema, field)
            gen.set_max_num_chars(SNIPPET_CHARS)
            out[field] = gen
        return out

    # ------------------------------------------------------------------ facets

    def _facets(
        self,
        searcher: tantivy.Searcher,
        q: TherapistQuery,
        scoring: tantivy.Query | None,
        geo: Sequence[tantivy.Query],
        matched: np.ndarray | None,
    ) -> dict[str, list[FacetBucket]]:
        counts: dict[str, dict[str, int]] = {}
        unselected = [f for f in FACETS if not q.filters.facet_values(f)]
        if unselected:
            if matched is not None:  # every hit is known: count over exactly those
                base = qb.ords_query(self.es, matched.tolist())
            else:
                base = qb.combine(scoring, qb.therapist_filters(self.es, q.filters) + list(geo))
            counts.update(self._aggregate(searcher, base, unselected))
        for facet in FACETS:
            if facet in unselected:
                continue
            query = qb.combine(scoring, qb.therapist_filters(self.es, q.filters, facet) + list(geo))
            counts.update(self._aggregate(searcher, query, [facet]))
        return self._buckets(q, counts)

    @staticmethod
    def _buckets(
        q: TherapistQuery, counts: dict[str, dict[str, int]]
    ) -> dict[str, list[FacetBucket]]:
        """Buckets of every facet, most therapists first; a chosen value is kept at 0."""
        out: dict[str, list[FacetBucket]] = {}
        for facet in FACETS:
            vocab = FILTER_VOCABULARIES[facet]
            chosen = set(q.filters.facet_values(facet))
            got = counts.get(facet, {})
            bucket = FacetBucket
            buckets = [
                bucket(value=v, label=vocab.label(v), count=n, selected=v in chosen)
                for v, n in got.items()
                if v in vocab
            ]
            buckets += [
                bucket(value=v, label=vocab.label(v), count=0, selected=True)
                for v in chosen
                if v not in got
            ]
            buckets.sort(key=lambda b: (-b.count, b.label))
            out[facet] = buckets
        return out

    def _aggregate(
        self, searcher: tantivy.Searcher, query: tantivy.Query, facets: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        aggs = {
            f: {"terms": {"field": qb.FACET_FIELDS[f], "size": len(FILTER_VOCABULARIES[f]) + 5}}
            for f in facets
        }
        result = searcher.aggregate(query, aggs)
        return {f: {b["key"]: int(b["doc_count"]) for b in result[f]["buckets"]} for f in facets}


def nearest_office(therapist: Therapist, near: GeoFilter, unit: str) -> NearestOffice | None:
    """The therapist's office nearest to the search point, with its distance in ``unit``."""
    if not therapist.offices:
        return None
    km, best = min(
        (distance_km(near.lat, near.lon, o.location.lat, o.location.lon), o)
        for o in therapist.offices
    )
    shown = km * MI_PER_KM if unit == "mi" else km
    return NearestOffice(office=best, distance=round(shown, 2), unit=unit)


def highlights(
    snippets: dict[str, tantivy.SnippetGenerator], source: dict[str, Any]
) -> dict[str, list[str]]:
    """Fragments of each highlighted field with the matched words marked."""
    out: dict[str, list[str]] = {}
    for field, gen in snippets.items():
        text = source.get(field)
        if not text:
            continue
        doc = tantivy.Document()
        doc.add_text(field, text)
        snippet = gen.snippet_from_doc(doc)
        ranges = [(r.start, r.end) for r in snippet.highlighted()]
        if ranges:
            out[field] = [mark(snippet.fragment(), ranges)]
    return out


def mark(fragment: str, ranges: Sequence[tuple[int, int]]) -> str:
    """HTML-escape ``fragment`` and wrap each highlighted byte range in ``<mark>``."""
    raw = fragment.encode("utf-8")
    out: list[str] = []
    pos = 0
    for start, end in sorted(ranges):
        if start < pos:
            continue
        out.append(html.escape(raw[pos:start].decode("utf-8", "replace")))
        out.append("<mark>" + html.escape(raw[start:end].decode("utf-8", "replace")) + "</mark>")
        pos = end
    out.append(html.escape(raw[pos:].decode("utf-8", "replace")))
    return "".join(out).strip()
