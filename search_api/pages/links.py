"""Links between pages: the URL holds a page's whole state, so every link is the current query
string with one thing changed."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request

Items = list[tuple[str, str]]


def canonical(request: Request, name: str, **params: str) -> str:
    """The absolute URL of the page ``name`` on the site's public address (the configured base
    URL, or the address the server was reached on: never the request's ``Host`` header)."""
    base: str = request.app.state.hosts.base_url(request.scope)
    return base + str(request.app.url_path_for(name, **params))


def given(params: QueryParams) -> Items:
    """The query string without empty values: a GET form sends every field, filled or not,
    and the API reads ``max_fee=`` as a malformed number."""
    return [(k, v) for k, v in params.multi_items() if v.strip()]


def with_changes(path: str, items: Iterable[tuple[str, str]], **changes: str | None) -> str:
    """``path`` with ``items`` as its query string, each key of ``changes`` replaced by its
    value (or dropped when ``None``). Changing anything but the page goes back to page 1."""
    drop = set(changes) | ({"page"} if "page" not in changes else set())
    kept = [(k, v) for k, v in items if k not in drop]
    kept += [(k, v) for k, v in changes.items() if v is not None]
    return f"{path}?{urlencode(kept)}" if kept else path


def without_words(q: str, words: str) -> str:
    """``q`` with the first occurrence of ``words`` removed (a chip's remove link)."""
    if not words.strip():
        return q
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, words.split())) + r"\b", re.I)
    left = pattern.sub(" ", q, count=1)
    return " ".join(left.split())


def page_numbers(current: int, last: int) -> list[int | None]:
    """Page links to show: first, last and two around the current one (``None`` = a gap)."""
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def last_page(total: int, size: int, window: int = 1000) -> int:
    """Pages a user can reach with page numbers (the API's result window is 1,000 hits)."""
    return max(1, min(math.ceil(total / size), window // size))


def page_of(params: QueryParams) -> int:
    try:
        return max(1, int(params.get("page", "1")))
    except ValueError:
        return 1


def distance(lat1: float, lon1: float, lat2: float, lon2: float, unit: str) -> float:
    """Great-circle distance (what a front-end computes for a profile's offices from the
    location a search was centred on)."""
    radius = 3958.8 if unit == "mi" else 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))
