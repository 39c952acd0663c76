"""Every ``relevance eval`` appends a line to the run history; ``relevance history`` prints it
and plots the trend. Real runs on the small index, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from search_core.relevance import history
from search_core.relevance.judge import JUDGMENTS_FILE
from search_core.relevance.judgments import load_judgments, save_judgments
from search_core.settings import Settings


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("judged") / "articles.jsonl"
    save_judgments(load_judgments(JUDGMENTS_FILE).by_target("articles"), path)
    return path


def test_eval_appends_and_history_shows_the_trend(
    small_index: Settings, articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "h" / "runs.jsonl"
    base = ["relevance", "eval", "--judgments", str(articles), "--history", str(file)]
    assert main(base, small_index) == 0
    assert main([*base, "--tuning", "all-words"], small_index) == 0
    assert main([*base, "--no-history"], small_index) == 0
    lines = [json.loads(ln) for ln in file.read_text().splitlines()]
    assert [ln["tuning"] for ln in lines] == ["default", "all-words"]
    first, second = lines
    assert first["code"] == second["code"] == history.source_hash()
    assert first["tuning_hash"] != second["tuning_hash"]
    assert first["judgments_hash"] == history.file_hash(articles)
    assert first["queries"] == 22 and 0 < first["means"]["ndcg@10"] <= 1
    assert set(first["figures"]["all"]) == {"satisfiable", "zero_result_rate", "satisfied@10"}
    assert first["git"] is None or first["git"].split("+")[0].isalnum()
    capsys.readouterr()

    plot = tmp_path / "trend.png"
    argv = ["relevance", "history", "--history", str(file), "--plot", str(plot)]
    assert main(argv, small_index) == 0
    out = capsys.readouterr().out
    assert "2 runs in" in out and out.count("\n20") == 2  # a row per run, by its time
    delta = second["means"]["ndcg@10"] - first["means"]["ndcg@10"]
    assert f"({delta:+.4f})" in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_default_history_lives_in_the_data_dir(
    small_index: Settings, articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = small_index
    before = history.load(settings.data_dir / history.HISTORY_NAME)
    assert main(["relevance", "eval", "--judgments", str(articles)], settings) == 0
    assert len(history.load(settings.data_dir / history.HISTORY_NAME)) == len(before) + 1
    assert "appended to the run history" in capsys.readouterr().err


def test_the_code_hash_follows_the_sources(tmp_path: Path) -> None:
    for folder in history.SOURCES:
        (tmp_path / folder).mkdir()
    (tmp_path / "search_core" / "a.py").write_text("x = 1\n")
    before = history.source_hash(tmp_path)
    (tmp_path / "search_core" / "a.py").write_text("x = 2\n")
    assert history.source_hash(tmp_path) != before
    assert history.git_version(tmp_path) is None  # not a repository: no commit to name
