"""Contact fields of a therapist: what a record may hold, the normal forms kept, and the reason
given when a value is refused (the loader reports it as the line's reject reason)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from search_core.contact import avatar_path, display_phone
from search_core.documents import Therapist
from search_core.index_docs import therapist_doc, therapist_from_doc
from tests.test_documents import reasons, therapist

CONTACT = {
    "phone": "(503) 555-0123",
    "email": "Ana.Ruiz@Example.COM",
    "website": "https://anaruizcounseling.example.com/",
    "booking_url": "https://booking.example.org/ana-ruiz-lcsw-1",
    "free_consultation": True,
    "photo_url": "https://photos.example.net/t0000001.jpg",
}


def test_a_record_without_contact_fields_is_valid() -> None:
    t = Therapist.model_validate(therapist())
    assert (t.phone, t.email, t.website, t.booking_url, t.photo_url) == (None,) * 5
    assert t.free_consultation is False


def test_contact_fields_round_trip_through_the_index_document() -> None:
    t = Therapist.model_validate(therapist(**CONTACT))
    assert t.phone == "+15035550123"
    assert t.email == "Ana.Ruiz@example.com"  # the domain is lower-cased, the mailbox kept
    back = therapist_from_doc(therapist_doc(t))
    assert back == t
    assert back.photo_url == CONTACT["photo_url"]  # a photo of its own is kept


@pytest.mark.parametrize(
    "written",
    [
        "503-555-0123",
        "(503) 555-0123",
        "503.555.0123",
        "5035550123",
        "+1 503 555 0123",
        "1-503-555-0123",
        "+15035550123",
    ],
)
def test_us_phone_numbers_are_kept_in_e164(written: str) -> None:
    t = Therapist.model_validate(therapist(phone=written))
    assert t.phone == "+15035550123"
    assert display_phone(t.phone) == "(503) 555-0123"


def test_empty_strings_mean_not_given() -> None:
    t = Therapist.model_validate(
        therapist(phone="", email="", website="", booking_url="", photo_url="")
    )
    assert (t.phone, t.email, t.website, t.booking_url, t.photo_url) == (None,) * 5


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("phone", "555-0123", "must have 10 digits"),
        ("phone", "503-555-01234", "must have 10 digits"),
        ("phone", "+44 20 7946 0958", "is not a US number"),
        ("phone", "call me", "must be a US number"),
        ("phone", "503-555-0123 ext 4", "must be a US number"),
        ("phone", "(123) 555-0123", "cannot start with 0 or 1"),
        ("phone", "503-055-0123", "cannot start with 0 or 1"),
        ("phone", "911-555-0123", "N11 numbers"),
        ("email", "ana.example.com", "must be one address"),
        ("email", "ana@@example.com", "must be one address"),
        ("email", "ana@example", "is not a domain name"),
        ("email", "ana ruiz@example.com", "the part before @"),
        ("email", ".ana@example.com", "the part before @"),
        ("email", "ana?subject=hi@example.com", "the part before @"),
        ("email", "a" * 250 + "@example.com", "longer than 254"),
        ("website", "javascript:alert(1)", "must start with http:// or https://"),
        ("website", "JavaScript:alert(1)", "must start with http:// or https://"),
        ("website", "data:text/html,<script>alert(1)</script>", "must start with http"),
        ("website", "ftp://files.example.com/", "must start with http"),
        ("website", "www.example.com", "must start with http"),
        ("website", "//example.com/x", "must start with http"),
        ("website", "https://", "needs a host name"),
        ("website", "https://user:secret@example.com/", "user name or password"),
        ("website", "https://example.com/a page", "spaces or control characters"),
        ("website", "https://example.com/\nx", "spaces or control characters"),
        ("website", "https://example.com:70000/", "malformed"),
        ("website", "https://" + "a" * 2000 + ".com", "longer than 2000"),
        ("booking_url", "javascript:alert(1)", "must start with http:// or https://"),
        ("photo_url", "http://photos.example.net/a.jpg", "must start with https://"),
        ("photo_url", "javascript:alert(1)", "must start with https://"),
        ("photo_url", "/avatars/t0000002.svg", "own avatar"),
        ("photo_url", "/static/person.svg", "must start with https://"),
        ("free_consultation", "maybe", "free_consultation"),
    ],
)
def test_bad_contact_values_are_rejected_with_the_reason(
    field: str, value: Any, expected: str
) -> None:
    assert expected in reasons(therapist(**{field: value}))


def test_the_own_avatar_path_is_accepted_so_an_api_answer_can_be_written_back() -> None:
    own = avatar_path("t0000001")
    assert own == "/avatars/t0000001.svg"
    assert Therapist.model_validate(therapist(photo_url=own)).photo_url == own


def test_http_websites_and_booking_links_are_accepted() -> None:
    t = Therapist.model_validate(
        therapist(website="HTTP://Old.Example.net/home", booking_url="http://example.org/b?x=1")
    )
    assert t.website == "http://Old.Example.net/home"  # the scheme lower-cased, nothing else
    assert t.booking_url == "http://example.org/b?x=1"


def test_errors_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        Therapist.model_validate(therapist(email="nope", website="javascript:x"))
    assert {e["loc"][0] for e in err.value.errors()} == {"email", "website"}


def test_answers_name_the_avatar_and_records_stay_as_they_are() -> None:
    from search_core.contact import SHOW_AVATARS

    t = Therapist.model_validate(therapist())
    assert t.model_dump()["photo_url"] is None  # the record, as stored
    shown = t.model_dump(mode="json", context={SHOW_AVATARS: True})
    assert shown["photo_url"] == "/avatars/t0000001.svg"
    assert Therapist.model_validate(shown).photo_url == "/avatars/t0000001.svg"  # writable back
    own = Therapist.model_validate(therapist(photo_url=CONTACT["photo_url"]))
    assert own.model_dump(context={SHOW_AVATARS: True})["photo_url"] == CONTACT["photo_url"]
