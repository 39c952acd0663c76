"""Typeahead answers for one- and two-character prefixes are kept per index version: the same
answers as a fresh search, and forgotten when an upsert or delete reloads the index."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cli.main import main
from search_core.embedded.backend import EmbeddedBackend
from search_core.queries import SuggestQuery
from search_core.settings import Settings


@pytest.mark.parametrize("prefix", ["a", "j", "Ma", "ch", "zq"])
def test_a_remembered_answer_is_the_answer(small_index: Settings, prefix: str) -> None:
    backend = EmbeddedBackend(small_index)
    names = backend.reader.get("therapists")
    articles = backend.reader.get("articles")
    first = backend.suggest_sync(SuggestQuery(prefix=prefix))
    assert ("names", prefix, 8) in names.memo and ("articles", prefix, 8) in articles.memo
    assert backend.suggest_sync(SuggestQuery(prefix=prefix)) == first
    parts = backend.suggesting
    assert parts._names(prefix, 8) == parts._find_names(names, prefix, 8)
    assert parts._articles(prefix, 8) == parts._find_articles(articles, prefix, 8)


def test_longer_prefixes_are_not_kept(small_index: Settings) -> None:
    backend = EmbeddedBackend(small_index)
    backend.suggest_sync(SuggestQuery(prefix="mar"))
    assert not any(k[1] == "mar" for k in backend.reader.get("therapists").memo)


def test_an_upsert_is_seen_by_short_prefixes(tmp_path: Path, small_dir: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(["index", "--from", str(small_dir), "--kind", "therapists", "--quiet"], settings) == 0
    )
    assert main(["index", "--from", str(small_dir), "--kind", "articles", "--quiet"], settings) == 0
    backend = EmbeddedBackend(settings)
    before = backend.suggest_sync(SuggestQuery(prefix="qx"))
    assert not [s for s in before if s.type == "therapist"]
    with gzip.open(small_dir / "therapists.jsonl.gz", "rt") as fh:
        record = json.loads(next(fh))
    (tmp_path / "one.json").write_text(json.dumps(dict(record, name="Qxana Brook")))
    assert main(["upsert", "--kind", "therapists", str(tmp_path / "one.json")], settings) == 0
    after = backend.suggest_sync(SuggestQuery(prefix="qx"))
    assert [s.value for s in after if s.type == "therapist"] == [record["id"]]
