"""The live-cluster fixtures: the small fixture set loaded into a cluster under an index prefix of
its own (so a shared cluster is safe), deleted again at the end of the session.

* OpenSearch always runs: the session's node (``opensearch_url``: ``OPENSEARCH_URL`` if set,
  else a local node started once, see ``tests/opensearch_node.py``); skipped, with the reason,
  only where Java or Maven is missing.
* Elasticsearch runs when ``ELASTICSEARCH_URL`` is set (with ``ELASTICSEARCH_API_KEY`` or
  ``ELASTICSEARCH_USERNAME``/``ELASTICSEARCH_PASSWORD`` and ``ELASTICSEARCH_CA_CERTS`` as the
  cluster needs), and is skipped with the reason otherwise.

The HTTP suite uses them through ``tests/api/conftest.py``, the writing contract through
``engine_settings`` (``tests/conftest.py``), and ``tests/elastic/test_live.py`` directly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_core.elastic.kindlock import locks_index
from search_core.elastic.writer import ElasticWriter
from search_core.engines import make_writer
from search_core.mappings import KINDS
from search_core.settings import Settings

SKIP_REASON = "set ELASTICSEARCH_URL to run the suite against a live Elasticsearch cluster"


def live_settings(base: Settings, prefix: str | None = None) -> Settings:
    """``base`` switched to the Elasticsearch cluster of the environment, with a fresh index
    prefix (skips without ``ELASTICSEARCH_URL``)."""
    if not os.environ.get("ELASTICSEARCH_URL"):
        pytest.skip(SKIP_REASON)
    env = Settings()
    return base.model_copy(
        update={
            "engine": "elasticsearch",
            "elasticsearch_url": env.elasticsearch_url,
            "elasticsearch_api_key": env.elasticsearch_api_key,
            "elasticsearch_username": env.elasticsearch_username,
            "elasticsearch_password": env.elasticsearch_password,
            "elasticsearch_ca_certs": env.elasticsearch_ca_certs,
            "elasticsearch_request_timeout": max(env.elasticsearch_request_timeout, 30.0),
            "elasticsearch_index_prefix": prefix or f"test-{uuid.uuid4().hex[:10]}",
            "elasticsearch_replicas": 0,
        }
    )


def opensearch_settings(base: Settings, url: str, prefix: str | None = None) -> Settings:
    """``base`` switched to the OpenSearch node at ``url``, with a fresh index prefix."""
    env = Settings()
    return base.model_copy(
        update={
            "engine": "opensearch",
            "opensearch_url": url,
            "opensearch_username": env.opensearch_username,
            "opensearch_password": env.opensearch_password,
            "opensearch_ca_certs": env.opensearch_ca_certs,
            "opensearch_request_timeout": max(env.opensearch_request_timeout, 30.0),
            "elasticsearch_index_prefix": prefix or f"test-{uuid.uuid4().hex[:10]}",
            "elasticsearch_replicas": 0,
        }
    )


def cluster_settings(request: pytest.FixtureRequest, engine: str, base: Settings) -> Settings:
    """``base`` on the live cluster of ``engine`` (skips where that cluster cannot be had)."""
    if engine == "opensearch":
        url: str = request.getfixturevalue("opensearch_url")
        return opensearch_settings(base, url)
    return live_settings(base)


def delete_everything(settings: Settings) -> None:
    """Every index of every kind under the settings' prefix, and its write-lock index (by
    name: clusters refuse wildcard deletes by default)."""
    writer = make_writer(settings)
    assert isinstance(writer, ElasticWriter)
    try:
        for kind in KINDS:
            inv = writer.loop.run(writer.admin.inventory(kind, with_counts=False))
            for index in [v.index for v in inv.complete] + inv.unfinished:
                writer.loop.run(writer.admin.delete_index(index))
        writer.loop.run(writer.admin.delete_index(locks_index(settings.elasticsearch_index_prefix)))
    finally:
        writer.close()


def load(settings: Settings, source: Path, *kinds: str) -> None:
    from cli.main import main

    args = ["index", "--from", str(source), "--quiet"]
    for kind in kinds:
        args += ["--kind", kind]
    assert main(args, settings=settings) == 0


@pytest.fixture(scope="session")
def elastic_small_index(
    tmp_path_factory: pytest.TempPathFactory, small_dir: Path
) -> Iterator[Settings]:
    """All three kinds of the small set, loaded once per session into the live cluster."""
    base = Settings(data_dir=tmp_path_factory.mktemp("es-small"), index_workers=0)
    settings = live_settings(base)
    try:
        load(settings, small_dir)
        yield settings
    finally:
        delete_everything(settings)


@pytest.fixture(scope="session")
def opensearch_small_index(
    tmp_path_factory: pytest.TempPathFactory, small_dir: Path, opensearch_url: str
) -> Iterator[Settings]:
    """All three kinds of the small set, loaded once per session into the OpenSearch node."""
    base = Settings(data_dir=tmp_path_factory.mktemp("os-small"), index_workers=0)
    settings = opensearch_settings(base, opensearch_url).model_copy(
        update={"elasticsearch_bulk_chunk_size": 2_000}
    )
    try:
        load(settings, small_dir)
        yield settings.model_copy(update={"elasticsearch_bulk_chunk_size": 500})
    finally:
        delete_everything(settings)
