"""``therapist-search search``: the search box from the command line, on the real index."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from search_core.settings import PROJECT_ROOT, Settings


def run(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> str:
    assert main(["search", *argv], settings=settings) == 0
    return capsys.readouterr().out


def test_it_prints_what_was_understood_and_the_hits(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, small_index, "anxeity therapist 97214", "--size", "3")
    assert "[issue: Anxiety]" in out and "[place: 97214 (Portland, OR)]" in out
    assert 'showing results for "anxiety therapist 97214"' in out
    assert out.count(" mi") >= 3 and "  1. " in out
    assert re.search(r"^\d+ therapists \(\d+ in person, \d+ online, licensed in OR\)$", out, re.M)
    assert not re.search(r"\d\.\d\d+ mi", out), "distances to one decimal"


def test_one_therapist_is_singular(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, small_index, "anxiety", "--zip", "97214", "--filter", "languages=spanish")
    assert re.search(r"^1 therapist \(0 in person, 1 online, licensed in OR\)$", out, re.M), out


def test_a_bare_city_lists_its_namesakes(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, small_index, "therapist springfield", "--size", "1")
    assert "other places of that name: Springfield, MA; Springfield, IL" in out


def test_json_is_the_api_page(small_index: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    body = json.loads(run(capsys, small_index, "teen acting out at the dinner table", "--json"))
    assert body["total"] > 0 and body["relaxed"]["message"].startswith("No ")
    assert "Behavioral Issues" in body["relaxed"]["message"], "the hinted issue replaces the words"
    for hit in body["items"]:
        t = hit["therapist"]
        assert "behavioral-issues" in t["issues"] and "teens" in t["age_groups"]
    assert body["crisis"] is None


def test_crisis_help_is_printed_first(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, small_index, "my teenage son is cutting himself", "--size", "2")
    first, *_ = out.splitlines()
    assert first.startswith("HELP NOW: ")
    assert "988 Suicide & Crisis Lifeline" in out and "[issue: Self-Harm]" in out
    assert out.index("HELP NOW") < out.index("  1. ")


def test_as_typed_and_with_form_filters(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    body = json.loads(
        run(
            capsys,
            small_index,
            "grief",
            "--no-understand",
            "--filter",
            "languages=spanish",
            "--json",
        )
    )
    assert body["understanding"] is None and body["total"] > 0
    assert all("spanish" in h["therapist"]["languages"] for h in body["items"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_engine_is_a_failure_not_bad_usage(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SEARCH_ENGINE": "elasticsearch",
        "SEARCH_ELASTICSEARCH_URL": f"http://127.0.0.1:{free_port()}",
        "SEARCH_ELASTICSEARCH_MAX_RETRIES": "0",
        "SEARCH_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [str(Path(sys.executable).with_name("therapist-search")), "search", "anxiety"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Elasticsearch is unreachable" in done.stderr and done.stdout == ""


def test_no_index_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "anxiety"], settings=Settings(data_dir=tmp_path)) == 1
    assert "index has been built yet" in capsys.readouterr().err


def test_bad_input_is_still_bad_usage(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "anxiety", "--filter", "languages"], settings=small_index) == 2
    assert "NAME=VALUE" in capsys.readouterr().err
