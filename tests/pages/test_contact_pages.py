"""Reaching a therapist from the pages: click-to-call and email links, the booking button and
its wording, the photo or avatar, the fee and phone on result cards, and the JSON-LD contact
properties, compared with what the JSON API answers for the same therapist."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.settings import Settings
from tests.pages.conftest import BROWSER
from tests.pages.test_pages import api, html


@pytest.fixture(scope="module")
def therapists(small_dir: Path) -> list[dict[str, Any]]:
    with gzip.open(small_dir / "therapists.jsonl.gz") as f:
        return [json.loads(line) for line in f]


def first(therapists: list[dict[str, Any]], **wanted: Any) -> dict[str, Any]:
    """The first fixture therapist whose fields are truthy (True) or empty (False) as asked."""
    return next(t for t in therapists if all(bool(t[k]) is v for k, v in wanted.items()))


def test_profile_links_call_email_website_and_booking(
    site: TestClient, therapists: list[dict[str, Any]]
) -> None:
    t = first(
        therapists, phone=True, email=True, website=True, booking_url=True, free_consultation=True
    )
    page = html(site, f"/profile/{t['id']}")
    (call,) = page.all("a", id="contact-call")
    assert call["href"] == f"tel:{t['phone']}" and t["phone"].startswith("+1")
    digits = t["phone"][2:]
    assert f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" in page.text
    (email,) = page.all("a", id="contact-email")
    assert email["href"] == f"mailto:{t['email']}"
    (website,) = page.all("a", id="contact-website")
    assert website["href"] == t["website"]
    (book,) = page.all("a", id="contact-book")
    assert book["href"] == t["booking_url"]
    assert "Book a free consultation" in page.text and "Free consultation" in page.text
    for link in (website, book):
        assert set(str(link["rel"]).split()) == {"noopener", "nofollow"}


@pytest.mark.parametrize(
    ("wanted", "href_key", "prefix", "wording"),
    [
        (
            {"booking_url": True, "free_consultation": False},
            "booking_url",
            "",
            "Book an appointment",
        ),
        (
            {"booking_url": False, "phone": True, "free_consultation": True},
            "phone",
            "tel:",
            "Call for a free consultation",
        ),
        (
            {"booking_url": False, "phone": True, "free_consultation": False},
            "phone",
            "tel:",
            "Call to make an appointment",
        ),
        (
            {"booking_url": False, "phone": False, "free_consultation": False},
            "email",
            "mailto:",
            "Email to make an appointment",
        ),
    ],
)
def test_the_main_action_is_booking_else_a_call_else_an_email(
    site: TestClient,
    therapists: list[dict[str, Any]],
    wanted: dict[str, bool],
    href_key: str,
    prefix: str,
    wording: str,
) -> None:
    t = first(therapists, **wanted)
    page = html(site, f"/profile/{t['id']}")
    (book,) = page.all("a", id="contact-book")
    assert book["href"] == prefix + t[href_key]
    assert wording in page.text
    assert ("Book a free consultation" in page.text) is False


def test_profile_without_a_phone_has_no_call_link(
    site: TestClient, therapists: list[dict[str, Any]]
) -> None:
    t = first(therapists, phone=False)
    page = html(site, f"/profile/{t['id']}")
    assert not page.hrefs("tel:") and not page.all("a", id="contact-call")
    assert page.all("a", id="contact-email")


def test_profile_photo_is_the_api_photo_url(site: TestClient) -> None:
    t = api(site, "/therapists/t0002155")
    page = html(site, "/profile/t0002155")
    (img,) = page.all("img", class_="photo large")
    assert img["src"] == t["photo_url"] == "/avatars/t0002155.svg"
    assert img["alt"] == ""  # the avatar's initials say nothing the name beside it does not
    assert site.get(str(img["src"])).status_code == 200


def test_profile_json_ld_carries_the_contact_properties(
    site: TestClient, therapists: list[dict[str, Any]]
) -> None:
    t = first(therapists, phone=True, email=True, website=True)
    data = json.loads(html(site, f"/profile/{t['id']}").script_text)
    assert data["telephone"] == t["phone"]
    assert data["email"] == t["email"]
    assert data["sameAs"] == [t["website"]]
    assert data["image"] == f"http://testserver/avatars/{t['id']}.svg"
    assert data["url"] == f"http://testserver/profile/{t['id']}"
    bare = first(therapists, phone=False, website=False)
    data = json.loads(html(site, f"/profile/{bare['id']}").script_text)
    assert "telephone" not in data and "sameAs" not in data and data["image"]


def test_result_cards_show_the_phone_the_fee_and_a_free_consultation_badge(
    site: TestClient,
) -> None:
    page = html(site, "/?q=anxiety&near=97214")
    found = api(site, "/therapists/search", q="anxiety", near="97214", size=10)["items"]
    cards = [h["therapist"] for h in found]
    assert cards
    assert page.hrefs("tel:") == [f"tel:{t['phone']}" for t in cards if t["phone"]]
    for t in cards:
        assert f"${t['fee_min']}" in page.text
        assert t["photo_url"] in [a["src"] for a in page.all("img")]
    free = sum(t["free_consultation"] for t in cards)
    assert free and page.text.count("Free consultation") == free


# --- a therapist with a photo of their own -------------------------------------------------


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory, small_dir: Path) -> Iterator[TestClient]:
    """An index of three therapists, one with a photo hosted elsewhere."""
    from cli.main import main

    with gzip.open(small_dir / "therapists.jsonl.gz") as f:
        records = [json.loads(next(f)) for _ in range(3)]
    records[0]["photo_url"] = "https://photos.example.net/t0000001.jpg"
    folder = tmp_path_factory.mktemp("photo-records")
    (folder / "therapists.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    settings = Settings(data_dir=tmp_path_factory.mktemp("photo-pages"), index_workers=0)
    assert main(["index", "--from", str(folder), "--kind", "therapists", "--quiet"], settings) == 0
    with TestClient(create_app(settings), headers=BROWSER) as c:
        yield c


def test_a_photo_of_their_own_is_shown_and_described(photo_site: TestClient) -> None:
    page = html(photo_site, "/profile/t0000001")
    name = api(photo_site, "/therapists/t0000001")["name"]
    (img,) = page.all("img", class_="photo large")
    assert img["src"] == "https://photos.example.net/t0000001.jpg"
    assert img["alt"] == f"Photo of {name}"
    data = json.loads(page.script_text)
    assert data["image"] == "https://photos.example.net/t0000001.jpg"
