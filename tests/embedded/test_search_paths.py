"""The ways the embedded engine answers a location search give the same page and facets.

Location searches on a version with facet masks run in one Tantivy pass (geo cells + text + the
non-facet filters) and do the radius, the facet filters and the facet counts in numpy (without
text, the therapists in the circle come from the columns' geo grid, with no Tantivy pass); the
per-hit fields come from numpy columns of the whole index, or from Tantivy per search (a version
without facet masks is refused: see test_formats). All are run here on the same real
index, over queries that exercise every part: text, several facet filters, flags, fee, sorts,
and a page past the first.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
import re
import threading
from pathlib import Path

import numpy as np
import pytest
import tantivy

from cli.main import main
from search_core.embedded import area, bitcounts, parallel
from search_core.embedded import querybuild as qb
from search_core.embedded.area import all_hits
from search_core.embedded.backend import EmbeddedBackend
from search_core.embedded.bitcounts import bit_counts, bit_counts_of
from search_core.embedded.columns import mask_dtype, therapist_columns
from search_core.embedded.geogrid import GeoGrid
from search_core.embedded.hits import HitFields
from search_core.embedded.ranking import first
from search_core.embedded.reader import IndexReader
from search_core.embedded.schema import mask_name
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.errors import InvalidQuery
from search_core.geo import bounding_box, distances_km
from search_core.queries import FACETS, GeoFilter, TherapistFilters, TherapistQuery
from search_core.results import SearchPage, TherapistHit
from search_core.settings import Settings

PORTLAND = GeoFilter(lat=45.5152, lon=-122.6784, radius_km=40.0)
NEW_YORK = GeoFilter(lat=40.7128, lon=-74.0060, radius_km=25.0)
CASES = [
    TherapistQuery(text="anxiety", near=PORTLAND),
    TherapistQuery(text="couples counseling", near=NEW_YORK, sort="relevance"),
    TherapistQuery(
        text="trauma",
        near=NEW_YORK,
        filters=TherapistFilters(insurance=["aetna", "cigna"], gender=["female"]),
    ),
    TherapistQuery(
        near=PORTLAND,
        sort="distance",
        filters=TherapistFilters(issues=["depression"], telehealth=True, max_fee=200),
    ),
    TherapistQuery(near=NEW_YORK, sort="distance", offset=10, size=20),
    TherapistQuery(
        text="depression",
        near=NEW_YORK,
        sort="recent",
        filters=TherapistFilters(languages=["spanish"], age_groups=["adults", "teens"]),
    ),
    TherapistQuery(
        text="anxiety",
        near=NEW_YORK,
        filters=TherapistFilters(
            insurance=["aetna", "cigna"], languages=["english"], issues=["depression"]
        ),
    ),
    TherapistQuery(text="no such words anywhere", near=PORTLAND),
    TherapistQuery(near=NEW_YORK, filters=TherapistFilters(in_person=True, sliding_scale=False)),
    TherapistQuery(
        near=NEW_YORK,
        sort="recent",
        filters=TherapistFilters(accepting_new_clients=False, insurance=["aetna"]),
    ),
    # words that only rank (the search box's understood words): the circle from the grid,
    # then only the therapists the filters keep scored, in a second Tantivy pass
    TherapistQuery(
        rank_text="children anxiety",
        near=NEW_YORK,
        filters=TherapistFilters(age_groups=["children"]),
    ),
    TherapistQuery(
        rank_text="couples therapy",
        near=PORTLAND,
        sort="relevance",
        size=50,
        filters=TherapistFilters(insurance=["aetna", "cigna"], telehealth=True, max_fee=250),
    ),
    TherapistQuery(rank_text="trauma", near=NEW_YORK, offset=10),
    TherapistQuery(rank_text="zzzz nothing", near=PORTLAND),
    # a filter the columns do not hold: the Tantivy pass, also without text
    TherapistQuery(near=PORTLAND, filters=TherapistFilters(licensed_in="OR")),
    TherapistQuery(near=GeoFilter(lat=45.5152, lon=-122.6784, radius_km=0.5)),  # nobody
]


def assert_same_page(got: SearchPage[TherapistHit], want: SearchPage[TherapistHit]) -> None:
    """The same total, therapists in order, scores, nearest offices and facet counts."""
    assert got.total == want.total
    assert [h.therapist.id for h in got.items] == [h.therapist.id for h in want.items]
    assert [h.score for h in got.items] == [h.score for h in want.items]
    assert [h.nearest_office for h in got.items] == [h.nearest_office for h in want.items]
    assert got.facets == want.facets


@pytest.fixture(scope="module")
def backend(small_index: Settings) -> EmbeddedBackend:
    return EmbeddedBackend(small_index)


def test_geo_slots_no_therapist_uses_are_not_stored_until_one_does(
    tmp_path: Path, small_dir: Path
) -> None:
    """Columns keep the office slots some therapist uses; a fifth office, once upserted, is
    stored and found by the grid (no text) and by the Tantivy pass (text)."""
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    args = ["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"]
    assert main(args, settings) == 0
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        records = [json.loads(line) for line in fh]
    most = max(len(r["offices"]) for r in records)
    assert most < 5, "the fixtures leave the last slots empty"
    backend = EmbeddedBackend(settings)
    opened = backend.reader.get("therapists")
    assert opened.columns is not None
    names = opened.schema.by_path["offices.location"].names
    _, columns = opened.columns.get(opened.index)
    assert set(columns.absent) == set(names[2 * most :])
    assert not set(columns.absent) & (set(columns.arrays) | set(columns.blocks)), "not stored"
    assert np.isnan(columns[names[-1]]).all() and len(columns[names[-1]]) == columns.width

    far = next(r for r in records if r["offices"] and r["offices"][0]["location"]["lat"] < 35)
    elsewhere = [
        dict(far["offices"][0], id=f"o{i}", location={"lat": 30.0 + i, "lon": -90.0})
        for i in range(4)
    ]
    portland = dict(far["offices"][0], id="o9", location={"lat": 45.5152, "lon": -122.6784})
    record = tmp_path / "five.json"
    record.write_text(json.dumps(dict(far, offices=[*elsewhere, portland])))
    assert main(["upsert", "--kind", "therapists", str(record)], settings) == 0

    reopened = backend.reader.get("therapists")
    assert reopened.columns is not None
    _, columns = reopened.columns.get(reopened.index)
    assert not columns.absent
    for query in (
        TherapistQuery(near=PORTLAND, sort="distance"),
        TherapistQuery(text=" ".join(far["name"].split()[:1]), near=PORTLAND, sort="distance"),
    ):
        first = backend.core.search_therapists(query, "km").items[0]
        assert first.therapist.id == far["id"], query
        assert first.nearest_office is not None and first.nearest_office.office.id == "o9"
        assert first.nearest_office.distance == 0.0


@pytest.mark.parametrize("query", CASES, ids=lambda q: f"{q.text or q.rank_text}-{q.sort}")
def test_mask_path_equals_aggregation_path(backend: EmbeddedBackend, query: TherapistQuery) -> None:
    opened = backend.reader.get("therapists")
    assert opened.columns, "a fresh build records its facet masks"
    fast = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    for variant in (
        # columns but no grid: every location search takes the Tantivy pass
        dataclasses.replace(opened, columns=therapist_columns(opened.schema, grid=False)),
        dataclasses.replace(opened, columns=None),  # masks read per search, no columns
    ):
        assert_same_page(fast, EmbeddedTherapistSearch(variant, backend.tuning).search(query))
    if query.text == "anxiety":
        assert fast.total > 10 and any(b.count for b in fast.facets["issues"])


def test_location_search_follows_an_upsert_and_a_delete(tmp_path: Path, small_dir: Path) -> None:
    """The numpy columns belong to one searcher: an edit committed while the API runs is seen
    by the next location search (a moved office, a new therapist, a deleted one)."""
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], settings) == 0
    )
    backend = EmbeddedBackend(settings)
    query = TherapistQuery(near=PORTLAND, sort="distance", size=50)
    before = backend.core.search_therapists(query, "km")
    assert backend.reader.get("therapists").columns is not None
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        far = next(
            r
            for line in fh
            if (r := json.loads(line))["offices"] and r["offices"][0]["location"]["lat"] < 35
        )
    moved = dict(
        far, offices=[dict(far["offices"][0], location={"lat": 45.5152, "lon": -122.6784})]
    )
    record = tmp_path / "moved.json"
    record.write_text(json.dumps(moved))
    assert main(["upsert", "--kind", "therapists", str(record)], settings) == 0

    after = backend.core.search_therapists(query, "km")
    assert after.total == before.total + 1
    first = after.items[0]
    assert first.therapist.id == far["id"]
    assert first.nearest_office is not None and first.nearest_office.distance == 0.0

    assert main(["delete", "--kind", "therapists", far["id"]], settings) == 0
    again = backend.core.search_therapists(query, "km")
    assert again.total == before.total
    assert [h.therapist.id for h in again.items] == [h.therapist.id for h in before.items]


@pytest.mark.parametrize("query", CASES, ids=lambda q: f"{q.text or q.rank_text}-{q.sort}")
def test_the_fine_cell_cover_of_dense_areas_finds_the_same(
    backend: EmbeddedBackend, query: TherapistQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dense areas (at national scale) get a finer cover of more cells: the same therapists,
    scores and counts, from fewer candidates."""
    opened = backend.reader.get("therapists")
    usual = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    monkeypatch.setattr(area, "DENSE_POINTS", 0)  # every area counts as dense
    monkeypatch.setattr(area, "DENSE_CELLS", 1000)  # finer cells at these radii
    fine = EmbeddedTherapistSearch(opened, backend.tuning)
    assert query.near is not None
    grid = opened.columns.get(opened.index)[1].grid
    finer, usual_cells = (
        _cell_terms(fine._cells(query.near, grid)),
        _cell_terms(fine._cells(query.near)),
    )
    assert int(finer[0][0]) > int(usual_cells[0][0]) or usual_cells[0][0] == "6"
    assert_same_page(fine.search(query), usual)


@pytest.mark.parametrize("query", CASES, ids=lambda q: f"{q.text or q.rank_text}-{q.sort}")
def test_a_search_split_in_two_halves_finds_the_same(
    backend: EmbeddedBackend, query: TherapistQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big areas (at national scale) search two halves of the cells at once, for the hits
    or for the scores of words that only rank: the same therapists, scores, distances and
    counts; a therapist in both halves counts once."""
    opened = backend.reader.get("therapists")
    usual = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    calls: list[tuple[int, int]] = []
    split_hits = area.split_hits

    def spy(*args: object) -> HitFields | None:
        out = split_hits(*args)  # type: ignore[arg-type]
        assert out is not None, "the helper is free: nothing else searches here"
        calls.append((len(out), len(out.hits)))
        return out

    monkeypatch.setattr(area, "SPLIT_POINTS", 0)  # every area counts as big
    monkeypatch.setattr(area, "split_hits", spy)
    assert_same_page(EmbeddedTherapistSearch(opened, backend.tuning).search(query), usual)
    # near me without words needs no Tantivy pass; words that only rank are scored in one
    # (the therapists every filter keeps), split as the hits' pass is
    tantivy_pass = bool(query.text or query.rank_text) or query.filters.licensed_in is not None
    assert bool(calls) == tantivy_pass
    if query.text == "anxiety":  # therapists with offices in both halves were found twice
        assert calls[0][1] > calls[0][0] > 10


def test_a_split_search_is_refused_past_the_area_cap(
    backend: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap holds for a split search too, also when only the helper's half passes it."""
    opened = backend.reader.get("therapists")
    query = TherapistQuery(text="anxiety", near=PORTLAND)
    total = EmbeddedTherapistSearch(opened, backend.tuning).search(query).total
    monkeypatch.setattr(area, "SPLIT_POINTS", 0)
    for cap in (total // 3, total - 1):  # past it in each half / only when both are put together
        monkeypatch.setattr(area, "MAX_AREA", cap)
        with pytest.raises(InvalidQuery, match="more than"):
            EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    monkeypatch.setattr(area, "MAX_AREA", total + 100)  # all of the area: fine
    assert EmbeddedTherapistSearch(opened, backend.tuning).search(query).total == total


def test_a_search_runs_in_one_pass_while_another_runs(
    backend: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With another search running in the process the cores are in use: no split, the same
    answer."""
    opened = backend.reader.get("therapists")
    query = TherapistQuery(text="anxiety", near=PORTLAND)
    usual = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    monkeypatch.setattr(area, "SPLIT_POINTS", 0)
    splits: list[object] = []
    split_hits = area.split_hits

    def spy(*args: object) -> HitFields | None:
        splits.append(args)
        return split_hits(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(area, "split_hits", spy)
    with parallel.HELPER.searching():  # another search, still running
        busy = EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    assert not splits
    assert_same_page(busy, usual)
    assert parallel.HELPER.free()
    EmbeddedTherapistSearch(opened, backend.tuning).search(query)
    assert len(splits) == 1


@pytest.mark.parametrize(
    "filters",
    [
        TherapistFilters(insurance=["aetna"], languages=["spanish"]),
        TherapistFilters(issues=["depression", "trauma-ptsd"], gender=["female"], telehealth=True),
        TherapistFilters(insurance=["aetna", "cigna"], languages=["spanish"], age_groups=["teens"]),
        TherapistFilters(issues=["anxiety"]),  # one facet: nothing to leave out
    ],
)
def test_the_tantivy_pass_leaves_out_only_who_fails_two_facet_filters(
    backend: EmbeddedBackend, filters: TherapistFilters
) -> None:
    """With two facet filters or more, the Tantivy pass keeps the therapists failing at most
    one of them: exactly those, checked against the records themselves."""
    opened = backend.reader.get("therapists")
    searcher = opened.searcher()
    query = qb.all_facets_but_one(opened.schema, filters)
    chosen = [f for f in FACETS if filters.facet_values(f)]
    if len(chosen) < 2:
        assert query is None
        return
    assert query is not None
    hits = searcher.search(query, limit=100_000).hits
    found = {s["id"] for s in opened.sources(searcher, [a for _, a in hits])}
    every = searcher.search(tantivy.Query.all_query(), limit=100_000).hits
    want = set()
    for source in opened.sources(searcher, [a for _, a in every]):
        fails = 0
        for facet in chosen:
            have = source.get(facet)
            have = set(have) if isinstance(have, list) else {have}
            fails += not have & set(filters.facet_values(facet))
        if fails <= 1:
            want.add(source["id"])
    assert found == want
    assert 0 < len(found) < len(every)


def _cell_terms(query: tantivy.Query) -> list[str]:
    return re.findall(r'"(\d:[0-9a-z]+)"', repr(query))


def test_bit_counts_match_a_plain_count() -> None:
    rng = np.random.default_rng(3)
    masks = rng.integers(0, 2**63, size=5000, dtype=np.uint64) | np.uint64(1 << 63)
    masks[:10] = 0
    want = [sum(1 for m in masks.tolist() if m >> b & 1) for b in range(64)]
    assert bit_counts(masks, 64).tolist() == want
    assert bit_counts(masks, 11).tolist() == want[:11]
    assert bit_counts(masks[:0], 5).tolist() == [0] * 5
    for size in (1, 2, 4):  # masks of small vocabularies are stored narrower
        narrow = masks & np.uint64((1 << 8 * size) - 1)
        got = bit_counts(narrow.astype(f"<u{size}"), 8 * size).tolist()
        assert got == bit_counts(narrow, 8 * size).tolist() == want[: 8 * size]


def test_bit_counts_of_several_columns_at_once_match_each_alone() -> None:
    rng = np.random.default_rng(5)
    columns = [
        (rng.integers(0, 2**60, size=700, dtype=np.uint64), 60),
        (rng.integers(0, 2**16, size=700, dtype=np.uint64).astype("<u2"), 13),
        (rng.integers(0, 2**8, size=700, dtype=np.uint64).astype(np.uint8), 8),
        (rng.integers(0, 2**32, size=700, dtype=np.uint64).astype("<u4"), 3),
    ]
    together = bit_counts_of(columns)
    for (masks, nbits), got in zip(columns, together, strict=True):
        want = [sum(1 for m in masks.tolist() if m >> b & 1) for b in range(nbits)]
        assert got.tolist() == want
    assert [c.tolist() for c in bit_counts_of([(m[:0], n) for m, n in columns])] == [
        [0] * n for _, n in columns
    ]
    assert bit_counts_of([]) == []


def test_bit_counts_of_many_rows_count_them_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are histogrammed a block at a time: blocks and a short last one add up."""
    monkeypatch.setattr(bitcounts, "BIT_COUNT_ROWS", 64)
    masks = np.random.default_rng(7).integers(0, 2**20, size=1000, dtype=np.uint64)
    (got,) = bit_counts_of([(masks, 20)])
    assert got.tolist() == [sum(1 for m in masks.tolist() if m >> b & 1) for b in range(20)]


def test_packed_mask_columns_equal_the_fast_fields(small_index: Settings) -> None:
    opened = IndexReader(small_index).get("therapists")
    searcher, columns = therapist_columns(opened.schema, grid=False).get(opened.index)
    addrs = [a for _, a in searcher.search(tantivy.Query.all_query(), limit=5000).hits]
    rows = columns.rows([(0.0, a) for a in addrs])
    fields = HitFields(searcher, [(0.0, a) for a in addrs], columns)
    for facet, values in opened.schema.mask_layout.items():
        name = mask_name(facet)
        want = [v or 0 for v in searcher.fast_field_values(name, addrs)]
        assert columns[name].dtype == mask_dtype(len(values))
        assert columns[name][rows].tolist() == want, facet
        assert fields.get(name, np.uint64).tolist() == want, facet
    assert {columns[mask_name(f)].dtype.itemsize for f in opened.schema.mask_layout} == {1, 2, 4, 8}


@pytest.mark.parametrize("want", [1, 7, 30, 249, 250, 1000])
def test_first_sorts_only_what_a_page_needs_yet_agrees_with_a_full_sort(want: int) -> None:
    rng = np.random.default_rng(want)
    key = rng.integers(0, 40, size=1000).astype(np.float64)  # many ties on the key
    ids = rng.permutation(1000).astype(np.uint64)
    full = np.lexsort((ids, key))
    assert first(key, ids, want)[:want].tolist() == full[:want].tolist()


def test_warm_reads_the_columns_before_the_first_search(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    columns = backend.reader.get("therapists").columns
    assert columns is not None and not columns.built
    backend.core.warm()
    assert columns.built
    searcher, cols = columns.get(backend.reader.get("therapists").index)
    assert len(cols["_id_key"]) >= searcher.num_docs == 4000


def _grid_points(
    rng: np.random.Generator, n: int, slots: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``n`` therapists with one to ``slots`` offices, clustered like cities, some on the
    antimeridian (Alaska's Aleutians) and some with no office at all."""
    centres = np.array([[40.7, -74.0], [45.5, -122.7], [51.9, 179.9], [52.0, -179.95]])
    count = rng.integers(0, slots + 1, size=n)  # 0: no office (a row the grid must skip)
    out = []
    for slot in range(slots):
        pick = centres[rng.integers(0, len(centres), size=n)]
        lats = pick[:, 0] + rng.normal(0, 0.4, size=n)
        lons = pick[:, 1] + rng.normal(0, 0.4, size=n)
        lons = (lons + 180.0) % 360.0 - 180.0
        lats[count <= slot] = np.nan
        lons[count <= slot] = np.nan
        out.append((lats, lons))
    return out


@pytest.mark.parametrize(
    ("lat", "lon", "km"),
    [
        (40.7, -74.0, 40.0),
        (45.5, -122.7, 5.0),
        (52.0, 180.0, 60.0),
        (40.7, -74.0, 500.0),
        (0.0, 0.0, 30.0),
    ],
)
def test_geo_grid_finds_every_therapist_within_the_radius_once(
    lat: float, lon: float, km: float
) -> None:
    rng = np.random.default_rng(int(km))
    coords = _grid_points(rng, 6000, 3)
    grid = GeoGrid.build(coords)
    rows, dist = grid.within(lat, lon, km)
    assert grid.count_in(bounding_box(lat, lon, km)) == len(
        grid.points_in(bounding_box(lat, lon, km))
    )
    brute = np.min([distances_km(lat, lon, la, lo) for la, lo in coords], axis=0)
    want = np.flatnonzero(brute <= km)
    order = np.argsort(rows)
    assert rows[order].tolist() == want.tolist()  # each therapist once, none missed
    assert dist[order].tolist() == brute[want].tolist()  # the nearest office, same formula
    if lat == 0.0:
        assert len(rows) == 0


def test_a_row_of_the_columns_is_its_document_again(tmp_path: Path, small_dir: Path) -> None:
    """Rows run across segments: an index with several segments (an upsert adds one) maps
    each row back to the same document."""
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], settings) == 0
    )
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        record = json.loads(next(fh))
    (tmp_path / "one.json").write_text(json.dumps(dict(record, name="Renamed Person")))
    assert main(["upsert", "--kind", "therapists", str(tmp_path / "one.json")], settings) == 0
    opened = EmbeddedBackend(settings).reader.get("therapists")
    assert opened.columns is not None
    searcher, columns = opened.columns.get(opened.index)
    hits = searcher.search(tantivy.Query.all_query(), limit=10_000).hits
    assert len({a.segment_ord for _, a in hits}) > 1
    for row, (_, addr) in zip(columns.rows(hits).tolist(), hits, strict=True):
        back = columns.address(row)
        assert (back.segment_ord, back.doc) == (addr.segment_ord, addr.doc)


def test_all_hits_refuses_an_area_over_the_cap(backend: EmbeddedBackend) -> None:
    opened = backend.reader.get("therapists")
    searcher = opened.searcher()
    with pytest.raises(InvalidQuery, match="more than 10 therapists"):
        all_hits(searcher, tantivy.Query.all_query(), 10, "the area")
    assert len(all_hits(searcher, tantivy.Query.all_query(), 4000, "the area")) == 4000


def test_engine_calls_beyond_the_thread_limit_wait_their_turn(small_index: Settings) -> None:
    """``SEARCH_ENGINE_THREADS`` caps the engine calls running at once; the rest queue, and
    every one of them is answered."""
    backend = EmbeddedBackend(small_index.model_copy(update={"engine_threads": 2}))
    lock = threading.Lock()
    running, peak = 0, 0
    pairs = threading.Barrier(2)  # two calls meet inside: they did run at once (no sleep)

    def search(i: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        try:
            pairs.wait(timeout=120)  # broken (an error) if a second call never comes in
            return backend.core.search_therapists(TherapistQuery(near=PORTLAND)).total + i
        finally:
            with lock:
                running -= 1

    async def go() -> list[int]:
        return await asyncio.gather(*(backend._run(search, i) for i in range(8)))

    totals = asyncio.run(go())
    assert peak == 2
    assert len({t - i for i, t in enumerate(totals)}) == 1 and totals[0] > 0


def test_health_answers_while_every_engine_thread_is_busy(small_index: Settings) -> None:
    """A health probe does not queue behind searches for the engine's thread (issue 24: it
    waited 0.7 s under hostile traffic): with the only engine thread held, it still answers."""
    backend = EmbeddedBackend(small_index.model_copy(update={"engine_threads": 1}))
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        entered.set()
        release.wait(120)

    async def go() -> dict[str, object]:
        busy = asyncio.ensure_future(backend._run(hold))
        try:
            await asyncio.to_thread(entered.wait, 120)  # the engine's thread is taken
            # a bound on a probe that never answers, not a speed target
            return await asyncio.wait_for(backend.health(), timeout=60)
        finally:
            release.set()
            await busy

    health = asyncio.run(go())
    assert health["status"] == "ok"
