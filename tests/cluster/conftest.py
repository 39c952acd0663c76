"""Fixtures of the cluster tests (OpenSearch; every test here carries the ``opensearch`` mark):

* ``spare_node``: a SECOND throwaway local node with slices of the small set loaded, for tests
  that pause, kill and restart a node (the session's node is never disturbed);
* ``partial_index``: the small set's therapists behind an alias that also spans an index on
  which therapist queries with a location fail, so a search answers HTTP 200 with
  ``_shards.failed > 0`` (a partial answer, which must never be served as complete);
* ``cluster_small``: the whole small set on the session's node under a prefix of its own,
  loaded once per session (the defect tests of issue 26 read it; they never write to it).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import main
from localnode import LocalNode, ensure_distribution, missing_tools
from localnode.node import free_port
from search_core.elastic.writer import ElasticWriter
from search_core.engines import make_writer
from search_core.mappings import KINDS
from search_core.settings import Settings
from tests.cluster.live import SMALL, cluster_settings, drop
from tests.elastic.live import delete_everything, load, opensearch_settings

SLICES = {"therapists": 300, "locations": 600, "articles": 8}


def write_slices(small_dir: Path, into: Path, sizes: dict[str, int]) -> Path:
    """The first records of each kind of the small set, as JSONL files in ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        lines = gzip.decompress((small_dir / f"{kind}.jsonl.gz").read_bytes()).splitlines()
        (into / f"{kind}.jsonl").write_bytes(b"\n".join(lines[: sizes[kind]]) + b"\n")
    return into


@dataclass
class Spare:
    node: LocalNode
    settings: Settings
    """The loaded slices on the spare node (request timeout 30 s, default retries)."""


@pytest.fixture(scope="module")
def spare_node(tmp_path_factory: pytest.TempPathFactory, small_dir: Path) -> Iterator[Spare]:
    reason = missing_tools()
    if reason:
        pytest.skip(f"no local OpenSearch node: {reason}")
    node = LocalNode(home=ensure_distribution(), port=free_port(), heap="256m")
    node.start()
    try:
        base = Settings(data_dir=tmp_path_factory.mktemp("spare"), index_workers=0)
        settings = opensearch_settings(base, node.url)
        load(settings, write_slices(small_dir, tmp_path_factory.mktemp("slices"), SLICES))
        yield Spare(node, settings)
    finally:
        node.stop()


@dataclass
class Partial:
    settings: Settings
    """The therapists of the small set; their alias also spans :attr:`broken_index`."""
    broken_index: str


@pytest.fixture(scope="module")
def partial_index(
    tmp_path_factory: pytest.TempPathFactory, small_dir: Path, opensearch_url: str
) -> Iterator[Partial]:
    """Therapists loaded under a prefix of their own; then one more index joins their alias
    with a single document and no ``offices`` nested mapping: any query with a location
    (a nested geo query over ``offices``) fails on that index's shard and succeeds on the
    others, so the cluster answers 200 with ``_shards.failed: 1``."""
    base = Settings(data_dir=tmp_path_factory.mktemp("partial"), index_workers=0)
    settings = opensearch_settings(base, opensearch_url)
    source = write_slices(
        small_dir, tmp_path_factory.mktemp("partial-src"), {**SLICES, "therapists": 1_000}
    )
    load(settings, source, "therapists")
    writer = make_writer(settings)
    assert isinstance(writer, ElasticWriter)
    alias = writer.admin.alias("therapists")
    broken = f"{settings.elasticsearch_index_prefix}-broken"
    try:
        writer.loop.run(
            writer.client.indices.create(
                index=broken,
                body={
                    "settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
                    "mappings": {"properties": {"id": {"type": "keyword"}}},
                },
            )
        )
        writer.loop.run(writer.client.index(index=broken, id="x", body={"id": "x"}, refresh="true"))
        writer.loop.run(
            writer.client.indices.update_aliases(
                body={"actions": [{"add": {"index": broken, "alias": alias}}]}
            )
        )
        yield Partial(settings, broken)
    finally:
        writer.loop.run(writer.admin.delete_index(broken))
        writer.close()
        delete_everything(settings)


@pytest.fixture(scope="session")
def cluster_small(
    opensearch_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    settings = cluster_settings(opensearch_url, tmp_path_factory.mktemp("cluster-small"))
    try:
        assert main(["index", "--from", str(SMALL), "--quiet"], settings=settings) == 0
        yield settings
    finally:
        drop(opensearch_url, settings.elasticsearch_index_prefix)
