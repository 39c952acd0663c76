"""The lab from the command line (cli/relevance.py, judging.py, explain.py) on the small index."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli.main import main
from search_core.relevance.judge import JUDGMENTS_FILE
from search_core.relevance.judgments import load_judgments, save_judgments
from search_core.settings import Settings
from search_core.tuning import Tuning


@pytest.fixture(scope="module")
def articles_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("judged") / "articles.jsonl"
    save_judgments(load_judgments(JUDGMENTS_FILE).by_target("articles"), path)
    return path


def test_eval_json(
    small_index: Settings, articles_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["relevance", "eval", "--judgments", str(articles_only), "--json"], small_index) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["queries"] == 22 and 0 < report["means"]["ndcg@10"] < 1
    assert set(report["means"]) == {"ndcg@10", "mrr@10", "p@10", "r@10", "judged@10"}


def test_compare_with_plots(
    small_index: Settings, articles_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    b = tmp_path / "b.json"
    Tuning.load().model_copy(update={"name": "no-phrase", "phrase_boost": 0.0}).dump(b)
    argv = ["relevance", "compare", "--judgments", str(articles_only), "--b", str(b)]
    argv += ["--plots", str(tmp_path / "plots"), "--permutations", "500"]
    assert main(argv, small_index) == 0
    out = capsys.readouterr().out
    assert "A = default@embedded, B = no-phrase@embedded" in out
    assert "randomization test p = " in out
    assert (tmp_path / "plots" / "distribution.png").stat().st_size > 0
    assert (tmp_path / "plots" / "movers.png").stat().st_size > 0


def test_search_writes_the_best_tuning(
    small_index: Settings, articles_only: Path, tmp_path: Path
) -> None:
    out = tmp_path / "best.json"
    argv = ["relevance", "search", "--judgments", str(articles_only), "--json"]
    argv += ["--knob", "article_fields.title=1,5", "--out", str(out), "--name", "mine"]
    assert main(argv, small_index) == 0
    assert Tuning.load(out).article_fields["title"] in (1, 3, 5)


def test_export_for_grading(
    small_index: Settings, articles_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "new.jsonl"
    queries.write_text(
        '{"qid": "new-1", "query": "teen anxiety"}\n'
        '{"qid": "new-2", "query": "divorce", "target": "articles"}\n'
    )
    out = tmp_path / "grade-me.csv"
    argv = ["relevance", "export", "--judgments", str(articles_only), "--queries", str(queries)]
    argv += ["--k", "5", "--out", str(out)]
    assert main(argv, small_index) == 0
    rows = list(csv.DictReader(out.open()))
    assert {r["qid"] for r in rows} == {"new-1", "new-2"}
    first = next(r for r in rows if r["qid"] == "new-1")
    assert first["rank"] == "1" and first["grade"] == "" and first["issues"] and first["bio"]
    assert "relevance judge --add-hand" in capsys.readouterr().out


def test_judge_check(small_index: Settings, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"qid": "a-grief", "query": "grief", "target": "articles", '
        '"need": {"topics": ["grief-loss"], "related_topics": ["loneliness"]}}\n'
    )
    out = tmp_path / "j.jsonl"
    base = ["relevance", "judge", "--queries", str(queries), "--out", str(out)]
    base += ["--hand", str(tmp_path / "none.jsonl")]
    assert main(base, small_index) == 0
    assert len(load_judgments(out)) == 36
    assert main([*base, "--check"], small_index) == 0
    out.write_text(out.read_text().replace('"grade":3', '"grade":1', 1))
    assert main([*base, "--check"], small_index) == 1


def test_check_refuses_with_a_message(
    small_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"article_fields": {"comments.text": 1.0, "title": 2.0}}))
    assert main(["relevance", "check", "--tuning", str(bad)], small_index) == 2
    out = capsys.readouterr().out
    assert "embedded: honours every knob" in out
    assert "elasticsearch: REFUSES this tuning" in out and "nested" in out


def test_explain_why_not(small_index: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explain", "anxiety", "--filter", "languages=spanish", "--doc", "t0000001"]
    assert main(argv, small_index) == 0
    out = capsys.readouterr().out
    assert "does NOT match" in out and "filter: languages = spanish" in out


def test_explain_top_hits(small_index: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "emdr near 97214", "--top", "2"], small_index) == 0
    out = capsys.readouterr().out
    assert out.count("rendered query:") == 1 and "rank 2," in out
    assert "× " in out and "distance decay" in out


def test_bad_input_is_a_usage_error(
    small_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["relevance", "search", "--knob", "nope=1,2", "--judgments", str(tmp_path / "x")]
    assert main(argv, small_index) == 2
    assert "unknown knob" in capsys.readouterr().err
