"""A running service follows new index versions without a restart (embedded engine)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import orjson
from fastapi.testclient import TestClient

from cli.main import main
from search_api.app import create_app
from search_core.settings import Settings
from search_core.slugs import city_slug
from tests.conftest import copy_of


def test_a_new_locations_version_is_used_for_zip_codes(
    tmp_path: Path, small_dir: Path, small_index: Settings
) -> None:
    settings = copy_of(small_index, tmp_path / "data")
    with TestClient(create_app(settings)) as client:
        before = client.get("/therapists/near", params={"zip": "97214"})
        assert before.status_code == 200, before.text
        assert client.get("/suggest", params={"q": "97214"}).json()["suggestions"]

        # The same locations without ZIP code 97214, loaded while the service runs.
        changed = tmp_path / "changed"
        changed.mkdir()
        lines = gzip.decompress((small_dir / "locations.jsonl.gz").read_bytes()).splitlines()
        kept = [line for line in lines if b'"zip":"97214"' not in line.replace(b" ", b"")]
        assert len(kept) == len(lines) - 1
        (changed / "locations.jsonl").write_bytes(b"\n".join(kept) + b"\n")
        shutil.copy(small_dir / "manifest.json", changed / "manifest.json")
        args = ["index", "--from", str(changed), "--kind", "locations", "--quiet"]
        assert main(args, settings=settings) == 0

        after = client.get("/therapists/near", params={"zip": "97214"})
        assert after.status_code in (422, 404), after.text
        assert "97214" in after.json()["message"]
        zips = [
            s["value"] for s in client.get("/suggest", params={"q": "9721"}).json()["suggestions"]
        ]
        assert "97214" not in zips


def _counts(client: TestClient, path: str) -> dict[str, int]:
    r = client.get(path)
    assert r.status_code == 200, r.text
    return {p["slug"]: p["therapists"] for p in r.json()["items"]}


def test_browse_lists_follow_an_upsert(
    tmp_path: Path, small_dir: Path, small_index: Settings
) -> None:
    """The lists are rendered once per list the engine hands out: an edit makes new ones."""
    settings = copy_of(small_index, tmp_path / "data")
    lines = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes()).splitlines()
    first = next(t for t in map(orjson.loads, lines) if t["offices"])
    with TestClient(create_app(settings)) as client:
        office = first["offices"][0]
        state_slug = next(
            p["slug"]
            for p in client.get("/browse/states").json()["items"]
            if p["state"] == office["state"]
        )
        city = city_slug(office["city"], office["state"])
        states, cities = (
            _counts(client, "/browse/states"),
            _counts(client, f"/browse/states/{office['state']}/cities"),
        )
        new = {**first, "id": "t9999999", "slug": "a-new-therapist-9999999"}
        record = tmp_path / "new.json"
        record.write_bytes(orjson.dumps(new))
        assert main(["upsert", "--kind", "therapists", str(record)], settings=settings) == 0

        assert _counts(client, "/browse/states")[state_slug] == states[state_slug] + 1
        after = _counts(client, f"/browse/states/{office['state']}/cities")
        assert after[city] == cities[city] + 1
        assert {k: v for k, v in after.items() if k != city} == {
            k: v for k, v in cities.items() if k != city
        }


def test_an_upserted_zip_code_is_found(
    tmp_path: Path, small_dir: Path, small_index: Settings
) -> None:
    """An edit committed into the serving locations version moves the engine's version, so
    the geocoder is built again and a new ZIP code is found without a new load."""
    settings = copy_of(small_index, tmp_path / "data")
    lines = gzip.decompress((small_dir / "locations.jsonl.gz").read_bytes()).splitlines()
    portland = next(r for r in map(orjson.loads, lines) if r.get("zip") == "97214")
    new = {**portland, "id": "zip-97299", "name": "97299", "slug": "97299", "zip": "97299"}
    with TestClient(create_app(settings)) as client:
        assert client.get("/therapists/near", params={"zip": "97214"}).status_code == 200
        assert client.get("/therapists/near", params={"zip": "97299"}).status_code in (404, 422)
        record = tmp_path / "zip.json"
        record.write_bytes(orjson.dumps(new))
        assert main(["upsert", "--kind", "locations", str(record)], settings=settings) == 0
        found = client.get("/therapists/near", params={"zip": "97299"})
        assert found.status_code == 200, found.text
        assert found.json()["location"]["label"].startswith("97299")
