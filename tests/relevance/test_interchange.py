"""Judgments in (CSV such as Quepid's, TREC qrels) and out (CSV, qrels, an Elasticsearch
``_rank_eval`` body), on real files and the small index; nothing is dropped silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from search_core.relevance.judge import JUDGMENTS_FILE, QUERIES_FILE
from search_core.relevance.judgments import JudgmentList, load_judgments, save_judgments
from search_core.settings import Settings
from tests.es_spec import require_spec

QIDS = ["t-emdr-97214", "a-title-emdr", "t-anxiety-portland"]


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("judged") / "some.jsonl"
    save_judgments(load_judgments(JUDGMENTS_FILE).subset(QIDS), path)
    return path


def _pairs(j: JudgmentList) -> dict[tuple[str, str], int]:
    return {(q, d): g.grade for q, gs in j.grades.items() for d, g in gs.items()}


@pytest.mark.parametrize("fmt", ["csv", "trec"])
def test_round_trip(small_index: Settings, judged: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("j.csv" if fmt == "csv" else "j.qrels")
    argv = ["relevance", "export", "--format", fmt, "--judgments", str(judged), "--out", str(out)]
    assert main(argv, small_index) == 0
    back = tmp_path / "back.jsonl"
    assert main(["relevance", "import", str(out), "--out", str(back)], small_index) == 0
    original, again = load_judgments(judged), load_judgments(back)
    assert _pairs(again) == _pairs(original) and len(again) > 50
    assert again.queries == original.queries  # the query set's definitions: place, filters
    assert {g.by for gs in again.grades.values() for g in gs.values()} == {"hand"}


def test_a_quepid_csv_with_texts_and_renamed_columns(
    small_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ratings = tmp_path / "quepid.csv"
    ratings.write_text(
        "query_text,docid,rating\n"
        "emdr near 97214,t0000001,3\n"  # a text of the query set
        "a-title-emdr,a0009,2\n"  # an id
        "how to fly a kite,t0000002,1\n"  # not in the query set
        "emdr near 97214,t9999999,2\n"  # not in the data
        "emdr near 97214,t0000003,7\n"  # not a grade
        "grief,t0000004,1\n"  # a text two queries have
    )
    out = tmp_path / "j.jsonl"
    argv = ["relevance", "import", str(ratings), "--out", str(out)]
    argv += ["--column", "query=query_text", "--column", "doc=docid"]
    assert main(argv, small_index) == 1
    captured = capsys.readouterr()
    assert "imported 2 of 6 ratings for 2 queries" in captured.out and "left out 4" in captured.out
    err = captured.err
    assert "quepid.csv:4: unknown query 'how to fly a kite'" in err
    assert "quepid.csv:5: unknown document 't9999999'" in err
    assert "quepid.csv:6: rating '7' is not a grade 0-3" in err
    assert "quepid.csv:7: query 'grief' is ambiguous" in err
    j = load_judgments(out)
    assert _pairs(j) == {("t-emdr-97214", "t0000001"): 3, ("a-title-emdr", "a0009"): 2}

    argv += ["--add-queries", "--out", str(tmp_path / "k.jsonl")]
    assert main(argv, small_index) == 1  # the unknown document is still left out
    added = load_judgments(tmp_path / "k.jsonl")
    assert added.queries["imp-how-to-fly-a-kite"].query == "how to fly a kite"


def test_a_missing_column_is_named(
    small_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ratings = tmp_path / "r.csv"
    ratings.write_text("query,docid,rating\nanxiety,t0000001,1\n")
    argv = ["relevance", "import", str(ratings), "--out", str(tmp_path / "o.jsonl")]
    assert main(argv, small_index) == 2
    assert "no column for doc (doc)" in capsys.readouterr().err
    assert main([*argv, "--column", "dok=docid"], small_index) == 2
    assert "ROLE one of query, doc, rating" in capsys.readouterr().err


def test_the_rank_eval_body_is_a_valid_request(
    small_index: Settings, judged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = require_spec()
    out = tmp_path / "rank-eval.json"
    argv = ["relevance", "export", "--format", "rank-eval", "--judgments", str(judged)]
    assert main([*argv, "--out", str(out)], small_index) == 0
    assert "POST /therapist-search-therapists/_rank_eval" in capsys.readouterr().out
    body = json.loads(out.read_text())
    spec.validate_request("post", "/{index}/_rank_eval", body)
    assert [r["id"] for r in body["requests"]] == ["t-emdr-97214", "t-anxiety-portland"]
    first = body["requests"][0]
    assert first["ratings"][0] == {
        "_index": "therapist-search-therapists",
        "_id": first["ratings"][0]["_id"],
        "rating": 3,
    }
    assert "geo" in json.dumps(first["request"]["query"])  # the place read out of the text
    assert body["metric"] == {"dcg": {"k": 10, "normalize": True}}
    broken = json.loads(out.read_text())
    broken["requests"][0]["ratings"][0]["rating"] = "three"
    with pytest.raises(Exception, match="rating"):
        spec.validate_request("post", "/{index}/_rank_eval", broken)

    articles = tmp_path / "articles.json"
    argv += ["--target", "articles", "--out", str(articles)]
    assert main(argv, small_index) == 0
    body = json.loads(articles.read_text())
    spec.validate_request("post", "/{index}/_rank_eval", body)
    assert [r["id"] for r in body["requests"]] == ["a-title-emdr"]


def test_the_shipped_query_set_imports_its_own_judgments(tmp_path: Path) -> None:
    from search_core.relevance.docs import Corpus
    from search_core.relevance.interchange import import_ratings, read_trec, write_trec
    from search_core.relevance.judgments import load_queries

    j = load_judgments(JUDGMENTS_FILE)
    back = import_ratings(
        read_trec(write_trec(j, tmp_path / "all.qrels")), load_queries(QUERIES_FILE), Corpus.load()
    )
    assert back.problems == [] and _pairs(back.judgments) == _pairs(j)
