"""The documents the rules grade: read from the fixture files the index was built from (the
source of truth for each therapist's known attributes), not from an engine."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from search_core.settings import PROJECT_ROOT

DEFAULT_FIXTURES = PROJECT_ROOT / "fixtures" / "small"


def _read(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


def _file(folder: Path, kind: str) -> Path:
    for name in (f"{kind}.jsonl.gz", f"{kind}.jsonl"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"no {kind}.jsonl[.gz] in {folder}")


@dataclass(frozen=True)
class Corpus:
    """Therapists and articles by id, as JSON objects."""

    therapists: dict[str, dict[str, Any]]
    articles: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, folder: Path | str = DEFAULT_FIXTURES) -> Corpus:
        f = Path(folder)
        return cls(
            therapists={d["id"]: d for d in _read(_file(f, "therapists"))},
            articles={d["id"]: d for d in _read(_file(f, "articles"))},
        )

    def of(self, target: str) -> dict[str, dict[str, Any]]:
        return self.therapists if target == "therapists" else self.articles
