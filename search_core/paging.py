"""Opaque paging cursors, shared by the API and both engines.

A cursor holds the offset of the next page and, when the engine can use them, the sort values
of the last hit (Elasticsearch ``search_after``), so deep pages need not be counted out again,
and the day the freshness decay was measured from: those sort values hold scores, and scores
move at UTC midnight, so the next page is scored from the same day as the page before it (else a
cursor taken before midnight and used after it skips or repeats hits).
Clients pass ``next_cursor`` back as it is; its content is not part of the contract.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from search_core.errors import InvalidQuery

MAX_CURSOR_DEPTH = 10_000
"""How deep cursor paging goes (offset + size); past it, narrow the search."""

MAX_CURSOR_CHARS = 1000
"""A cursor this API returns is an offset and a few sort values (well under 200 characters);
a longer one is refused before it is decoded."""

SortValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Cursor:
    offset: int
    after: tuple[SortValue, ...] | None = None
    origin: dt.date | None = None
    """The freshness origin the pages before were scored with (None: today's)."""


def encode_cursor(
    offset: int, after: Sequence[Any] | None = None, origin: dt.date | None = None
) -> str:
    data: dict[str, Any] = {"o": offset}
    if after is not None:
        data["a"] = list(after)
    if origin is not None:
        data["d"] = origin.isoformat()
    return base64.urlsafe_b64encode(orjson.dumps(data)).decode().rstrip("=")


def decode_cursor(cursor: str) -> Cursor:
    bad = InvalidQuery("cursor is not one this API returned")
    if len(cursor) > MAX_CURSOR_CHARS:
        raise bad
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded))
        offset = int(data["o"])
        after = data.get("a")
        day = data.get("d")
        origin = dt.date.fromisoformat(day) if isinstance(day, str) else None
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
        raise bad from exc
    if offset < 0 or (day is not None and origin is None):
        raise bad
    if after is None:
        return Cursor(offset, None, origin)
    if not isinstance(after, list) or not after:
        raise bad
    if not all(v is None or isinstance(v, str | int | float | bool) for v in after):
        raise bad
    return Cursor(offset, tuple(after), origin)


def resolve_page(
    page: int, size: int, cursor: str | None, window: int
) -> tuple[int, Cursor | None]:
    """The offset (and decoded cursor) a request asks for, refusing pages past ``window``
    and cursors past :data:`MAX_CURSOR_DEPTH`, with messages that say what to do instead."""
    if cursor is not None:
        decoded = decode_cursor(cursor)
        if decoded.offset + size > MAX_CURSOR_DEPTH:
            raise InvalidQuery(
                f"cursor paging stops at {MAX_CURSOR_DEPTH} results; narrow the search"
            )
        return decoded.offset, decoded
    offset = (page - 1) * size
    if offset + size > window:
        raise InvalidQuery(
            f"page {page} is beyond the result window of {window} results (page × size); "
            "follow next_cursor to go deeper"
        )
    return offset, None
