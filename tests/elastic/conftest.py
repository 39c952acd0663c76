"""Fixtures of the Elasticsearch engine's tests: the strict spec, the default tuning, the query
analyzers read from ``mappings/``, and (live tests only) the small set loaded into a cluster."""

from __future__ import annotations

import pytest

from search_core.elastic.text import query_analyzers
from search_core.mappings import KINDS, load_mapping
from search_core.settings import PROJECT_ROOT
from search_core.tuning import Tuning
from tests.elastic.live import elastic_small_index
from tests.es_spec import ElasticSpec, require_spec

__all__ = ["analyzers", "elastic_small_index", "spec", "tuning"]

MAPPINGS = PROJECT_ROOT / "mappings"


@pytest.fixture(scope="session")
def spec() -> ElasticSpec:
    return require_spec()


@pytest.fixture(scope="session")
def tuning() -> Tuning:
    return Tuning.load(PROJECT_ROOT / "tunings" / "default.json")


@pytest.fixture(scope="session")
def analyzers() -> dict[str, dict[str, str]]:
    return {kind: query_analyzers(load_mapping(MAPPINGS, kind)) for kind in KINDS}
