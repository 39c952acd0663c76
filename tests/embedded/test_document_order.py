"""A full embedded build stores documents in geographic order, whatever the sort buffer size."""

from __future__ import annotations

import random
from pathlib import Path

import tantivy

from indexer.cli import main
from search_core.embedded.reader import IndexReader
from search_core.embedded.schema import NO_ORDER_KEY
from search_core.embedded.writer import SortedFeed, embedded_schema
from search_core.settings import Settings


def test_sorted_feed_spills_and_merges_into_one_order(tmp_path: Path) -> None:
    rng = random.Random(7)
    records = [
        f'{rng.choice(["9q8yy", "dr5ru", "~~~~~"])}{rng.randrange(10)}\t{seq:012d}\t{{"n":{seq}}}'
        for seq in rng.sample(range(100_000), 3000)
    ]
    in_memory = SortedFeed(tmp_path / "a", run_bytes=1 << 30)
    spilling = SortedFeed(tmp_path / "b", run_bytes=2000)
    for r in records:
        in_memory.add(r)
        spilling.add(r)
    assert (tmp_path / "b").is_dir() and len(list((tmp_path / "b").iterdir())) > 10
    assert not (tmp_path / "a").exists()
    expected = [r.split("\t", 2)[2] for r in sorted(records)]
    assert list(in_memory.drain()) == expected
    assert list(spilling.drain()) == expected
    assert not (tmp_path / "b").exists(), "run files are removed once merged"


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


def test_build_orders_documents_by_place_with_or_without_runs_on_disk(
    tmp_path: Path, small_dir: Path
) -> None:
    builds = []
    for name, run_mb in (("memory", 512), ("runs", 1)):
        s = Settings(data_dir=tmp_path / name, index_workers=0, sort_run_mb=run_mb)
        assert main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], s) == 0
        builds.append(_documents_in_order(s))
        assert not list((s.index_dir / "therapists").glob(".sorting-*")), "no runs left behind"
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
