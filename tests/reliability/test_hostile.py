"""Hostile input: every request here answers 200 or a 4xx JSON error body, never a 500; text
that holds HTML or script comes back escaped in highlights and as plain JSON strings elsewhere.

Unknown query parameters are ignored (as by most HTTP APIs: tracking parameters such as
``utm_source`` must not break a shared link); docs/reliability.md says so.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.queries import MAX_FILTER_VALUES, MAX_QUERY_CHARS
from search_core.settings import Settings
from tests.api.conftest import assert_error
from tests.conftest import copy_of

SYNTAX = ['"', ":", "(", ")", "*", "~", "^", "\\", "AND", "OR", "NOT", "-", "+", "!", "/"]
COMBOS = [
    '"unclosed phrase',
    "bio:anxiety",
    "name:(a OR b)",
    "anxiety~2",
    "anx*",
    "*:*",
    "((((",
    "))))",
    "anxiety AND",
    "OR OR OR",
    "-anxiety",
    "--",
    "[1 TO 2]",
    "{a TO b}",
    "a^10 b^-1",
    "\\\\\\",
    "&& || !",
    "'; DROP TABLE therapists; --",
    "%",
    "%00",
]
UNICODE = [
    "\x00",
    "anxiety\x00therapist",
    "\u202eyteixna",  # right-to-left override
    "\u200fanxiety\u200e",  # RTL and LTR marks
    "😀🧠 anxiety",
    "e\u0301\u0301\u0301\u0301",  # combining marks
    "a" + "\u0336" * 150,
    "\ufeffanxiety",
    "ａｎｘｉｅｔｙ",  # full-width
    "\u0000\u0001\u001f\u007f",
    "تراپی اضطراب",
    "焦虑症",
    "\U0010ffff",
]
RAW_QUERY_STRINGS = [
    "q=%ED%A0%80",  # a lone surrogate, UTF-8-encoded: not valid UTF-8
    "q=%ED%B2%A9anxiety",
    "q=%FF%FE",
    "q=%C0%80",  # overlong NUL
    "q=%",
    "q=%zz",
    "q=%E2%80",
    "q=anxiety&q=depression",
    "q",
    "=anxiety",
    "&&&&",
]
TEXT_ROUTES = [
    ("/therapists/search", {}),
    ("/therapists/near", {"zip": "97214"}),
    ("/articles/search", {}),
    ("/articles/search", {"field": "title"}),
    ("/articles/search", {"field": "author"}),
    ("/suggest", {}),
]


def assert_sane(r: httpx.Response) -> Any:
    """200 with JSON, or a 4xx JSON error body; never a 500."""
    assert r.status_code < 500, (r.status_code, r.request.url, r.text[:500])
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    if r.status_code >= 400:
        assert set(body) >= {"error", "message", "details"}, body
    else:
        assert r.status_code == 200, r.status_code
    return body


@pytest.mark.parametrize(("route", "extra"), TEXT_ROUTES)
@pytest.mark.parametrize("text", SYNTAX + COMBOS + UNICODE)
def test_query_syntax_and_unicode_never_break_a_search(
    client: TestClient, route: str, extra: dict[str, str], text: str
) -> None:
    r = client.get(route, params={"q": text, **extra})
    assert_sane(r)
    if text.strip("\x00\x01\x1f\x7f \u200f\u200e\ufeff") and len(text) <= 50:
        assert r.status_code == 200, r.text  # nothing to complete: an empty list


@pytest.mark.parametrize("route", ["/therapists/search", "/articles/search", "/suggest"])
@pytest.mark.parametrize("raw", RAW_QUERY_STRINGS)
def test_broken_percent_encoding(client: TestClient, route: str, raw: str) -> None:
    assert_sane(client.get(f"{route}?{raw}"))


@pytest.mark.parametrize("route", ["/therapists/search", "/articles/search"])
def test_query_length_limit(client: TestClient, route: str) -> None:
    assert assert_sane(client.get(route, params={"q": "(" * MAX_QUERY_CHARS})) is not None
    assert client.get(route, params={"q": ":" * MAX_QUERY_CHARS}).status_code == 200
    assert_error(client.get(route, params={"q": "a" * (MAX_QUERY_CHARS + 1)}), 422, "q")
    assert_error(client.get(route, params={"q": "é" * 8_000}), 422, "q")


def test_long_text_in_every_text_parameter(client: TestClient) -> None:
    long = "x" * 5000
    for route, param in [
        ("/therapists/search", "zip"),
        ("/therapists/search", "city"),
        ("/therapists/search", "near"),
        ("/therapists/search", "cursor"),
        ("/therapists/search", "tuning"),
        ("/articles/search", "author"),
        ("/suggest", "q"),
    ]:
        assert 400 <= client.get(route, params={param: long}).status_code < 500
        assert_sane(client.get(route, params={param: long}))


@pytest.mark.parametrize(
    "path",
    [
        "/therapists/%00",
        "/therapists/..%2F..%2Fetc%2Fpasswd",
        "/therapists/" + "a" * 5000,
        "/articles/%3Cscript%3E",
        "/articles/%ED%A0%80",
        "/locations/%ED%A0%80",
        "/locations/..%2F..",
        "/browse/cities/" + "x-" * 2000,
        "/browse/states/%00/cities",
        "/browse/states/%F0%9F%98%80/cities",
    ],
)
def test_hostile_path_parameters(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert 400 <= r.status_code < 500
    assert_sane(r)


# -- cursors -----------------------------------------------------------------------------------


def _cursor(client: TestClient, **params: Any) -> str:
    page = client.get("/therapists/search", params={"size": 5, **params}).json()
    cursor: str = page["next_cursor"]
    assert cursor
    return cursor


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _tampered(cursor: str) -> Iterator[str]:
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    for i in range(len(raw)):
        for bit in (0, 3, 7):
            flipped = bytearray(raw)
            flipped[i] ^= 1 << bit
            yield _b64(bytes(flipped))
    for n in range(len(cursor)):
        yield cursor[:n]
    yield cursor + "A"
    yield cursor[::-1]


def test_tampered_cursors(client: TestClient) -> None:
    cursor = _cursor(client, q="anxiety")
    statuses = set()
    for bad in _tampered(cursor):
        r = client.get("/therapists/search", params={"q": "anxiety", "size": 5, "cursor": bad})
        assert_sane(r)
        statuses.add(r.status_code)
    assert 422 in statuses  # most tampering is seen (the rest is a well-formed other offset)


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!!",
        "====",
        "AAAA",
        "a",
        "\x00",
        "é",
        "%ED%A0%80",
        _b64(b"not json"),
        _b64(b"[]"),
        _b64(b"null"),
        _b64(b'{"o": -1}'),
        _b64(b'{"o": "x"}'),
        _b64(b'{"o": 1e308}'),
        _b64(b'{"o": 100000000000000000000000000000}'),
        _b64(b'{"o": 9999}'),
        _b64(b'{"o": 5, "a": []}'),
        _b64(b'{"o": 5, "a": [{}]}'),
        _b64(b'{"o": 5, "a": [[1]]}'),
        _b64(b'{"o": 5, "a": ["x", "y", "z", 1, 2, 3, null, true]}'),
        _b64(b'{"o": 5, "a": [1e308, -1e308]}'),
        _b64(b'{"o": 5, "a": "string"}'),
        _b64(orjson.dumps({"o": 5, "a": ["x" * 10_000]})),
        "A" * 20_000,
    ],
)
def test_garbage_cursors(client: TestClient, cursor: str) -> None:
    for route, extra in [
        ("/therapists/search", {"q": "anxiety"}),
        ("/therapists/search", {"zip": "97214", "sort": "distance"}),
        ("/therapists/search", {"sort": "recent"}),
        ("/therapists/near", {"zip": "97214"}),
        ("/browse/cities/portland-or", {}),
    ]:
        assert_sane(client.get(route, params={"cursor": cursor, **extra}))


def test_another_querys_cursor_answers_a_page_or_an_error(client: TestClient) -> None:
    mine = _cursor(client, q="depression", zip="97214", sort="distance")
    for params in [
        {"q": "anxiety"},
        {"sort": "recent"},
        {"zip": "10001", "sort": "distance"},
        {"issues": "grief"},
    ]:
        assert_sane(client.get("/therapists/search", params={"cursor": mine, **params}))
    other = _cursor(client, sort="recent")
    assert_sane(client.get("/browse/cities/portland-or", params={"cursor": other}))
    assert_sane(client.get("/therapists/near", params={"zip": "97214", "cursor": other}))


# -- repeats and unknown parameters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "param", "value"),
    [
        ("/therapists/search", "issues", "anxiety"),
        ("/therapists/search", "languages", "spanish"),
        ("/therapists/near", "insurance", "aetna"),
        ("/articles/search", "topics", "adhd"),
    ],
)
def test_over_limit_repeats(client: TestClient, route: str, param: str, value: str) -> None:
    base = {"zip": "97214"} if route.endswith("near") else {}
    at_limit = [(param, value)] * MAX_FILTER_VALUES + list(base.items())
    assert client.get(route, params=at_limit).status_code == 200
    for n in (MAX_FILTER_VALUES + 1, 1000):
        assert_error(client.get(route, params=[(param, value)] * n + list(base.items())), 422)


def test_repeated_single_value_parameters(client: TestClient) -> None:
    """A parameter that takes one value, given twice: the last one is used, no error."""
    r = client.get("/therapists/search", params=[("size", "3"), ("size", "5")])
    assert len(assert_sane(r)["items"]) == 5
    assert_sane(client.get("/therapists/search", params=[("lat", "45"), ("lat", "x")]))
    assert_sane(client.get("/articles/search", params=[("page", "1")] * 500))


def test_unknown_parameters_are_ignored(client: TestClient) -> None:
    plain = client.get("/therapists/search", params={"q": "anxiety"}).json()
    plain.pop("took_ms")
    noisy = client.get(
        "/therapists/search",
        params={"q": "anxiety", "utm_source": "news", "x" * 300: "y" * 3000, "<script>": "1"},
    ).json()
    noisy.pop("took_ms")
    assert noisy == plain
    extra = [(f"p{i}", str(i)) for i in range(2000)]
    assert_sane(client.get("/articles/search", params=extra))


# -- headers -------------------------------------------------------------------------------------


def test_huge_and_many_headers(client: TestClient) -> None:
    huge = {"X-Filler": "a" * 64_000, "X-Analyst-Key": "k" * 64_000}
    assert_sane(client.get("/therapists/search", params={"q": "anxiety"}, headers=huge))
    many = {f"X-H{i}": "v" * 100 for i in range(500)}
    assert_sane(client.get("/therapists/search", params={"q": "anxiety"}, headers=many))
    odd = {
        "Accept": "text/html;q=x,*/*;;;",
        "Accept-Language": "\u202e".encode() * 10,
        "Origin": "null",
    }
    assert_sane(client.get("/therapists/search", headers=odd))
    r = client.get("/therapists/search", params={"tuning": "default"}, headers=huge)
    assert_error(r, 403)


# -- HTML and script in records ------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"
NAME = '<img src=x onerror="alert(1)"> Eve'
BIO = f'Kxqzhostile care for anxiety {SCRIPT} & <b>bold</b> claims > 5 < 7 "quoted" it\'s here.'
COMMENT = f'Great read <a href="javascript:alert(2)">kxqzhostile</a> {SCRIPT}'


@pytest.fixture(scope="module")
def html_client(
    tmp_path_factory: pytest.TempPathFactory, small_dir: Path, small_index: Settings
) -> Iterator[TestClient]:
    """An index of its own (the session one stays read-only) with records holding HTML."""
    from cli.main import main

    settings = copy_of(small_index, tmp_path_factory.mktemp("html-index") / "data")
    with gzip.open(small_dir / "therapists.jsonl.gz") as f:
        therapist = json.loads(f.readline())
    therapist.update(id="t9999999", slug="eve-hostile-9999999", name=NAME, bio=BIO)
    with gzip.open(small_dir / "articles.jsonl.gz") as f:
        article = json.loads(f.readline())
    article.update(
        id="a9999",
        slug="kxqzhostile-article",
        title=f"Kxqzhostile {SCRIPT} title",
        summary=f"Kxqzhostile summary <i>x</i> {SCRIPT}",
        body=f"Kxqzhostile body & more {SCRIPT}",
        comments=[
            {
                "id": "c9",
                "author_name": "<b>Mallory</b>",
                "date": "2026-01-01T00:00:00Z",
                "text": COMMENT,
            }
        ],
    )
    folder = tmp_path_factory.mktemp("html-records")
    for kind, record in (("therapists", therapist), ("articles", article)):
        path = folder / f"{kind}.json"
        path.write_text(json.dumps(record))
        assert main(["upsert", "--kind", kind, str(path)], settings) == 0
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def _no_live_markup(fragment: str) -> None:
    """Only <mark> and </mark> may be markup; every other '<' is escaped."""
    rest = fragment.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in rest and ">" not in rest, fragment
    assert '"' not in rest and "'" not in rest, fragment


def test_therapist_bio_highlight_is_escaped(html_client: TestClient) -> None:
    r = html_client.get("/therapists/search", params={"q": "kxqzhostile"})
    hits = assert_sane(r)["items"]
    hit = next(h for h in hits if h["therapist"]["id"] == "t9999999")
    (fragment,) = hit["highlights"]["bio"]
    assert "<mark>Kxqzhostile</mark>" in fragment
    assert "&lt;script&gt;" in fragment and "&amp;" in fragment
    _no_live_markup(fragment)
    assert hit["therapist"]["name"] == NAME  # a plain JSON string, as stored
    assert hit["therapist"]["bio"] == BIO


def test_article_highlights_are_escaped(html_client: TestClient) -> None:
    for field in ("all", "title", "content"):
        r = html_client.get("/articles/search", params={"q": "kxqzhostile", "field": field})
        hits = assert_sane(r)["items"]
        hit = next(h for h in hits if h["article"]["id"] == "a9999")
        assert hit["highlights"], hit
        for fragments in hit["highlights"].values():
            for fragment in fragments:
                assert "<mark>" in fragment
                _no_live_markup(fragment)


def test_records_with_html_come_back_as_plain_json(html_client: TestClient) -> None:
    r = html_client.get("/articles/kxqzhostile-article")
    assert r.headers["content-type"] == "application/json"
    (comment,) = assert_sane(r)["comments"]
    assert comment["text"] == COMMENT and comment["author_name"] == "<b>Mallory</b>"
    r = html_client.get("/therapists/t9999999")
    assert r.headers["content-type"] == "application/json"
    assert assert_sane(r)["name"] == NAME
    recent = assert_sane(html_client.get("/articles/comments/recent", params={"size": 50}))
    assert any(c["text"] == COMMENT for c in recent["items"])
    typed = assert_sane(html_client.get("/suggest", params={"q": "<img"}))
    assert typed is not None
