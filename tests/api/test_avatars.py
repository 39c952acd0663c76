"""The generated avatars: ``GET /avatars/{id}.svg`` over HTTP on every engine, and the SVG itself
(initials only A to Z, whatever the name holds; white letters readable on every colour)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient

from search_api.avatars import PALETTE, TEXT, avatar_svg, colour, initials
from tests.api.conftest import assert_error

SVG = "{http://www.w3.org/2000/svg}"


def test_avatar_of_a_therapist(client: TestClient, therapists_data: list[dict[str, Any]]) -> None:
    t = therapists_data[0]
    r = client.get(f"/avatars/{t['id']}.svg")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/svg+xml"
    assert r.headers["cache-control"] == "public, max-age=300"
    assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert r.headers["x-content-type-options"] == "nosniff"
    root = ET.fromstring(r.content)
    assert root.tag == f"{SVG}svg"
    first, *_, last = t["name"].split()
    assert root.find(f"{SVG}text").text == (first[0] + last[0]).upper()  # type: ignore[union-attr]
    assert root.find(f"{SVG}rect").get("fill") in PALETTE  # type: ignore[union-attr]


def test_an_unchanged_avatar_is_not_sent_again(client: TestClient) -> None:
    first = client.get("/avatars/t0000002.svg")
    etag = first.headers["etag"]
    again = client.get("/avatars/t0000002.svg", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    weak = client.get("/avatars/t0000002.svg", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    other = client.get("/avatars/t0000003.svg", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_unknown_therapist_has_no_avatar(client: TestClient) -> None:
    r = client.get("/avatars/t9999999.svg")
    assert r.headers["content-type"].startswith("application/json")
    assert_error(r, 404, "t9999999")


@pytest.mark.parametrize("path", ["/avatars/T0000001.svg", "/avatars/%3Cscript%3E.svg"])
def test_malformed_avatar_id_is_422(client: TestClient, path: str) -> None:
    assert_error(client.get(path), 422, "therapist_id")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ana López-García", "AL"),
        ("Gary M. Carter", "GC"),
        ("Zoë", "Z"),
        ("Émile O'Brien", "EO"),
        ('<img src=x onerror="alert(1)"> Eve Kxqz', "IK"),  # letters only, never markup
        ("<script>alert(1)</script>", "S"),
        ("李 小龙", ""),
        ("", ""),
    ],
)
def test_initials_are_only_capital_letters(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_no_name_can_put_markup_into_the_svg() -> None:
    svg = avatar_svg("t1", '</text><script>alert(1)</script><text>"&')
    root = ET.fromstring(svg)  # still well-formed
    assert [el.tag.removeprefix(SVG) for el in root.iter()] == ["svg", "rect", "text"]
    assert b"script" not in svg.lower() and b"&" not in svg
    nameless = ET.fromstring(avatar_svg("t1", "李"))
    assert [el.tag.removeprefix(SVG) for el in nameless.iter()] == ["svg", "rect"]


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("background", PALETTE)
def test_white_initials_are_readable_on_every_colour(background: str) -> None:
    light, dark = sorted((_luminance(TEXT), _luminance(background)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, background


def test_colours_are_spread_over_the_palette_and_stable() -> None:
    used = {colour(f"t{n:07d}") for n in range(1, 201)}
    assert used == set(PALETTE)
    assert colour("t0000001") == colour("t0000001")
