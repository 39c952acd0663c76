"""A full embedded build stores documents in geographic order, with or without workers."""

from __future__ import annotations

from pathlib import Path

import tantivy

from cli.main import main
from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.encoding import NO_ORDER_KEY
from search_core.embedded.opening import embedded_schema
from search_core.embedded.reader import IndexReader
from search_core.embedded.writer import document_order_key
from search_core.queries import TherapistFilters, TherapistQuery
from search_core.settings import Settings


def _documents_in_order(settings: Settings) -> list[list[dict[str, object]]]:
    """Each segment's stored sources, in document number order."""
    opened = IndexReader(settings).get("therapists")
    searcher = opened.searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs).hits
    addrs = sorted((a for _, a in hits), key=lambda a: (a.segment_ord, a.doc))
    segments: dict[int, list[dict[str, object]]] = {}
    for a in addrs:
        segments.setdefault(a.segment_ord, []).append(opened.source(searcher, a))
    return list(segments.values())


def test_build_orders_documents_by_place_with_or_without_workers(
    tmp_path: Path, small_dir: Path
) -> None:
    builds = []
    for name, workers in (("serial", 0), ("parallel", 2)):
        s = Settings(data_dir=tmp_path / name, index_workers=workers)
        assert main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], s) == 0
        builds.append(_documents_in_order(s))
    # Tantivy's indexing threads share the documents out between segments as they come, so
    # which segment holds which document varies; inside each one the order is the place's.
    schema = embedded_schema(Settings().mappings_dir, "therapists")
    for build in builds:
        for segment in build:
            keys = [schema.order_key(dict(doc)) for doc in segment]
            assert keys == sorted(keys)
    ids = [sorted(str(d["id"]) for seg in build for d in seg) for build in builds]
    assert ids[0] == ids[1] and len(ids[0]) == 4000
    flat = [schema.order_key(dict(d)) for seg in builds[0] for d in seg]
    assert NO_ORDER_KEY in flat, "telehealth-only therapists (no office) are kept, last"
    # A search without text or place ranks all its matches, not the first by document
    # number: both builds answer the same pages.
    pages = []
    for name in ("serial", "parallel"):
        backend = EmbeddedBackend(Settings(data_dir=tmp_path / name, index_workers=0))
        got = []
        for filters in (
            TherapistFilters(max_fee=100),
            TherapistFilters(gender=["female"]),
            TherapistFilters(),
        ):
            for offset in (0, 40):
                q = TherapistQuery(filters=filters, offset=offset, size=10, facets=False)
                got.append([h.therapist.id for h in backend.core.search_therapists(q, "mi").items])
        pages.append(got)
    assert pages[0] == pages[1]
    assert all(len(p) == 10 for p in pages[0])


def test_order_key_of_a_raw_record_never_fails() -> None:
    mappings = Settings().mappings_dir
    good = {"offices": [{"location": {"lat": 45.52, "lon": -122.65}}]}
    assert document_order_key(mappings, "therapists", good) == "c20fcn"
    for broken in (
        {},
        {"offices": "nowhere"},
        {"offices": [{"location": {"lat": "north"}}]},
        {"offices": [{"location": None}]},
        {"offices": [None]},
    ):
        assert document_order_key(mappings, "therapists", broken) == NO_ORDER_KEY
