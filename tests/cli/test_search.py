"""``therapist-search search``: the search box from the command line, on the real index."""

from __future__ import annotations

import json
import re

import pytest

from cli.main import main
from search_core.settings import Settings


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
    body = json.loads(run(capsys, small_index, "teen acting out herself", "--json"))
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
