"""Reaching a therapist over HTTP, on every engine: the contact fields come back as the fixture
file holds them, every answer has a picture (``photo_url``), a record without contact fields
loads and serves, and bad contact values are rejected at load with the line and the reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from cli.main import EXIT_REJECTS, main
from search_api.app import create_app
from search_core.settings import Settings

CONTACT = ("phone", "email", "website", "booking_url", "free_consultation")


def shown(record: dict[str, Any]) -> dict[str, Any]:
    """What the API answers for a fixture record's contact fields."""
    out = {k: record[k] for k in CONTACT}
    out["photo_url"] = record["photo_url"] or f"/avatars/{record['id']}.svg"
    return out


def pick(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A therapist with every contact field, and ones without each of them."""
    every = next(t for t in data if all(t[k] for k in CONTACT))
    without = [next(t for t in data if not t[k]) for k in CONTACT]
    return [every, *without]


def test_profile_returns_the_contact_fields_of_the_fixture(
    client: TestClient, therapists_data: list[dict[str, Any]]
) -> None:
    for record in pick(therapists_data):
        r = client.get(f"/therapists/{record['id']}")
        assert r.status_code == 200, r.text
        body = r.json()
        assert {k: body[k] for k in (*CONTACT, "photo_url")} == shown(record)


def test_search_hits_carry_the_contact_fields(
    client: TestClient, therapists_data: list[dict[str, Any]]
) -> None:
    by_id = {t["id"]: t for t in therapists_data}
    r = client.get("/therapists/search", params={"q": "anxiety", "near": "97214", "size": 20})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items
    for hit in items:
        t = hit["therapist"]
        assert {k: t[k] for k in (*CONTACT, "photo_url")} == shown(by_id[t["id"]])


def test_every_photo_url_of_a_page_shows_a_picture(client: TestClient) -> None:
    items = client.get("/therapists/near", params={"zip": "10001", "size": 5}).json()["items"]
    assert items
    for hit in items:
        url = hit["therapist"]["photo_url"]
        assert url == f"/avatars/{hit['therapist']['id']}.svg"
        picture = client.get(url)
        assert picture.status_code == 200
        assert picture.headers["content-type"] == "image/svg+xml"


def test_contact_fields_are_stored_not_searched(
    client: TestClient, therapists_data: list[dict[str, Any]]
) -> None:
    """A word found only in a website's host name, or a phone number's digits, finds nobody."""
    words = {w for t in therapists_data for w in f"{t['name']} {t['bio']}".lower().split()}
    t = next(
        t
        for t in therapists_data
        if t["website"] and t["phone"] and t["website"].split("//")[1].split(".")[0] not in words
    )
    host_word = t["website"].split("//")[1].split(".")[0]
    for q in (host_word, t["phone"][2:], t["email"] or host_word):
        r = client.get("/therapists/search", params={"q": q, "understand": "false"})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == 0, q
    assert client.get(f"/therapists/{t['id']}").json()["website"] == t["website"]


def test_openapi_documents_the_contact_fields_and_the_avatar_route(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    therapist = next(
        v
        for k, v in schemas.items()
        if k.startswith("Therapist") and "bio" in v.get("properties", {})
    )
    props = therapist["properties"]
    for field in (*CONTACT, "photo_url"):
        assert props[field].get("description"), field
    assert "E.164" in props["phone"]["description"]
    assert "/avatars/{id}.svg" in props["photo_url"]["description"]
    avatar = doc["paths"]["/avatars/{therapist_id}.svg"]["get"]
    assert "image/svg+xml" in avatar["responses"]["200"]["content"]
    assert "404" in avatar["responses"]


# --- loading records with and without contact fields --------------------------------------


def _contactless(record: dict[str, Any], new_id: str) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in (*CONTACT, "photo_url")}
    return {**out, "id": new_id, "slug": f"{record['slug']}-{new_id}"}


BAD = [
    ("phone", "555-0123", "phone '555-0123' must have 10 digits"),
    ("email", "someone at example.com", "must be one address"),
    ("website", "javascript:alert(1)", "must start with http:// or https://"),
    ("booking_url", "ftp://booking.example.org/x", "must start with http:// or https://"),
    ("photo_url", "http://photos.example.net/a.jpg", "must start with https://"),
]


def test_records_without_contact_fields_load_and_serve_and_bad_values_are_rejected(
    engine_settings: Settings,
    therapists_data: list[dict[str, Any]],
    locations_data: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    base = therapists_data[:40]
    bad = [
        {**base[i], "id": f"t990000{i}", "slug": f"bad-{i}", field: value}
        for i, (field, value, _) in enumerate(BAD)
    ]
    records = [*base[:20], _contactless(base[0], "t9800001"), *bad, *base[20:]]
    src = tmp_path / "src"
    src.mkdir()
    (src / "therapists.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    (src / "locations.jsonl").write_bytes(
        b"".join(orjson.dumps(r) + b"\n" for r in locations_data if r["state"] == "OR")
    )
    settings = engine_settings.model_copy(update={"max_reject_ratio": 0.2})

    status = main(["index", "--from", str(src), "--kind", "therapists", "--quiet"], settings)
    assert status == EXIT_REJECTS
    assert main(["index", "--from", str(src), "--kind", "locations", "--quiet"], settings) == 0

    (rejects_file,) = settings.rejects_dir.glob("therapists-*.rejects.jsonl")
    rejects = [json.loads(line) for line in rejects_file.read_text().splitlines()]
    assert [r["line"] for r in rejects] == [22, 23, 24, 25, 26]
    for reject, (field, _, reason) in zip(rejects, BAD, strict=True):
        assert field in reject["reason"] and reason in reject["reason"], reject["reason"]

    with TestClient(create_app(settings)) as client:
        r = client.get("/therapists/t9800001")
        assert r.status_code == 200, r.text
        body = r.json()
        assert [body[k] for k in CONTACT] == [None, None, None, None, False]
        assert body["photo_url"] == "/avatars/t9800001.svg"
        assert client.get(body["photo_url"]).status_code == 200
        for i in range(len(BAD)):
            assert client.get(f"/therapists/t990000{i}").status_code == 404
        page = client.get("/profile/t9800001", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert "No contact details are listed" in page.text
        assert "tel:" not in page.text and "mailto:" not in page.text


@pytest.mark.parametrize("field", ["phone", "email", "website", "booking_url", "photo_url"])
def test_an_upsert_with_a_bad_contact_value_says_why(
    small_index: Settings,
    therapists_data: list[dict[str, Any]],
    tmp_path: Path,
    field: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    value, reason = next((v, why) for f, v, why in BAD if f == field)
    path = tmp_path / "t.json"
    path.write_text(json.dumps({**therapists_data[0], field: value}))
    settings = small_index.model_copy(update={"data_dir": tmp_path / "none"})
    assert main(["upsert", "--kind", "therapists", str(path)], settings) != 0
    assert reason in capsys.readouterr().err
