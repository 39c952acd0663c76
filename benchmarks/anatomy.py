"""Where a full directory search spends its time on the embedded engine, step by step.

Each step of ``EmbeddedTherapistSearch.search`` that runs a Tantivy query is timed on its own
over the first full searches of the workload, next to the cheaper alternative for its area
filter (the bounding-box range query on the fast ``lat``/``lon`` slots instead of the term set of
``_ord`` values). It reaches into engine internals (``querybuild``, ``area``), so a refactor of
the engine may break it: the harness then reports the error instead of the table. Steps whose
building blocks the engine does not have (geo cells) are left out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.engine import OurEngine, filters_of
from benchmarks.workload import Request

STEPS = (
    ("bbox", "bounding-box query (fast-field ranges), count"),
    ("cells", "geo cells covering the box (inverted index), count"),
    ("area", "`area()`: bounding box + exact distances in numpy"),
    ("ords", "`_ord` term set of the area (the area filter), count"),
    ("text", "text query alone, count"),
    ("main_ords", "text + filters + `_ord` set, count (run ≥ 2× per search)"),
    ("main_bbox", "text + filters + bounding box instead, count"),
    ("main_cells", "text + filters + covering cells instead, count"),
    ("facets_ords", "facet aggregation with the `_ord` set (run 1 + selected facets ×)"),
    ("facets_bbox", "facet aggregation with the bounding box instead"),
    ("search", "the whole engine therapist search (`EmbeddedCore.search_therapists`)"),
)


def measure(engine: OurEngine, requests: list[Request], repeat: int = 3) -> dict[str, Any]:
    from search_core.embedded import querybuild as qb
    from search_core.embedded.therapist_search import GEO_PATH, EmbeddedTherapistSearch
    from search_core.geo import bounding_box
    from search_core.text_query import parse

    b = engine.backend
    opened = b.reader.get("therapists")
    es = opened.schema
    s = opened.searcher()
    ts = EmbeddedTherapistSearch(opened, b.tuning)
    grid = opened.columns.get(opened.index)[1].grid if opened.columns is not None else None
    times: dict[str, list[float]] = {k: [] for k, _ in STEPS}
    area_sizes: list[int] = []
    aggs = {f: {"terms": {"field": f, "size": 100}} for f in qb.FACET_FIELDS}

    def clock(key: str, fn: Callable[[], object]) -> None:
        fn()
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn()
        times[key].append((time.perf_counter() - t0) / repeat * 1000)

    def count(q: Any) -> int:
        return int(s.search(q, limit=1, count=True).count)

    for req in requests:
        near = engine.near(req)
        if near is None:
            continue
        bbox = qb.bbox_query(es, GEO_PATH, bounding_box(near.lat, near.lon, near.radius_km))
        area = ts.area(s, near)
        area_sizes.append(len(area.ords))
        ords = qb.ords_query(es, area.ords.tolist())
        text = qb.text_query(
            es, parse(req.get("q"), b.tuning.synonyms), b.tuning.therapist_fields, b.tuning
        )
        filters = qb.therapist_filters(es, filters_of(req))
        main_ords = qb.combine(text, [*filters, ords])
        main_bbox = qb.combine(text, [*filters, bbox])
        clock("bbox", lambda q=bbox: count(q))
        cells = None
        if hasattr(qb, "cells_query"):
            cells = ts._cells(near, grid)
            clock("cells", lambda q=cells: count(q))
        clock("area", lambda n=near: ts.area(s, n))
        clock("ords", lambda q=ords: count(q))
        if text is not None:
            clock("text", lambda q=text: count(q))
        clock("main_ords", lambda q=main_ords: count(q))
        clock("main_bbox", lambda q=main_bbox: count(q))
        if cells is not None:
            main_cells = qb.combine(text, [*filters, cells])
            clock("main_cells", lambda q=main_cells: count(q))
        clock("facets_ords", lambda q=main_ords: s.aggregate(q, aggs))
        clock("facets_bbox", lambda q=main_bbox: s.aggregate(q, aggs))
        clock("search", lambda r=req: engine.call(r))
    return {
        "searches": len(area_sizes),
        "area_median": float(np.median(area_sizes)) if area_sizes else 0.0,
        "steps": [
            {
                "step": label,
                "mean_ms": float(np.mean(times[k])) if times[k] else None,
                "p90_ms": float(np.percentile(times[k], 90)) if times[k] else None,
            }
            for k, label in STEPS
            if times[k]
        ],
    }
