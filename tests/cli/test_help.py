"""Every command and subcommand answers ``--help``, through the installed entry point."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from cli.main import build_parser, commands
from search_core.settings import PROJECT_ROOT

PATHS = [path for path, _ in commands(build_parser())]


def _entry_point() -> Callable[[list[str]], int]:
    """``main`` as the ``therapist-search`` console script names it in the installed metadata."""
    (script,) = entry_points(group="console_scripts", name="therapist-search")
    main: Callable[[list[str]], int] = script.load()
    return main


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(p) for p in PATHS}
    assert {"index", "versions", "rollback", "upsert", "delete", "serve", "explain"} <= names
    assert {f"relevance {a}" for a in ("eval", "compare", "search", "gate")} <= names
    assert {f"relevance {a}" for a in ("export", "judge", "check")} <= names


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _entry_point()([*path, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: therapist-search {' '.join(path)} ")


def test_every_leaf_command_has_a_handler() -> None:
    for path, parser in commands(build_parser()):
        if not any(p[: len(path)] == path and len(p) > len(path) for p in PATHS):
            assert callable(parser.get_default("handler")), path


@pytest.mark.parametrize(
    "argv",
    [
        [sys.executable, "-m", "cli", "relevance", "--help"],
        [str(Path(sys.executable).with_name("therapist-search")), "explain", "--help"],
    ],
    ids=["python -m cli", "console script"],
)
def test_the_command_runs_as_a_program(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: therapist-search {argv[-2]} ")


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _entry_point()(["relevance"])
    assert exit_.value.code == 2
    assert "the following arguments are required: ACTION" in capsys.readouterr().err
