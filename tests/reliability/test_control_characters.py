"""Control characters in the text of records (NUL, BEL, ESC, DEL, C1, and the bidirectional
overrides and isolates such as U+202E) never reach the API or the pages: a load refuses the
record with its line and the reason, an upsert refuses it naming its line, and a record that an
index built before the rule holds is served with them removed."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from cli.main import EXIT_FAILED, EXIT_REJECTS, main
from indexer.validation import validate_one
from search_api.app import create_app
from search_core.engines import make_writer
from search_core.settings import Settings

GOOD = 60
LOCATIONS = 300
ARTICLES = 10
BROWSER = {"Accept": "text/html"}
CONTROLS = ("\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202a", "\u202e", "\u2066", "\u2069")


def records(small_dir: Path, kind: str, n: int) -> list[dict[str, Any]]:
    with gzip.open(small_dir / f"{kind}.jsonl.gz", "rb") as fh:
        return [json.loads(next(fh)) for _ in range(n)]


def bad_therapists(base: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """Copies of good records under new ids, each with one control character somewhere, and
    where the reason must point."""
    office = base[0]["offices"][0]
    changes: list[tuple[dict[str, Any], str]] = [
        ({"name": "Ana\x00 Ruiz"}, "name: Value error, control character U+0000 (NUL)"),
        ({"name": "Ana \u202eziuR"}, "name: Value error, control character U+202E"),
        ({"bio": "Calm \x1b[31mred\x1b[0m text."}, "bio: Value error, control character U+001B"),
        ({"bio": "Ring\x07 the bell."}, "bio: Value error, control character U+0007 (BEL)"),
        ({"bio": "Isolated \u2066text\u2069."}, "bio: Value error, control character U+2066"),
        ({"bio": "Next line\x85 (C1)."}, "bio: Value error, control character U+0085"),
        ({"pronouns": "she\x7fher"}, "pronouns: Value error, control character U+007F (DEL)"),
        (
            {"offices": [{**office, "street": "1 Main\x00 St"}]},
            "offices.0.street: Value error, control character U+0000",
        ),
    ]
    out = []
    for i, (change, why) in enumerate(changes):
        record = {**base[i], **change, "id": f"t990000{i}", "slug": f"control-{i}"}
        out.append((record, why))
    return out


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory, small_dir: Path
) -> Iterator[tuple[Settings, TestClient, str, list[tuple[dict[str, Any], str]]]]:
    """Good records of every kind, bad therapists between them (lines 31, 33, ...), a bad
    location and a bad article; loaded by the ``index`` command."""
    folder = tmp_path_factory.mktemp("control-src")
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("control-data"), index_workers=0, max_reject_ratio=0.2
    )
    good = records(small_dir, "therapists", GOOD)
    good[5]["bio"] = "First line.\n\tSecond line, indented.\r\nThird."  # allowed in a bio
    bad = bad_therapists(good)
    lines = [orjson.dumps(r) for r in good[:30]]
    for (record, _), extra in zip(bad, good[30:], strict=False):
        lines += [orjson.dumps(record), orjson.dumps(extra)]
    lines += [orjson.dumps(r) for r in good[30 + len(bad) :]]
    (folder / "therapists.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    places = records(small_dir, "locations", LOCATIONS)
    places.append({**places[-1], "id": "bad-place", "slug": "bad-place", "name": "Bad\x1bTown"})
    (folder / "locations.jsonl").write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in places))
    articles = records(small_dir, "articles", ARTICLES)
    comment = {
        "id": "c1",
        "author_name": "Sam",
        "date": "2024-01-02T10:00:00Z",
        "text": "Hi\u202e!",
    }
    articles.append({**articles[0], "id": "a9990", "slug": "bad-article", "comments": [comment]})
    (folder / "articles.jsonl").write_bytes(b"".join(orjson.dumps(a) + b"\n" for a in articles))
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield settings, client, str(folder), bad


def test_a_load_rejects_records_with_control_characters_by_line_with_the_reason(
    loaded: tuple[Settings, TestClient, str, list[tuple[dict[str, Any], str]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, client, folder, bad = loaded
    assert main(["index", "--from", folder, "--quiet"], settings) == EXIT_REJECTS
    out = capsys.readouterr()
    assert f"therapists: indexed {GOOD} of {GOOD + len(bad)} records" in out.out
    assert "locations: indexed 300 of 301 records" in out.out
    assert f"articles: indexed {ARTICLES} of {ARTICLES + 1} records" in out.out
    (rejects,) = settings.rejects_dir.glob("therapists-*.rejects.jsonl")
    rejected = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["line"] for r in rejected] == [31 + 2 * i for i in range(len(bad))]
    for entry, (record, why) in zip(rejected, bad, strict=True):
        assert why in entry["reason"], entry
        assert orjson.loads(entry["record"])["id"] == record["id"]
    assert f"rejected {folder}/therapists.jsonl:31: name: Value error, control" in out.err
    (place,) = [
        orjson.loads(x) for x in next(settings.rejects_dir.glob("loc*")).read_bytes().splitlines()
    ]
    assert place["line"] == LOCATIONS + 1 and "U+001B (ESC)" in place["reason"]
    (art,) = [
        orjson.loads(x) for x in next(settings.rejects_dir.glob("art*")).read_bytes().splitlines()
    ]
    assert "comments.0.text" in art["reason"] and "U+202E" in art["reason"]

    for record, _ in bad:
        assert client.get(f"/therapists/{record['id']}").status_code == 404
    assert client.get("/locations/bad-place").status_code == 404
    assert client.get("/articles/bad-article").status_code == 404
    page = client.get("/therapists/search", params={"size": 50})
    assert page.json()["total"] == GOOD
    assert not any(c in page.text for c in CONTROLS)
    kept = client.get("/therapists/search", params={"q": "indented", "understand": "false"})
    assert kept.json()["items"][0]["therapist"]["bio"].startswith("First line.\n\tSecond line")


def test_an_upsert_with_a_control_character_is_refused_naming_its_line(
    loaded: tuple[Settings, TestClient, str, list[tuple[dict[str, Any], str]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, client, folder, _ = loaded
    good = [
        orjson.loads(line)
        for line in Path(folder, "therapists.jsonl").read_bytes().split(b"\n")[:3]
    ]
    before = client.get(f"/therapists/{good[1]['id']}").json()
    edit = tmp_path / "edit.jsonl"
    spoofed = {**good[1], "name": "Dr. Smith \u202egnp.exe"}
    edit.write_bytes(b"\n".join([orjson.dumps(good[0]), b"", orjson.dumps(spoofed)]) + b"\n")
    capsys.readouterr()
    assert main(["upsert", "--kind", "therapists", str(edit)], settings) == EXIT_FAILED
    err = capsys.readouterr().err
    assert f"{edit}:3: invalid therapist record: name: Value error, control character U+202E" in err
    assert "nothing was upserted" in err
    assert client.get(f"/therapists/{good[1]['id']}").json() == before


def test_records_of_an_index_built_before_the_rule_are_served_without_them(
    loaded: tuple[Settings, TestClient, str, list[tuple[dict[str, Any], str]]],
) -> None:
    """An index may hold what older loads let through: written here past validation."""
    settings, client, folder, _ = loaded
    line = Path(folder, "therapists.jsonl").read_bytes().split(b"\n")[0]
    doc = validate_one("therapists", line)
    doc.update(
        id="t9990099", slug="old-9990099", name="Old\x00 \u202eRecord", bio="Old\x1b[2J bio\x07."
    )
    writer = make_writer(settings)
    try:
        writer.upsert("therapists", doc)
    finally:
        writer.close()
    got = client.get("/therapists/t9990099")
    assert got.status_code == 200
    assert (got.json()["name"], got.json()["bio"]) == ("Old Record", "Old[2J bio.")
    found = client.get("/therapists/search", params={"q": "record", "understand": "false"})
    assert found.status_code == 200 and found.json()["total"] >= 1
    assert not any(c in found.text for c in CONTROLS)
    page = client.get("/profile/t9990099", headers=BROWSER)
    assert page.status_code == 200 and "Old Record" in page.text
    assert not any(c in page.text for c in CONTROLS)
