"""HTTP-level fixtures: the real app over a real index built from the fixtures, on every engine.

``client`` is parametrized by engine: the embedded engine always runs; OpenSearch always runs on
the session's node (the small set loaded into it once); Elasticsearch runs when
``ELASTICSEARCH_URL`` is set and is skipped with the reason otherwise.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.settings import Settings
from tests.conftest import ENGINES


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "elasticsearch" and not os.environ.get("ELASTICSEARCH_URL"):
        pytest.skip("set ELASTICSEARCH_URL to run the suite against a live Elasticsearch cluster")
    return name


@pytest.fixture(scope="session")
def api_settings(engine: str, request: pytest.FixtureRequest) -> Settings:
    """Settings over the small fixture set loaded into the engine under test."""
    loaded = {"elasticsearch": "elastic_small_index", "opensearch": "opensearch_small_index"}
    base: Settings = request.getfixturevalue(loaded.get(engine, "small_index"))
    return base.model_copy(update={"engine": engine, "cors_origins": ["https://example.org"]})


@pytest.fixture(scope="session")
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as c:
        yield c


def _read(path: Path) -> list[dict[str, Any]]:
    return [
        orjson.loads(line)
        for line in gzip.decompress(path.read_bytes()).splitlines()
        if line.strip()
    ]


@pytest.fixture(scope="session")
def therapists_data(small_dir: Path) -> list[dict[str, Any]]:
    """The fixture therapists as plain dicts: the ground truth brute-force checks compare to."""
    return _read(small_dir / "therapists.jsonl.gz")


@pytest.fixture(scope="session")
def locations_data(small_dir: Path) -> list[dict[str, Any]]:
    return _read(small_dir / "locations.jsonl.gz")


@pytest.fixture(scope="session")
def articles_data(small_dir: Path) -> list[dict[str, Any]]:
    return _read(small_dir / "articles.jsonl.gz")


def assert_error(response: Any, status: int, *needles: str) -> dict[str, Any]:
    """The response is a JSON error body with ``status`` whose message mentions each needle."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) >= {"error", "message", "details"}, body
    text = (body["message"] + " " + " ".join(d["message"] for d in body["details"])).lower()
    for needle in needles:
        assert needle.lower() in text, (needle, body)
    return body
