"""Typeahead answers for one- and two-character prefixes are kept per index version: the same
answers as a fresh search, and forgotten when an upsert or delete reloads the index."""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path

import pytest

from cli.main import main
from search_core.embedded.backend import EmbeddedBackend
from search_core.queries import SuggestQuery
from search_core.results import Suggestion
from search_core.settings import Settings
from search_core.typeahead import NAME_CANDIDATES, suggestions


def suggest(backend: EmbeddedBackend, prefix: str) -> list[Suggestion]:
    """The typeahead use case over the engine's candidates (no places)."""
    return asyncio.run(suggestions(backend, SuggestQuery(prefix=prefix)))


@pytest.mark.parametrize("prefix", ["a", "j", "Ma", "ch", "zq"])
def test_a_remembered_answer_is_the_answer(small_index: Settings, prefix: str) -> None:
    backend = EmbeddedBackend(small_index)
    names = backend.reader.get("therapists")
    articles = backend.reader.get("articles")
    first = suggest(backend, prefix)
    limit = 8 * NAME_CANDIDATES
    assert ("therapists", prefix, limit) in names.memo
    assert ("articles", prefix, 8) in articles.memo
    assert suggest(backend, prefix) == first
    parts = backend.core.prefixes
    for opened, kind, n in ((names, "therapists", limit), (articles, "articles", 8)):
        assert parts.candidates(kind, prefix, n) == parts._find(opened, kind, prefix, n)


def test_longer_prefixes_are_not_kept(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    suggest(backend, "mar")
    assert not any(k[1] == "mar" for k in backend.reader.get("therapists").memo)


def test_an_upsert_is_seen_by_short_prefixes(tmp_path: Path, small_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], settings) == 0
    )
    assert main(["index", "--from", str(small_dir), "--kind", "articles", "--quiet"], settings) == 0
    backend = EmbeddedBackend(settings)
    before = suggest(backend, "qx")
    assert not [s for s in before if s.type == "therapist"]
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        record = json.loads(next(fh))
    (tmp_path / "one.json").write_text(json.dumps(dict(record, name="Qxana Brook")))
    assert main(["upsert", "--kind", "therapists", str(tmp_path / "one.json")], settings) == 0
    after = suggest(backend, "qx")
    assert [s.value for s in after if s.type == "therapist"] == [record["id"]]
