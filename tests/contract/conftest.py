"""Slices of the committed small fixture set, written to tmp files for the engine to load."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.load import load_kind
from indexer.report import LoadReport
from search_core.backend import IndexWriter
from search_core.mappings import KINDS
from search_core.settings import Settings

Load = Callable[..., LoadReport]


@pytest.fixture(scope="session")
def source_lines(small_dir: Path) -> dict[str, list[bytes]]:
    """Every kind's source records, one JSON line each, in file order."""
    return {
        kind: [
            line
            for line in gzip.decompress((small_dir / f"{kind}.jsonl.gz").read_bytes()).splitlines()
            if line.strip()
        ]
        for kind in KINDS
    }


@pytest.fixture
def load(writer: IndexWriter, engine_settings: Settings, tmp_path: Path) -> Load:
    """``load(kind, lines, writer=...)``: the lines written to a new JSONL file and loaded by
    the load pipeline into a new serving version (through ``writer`` unless another is given)."""
    files = iter(range(1_000_000))

    def go(kind: str, lines: list[bytes], into: IndexWriter | None = None) -> LoadReport:
        path = tmp_path / f"src-{next(files)}" / f"{kind}.jsonl"
        path.parent.mkdir(parents=True)
        path.write_bytes(b"\n".join(lines) + b"\n")
        return load_kind(into or writer, engine_settings, kind, path)

    return go
