"""Shared fixtures: settings pointing at temporary folders, real indexes built from the
committed small fixture set, and an empty index store on every engine (``writer``, ``backend``).

``engine_settings`` is parametrized by engine like the API's ``client``: the embedded engine
always runs; OpenSearch always runs on the session's node (``opensearch_url``; skipped, with the
reason, only where Java or Maven is missing); Elasticsearch runs when ``ELASTICSEARCH_URL`` is set
and is skipped with the reason otherwise. Cluster engines work under an index prefix of their
own, deleted afterwards.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from search_core.backend import IndexWriter, SearchBackend
from search_core.engines import make_backend, make_writer
from search_core.settings import PROJECT_ROOT, Settings
from tests.elastic.live import (  # noqa: F401  (session fixtures, used by name)
    elastic_small_index,
    opensearch_small_index,
)
from tests.opensearch_node import opensearch_url  # noqa: F401  (a session fixture, used by name)

R = TypeVar("R")
Run = Callable[[Coroutine[Any, Any, R]], R]
ENGINES = [
    "embedded",
    pytest.param("opensearch", marks=pytest.mark.opensearch),
    pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
]

SMALL = Path(os.environ.get("TEST_FIXTURES_DIR", PROJECT_ROOT / "fixtures" / "small"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", index_workers=0)


@pytest.fixture(scope="session")
def small_dir() -> Path:
    if not (SMALL / "therapists.jsonl.gz").is_file():
        pytest.fail(
            f"{SMALL} is missing: run `python -m fixtures.generate --size small --gzip "
            f"--out fixtures/small`"
        )
    return SMALL


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory, small_dir: Path) -> Settings:
    """All three kinds of the small set, indexed once for the session (read-only for tests)."""
    from cli.main import main

    s = Settings(data_dir=tmp_path_factory.mktemp("small-index"), index_workers=0)
    assert main(["index", "--from", str(small_dir), "--quiet"], settings=s) == 0
    return s


def copy_of(index: Settings, folder: Path) -> Settings:
    """A store of a test's own that starts as a copy of a built one (the session's small index
    stays read-only): far quicker than indexing the fixtures again."""
    shutil.copytree(index.data_dir, folder)
    return Settings(data_dir=folder, index_workers=0)


@pytest.fixture(params=ENGINES)
def engine_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings of an empty index store on the engine under test (nothing loaded yet)."""
    base = Settings(data_dir=tmp_path / "data", index_workers=0)
    if request.param == "embedded":
        yield base
        return
    from tests.elastic.live import cluster_settings, delete_everything

    settings = cluster_settings(request, request.param, base)  # skips without a cluster
    try:
        yield settings
    finally:
        delete_everything(settings)


@pytest.fixture
def writer(engine_settings: Settings) -> Iterator[IndexWriter]:
    """The engine's IndexWriter over ``engine_settings``."""
    w = make_writer(engine_settings)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def run() -> Iterator[Run[Any]]:
    """``run(coroutine)`` on one event loop for the whole test: a backend's async client
    belongs to the loop it first ran on."""
    with asyncio.Runner() as runner:
        yield runner.run


@pytest.fixture
def backend(engine_settings: Settings, run: Run[Any]) -> Iterator[SearchBackend]:
    """The engine's SearchBackend over the same store as ``writer``, open for the whole test
    (so a test sees what an already running service sees)."""
    b = make_backend(engine_settings)
    try:
        yield b
    finally:
        run(b.close())


_LIVE: set[str] = set()
"""Ids of the tests that run on the live OpenSearch node."""


def _on_live_node(item: pytest.Item) -> bool:
    """The test is parametrised with the opensearch engine, or asks for the node itself."""
    callspec = getattr(item, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    return "opensearch" in params or "opensearch_url" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _LIVE.update(i.nodeid for i in items if _on_live_node(i))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """A closing line for the tests on the live OpenSearch node, so a CI log says outright
    whether they ran: ``tests on the live OpenSearch node: N passed, N failed, N skipped``."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "nodeid", "") not in _LIVE:
                continue
            if report.when == "call" or (outcome != "passed" and report.when == "setup"):
                counts[outcome] += 1
    if _LIVE:
        terminalreporter.write_line(
            "tests on the live OpenSearch node: "
            + ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
        )
