"""Tuning files name a base (``extends``) and only what they change; every reader (the lab, the
CLI, the API's analyst tunings) resolves them alike, and the lab shows what differs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import SecretStr

from cli.main import main
from search_api.analyst import resolve_request_tuning
from search_core.errors import InvalidQuery
from search_core.relevance.judgments import QuerySpec
from search_core.relevance.lab import Lab
from search_core.relevance.settings_diff import diff, implicit_defaults, write_changes
from search_core.settings import PROJECT_ROOT, Settings
from search_core.tuning import TUNINGS_DIR, Tuning, TuningFileError, merge_patch

DEFAULT = Tuning.load()
SEARCHED = TUNINGS_DIR / "searched.json"


def _write(folder: Path, name: str, data: dict[str, object]) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_tuning_changes_only_what_it_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "bio",
        {"extends": "default", "therapist_fields": {"bio": 2.5}, "distance": {"scale_km": 5}},
    )
    t = Tuning.load(path)
    assert t.name == "bio"  # named after its file
    assert t.therapist_fields == {**DEFAULT.therapist_fields, "bio": 2.5}
    assert t.distance.scale_km == 5 and t.distance.offset_km == DEFAULT.distance.offset_km
    assert t.minimum_should_match == DEFAULT.minimum_should_match == "3<75%"
    assert t.fuzziness == DEFAULT.fuzziness == "auto"
    assert [(d.knob, d.a, d.b) for d in diff(DEFAULT, t)] == [
        ("therapist_fields.bio", 1.0, 2.5),
        ("distance.scale_km", 15.0, 5.0),
    ]


def test_null_removes_a_field_and_bases_chain(tmp_path: Path) -> None:
    _write(tmp_path, "mid", {"extends": "default", "phrase_boost": 0})
    path = _write(tmp_path, "top", {"extends": "mid", "therapist_fields": {"bio": None}})
    t = Tuning.load(path)
    assert "bio" not in t.therapist_fields and t.phrase_boost == 0
    assert merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"c": None}, "d": [1]}) == {
        "a": {"b": 1},
        "d": [1],
    }


def test_unknown_bases_and_circles_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(TuningFileError, match=r"extends .nope., but there is no nope\.json"):
        Tuning.load(_write(tmp_path, "a", {"extends": "nope"}))
    _write(tmp_path, "x", {"extends": "y"})
    with pytest.raises(TuningFileError, match="circle: y -> x -> y"):
        Tuning.load(_write(tmp_path, "y", {"extends": "x"}))
    with pytest.raises(TuningFileError, match="circle: self -> self"):
        Tuning.load(_write(tmp_path, "self", {"extends": "self"}))
    with pytest.raises(TuningFileError, match="extends must name a tuning"):
        Tuning.load(_write(tmp_path, "up", {"extends": "../default"}))


def test_the_shipped_tunings_extend_the_default() -> None:
    for path in sorted(TUNINGS_DIR.glob("*.json")):
        if path.stem != "default":
            assert json.loads(path.read_text())["extends"] == "default", path
            assert implicit_defaults(path) == [], path
    assert not (PROJECT_ROOT / "relevance" / "tunings").exists(), "tunings live in tunings/"


def _api(**kw: object) -> Tuning:
    args: dict[str, object] = {
        "default": DEFAULT,
        "engine": "embedded",
        "analyst_key": SecretStr("k"),
        "header_key": "k",
    }
    return resolve_request_tuning(**(args | kw))  # type: ignore[arg-type]


def test_the_api_resolves_extends_like_the_lab(tmp_path: Path) -> None:
    _write(tmp_path, "default", json.loads((TUNINGS_DIR / "default.json").read_text()))
    path = _write(tmp_path, "mine", {"extends": "default", "phrase_boost": 0.5})
    by_name = _api(tuning_name="mine", tunings_dir=tmp_path)
    by_body = _api(tuning_json={"extends": "default", "phrase_boost": 0.5}, tunings_dir=tmp_path)
    assert by_name == Tuning.load(path) and by_name.phrase_boost == 0.5
    assert by_body.model_copy(update={"name": "mine"}) == by_name
    with pytest.raises(InvalidQuery, match=r"no nope\.json"):
        _api(tuning_json={"extends": "nope"}, tunings_dir=tmp_path)
    with pytest.raises(InvalidQuery, match="extends must name a tuning"):
        _api(tuning_json={"extends": "../../etc/passwd"}, tunings_dir=tmp_path)


def test_a_file_without_a_base_is_warned_about(tmp_path: Path) -> None:
    old = _write(tmp_path, "old", {"name": "old", "phrase_boost": 1.0, "fuzziness": 0})
    found = {d.knob: (d.a, d.b) for d in implicit_defaults(old)}
    assert found["minimum_should_match"] == ("100%", "3<75%")
    assert "fuzziness" not in found  # set by the file: no surprise
    ref = _write(tmp_path, "ref", {"distance": {"scale_km": 15, "offset_km": 3}})
    nested = _write(tmp_path, "nested", {"distance": {"scale_km": 5}})
    assert {d.knob: (d.a, d.b) for d in implicit_defaults(nested, ref)} == {
        "distance.offset_km": (2.0, 3.0)  # a part of an object the file left out
    }


def test_compare_prints_the_settings_that_differ_first(
    small_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    judged = tmp_path / "j.jsonl"
    judged.write_text(
        '{"qid": "a-grief", "query": "grief", "target": "articles", "doc": "a0001", "grade": 2}\n'
    )
    old = _write(tmp_path, "old", {"name": "old", "phrase_boost": 1.0})
    argv = ["relevance", "compare", "--judgments", str(judged), "--b", str(old)]
    assert main([*argv, "--permutations", "100"], small_index) == 0
    out = capsys.readouterr().out
    assert out.index("settings that differ (A = default, B = old):") < out.index("mean A")
    assert re.search(r"\n  minimum_should_match +3<75% -> 100%\n", out)
    assert "note: B (" in out and "takes the built-in '100%', not default.json's '3<75%'" in out
    assert main([*argv, "--permutations", "100", "--json"], small_index) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["settings"]["a"]["minimum_should_match"] == "3<75%"
    assert report["settings"]["b"]["minimum_should_match"] == "100%"
    differ = {d["knob"]: (d["a"], d["b"]) for d in report["settings_differ"]}
    assert differ["phrase_boost"] == (2.0, 1.0)


def test_check_prints_the_resolved_tuning(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["relevance", "check", "--tuning", "all-words"], small_index) == 0
    out = capsys.readouterr().out
    assert "settings that differ (A = default, B = all-words):" in out
    assert "minimum_should_match = 100%" in out and "fuzziness = auto" in out


def test_search_writes_its_changes_on_top_of_the_base(tmp_path: Path) -> None:
    best = DEFAULT.model_copy(update={"name": "best", "phrase_boost": 4.0})
    out = write_changes(best, DEFAULT, TUNINGS_DIR / "default.json", tmp_path / "best.json")
    assert json.loads(out.read_text()) == {
        "extends": "default",
        "name": "best",
        "phrase_boost": 4.0,
    }
    assert Tuning.load(out) == best


def test_the_api_serves_a_tuning_that_extends_another(small_index: Settings, lab: Lab) -> None:
    """``?tuning=searched`` ranks as the lab ranks with tunings/searched.json resolved."""
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    settings = small_index.model_copy(update={"analyst_key": SecretStr("k")})
    key = {"X-Analyst-Key": "k"}
    text = {"q": "anxiety teens", "size": 10}
    with TestClient(create_app(settings)) as client:
        default = client.get("/therapists/search", params=text, headers=key).json()
        named = client.get("/therapists/search", params=text | {"tuning": "searched"}, headers=key)
        assert named.status_code == 200
        bad = client.get("/therapists/search", params={"q": "x", "tuning": "nope"}, headers=key)
        assert bad.status_code == 404 and "all-words" in bad.text
    ids = [h["therapist"]["id"] for h in named.json()["items"]]
    scores = [h["score"] for h in named.json()["items"]]
    assert scores != [h["score"] for h in default["items"]]
    in_lab = lab.ranking(QuerySpec(qid="x", query="anxiety teens"), Tuning.load(SEARCHED), 10)
    assert in_lab.docs == ids
    assert in_lab.scores == pytest.approx(scores)
