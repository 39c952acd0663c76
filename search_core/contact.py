"""How a therapist is reached: the checks and normal forms of the contact fields of
:class:`search_core.documents.Therapist`, and the avatar every therapist without a photo gets.

Every field is optional. What is given must be usable as it stands, because pages turn it into
links: a phone number becomes a ``tel:`` link, an email a ``mailto:`` link, a website or a
booking link an ``<a href>``, a photo an ``<img src>``. So:

* ``phone`` is a US number (NANP: ten digits, area code and exchange not starting with 0 or 1
  and not a service code like 911), written in any usual way (``503-555-0123``,
  ``(503) 555-0123``, ``+1 503.555.0123``) and kept in E.164 (``+15035550123``), what a
  ``tel:`` link and schema.org want; :func:`display_phone` writes it as ``(503) 555-0123``.
* ``email`` is one address: a local part of letters, digits and ``. _ + ' -`` (no ``?``, ``#``,
  ``%``, ``&`` or ``/``, which would change what a ``mailto:`` link means), an ``@`` and a
  domain name with a dot; the domain is lower-cased.
* ``website`` and ``booking_url`` are absolute ``http`` or ``https`` URLs with a host name and
  no user name or password in them (``javascript:``, ``data:`` and relative links are refused).
* ``photo_url`` is an ``https`` URL (an ``http`` image on an ``https`` page is mixed content),
  or this therapist's own avatar path (what the API answers for a therapist without a photo, so
  that a profile read from the API can be written back).

An empty string is read as "not given".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator

AVATAR_PREFIX = "/avatars/"
AVATAR_PATH = AVATAR_PREFIX + "{id}.svg"
"""The site path of a therapist's generated initials avatar (served by the API)."""

SHOW_AVATARS = "show_avatars"
"""Serialisation context key: ``model_dump_json(context={SHOW_AVATARS: True})`` gives every
therapist without a photo the path of their avatar as ``photo_url`` (what the API answers)."""

MAX_URL_CHARS = 2_000
MAX_EMAIL_CHARS = 254

_PHONE_CHARS = re.compile(r"^\+?[0-9().\s-]+$")
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9_+'-]+(?:\.[A-Za-z0-9_+'-]+)*$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?:{_LABEL}\.)+[a-z]{{2,63}}$")
_AVATAR = re.compile(r"^/avatars/[a-z0-9][a-z0-9_-]{0,63}\.svg$")
_NO_SPACE_OR_CONTROL = re.compile(r"^[^\s\x00-\x1f\x7f]+$")


def avatar_path(therapist_id: str) -> str:
    """``t0000042`` → ``/avatars/t0000042.svg``."""
    return AVATAR_PATH.format(id=therapist_id)


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


def _maybe(check: Callable[[str], str]) -> Callable[[str | None], str | None]:
    def run(value: str | None) -> str | None:
        return None if value is None else check(value)

    return run


def us_phone(value: str) -> str:
    """A US phone number in E.164 (``+15035550123``); ``ValueError`` saying why not."""
    example = "like (503) 555-0123"
    if not _PHONE_CHARS.match(value):
        raise ValueError(
            f"phone {value!r} must be a US number of digits, spaces, ( ) . - and a leading +, "
            f"{example}"
        )
    digits = re.sub(r"\D", "", value)
    if value.startswith("+") and not digits.startswith("1"):
        raise ValueError(f"phone {value!r} is not a US number (+1), {example}")
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10:
        raise ValueError(f"phone {value!r} must have 10 digits (area code first), {example}")
    area, exchange = digits[:3], digits[3:6]
    if area[0] in "01" or exchange[0] in "01":
        raise ValueError(
            f"phone {value!r}: area code and exchange cannot start with 0 or 1, {example}"
        )
    if area[1:] == "11" or exchange[1:] == "11":
        raise ValueError(f"phone {value!r}: N11 numbers (like 911) are service codes, {example}")
    return "+1" + digits


def display_phone(e164: str) -> str:
    """``+15035550123`` → ``(503) 555-0123`` (anything else comes back as it is)."""
    if len(e164) == 12 and e164.startswith("+1") and e164[2:].isdigit():
        d = e164[2:]
        return f"({d[:3]}) {d[3:6]}-{d[6:]}"
    return e164


def email_address(value: str) -> str:
    """A well-formed email address, its domain lower-cased; ``ValueError`` saying why not."""
    if len(value) > MAX_EMAIL_CHARS:
        raise ValueError(f"email is longer than {MAX_EMAIL_CHARS} characters")
    local, at, domain = value.rpartition("@")
    if not at or not local or "@" in local:
        raise ValueError(f"email {value!r} must be one address like name@example.com")
    if len(local) > 64 or not _EMAIL_LOCAL.match(local):
        raise ValueError(
            f"email {value!r}: the part before @ may hold letters, digits and . _ + ' - "
            "(no dot first, last or twice in a row), at most 64 characters"
        )
    domain = domain.lower()
    if not _HOST.match(domain):
        raise ValueError(f"email {value!r}: {domain!r} is not a domain name like example.com")
    return f"{local}@{domain}"


def web_url(value: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """An absolute URL of one of ``schemes`` with a host name; ``ValueError`` saying why not."""
    allowed = " or ".join(f"{s}://" for s in schemes)
    if len(value) > MAX_URL_CHARS:
        raise ValueError(f"URL is longer than {MAX_URL_CHARS} characters")
    if not _NO_SPACE_OR_CONTROL.match(value):
        raise ValueError(f"URL {value[:80]!r} holds spaces or control characters")
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError as e:
        raise ValueError(f"URL {value[:80]!r} is malformed: {e}") from None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        raise ValueError(f"URL {value[:80]!r} must start with {allowed}")
    if "@" in parts.netloc:
        raise ValueError(f"URL {value[:80]!r} must not hold a user name or password")
    if not _HOST.match(host):
        raise ValueError(f"URL {value[:80]!r} needs a host name like www.example.com")
    return scheme + value[len(scheme) :]


def photo_url(value: str) -> str:
    """An ``https`` URL, or an avatar path of this site (which therapist's: see the model)."""
    if _AVATAR.match(value):
        return value
    return web_url(value, ("https",))


Phone = Annotated[str | None, BeforeValidator(_blank_is_none), AfterValidator(_maybe(us_phone))]
Email = Annotated[
    str | None, BeforeValidator(_blank_is_none), AfterValidator(_maybe(email_address))
]
WebUrl = Annotated[str | None, BeforeValidator(_blank_is_none), AfterValidator(_maybe(web_url))]
PhotoUrl = Annotated[str | None, BeforeValidator(_blank_is_none), AfterValidator(_maybe(photo_url))]
"""Optional contact fields: ``None`` or ``""`` for "not given", else checked and normalised."""
