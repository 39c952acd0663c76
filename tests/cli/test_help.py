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


def test_a_bad_setting_is_bad_usage_said_plainly(tmp_path: Path) -> None:
    """A setting the environment gets wrong stops the command before it does anything, with
    the variable's name and what it should hold: exit 2, no traceback, no value repeated."""
    env = {
        "PATH": str(Path(sys.executable).parent),
        "SEARCH_DATA_DIR": str(tmp_path),
        "SEARCH_ENGINE": "elastic",
        "SEARCH_KEEP_VERSIONS": "0",
    }
    argv = [sys.executable, "-m", "cli", "search", "anxiety"]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env,
                          timeout=60)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert "error: SEARCH_ENGINE: Input should be 'embedded', 'elasticsearch' or 'opensearch'" in (
        lines
    )
    assert "error: SEARCH_KEEP_VERSIONS: Input should be greater than or equal to 1" in lines
    assert "elastic'" not in done.stderr.replace("'elasticsearch'", "")


def test_an_empty_setting_is_the_default(tmp_path: Path) -> None:
    """``SEARCH_ENGINE=`` (a variable cleared, not unset) is the default engine, not an error."""
    env = {
        "PATH": str(Path(sys.executable).parent),
        "SEARCH_DATA_DIR": str(tmp_path),
        "SEARCH_ENGINE": "",
    }
    argv = [sys.executable, "-m", "cli", "search", "anxiety"]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env,
                          timeout=60)  # fmt: skip
    assert done.returncode == 1, done.stderr  # no index in an empty data folder: a failure
    assert "Traceback" not in done.stderr and "SEARCH_ENGINE" not in done.stderr
