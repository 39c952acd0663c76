"""Typeahead's names and titles for one- and two-character prefixes are kept per version of the
therapists and articles indexes (the use case's memo): the same answers as a fresh search, at
most a capped number of them, and forgotten when an upsert or delete moves a version."""

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
from search_core.typeahead import memo, names_and_titles, suggestions


def suggest(backend: EmbeddedBackend, prefix: str) -> list[Suggestion]:
    """The typeahead use case over the engine's candidates (no places)."""
    return asyncio.run(suggestions(backend, SuggestQuery(prefix=prefix)))


@pytest.mark.parametrize("prefix", ["a", "j", "Ma", "ch", "zq"])
def test_a_remembered_answer_is_the_answer(small_index: Settings, prefix: str) -> None:
    backend = EmbeddedBackend(small_index)
    first = suggest(backend, prefix)
    assert len(memo(backend)) == 1  # this prefix's names and titles
    again = suggest(backend, prefix)
    assert again == first
    q = SuggestQuery(prefix=prefix)
    found = asyncio.run(names_and_titles(EmbeddedBackend(small_index), q))
    assert [s for s in again if s.type in ("therapist", "article")] == [
        s for s in first if s.type in ("therapist", "article")
    ]
    assert {s.value for s in first if s.type == "therapist"} <= {s.value for s in found[0]}
    assert asyncio.run(names_and_titles(backend, q)) == found  # the engine's own answer


def test_longer_prefixes_are_not_kept(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    suggest(backend, "mar")
    assert len(memo(backend)) == 0


def test_the_kept_prefixes_are_capped(
    small_index: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = EmbeddedBackend(small_index)
    monkeypatch.setattr(memo(backend), "cap", 3)
    for prefix in ("a", "b", "c"):
        suggest(backend, prefix)
    assert len(memo(backend)) == 3
    suggest(backend, "d")  # past the cap: the memo starts again
    assert len(memo(backend)) == 1
    assert suggest(backend, "a") == suggest(EmbeddedBackend(small_index), "a")


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
