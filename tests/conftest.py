"""Shared fixtures: settings pointing at temporary folders, and real indexes built from the
committed small fixture set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search_core.settings import PROJECT_ROOT, Settings

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
