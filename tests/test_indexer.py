"""The load pipeline and the writing commands on real Tantivy indexes built from the committed
fixtures: what the command line adds (exit codes, messages, rejects files, record files) and
what the pipeline adds (rejects, repeated ids, parallel loads). What every engine must do when
it loads, lists, rolls back, upserts and deletes is in tests/contract/test_writing.py."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

from cli.main import EXIT_FAILED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE, main
from indexer.load import load_kind
from indexer.workers import start_method
from search_core.embedded.reader import IndexReader
from search_core.embedded.store import VersionStore
from search_core.engines import make_writer
from search_core.mappings import KINDS
from search_core.settings import PROJECT_ROOT, Settings


def lines_of(path: Path) -> list[bytes]:
    return [line for line in gzip.decompress(path.read_bytes()).splitlines() if line.strip()]


def write_jsonl(folder: Path, kind: str, lines: list[bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture(scope="module")
def therapist_lines(small_dir: Path) -> list[bytes]:
    return lines_of(small_dir / "therapists.jsonl.gz")


def contents(settings: Settings, kind: str) -> list[dict[str, object]]:
    return sorted(IndexReader(settings).sources(kind), key=lambda d: str(d["id"]))


def test_bad_records_are_reported_and_good_ones_indexed(
    settings: Settings,
    therapist_lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = therapist_lines[:100]
    broken = json.loads(good[5])
    broken["id"] = "t9999999"
    broken["issues"] = ["anxiety", "not-an-issue"]
    lines = [*good[:50], b"{not json", orjson.dumps(broken), b"", good[7], *good[50:]]
    src = tmp_path / "src"
    write_jsonl(src, "therapists", lines)
    settings = settings.model_copy(update={"max_reject_ratio": 0.1})

    assert main(["index", "--from", str(src), "--quiet"], settings) == EXIT_REJECTS

    assert IndexReader(settings).count("therapists") == 100
    out = capsys.readouterr()
    assert "3 rejected" in out.out
    rejects_file = next(settings.rejects_dir.glob("therapists-*.rejects.jsonl"))
    rejects = [json.loads(line) for line in rejects_file.read_text().splitlines()]
    assert [r["line"] for r in rejects] == [51, 52, 54]
    assert all(r["file"] == str(src / "therapists.jsonl") for r in rejects)
    assert "Invalid JSON" in rejects[0]["reason"]
    assert "unknown issues value(s): 'not-an-issue'" in rejects[1]["reason"]
    assert rejects[1]["record"] == orjson.dumps(broken).decode()
    assert rejects[2]["reason"].startswith("duplicate id")
    assert "already defined at line 8" in rejects[2]["reason"]


def test_too_many_rejects_leave_the_serving_index_alone(
    settings: Settings,
    therapist_lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_jsonl(tmp_path / "ok", "therapists", therapist_lines[:40])
    assert main(["index", "--from", str(tmp_path / "ok"), "--quiet"], settings) == EXIT_OK
    serving = VersionStore(settings.index_dir, "therapists").current_version()

    write_jsonl(tmp_path / "bad", "therapists", [*therapist_lines[:10], *[b"{}"] * 10])
    assert main(["index", "--from", str(tmp_path / "bad"), "--quiet"], settings) == EXIT_FAILED

    store = VersionStore(settings.index_dir, "therapists")
    assert store.current_version() == serving
    assert len(store.versions()) == 1
    assert [p.name for p in store.dir.glob("v*")] == [serving]  # the failed build is gone
    assert "10 of 20 records rejected" in capsys.readouterr().err
    assert IndexReader(settings).count("therapists") == 40


def test_versions_and_rollback_commands(
    settings: Settings,
    therapist_lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_jsonl(tmp_path / "a", "therapists", therapist_lines[:60])
    write_jsonl(tmp_path / "b", "therapists", therapist_lines[:30])
    assert main(["versions", "--kind", "therapists"], settings) == EXIT_OK
    assert capsys.readouterr().out == "therapists: no index built yet\n"
    for src in ("a", "b"):
        assert main(["index", "--from", str(tmp_path / src), "--quiet"], settings) == EXIT_OK
    first, second = (v.version for v in make_writer(settings).versions("therapists"))
    capsys.readouterr()

    assert main(["versions", "--kind", "therapists"], settings) == EXIT_OK
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[:4] for line in listing] == [
        ["therapists", first, "60", "docs"],
        ["*", "therapists", second, "30"],
    ]
    assert main(["rollback", "--kind", "therapists"], settings) == EXIT_OK
    assert capsys.readouterr().out == f"therapists: now serving {first} (60 docs)\n"
    assert IndexReader(settings).count("therapists") == 60
    assert main(["rollback", "--kind", "therapists"], settings) == EXIT_FAILED
    assert "no earlier version to roll back to" in capsys.readouterr().err
    assert main(["rollback", "--kind", "therapists", "--to", second], settings) == EXIT_OK
    assert IndexReader(settings).count("therapists") == 30


def test_upsert_reads_a_json_object_or_json_lines_and_delete_names_a_missing_id(
    settings: Settings,
    therapist_lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_jsonl(tmp_path / "a", "therapists", therapist_lines[:50])
    assert main(["index", "--from", str(tmp_path / "a"), "--quiet"], settings) == EXIT_OK
    capsys.readouterr()
    edited = dict(json.loads(therapist_lines[3]), name="Renamed Person")
    record = tmp_path / "edit.json"
    record.write_text(json.dumps(edited, indent=2))  # one object over several lines
    assert main(["upsert", "--kind", "therapists", str(record)], settings) == EXIT_OK
    assert capsys.readouterr().out == f"therapists: upserted 1 record(s): {edited['id']}\n"

    news = [dict(edited, id=f"t777777{i}", slug=f"brand-new-lcsw-777777{i}") for i in (1, 2)]
    lines = tmp_path / "new.jsonl"
    lines.write_text("".join(json.dumps(n) + "\n" for n in news))
    assert main(["upsert", "--kind", "therapists", str(lines)], settings) == EXIT_OK
    assert capsys.readouterr().out == "therapists: upserted 2 record(s): t7777771, t7777772\n"
    reader = IndexReader(settings)
    assert reader.count("therapists") == 52
    stored = reader.get_source("therapists", edited["id"])
    assert stored is not None and stored["name"] == "Renamed Person"

    assert main(["delete", "--kind", "therapists", "t7777771"], settings) == EXIT_OK
    assert capsys.readouterr().out == "therapists: deleted t7777771\n"
    assert main(["delete", "--kind", "therapists", "t7777771"], settings) == EXIT_FAILED
    assert capsys.readouterr().err == "error: no therapist with id 't7777771'\n"
    assert (
        main(["upsert", "--kind", "therapists", str(tmp_path / "nope.json")], settings)
        == EXIT_FAILED
    )
    assert "No such file" in capsys.readouterr().err


def test_invalid_upsert_is_refused(
    settings: Settings,
    therapist_lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_jsonl(tmp_path / "a", "therapists", therapist_lines[:5])
    assert main(["index", "--from", str(tmp_path / "a"), "--quiet"], settings) == EXIT_OK
    bad = dict(json.loads(therapist_lines[0]), fee_min=500, fee_max=100)
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    assert (
        main(["upsert", "--kind", "therapists", str(tmp_path / "bad.json")], settings)
        == EXIT_FAILED
    )
    assert "fee_min is greater than fee_max" in capsys.readouterr().err
    stored = IndexReader(settings).get_source("therapists", bad["id"])
    assert stored is not None and stored["fee_min"] != 500


def test_parallel_load_gives_the_same_index(settings: Settings, small_dir: Path) -> None:
    writer = make_writer(settings)
    source = small_dir / "therapists.jsonl.gz"
    serial = load_kind(writer, settings, "therapists", source, workers=0)
    serial_docs = contents(settings, "therapists")
    parallel = load_kind(writer, settings, "therapists", source, workers=2)
    assert parallel.indexed == serial.indexed > 1000
    assert contents(settings, "therapists") == serial_docs
    assert not list(settings.index_dir.glob(".source-*")), "the decompressed copy is removed"


def test_the_index_command_forks_its_workers_and_builds_what_a_load_without_them_builds(
    small_index: Settings, small_dir: Path, tmp_path: Path
) -> None:
    """The command (a process of its own, where no other thread runs) forks its workers from
    itself once for every kind; each kind holds what a load without workers gives it (the
    session's small index, built with none)."""
    assert small_index.index_workers == 0
    serial = {kind: contents(small_index, kind) for kind in KINDS}
    data = tmp_path / "forked"
    done = subprocess.run(
        [sys.executable, "-m", "cli", "index", "--from", str(small_dir), "--quiet"],
        env={**os.environ, "SEARCH_DATA_DIR": str(data), "SEARCH_INDEX_WORKERS": "2"},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    forked = Settings(data_dir=data)
    for kind in KINDS:
        assert contents(forked, kind) == serial[kind], kind


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked only on Linux")
def test_workers_are_forked_only_when_asked_and_no_other_thread_runs() -> None:
    alone = threading.active_count() == 1
    assert start_method(fork=False) == "forkserver"
    assert start_method(fork=True) == ("fork" if alone else "forkserver")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method(fork=True) == "forkserver"
    finally:
        stop.set()
        other.join()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_repeated_id_keeps_the_first_valid_record_whatever_the_document_order(
    settings: Settings, therapist_lines: list[bytes], tmp_path: Path, workers: int
) -> None:
    """Documents are indexed in geographic order, not line order; which record of a repeated
    id is kept must still follow the lines: the first *valid* one."""
    base = json.loads(therapist_lines[0])
    far_east = {**base["offices"][0], "location": {"lat": 44.3, "lon": -68.2}}  # Maine
    far_west = {**base["offices"][0], "location": {"lat": 21.3, "lon": -157.8}}  # Hawaii
    invalid = {**base, "id": "t9000001", "issues": ["not-an-issue"], "offices": [far_west]}
    first_valid = {**base, "id": "t9000001", "name": "Kept Record", "offices": [far_east]}
    later = {**base, "id": " t9000001 ", "name": "Later Record", "offices": [far_west]}
    lines = [*therapist_lines[1:30], *(orjson.dumps(r) for r in (invalid, first_valid, later))]
    source = write_jsonl(tmp_path / "src", "therapists", lines)
    report = load_kind(
        make_writer(settings),
        settings.model_copy(update={"max_reject_ratio": 0.5}),
        "therapists",
        source,
        workers=workers,
    )
    assert (report.indexed, report.rejected) == (30, 2)
    stored = IndexReader(settings).get_source("therapists", "t9000001")
    assert stored is not None and stored["name"] == "Kept Record"
    assert report.rejects_file is not None
    rejects = [json.loads(x) for x in report.rejects_file.read_text().splitlines()]
    assert [r["line"] for r in rejects] == [30, 32]
    assert "unknown issues value(s): 'not-an-issue'" in rejects[0]["reason"]
    assert rejects[1]["reason"] == "duplicate id 't9000001': already defined at line 31"
    assert rejects[1]["record"] == orjson.dumps(later).decode()


def test_usage_errors(settings: Settings, tmp_path: Path) -> None:
    assert main(["index", "--from", str(tmp_path / "nope"), "--quiet"], settings) == EXIT_USAGE
    (tmp_path / "empty").mkdir()
    assert main(["index", "--from", str(tmp_path / "empty"), "--quiet"], settings) == EXIT_USAGE
    with pytest.raises(SystemExit):
        main(["index", "--kind", "doctors"], settings)
