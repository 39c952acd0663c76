"""The lab's README names every command; JUDGING.md states the rules' numbers."""

from __future__ import annotations

from cli.main import build_parser, commands
from search_core.relevance import rules
from search_core.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "relevance" / "README.md").read_text(encoding="utf-8")
JUDGING = (PROJECT_ROOT / "relevance" / "JUDGING.md").read_text(encoding="utf-8")


def _actions() -> list[str]:
    return sorted(p[1] for p, _ in commands(build_parser()) if p[0] == "relevance" and len(p) == 2)


def test_every_relevance_action_is_in_the_readme() -> None:
    for action in _actions():
        assert f"`therapist-search relevance {action}" in README, action
    assert "`therapist-search explain" in README


def test_judging_states_the_rules() -> None:
    for value in (rules.WALK_KM, rules.NEAR_KM, rules.FAR_KM, rules.TOP_ISSUES):
        assert f"{value:g}" in JUDGING
    for word in ("hand", "pool", "related", "hard"):
        assert word in JUDGING


def test_the_package_exports_load() -> None:
    import search_core.relevance as rel

    assert set(rel.__all__) == set(rel._EXPORTS)
    for name in rel.__all__:
        assert getattr(rel, name) is not None
