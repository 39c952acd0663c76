"""The relevance lab's HTML comparison report (``relevance compare --html``) in Chromium: it
opens from the file, shows the two lists side by side, and axe-core finds nothing in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from search_core.relevance.judge import JUDGMENTS_FILE
from search_core.relevance.judgments import load_judgments, save_judgments
from search_core.settings import Settings
from tests.browser.conftest import AXE, DESKTOP, Watched


@pytest.fixture(scope="module")
def report(small_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    judged = folder / "articles.jsonl"
    save_judgments(load_judgments(JUDGMENTS_FILE).by_target("articles"), judged)
    html = folder / "report.html"
    argv = ["relevance", "compare", "--judgments", str(judged), "--b", "all-words"]
    argv += ["--html", str(html), "--plots", str(folder / "plots"), "--permutations", "200"]
    assert main(argv, small_index) == 0
    return html


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    if not AXE.is_file():
        pytest.skip(f"{AXE} is missing: run `make install` (npm ci in tests/browser)")
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(5000)
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


def test_the_report_shows_both_lists_side_by_side(page: Watched, report: Path) -> None:
    p = page.page
    p.goto(report.as_uri())
    assert p.title().startswith("Relevance comparison: default@embedded vs all-words@embedded")
    first = p.locator("section").first
    a = first.get_by_role("table", name="A = default@embedded")
    b = first.get_by_role("table", name="B = all-words@embedded")
    box_a, box_b = a.bounding_box(), b.bounding_box()
    assert box_a is not None and box_b is not None
    assert box_b["x"] >= box_a["x"] + box_a["width"] and abs(box_b["y"] - box_a["y"]) < 2
    assert first.get_by_role("table", name="Score breakdown of the movers").is_visible()
    assert p.get_by_role("img").count() == 2
    assert page.errors == []


def test_axe_finds_nothing_in_the_report(page: Watched, report: Path) -> None:
    p = page.page
    p.goto(report.as_uri())
    p.add_script_tag(path=str(AXE))
    result = p.evaluate(
        "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
    )
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
    assert found == []
