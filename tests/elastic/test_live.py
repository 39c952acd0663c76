"""Against a live cluster (``ELASTICSEARCH_URL``; skipped otherwise): per-item refusals of a load,
the Painless distance script, parity with the embedded engine, and the differences between the
engines that must exist, named one by one."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from search_core.backend import VersionView
from search_core.documents import Therapist
from search_core.elastic.backend import ElasticBackend
from search_core.elastic.writer import ElasticWriter
from search_core.embedded.backend import EmbeddedBackend
from search_core.geo import KM_PER_MILE, distance_km
from search_core.index_docs import therapist_doc
from search_core.queries import GeoFilter, TherapistFilters, TherapistQuery
from search_core.settings import Settings
from tests.elastic.live import delete_everything, live_settings, load

pytestmark = pytest.mark.elasticsearch

PORTLAND = GeoFilter(lat=45.5152, lon=-122.6784, radius_km=20.0)


def _records(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in gzip.decompress(path.read_bytes()).splitlines() if x.strip()]


def _search(settings: Settings, q: TherapistQuery, unit: str = "km") -> Any:
    async def go() -> Any:
        backend = ElasticBackend(settings)
        try:
            return await backend.search_therapists(q, unit)
        finally:
            await backend.close()

    return asyncio.run(go())


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory, small_dir: Path) -> Iterator[Settings]:
    """Therapists alone under a prefix of their own, for tests that write."""
    base = Settings(data_dir=tmp_path_factory.mktemp("es-own"), index_workers=0, keep_versions=2)
    settings = live_settings(base)
    try:
        load(settings, small_dir, "therapists")
        yield settings
    finally:
        delete_everything(settings)


@pytest.fixture
def writer(own: Settings) -> Iterator[ElasticWriter]:
    w = ElasticWriter(own)
    try:
        yield w
    finally:
        w.close()


def _current(versions: list[VersionView]) -> VersionView:
    (current,) = [v for v in versions if v.current]
    return current


# ---------------------------------------------------------------------------- writing
# Loading, versions, rollback, upsert and delete are specified once for every engine, in
# tests/contract/test_writing.py; what is left here exists on Elasticsearch only.


def test_item_failures_are_reported_and_the_rest_is_served(
    own: Settings, writer: ElasticWriter, small_dir: Path
) -> None:
    docs = [
        therapist_doc(Therapist.model_validate(r))
        for r in _records(small_dir / "therapists.jsonl.gz")
    ]
    build = writer.build("therapists")
    for seq, doc in enumerate(docs, start=1):
        if seq == 3:
            doc = {**doc, "fee_min": "a lot"}  # the mapping says integer: refused by the cluster
        build.add_encoded(build.encoder(doc, seq), seq)
    failures = build.flush()
    assert [(f.seq, f.doc_id, f.status) for f in failures] == [(3, docs[2]["id"], 400)]
    assert "fee_min" in failures[0].reason
    version = build.finish(len(docs) - 1)
    assert version.current and version.doc_count == len(docs) - 1
    assert _current(writer.versions("therapists")).version == version.version


# ---------------------------------------------------------------------------- the script


def test_painless_distance_equals_the_python_distance(
    elastic_small_index: Settings, small_dir: Path
) -> None:
    """The script sort and radius check run on the cluster; compare with geo.distance_km."""
    data = {r["id"]: r for r in _records(small_dir / "therapists.jsonl.gz")}
    q = TherapistQuery(near=PORTLAND, sort="distance", size=50, facets=False)
    page = _search(elastic_small_index, q, unit="km")
    assert page.items
    expected = sorted(
        (
            min(
                distance_km(PORTLAND.lat, PORTLAND.lon, o["location"]["lat"], o["location"]["lon"])
                for o in t["offices"]
            ),
            t["id"],
        )
        for t in data.values()
        if t["offices"]
    )
    inside = [(d, i) for d, i in expected if d <= PORTLAND.radius_km]
    assert page.total == len(inside)
    assert [h.therapist.id for h in page.items] == [i for _, i in inside[:50]]
    for hit, (km, _) in zip(page.items, inside, strict=False):
        assert hit.nearest_office is not None
        assert hit.nearest_office.distance == pytest.approx(km, abs=0.006)
    mi = _search(elastic_small_index, q, unit="mi").items[0].nearest_office
    assert mi is not None and mi.distance == pytest.approx(inside[0][0] / KM_PER_MILE, abs=0.006)


# ---------------------------------------------------------------------------- parity


@pytest.mark.parametrize(
    "q",
    [
        TherapistQuery(text="grief", size=50),
        TherapistQuery(filters=TherapistFilters(issues=["anxiety"], languages=["spanish"])),
        TherapistQuery(text="cbt", near=PORTLAND, sort="distance", size=50),
        TherapistQuery(filters=TherapistFilters(licensed_in="OR"), sort="recent", size=50),
    ],
    ids=["text", "facets", "near", "recent"],
)
def test_same_hits_totals_and_facets_as_the_embedded_engine(
    q: TherapistQuery, elastic_small_index: Settings, small_index: Settings
) -> None:
    es = _search(elastic_small_index, q)
    embedded = EmbeddedBackend(small_index).search_therapists_sync(q, "km")
    assert es.total == embedded.total
    assert es.facets == embedded.facets
    if q.sort != "relevance":  # a total order that does not depend on scores
        assert [h.therapist.id for h in es.items] == [h.therapist.id for h in embedded.items]


def test_known_difference_scores_are_engine_specific(
    elastic_small_index: Settings, small_index: Settings
) -> None:
    """Named difference: relevance *scores* differ (Lucene's BM25 vs Tantivy's, field norms,
    the distance decay measured on a sphere, the freshness origin rounded to the day), so the
    relevance order may differ among near-equal hits. The same therapists lead, though."""
    q = TherapistQuery(text="chronic pain", size=20, facets=False)
    es = _search(elastic_small_index, q)
    embedded = EmbeddedBackend(small_index).search_therapists_sync(q, "km")
    assert es.total == embedded.total
    es_top = {h.therapist.id for h in es.items}
    embedded_top = {h.therapist.id for h in embedded.items}
    assert len(es_top & embedded_top) >= 14
    assert [h.score for h in es.items] != [h.score for h in embedded.items]


def test_known_difference_apostrophes_stay_inside_words(elastic_small_index: Settings) -> None:
    """Named difference: the mapping's ``standard`` tokenizer keeps "don't" as one token on
    Elasticsearch; the embedded engine's tokenizer splits it into "don" + "t". A search for
    "don" finds "don't" on the embedded engine only (tests/api/test_articles.py::
    test_highlights_mark_the_word_and_escape_html depends on that)."""
    w = ElasticWriter(elastic_small_index)
    try:
        resp = w.loop.run(
            w.client.indices.analyze(
                index=w.admin.alias("articles"), analyzer="english_text", text="don't"
            )
        )
    finally:
        w.close()
    assert [t["token"] for t in resp["tokens"]] == ["don't"]
