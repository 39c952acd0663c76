"""Therapist search on the embedded engine: text, filters, disjunctive facets, distance.

Tantivy has no geo query. A location search on a version with facet masks (every full build
since they exist) runs in one Tantivy pass, then in numpy:

1. Tantivy: the text (each clause checked only inside the geo cells), the non-facet filters,
   with two or more facet filters the documents failing at most one of them (no other can
   count anywhere), and the geohash cells reaching into the circle
   (:func:`~search_core.geocells.circle_cells`, finer in dense areas, see :mod:`.area`); every
   hit is fetched;
2. numpy, with each hit's fields gathered from the searcher's columns (:mod:`.columns`): the
   radius, from bounds on each office's distance and the exact distance of the few offices the
   bounds leave open (:mod:`.distances`), the facet filters and the facet counts from
   per-document value bitmasks (counted in the packed mask bytes), each facet leaving out its
   own filter (choosing one issue does not zero the others' counts); then the first page ranked
   by the blend of relevance, distance decay, freshness and the accepting-new-clients boost (or
   by distance, or by date), ties broken by id, measuring exactly the distances of only the
   hits that can still reach the page.

In a big area (at least ``SPLIT_POINTS`` offices in the circle's box, national scale), step 1
runs as two Tantivy searches at once, each over half of a finer cover's cells (balanced by
their document counts), when no other search is running in the process: Tantivy lets go of
the GIL, so the halves use both cores. A therapist found by both is kept once. The scoring
pass of words that only rank (below) is split the same way.

A location search without text (near me, city pages) skips step 1 when the columns hold its
filters: the therapists in the circle and their distances come from the columns'
:class:`~.geogrid.GeoGrid` (a binary search per latitude row of 0.1° cells), so no Python
object is made per hit.

A search without a location ranks Tantivy's top hits by BM25 and counts facets with Tantivy
aggregations. A version built by an older release (without facet masks or ``sources.dat``) is
refused by the reader with a message to reindex (see :mod:`.formats`).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import tantivy

from search_core.embedded import area as areas
from search_core.embedded import querybuild as qb
from search_core.embedded.area import Area
from search_core.embedded.bitcounts import all_of
from search_core.embedded.columns import GEO_PATH, Columns
from search_core.embedded.facets import aggregated_facets, mask_facets
from search_core.embedded.geogrid import GeoGrid
from search_core.embedded.highlighting import (
    HIGHLIGHT_FIELDS,
    highlights,
    snippet_generators,
)
from search_core.embedded.hits import HitFields, Ranked, column_filters
from search_core.embedded.parallel import HELPER
from search_core.embedded.ranking import Ranking
from search_core.embedded.reader import OpenIndex
from search_core.embedded.rendering import therapist_hit
from search_core.embedded.schema import mask_name
from search_core.paging import encode_cursor
from search_core.queries import FACETS, GeoFilter, TherapistQuery
from search_core.results import FacetBucket, SearchPage, TherapistHit, TherapistPage
from search_core.text_query import QueryUnit, ranks_only, search_units
from search_core.tuning import Tuning

__all__ = [  # re-exported for the modules that read them here
    "GEO_PATH",
    "HIGHLIGHT_FIELDS",
    "EmbeddedTherapistSearch",
    "highlights",
]


@dataclass(frozen=True)
class NearSearch:
    """What the one-pass location search (:meth:`EmbeddedTherapistSearch._search_near`) runs
    on: the searcher with its columns, the query and circle, the cells covering the circle,
    the scoring text query inside them, and (in a big area) the cover cut in two halves,
    each with its scoring query."""

    searcher: tantivy.Searcher
    columns: Columns | None
    q: TherapistQuery
    near: GeoFilter
    cells: tantivy.Query
    scoring: tantivy.Query | None
    halves: Sequence[tuple[tantivy.Query, tantivy.Query | None]] | None = None
    units: tuple[QueryUnit, ...] = ()
    """The text's units (the scoring query's words)."""
    ranks_only: bool = False
    """The text only ranks (every word optional, see ``text_query.ranks_only``): it selects
    nothing, so the therapists in the circle come from the columns as without text, and only
    those the filters keep are scored."""


class EmbeddedTherapistSearch:
    """One therapist search: builds the Tantivy queries (:mod:`.querybuild`), runs them with
    the area, facet and ranking steps, and shapes the page of hits."""

    def __init__(self, opened: OpenIndex, tuning: Tuning, remember_words: bool = False) -> None:
        self.opened = opened
        self.schema = opened.schema
        self.tuning = tuning
        self.remember_words = remember_words
        """Whether the scores of words that only rank are kept per therapist and read again
        (see :mod:`.word_scores`): for the engine's own tuning, not an analyst's of one
        request."""
        self.ranking = Ranking(tuning)

    def area(self, searcher: tantivy.Searcher, near: GeoFilter) -> Area:
        """The therapists with an office in the circle (see :func:`.area.circle`)."""
        return areas.circle(self.schema, searcher, near)

    def _cells(self, near: GeoFilter, grid: GeoGrid | None = None) -> tantivy.Query:
        """The geohash cells that reach into the circle, as a query (see :mod:`.area`)."""
        return areas.cover_query(self.schema, near, grid)

    def search(self, q: TherapistQuery, unit: str = "mi") -> SearchPage[TherapistHit]:
        with HELPER.searching():
            return self._search(q, unit)

    def _scoring(
        self, units: list[QueryUnit], within: tantivy.Query | None
    ) -> tantivy.Query | None:
        """The text query; with a location, each text clause is checked only inside the
        cells (see text_query)."""
        fields = self.tuning.therapist_fields
        return qb.text_query(self.schema, units, fields, self.tuning, within=within)

    def _unscored_lists(self, q: TherapistQuery) -> tuple[list[tantivy.Query], list[tantivy.Query]]:
        """The candidate lists of a search without text or location (see
        :meth:`Ranking.rank_unscored`): its query per accepting group, and those limited to
        the hits within the freshness offset (all scored alike)."""
        accepting = [q.filters.accepting_new_clients]
        if accepting[0] is None:
            accepting = [True, False]
        groups: list[tantivy.Query] = []
        plateau: list[tantivy.Query] = []
        f = self.tuning.freshness
        newest = dt.date.today() - dt.timedelta(days=math.floor(f.offset_days))
        for value in accepting:
            filters = q.filters.model_copy(update={"accepting_new_clients": value})
            parts = qb.therapist_filters(self.schema, filters)
            groups.append(qb.combine(None, parts))
            if f.weight > 0 and f.offset_days > 0:
                recent = qb.date_range(self.schema, "last_confirmed", newest, None)
                plateau.append(qb.combine(None, [*parts, recent]))
        return groups, plateau

    def _search(self, q: TherapistQuery, unit: str) -> SearchPage[TherapistHit]:
        started = time.perf_counter()
        schema = self.schema
        near = q.near  # the one-pass location search
        columns = None
        if near is not None and self.opened.columns is not None:
            searcher, columns = self.opened.columns.get(self.opened.index)
        else:
            searcher = self.opened.searcher()
        grid = columns.grid if columns is not None else None
        cover = areas.cover(near, grid) if near is not None else None
        cells = qb.cells_query(schema, GEO_PATH, cover[0]) if cover is not None else None
        units = search_units(q.text, q.text_match, self.tuning.synonyms, q.rank_text)
        scoring = self._scoring(units, cells)
        warnings: list[str] = []
        if q.text and scoring is None:
            warnings.append("the search text has no searchable words; showing all matches")
        if near is not None and cover is not None and cells is not None:
            halves = None
            tantivy_pass = scoring is not None or bool(q.filters.licensed_in)
            if tantivy_pass and cover[1] >= areas.SPLIT_POINTS and HELPER.free():
                halves = [
                    (part, self._scoring(units, part))
                    for part in areas.halves(schema, searcher, near, 2 * cover[2])
                ]
            ranked, total, facets, query = self._search_near(
                NearSearch(
                    searcher=searcher,
                    columns=columns,
                    q=q,
                    near=near,
                    cells=cells,
                    scoring=scoring,
                    halves=halves,
                    units=tuple(units),
                    ranks_only=scoring is not None and ranks_only(units),
                )
            )
        else:  # no location: Tantivy's top hits, facets from aggregations
            query = qb.combine(scoring, qb.therapist_filters(schema, q.filters))
            if scoring is None and q.sort == "relevance":
                groups, plateau = self._unscored_lists(q)
                ranked, total = self.ranking.rank_unscored(searcher, query, groups, plateau, q)
            else:
                ranked, total = self.ranking.rank(searcher, query, q, scoring is not None)
            facets = aggregated_facets(schema, searcher, q, scoring) if q.facets else {}
        page = ranked.page(q.offset, q.size)
        highlighted = q.highlight and scoring is not None
        snippets = snippet_generators(schema, searcher, query) if highlighted else {}
        sources = self.opened.sources(searcher, [addr for addr, _ in page])
        items = [
            therapist_hit(source, score, q, unit, snippets)
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
        self, s: NearSearch
    ) -> tuple[Ranked, int, dict[str, list[FacetBucket]], tantivy.Query]:
        """A location search in one Tantivy pass: text, the non-facet filters and the geo
        ``cells`` covering the circle; then, in numpy over those hits, the exact distance (the
        radius), the facet filters and every facet's counts (each leaving out its own filter)
        from the facet masks, and the ranking.

        Without text, and with filters the columns hold, the therapists in the circle come
        from the columns' :class:`~.geogrid.GeoGrid` instead, with no Tantivy pass at all.

        ``halves`` (a big area's cells in two halves, each with its scoring query) lets the
        Tantivy pass run as two searches at once, see :func:`.area.split_hits`."""
        schema, q, near, columns = self.schema, s.q, s.near, s.columns
        filters = qb.therapist_filters(schema, q.filters, facets=False)
        if (but_one := qb.all_facets_but_one(schema, q.filters)) is not None:
            filters.append(but_one)  # fewer hits; the facet filters themselves are in numpy
        query = qb.combine(s.scoring, [*filters, s.cells])
        grid = columns.grid if columns is not None else None
        apart: Columns | None = None  # the text's scores come from a pass of their own
        if (
            columns is not None
            and grid is not None
            and (s.scoring is None or s.ranks_only)
            and not q.filters.licensed_in
            and not q.filters.conditions()  # the conditions are Tantivy filters
        ):
            fields, km = areas.grid_area(s.searcher, columns, grid, near)
            passed = column_filters(q.filters, fields)
            apart = columns if s.scoring is not None else None
        else:
            fields = self._area_pass(s, filters, columns)
            km = areas.hits_km(schema, fields, near)
            passed = [km.within(near.radius_km)]  # the cells cover more than the circle
        within = np.flatnonzero(all_of(passed, len(km)))
        fields, km = fields.subset(within), km[within]
        chosen = {f: v for f in FACETS if (v := q.filters.facet_values(f))}
        packed = fields.packed([mask_name(f) for f in FACETS]) if q.facets else None
        by_facet = (packed[0], {f: packed[1][mask_name(f)] for f in FACETS}) if packed else None
        masks = {  # the facet filters' (and the counts' when the masks are not packed)
            f: fields.get(mask_name(f), np.uint64, 0)
            for f in (FACETS if q.facets and by_facet is None else tuple(chosen))
        }
        passes = {
            f: (masks[f] & masks[f].dtype.type(schema.mask_of(f, values))) != 0
            for f, values in chosen.items()
        }
        keep = all_of(passes.values(), len(km))
        facets = mask_facets(schema, q, masks, passes, by_facet) if q.facets else {}
        idx = np.flatnonzero(keep)
        kept = fields.subset(idx)
        scores = None
        if s.scoring is not None:
            scores = kept.scores() if apart is None else self._scores_of(s, apart, kept)
        ranked = self.ranking.order(kept, scores, km[idx], q)
        return ranked, len(idx), facets, query

    def _area_pass(
        self, s: NearSearch, filters: list[tantivy.Query], columns: Columns | None
    ) -> HitFields:
        """Every hit of the words with ``filters`` inside the cells: one Tantivy pass, or in a
        big area (``s.halves``) two half passes at once (see :func:`.area.split_hits`)."""
        if s.halves is not None and columns is not None:
            queries = [qb.combine(text, [*filters, part]) for part, text in s.halves]
            split = areas.split_hits(s.searcher, columns, queries)
            if split is not None:
                return split
        hits = areas.area_hits(s.searcher, qb.combine(s.scoring, [*filters, s.cells]))
        return HitFields(s.searcher, hits, columns)

    def _scores_of(self, s: NearSearch, columns: Columns, kept: HitFields) -> np.ndarray:
        """The text scores of ``kept`` (rows of the columns that pass every filter), from one
        Tantivy pass of the scoring query with every filter, facets included, inside the
        cells: the same score each would have in the pass over the whole circle (a filter
        scores nothing), over only the therapists the filters keep. In a big area the two
        halves of the cells are scored at once (see :func:`.area.split_hits`): scoring every
        kept therapist with the label words is most of such a search's time (at a million
        therapists, "cbt" within 10 mi of New York scores 34,000 of them).

        The scores are remembered per searcher (see :mod:`.word_scores`): when every kept
        therapist has been scored for the same words before, they are read from there, with
        no Tantivy pass."""
        assert s.scoring is not None and kept.rows is not None
        if not len(kept):
            return np.zeros(0)
        if self.remember_words and (known := columns.words.scores(s.units, kept.rows)) is not None:
            return known.astype(np.float64)  # every one scored before (see .word_scores)
        scored = self._area_pass(s, qb.therapist_filters(self.schema, s.q.filters), columns)
        rows, scores = scored.rows, scored.scores()
        assert rows is not None
        if not len(rows):
            return np.zeros(len(kept))
        if self.remember_words:
            columns.words.keep(s.units, rows, scores, columns.width)
        # By row: a scatter and a gather (0.5 ms for 34,000 hits; sorting the hits' rows and
        # searching them cost 2.5). Every kept row is among the hits (the filters read the
        # same values on the columns and in Tantivy: the brute-force tests hold them to it);
        # a row that were not would rank as matching no word.
        by_row = np.zeros(int(max(rows.max(), kept.rows.max())) + 1)
        by_row[rows] = scores
        out: np.ndarray = by_row[kept.rows]
        return out
