"""relevance/README.md's examples, run on the committed fixtures: what they print is what the
README shows (see tests/relevance/readme_examples.py), and the Quepid walk-through works end to
end: a Quepid CSV in, a significance-tested comparison and a side-by-side HTML report out."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_core.settings import Settings
from tests.relevance.readme_examples import README, examples, mismatches, run, workspace

EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_its_examples() -> None:
    commands = [e.command for e in EXAMPLES]
    assert "therapist-search relevance eval" in commands
    assert any(c.startswith("therapist-search relevance import") for c in commands)
    assert any("--html report.html" in c for c in commands)
    assert all(e.expected.strip() for e in EXAMPLES), "an example without its output"


def test_the_readme_examples_print_what_the_readme_shows(
    small_index: Settings, tmp_path: Path
) -> None:
    cwd = workspace(tmp_path)
    for e in EXAMPLES:
        status, out = run(e.command, small_index, cwd)
        assert status == 0, f"{e.command} exited {status}"
        problems = mismatches(e, out)
        assert not problems, (
            f"{e.command}: README differs from what it prints "
            "(after an intended change: python -m tests.relevance.readme_examples --write):\n"
            + "\n".join(problems)
        )
    report = (cwd / "report.html").read_text(encoding="utf-8")
    assert "Paired t-test p = " in report or "paired t-test p" in report.lower()
    assert report.count("<section") == 5 and "Settings that differ" in report
    assert (cwd / "quepid.jsonl").stat().st_size > 0


@pytest.mark.parametrize(
    ("shown", "printed", "same"),
    [
        ("mean A 0.8422, B 0.8396", "mean A 0.8431, B 0.8390", True),
        ("mean A 0.8422, B 0.8396", "mean A 0.8622, B 0.8396", False),
        ("B better on 9, worse on 5", "B better on 10, worse on 5", False),
        ("a   b  1", "a b 1", True),
        ("zero results on 0 of 261", "zero results in 0 of 261", False),
    ],
)
def test_how_figures_are_compared(shown: str, printed: str, same: bool) -> None:
    from tests.relevance.readme_examples import Example

    e = Example("therapist-search x", shown + "\n", False, 0, 0)
    assert (mismatches(e, printed + "\n") == []) is same
