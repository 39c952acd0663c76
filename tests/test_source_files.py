"""What the writing commands say about the files they are given: a broken gzip source (cut
short, damaged, or plain text named ``.gz``) is named with the line the load got to and the
serving version is kept; a UTF-8 byte order mark is read past; an upsert names the file line of
each invalid record, refuses an empty file, and writes all of a file or nothing."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from pathlib import Path

import orjson
import pytest

from cli.main import EXIT_FAILED, EXIT_OK, main
from search_core.embedded.reader import IndexReader
from search_core.embedded.store import VersionStore
from search_core.settings import Settings

BOM = b"\xef\xbb\xbf"
KEPT = "the serving index was left as it was"
SERVING = 40


@pytest.fixture(scope="module")
def lines(small_dir: Path) -> list[bytes]:
    with gzip.open(small_dir / "therapists.jsonl.gz", "rb") as fh:
        return [next(fh).strip() for _ in range(200)]


@pytest.fixture
def serving(settings: Settings, lines: list[bytes], tmp_path: Path) -> Settings:
    """A data folder serving the first 40 therapists."""
    folder = tmp_path / "serving"
    folder.mkdir()
    (folder / "therapists.jsonl").write_bytes(b"\n".join(lines[:SERVING]) + b"\n")
    assert main(["index", "--from", str(folder), "--quiet"], settings) == EXIT_OK
    return settings


def state(settings: Settings) -> tuple[str | None, int, list[str]]:
    """The serving version, its document count and what lies next to the indexes."""
    store = VersionStore(settings.index_dir, "therapists")
    return (
        store.current_version(),
        IndexReader(settings).count("therapists"),
        sorted(p.name for p in settings.index_dir.glob(".source-*")),
    )


def gz_source(folder: Path, data: bytes) -> Path:
    folder.mkdir()
    path = folder / "therapists.jsonl.gz"
    path.write_bytes(data)
    return path


def whole_lines_before_the_cut(data: bytes) -> int:
    return zlib.decompressobj(wbits=31).decompress(data).count(b"\n")


@pytest.mark.parametrize("quiet", [True, False], ids=["quiet", "progress-bar"])
@pytest.mark.parametrize("damage", ["cut short", "bad CRC", "not gzip"])
def test_a_broken_gzip_source_is_named_with_its_line_and_the_serving_version_kept(
    serving: Settings,
    lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: str,
    quiet: bool,
) -> None:
    text = b"\n".join(lines[SERVING:]) + b"\n"
    packed = gzip.compress(text)
    if damage == "cut short":
        data = packed[: len(packed) * 3 // 5]
        where = f":{whole_lines_before_the_cut(data) + 1}: the gzip file is cut short"
    elif damage == "bad CRC":
        data = packed[:-8] + bytes([packed[-8] ^ 1]) + packed[-7:]
        where = f":{len(lines) - SERVING}: the gzip data is damaged (CRC check failed"
    else:
        data = text
        where = " is not gzip compressed but plain text: name it .jsonl"
    path = gz_source(tmp_path / "broken", data)
    before = state(serving)
    capsys.readouterr()

    args = ["index", "--from", str(path.parent)] + (["--quiet"] if quiet else [])
    assert main(args, serving) == EXIT_FAILED

    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"error: therapists: {path}{where}"), err
    assert err.endswith(f"nothing was loaded and {KEPT}")
    assert state(serving) == before
    assert len(VersionStore(serving.index_dir, "therapists").versions()) == 1


@pytest.mark.parametrize("packed", [False, True], ids=["jsonl", "jsonl.gz"])
def test_a_byte_order_mark_is_read_past(
    settings: Settings,
    lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    packed: bool,
) -> None:
    folder = tmp_path / "bom"
    folder.mkdir()
    text = BOM + b"\n".join(lines[:30]) + b"\n"
    if packed:
        (folder / "therapists.jsonl.gz").write_bytes(gzip.compress(text))
    else:
        (folder / "therapists.jsonl").write_bytes(text)
    assert main(["index", "--from", str(folder), "--quiet"], settings) == EXIT_OK
    assert "indexed 30 of 30 records" in capsys.readouterr().out
    first = json.loads(lines[0])["id"]
    stored = IndexReader(settings).get_source("therapists", first)
    assert stored is not None and stored["id"] == first

    edit = tmp_path / "edit.json"
    edit.write_bytes(BOM + orjson.dumps({**json.loads(lines[1]), "name": "Bom Person"}))
    assert main(["upsert", "--kind", "therapists", str(edit)], settings) == EXIT_OK
    edited = IndexReader(settings).get_source("therapists", json.loads(lines[1])["id"])
    assert edited is not None and edited["name"] == "Bom Person"


@pytest.mark.parametrize("content", [b"", b"\n  \n\n", BOM + b"\n"], ids=["empty", "blank", "bom"])
@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
def test_an_empty_upsert_is_an_error_and_changes_nothing(
    serving: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    stdin: bool,
) -> None:
    path = tmp_path / "edits.jsonl"
    path.write_bytes(content)
    if stdin:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(content)))
    name = "<stdin>" if stdin else str(path)
    before = state(serving)
    meta = VersionStore(serving.index_dir, "therapists").meta(str(before[0]))
    capsys.readouterr()
    args = ["upsert", "--kind", "therapists", "-" if stdin else str(path)]
    assert main(args, serving) == EXIT_FAILED
    out = capsys.readouterr()
    assert out.err == f"error: therapists: {name} holds no record; nothing was upserted\n"
    assert out.out == ""
    assert state(serving) == before
    assert VersionStore(serving.index_dir, "therapists").meta(str(before[0])) == meta


@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
def test_upsert_errors_name_the_file_line_of_each_invalid_record(
    serving: Settings,
    lines: list[bytes],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: bool,
) -> None:
    bad_fee = orjson.dumps({**json.loads(lines[2]), "fee_min": 500, "fee_max": 100})
    renamed = {**json.loads(lines[0]), "name": "Never Written"}
    content = b"\n".join(
        [
            b"",  # 1
            orjson.dumps(renamed),  # 2
            b"",  # 3
            b'{"id": "t1", "name": ',  # 4: cut short
            lines[1],  # 5
            b"   ",  # 6
            bad_fee,  # 7
            lines[SERVING + 1],  # 8
        ]
    )
    path = tmp_path / "edits.jsonl"
    path.write_bytes(content + b"\n")
    if stdin:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(content)))
    name = "<stdin>" if stdin else str(path)
    before = state(serving)
    capsys.readouterr()

    assert main(["upsert", "--kind", "therapists", "-" if stdin else str(path)], serving) == 1

    err = capsys.readouterr().err.splitlines()
    assert err[0] == "error: therapists: 2 of 5 records are invalid; nothing was upserted:"
    assert err[1].startswith(f"  {name}:4: invalid therapist record: Invalid JSON: EOF")
    assert err[1].endswith("at column 20")  # of the line, not "line 1"
    assert err[2].startswith(f"  {name}:7: invalid therapist record: ")
    assert "fee_min is greater than fee_max" in err[2]
    assert state(serving) == before
    stored = IndexReader(serving).get_source("therapists", renamed["id"])
    assert stored is not None and stored["name"] != "Never Written"


def test_a_single_object_over_several_lines_is_named_by_its_first_line(
    serving: Settings, lines: list[bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {**json.loads(lines[0]), "fee_min": 500, "fee_max": 100}
    path = tmp_path / "edit.json"
    path.write_text("\n\n" + json.dumps(record, indent=2) + "\n")
    capsys.readouterr()
    assert main(["upsert", "--kind", "therapists", str(path)], serving) == EXIT_FAILED
    assert f"{path}:3: invalid therapist record: " in capsys.readouterr().err


def test_a_broken_gzip_upsert_is_named_and_nothing_written(
    serving: Settings, lines: list[bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packed = gzip.compress(b"\n".join(lines[SERVING : SERVING + 20]) + b"\n")
    path = tmp_path / "edits.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    before = state(serving)
    capsys.readouterr()
    assert main(["upsert", "--kind", "therapists", str(path)], serving) == EXIT_FAILED
    err = capsys.readouterr().err
    line = whole_lines_before_the_cut(path.read_bytes()) + 1
    assert err == (
        f"error: therapists: {path}:{line}: the gzip file is cut short (incomplete, or still being "
        "copied); nothing was upserted\n"
    )
    assert state(serving) == before


def test_an_upsert_file_is_written_whole_and_a_repeated_id_takes_its_last_record(
    serving: Settings, lines: list[bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = json.loads(lines[0])
    edits = [
        {**first, "name": "First Name"},
        json.loads(lines[SERVING]),
        {**first, "name": "Last Name"},
    ]
    path = tmp_path / "edits.jsonl"
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in edits))
    capsys.readouterr()
    assert main(["upsert", "--kind", "therapists", str(path)], serving) == EXIT_OK
    new = edits[1]["id"]
    assert capsys.readouterr().out == f"therapists: upserted 2 record(s): {first['id']}, {new}\n"
    reader = IndexReader(serving)
    assert reader.count("therapists") == SERVING + 1
    stored = reader.get_source("therapists", first["id"])
    assert stored is not None and stored["name"] == "Last Name"
