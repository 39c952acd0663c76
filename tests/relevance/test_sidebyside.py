"""Two rankings of one query side by side (terminal and HTML), and the plots' titles inside
their pictures; on the small index with the shipped article judgments."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from search_core.relevance.compare import Comparison, compare
from search_core.relevance.evaluate import evaluate
from search_core.relevance.judge import JUDGMENTS_FILE
from search_core.relevance.judgments import JudgmentList, load_judgments, save_judgments
from search_core.relevance.lab import Lab
from search_core.relevance.sidebyside import Row, side_by_side
from search_core.settings import Settings
from search_core.tuning import TUNINGS_DIR, Tuning

ALL_WORDS = TUNINGS_DIR / "all-words.json"


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("judged") / "articles.jsonl"
    save_judgments(load_judgments(JUDGMENTS_FILE).by_target("articles"), path)
    return path


@pytest.fixture(scope="module")
def comparison(lab: Lab, articles: Path) -> Comparison:
    j = load_judgments(articles)
    long_name = Tuning.load(ALL_WORDS).model_copy(
        update={"name": "every-single-word-of-the-text-must-match-somewhere-2026-12"}
    )
    a = evaluate(lab, j, Tuning.load(), metrics=["ndcg@10"])
    b = evaluate(lab, j, long_name, metrics=["ndcg@10"])
    return compare(a, b, permutations=200)


def test_moves_are_said_from_b_s_side() -> None:
    assert Row(1, "d", 3, 4).move == "↑3"
    assert Row(5, "d", None, 2).move == "↓3"
    assert Row(2, "d", 0, 2).move == "="
    assert Row(2, "d", 0, None).move == "new"


def test_side_by_side_with_the_movers_breakdown(
    comparison: Comparison, lab: Lab, articles: Path
) -> None:
    j: JudgmentList = load_judgments(articles)
    s = side_by_side(comparison, j, "a-title-emdr", 10, lab, lab)
    assert s.value_a > s.value_b
    assert [r.doc for r in s.a] == comparison.a.run["a-title-emdr"].docs[:10]
    assert s.a[0].grade == j.grade("a-title-emdr", s.a[0].doc)
    assert len(s.b) < len(s.a)  # every word required: fewer articles match
    assert s.movers and set(s.breakdowns) == set(s.movers)
    under_a, under_b = s.breakdowns[s.movers[0]]
    assert under_a.lines[0].startswith("text ") and under_a.lines[-1].startswith("= ")
    assert under_b.rank is None and under_b.lines[0].startswith("does not match: word ")


def test_compare_query_and_html(
    small_index: Settings, articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = tmp_path / "r" / "report.html"
    argv = ["relevance", "compare", "--judgments", str(articles), "--b", "all-words"]
    argv += ["--query", "a-title-emdr", "--html", str(html), "--plots", str(tmp_path / "p")]
    assert main([*argv, "--permutations", "200"], small_index) == 0
    out = capsys.readouterr().out
    assert "query a-title-emdr: 'What Actually Happens in an EMDR Session for Trauma'" in out
    assert " #  doc          grade  move" in out
    assert "B: does not match: word " in out
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert page.count("<section") == 1 and "a-title-emdr" in page
    assert "<code>minimum_should_match</code></th><td>3&lt;75%</td><td>100%</td>" in page
    assert page.count("data:image/png;base64,") == 2
    assert main([*argv[:-2], "--query", "nope"], small_index) == 2
    assert "no query nope" in capsys.readouterr().err


def test_plot_titles_stay_inside_the_picture(comparison: Comparison) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from search_core.relevance.plots import movers_figure

    fig = movers_figure(comparison)
    fig.canvas.draw()
    box = fig.bbox
    texts = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
    assert any("every-single-word" in t.get_text() for t in texts)
    for t in texts:
        e = t.get_window_extent()
        assert e.x0 >= box.x0 - 1 and e.x1 <= box.x1 + 1, t.get_text()
        assert e.y0 >= box.y0 - 1 and e.y1 <= box.y1 + 1, t.get_text()
    plt.close(fig)
