"""Live fixtures of the cluster defect tests: the small set loaded once per session into the
session's OpenSearch node (``opensearch_url``) under a prefix of its own, deleted at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli.main import main
from search_core.settings import Settings
from tests.cluster.live import SMALL, cluster_settings, drop


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
