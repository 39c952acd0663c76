"""What the API answers when the cluster is the problem, on the live OpenSearch node: a setting
that forbids the queries a location search needs is the engine's fault (503 naming the setting),
never a 400 blaming the caller; an answer some shards failed is never served as complete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.elastic.backend import ElasticBackend
from search_core.engines import make_backend
from search_core.settings import Settings
from tests.cluster.live import http, run

pytestmark = pytest.mark.opensearch

NEAR = {"q": "anxiety", "lat": 40.7128, "lon": -74.006, "radius": 100}


@pytest.fixture
def api(cluster_small: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(cluster_small)) as client:
        yield client


@pytest.fixture
def expensive_queries_off(cluster_small: Settings) -> Iterator[None]:
    """``search.allow_expensive_queries: false`` as a transient cluster setting, reset after."""
    url = f"{cluster_small.opensearch_url}/_cluster/settings"
    off = {"transient": {"search.allow_expensive_queries": False}}
    status, body = http(url, "PUT", off)
    assert status == 200, body
    try:
        yield
    finally:
        reset = {"transient": {"search.allow_expensive_queries": None}}
        assert http(url, "PUT", reset)[0] == 200


def test_a_location_search_works_on_a_healthy_cluster(api: TestClient) -> None:
    r = api.get("/therapists/search", params=NEAR)
    assert r.status_code == 200, r.text
    assert r.json()["total"] > 0


def test_expensive_queries_off_is_the_clusters_fault_not_the_callers(
    api: TestClient, expensive_queries_off: None
) -> None:
    r = api.get("/therapists/search", params=NEAR)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["error"] == "engine_failed"
    assert "search.allow_expensive_queries" in body["message"]
    assert "invalid" not in body["error"]


def test_a_name_typo_with_expensive_queries_off_names_the_setting(
    api: TestClient, expensive_queries_off: None
) -> None:
    r = api.get("/therapists/search", params={"q": "perkinss"})  # fuzzy: an expensive query
    assert r.status_code == 503, r.text
    assert "search.allow_expensive_queries" in r.json()["message"]


@pytest.fixture
def broken_shard(cluster_small: Settings) -> Iterator[None]:
    """A second index under the therapists alias whose ``last_confirmed`` is a keyword: the
    freshness decay fails on its shard while the real index's shard answers (a 200 with
    ``_shards.failed: 1``), as a hand-edited alias or a half-migrated mapping would cause."""
    url = cluster_small.opensearch_url
    alias = f"{cluster_small.elasticsearch_index_prefix}-therapists"
    stray = f"{cluster_small.elasticsearch_index_prefix}-stray"
    mapping = {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {"properties": {"last_confirmed": {"type": "keyword"}}},
    }
    assert http(f"{url}/{stray}", "PUT", mapping)[0] == 200
    assert http(f"{url}/{stray}/_doc/x?refresh=true", "PUT", {"last_confirmed": "soon"})[0] < 300
    add = {"actions": [{"add": {"index": stray, "alias": alias}}]}
    assert http(f"{url}/_aliases", "POST", add)[0] == 200
    try:
        yield
    finally:
        http(f"{url}/{stray}", "DELETE")


def test_an_answer_some_shards_failed_is_not_served_as_complete(
    cluster_small: Settings, broken_shard: None
) -> None:

    url = cluster_small.opensearch_url
    alias = f"{cluster_small.elasticsearch_index_prefix}-therapists"
    decay = {"gauss": {"last_confirmed": {"origin": "2026-01-01", "scale": "30d"}}}
    raw = {"query": {"function_score": {"query": {"match_all": {}}, "functions": [decay]}}}
    status, answer = http(f"{url}/{alias}/_search", "POST", raw)
    assert status == 200 and answer["_shards"]["failed"] == 1, "the node answers in part"
    with TestClient(create_app(cluster_small)) as api:
        r = api.get("/therapists/search", params={"q": "anxiety"})
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["error"] == "partial_results"
    assert "1 of 2 shards failed" in body["message"]
    assert "not served" in body["message"]


def test_the_geocoder_reads_every_location(cluster_small: Settings) -> None:
    """Page after page (``search_after``, 5,000 a page) until a page comes back empty: every
    stored location, not one short page's worth."""

    async def read() -> int:
        backend = make_backend(cluster_small)
        assert isinstance(backend, ElasticBackend)
        try:
            return len(list(await backend.location_records()))
        finally:
            await backend.close()

    url, prefix = cluster_small.opensearch_url, cluster_small.elasticsearch_index_prefix
    status, counted = http(f"{url}/{prefix}-locations/_count")
    assert status == 200 and counted["count"] > 5_000
    assert run(read()) == counted["count"]
