"""Article search, recent comments and details over HTTP, checked against brute force over the
fixture articles. Search words are picked from the data by the rules a test needs (for example
"in exactly one title and in no other field"), so a change to the fixture content cannot make a
test pass vacuously."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
import tantivy
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.settings import Settings
from search_core.vocabulary import ARTICLE_TOPICS
from tests.api.conftest import assert_error

Art = dict[str, Any]
SEARCH = "/articles/search"
RECENT = "/articles/comments/recent"
STEM_PREFIX = 4
"""Words sharing this many first letters, or an English stem, count as one family: stemming
may join them (the engines' English stemmers differ in details, hence both rules)."""
_STEMMER = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.lowercase())
    .filter(tantivy.Filter.stemmer("english"))
    .build()
)


# ---------------------------------------------------------------------------- brute force


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", folded.lower())


def title_text(a: Art) -> str:
    return str(a["title"])


def content_text(a: Art) -> str:
    return f"{a['summary']} {a['body']}"


def author_text(a: Art) -> str:
    return str(a["author"]["name"])


def topic_text(a: Art) -> str:
    return " ".join(ARTICLE_TOPICS.labels(a["topics"]))


def all_text(a: Art) -> str:
    return " ".join(f(a) for f in (title_text, content_text, author_text, topic_text))


def having(data: Iterable[Art], text: Callable[[Art], str], word: str) -> set[str]:
    return {a["id"] for a in data if word in words(text(a))}


@cache
def stem(word: str) -> str:
    return "".join(_STEMMER.analyze(word))


def related(a: str, b: str) -> bool:
    return a[:STEM_PREFIX] == b[:STEM_PREFIX] or stem(a) == stem(b)


def having_family(data: Iterable[Art], text: Callable[[Art], str], word: str) -> set[str]:
    return {a["id"] for a in data if any(related(w, word) for w in words(text(a)))}


def newest_order(data: Iterable[Art]) -> list[str]:
    return [
        a["id"]
        for a in sorted(
            data, key=lambda a: (-dt.date.fromisoformat(a["published"]).toordinal(), a["id"])
        )
    ]


def comment_time(c: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(c["date"].replace("Z", "+00:00"))


def brute_recent(data: list[Art], n: int) -> list[dict[str, Any]]:
    rows = [
        {
            "article_slug": a["slug"],
            "article_title": a["title"],
            "comment_id": c["id"],
            "author_name": c["author_name"],
            "date": c["date"],
            "text": c["text"],
        }
        for a in data
        for c in a["comments"]
    ]
    by_id = {c["id"]: comment_time(c) for a in data for c in a["comments"]}
    rows.sort(key=lambda r: (-by_id[r["comment_id"]].timestamp(), r["comment_id"]))
    return rows[:n]


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get(SEARCH, params={"size": 50, **params})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [h["article"]["id"] for h in body["items"]]


# ---------------------------------------------------------------------------- word pickers


def candidate_words(data: list[Art], text: Callable[[Art], str], min_len: int) -> list[str]:
    counts: Counter[str] = Counter(w for a in data for w in set(words(text(a))))
    return sorted(w for w in counts if len(w) >= min_len and w.isalpha())


@pytest.fixture(scope="module")
def title_word(articles_data: list[Art]) -> tuple[str, str, set[str]]:
    """A word in exactly one article's title, also in the content of other articles, and in
    no author name or topic label: ``(word, id of the title's article, ids by content)``."""
    for w in candidate_words(articles_data, title_text, 4):
        titled = having(articles_data, title_text, w)
        content = having(articles_data, content_text, w)
        if (
            len(titled) == 1
            and having_family(articles_data, title_text, w) == titled
            and having_family(articles_data, content_text, w) == content
            and content - titled
            and not having_family(articles_data, author_text, w)
            and not having_family(articles_data, topic_text, w)
        ):
            return w, next(iter(titled)), content
    pytest.fail("no word occurs in exactly one title and in other articles' content")


@pytest.fixture(scope="module")
def content_only_word(articles_data: list[Art]) -> tuple[str, set[str]]:
    """A word in the content of several articles, in the summary only (not the body) of at
    least one, whose family is in no title, author name or topic label and has no other member
    in the content."""
    for w in candidate_words(articles_data, content_text, 5):
        exact = having(articles_data, content_text, w)
        summary_only = having(articles_data, lambda a: a["summary"], w) - having_family(
            articles_data, lambda a: a["body"], w
        )
        if (
            len(exact) >= 2
            and summary_only
            and having_family(articles_data, content_text, w) == exact
            and not having_family(articles_data, title_text, w)
            and not having_family(articles_data, author_text, w)
            and not having_family(articles_data, topic_text, w)
        ):
            return w, exact
    pytest.fail("no word occurs only in article content, in a summary but not its body")


@pytest.fixture(scope="module")
def author_word(articles_data: list[Art]) -> tuple[str, set[str]]:
    """A word of an author name that bylines several articles and occurs in no other field."""
    for w in candidate_words(articles_data, author_text, 5):
        exact = having(articles_data, author_text, w)
        if len(exact) >= 2 and not having_family(
            articles_data, lambda a: title_text(a) + content_text(a) + topic_text(a), w
        ):
            return w, exact
    pytest.fail("no author name word occurs only in bylines")


# ---------------------------------------------------------------------------- field selector


def test_field_title_searches_title_only(
    client: TestClient, title_word: tuple[str, str, set[str]]
) -> None:
    word, titled, content = title_word
    assert ids(search(client, q=word, field="title")) == [titled]
    assert set(ids(search(client, q=word, field="content"))) == content
    assert set(ids(search(client, q=word, field="all"))) == content | {titled}
    body = search(client, q=word, field="author")
    assert body["total"] == 0 and body["items"] == []


def test_field_content_searches_summary_and_body(
    client: TestClient, content_only_word: tuple[str, set[str]]
) -> None:
    word, expected = content_only_word
    body = search(client, q=word, field="content")
    assert set(ids(body)) == expected
    assert body["total"] == len(expected)
    assert set(ids(search(client, q=word, field="all"))) == expected
    for field in ("title", "author"):
        assert search(client, q=word, field=field)["total"] == 0, field


def test_field_author_searches_author_name(
    client: TestClient, author_word: tuple[str, set[str]]
) -> None:
    word, expected = author_word
    body = search(client, q=word, field="author")
    assert set(ids(body)) == expected and body["total"] == len(expected)
    assert set(ids(search(client, q=word, field="all"))) == expected
    for field in ("title", "content"):
        assert search(client, q=word, field=field)["total"] == 0, field


def test_all_fields_match_every_article_with_the_word(
    client: TestClient, articles_data: list[Art]
) -> None:
    word = "anxiety"
    expected = having(articles_data, all_text, word)
    assert expected
    assert set(ids(search(client, q=word))) >= expected


# ---------------------------------------------------------------------------- synonyms


def test_synonym_cbt_finds_cognitive_behavioral_therapy(
    client: TestClient, articles_data: list[Art]
) -> None:
    phrase = re.compile(r"cognitive[\s-]+behaviou?ral[\s-]+therapy", re.I)
    spelled_out = {
        a["id"]
        for a in articles_data
        if phrase.search(all_text(a)) and "cbt" not in words(all_text(a))
    }
    assert spelled_out, "fixture should have an article naming CBT only in full"
    got = set(ids(search(client, q="cbt")))
    assert spelled_out <= got
    assert set(ids(search(client, q="cbt", field="content"))) >= {
        a
        for a in spelled_out
        if phrase.search(content_text(next(x for x in articles_data if x["id"] == a)))
    }


# ---------------------------------------------------------------------------- filters


def test_topic_filter_matches_brute_force(client: TestClient, articles_data: list[Art]) -> None:
    counts = Counter(t for a in articles_data for t in a["topics"])
    (t1, _), (t2, _) = counts.most_common(2)
    for chosen in ([t1], [t1, t2]):
        expected = {a["id"] for a in articles_data if set(a["topics"]) & set(chosen)}
        body = search(client, topics=chosen)
        assert body["total"] == len(expected)
        assert set(ids(body)) == expected


def test_topic_filter_with_text(client: TestClient, articles_data: list[Art]) -> None:
    topic = Counter(t for a in articles_data for t in a["topics"]).most_common(1)[0][0]
    body = search(client, q="anxiety", topics=[topic])
    allowed = {a["id"] for a in articles_data if topic in a["topics"]}
    assert set(ids(body)) <= allowed


def test_published_range_is_inclusive_brute_force(
    client: TestClient, articles_data: list[Art]
) -> None:
    dates = sorted({a["published"] for a in articles_data})
    start, end = dates[len(dates) // 4], dates[3 * len(dates) // 4]
    cases: list[dict[str, str]] = [
        {"published_from": start, "published_to": end},
        {"published_from": start},
        {"published_to": end},
        {"published_from": start, "published_to": start},
    ]
    for params in cases:
        lo = params.get("published_from", "0000-01-01")
        hi = params.get("published_to", "9999-12-31")
        expected = {a["id"] for a in articles_data if lo <= a["published"] <= hi}
        body = search(client, **params)
        assert set(ids(body)) == expected and body["total"] == len(expected), params


def test_author_filter_is_exact_and_case_insensitive(
    client: TestClient, articles_data: list[Art]
) -> None:
    name = Counter(a["author"]["name"] for a in articles_data).most_common(1)[0][0]
    expected = {a["id"] for a in articles_data if a["author"]["name"] == name}
    for variant in (name, name.upper(), f"  {name.lower()} "):
        body = search(client, author=variant)
        assert set(ids(body)) == expected and body["total"] == len(expected), variant
    # exact: a part of the name is not the name
    assert search(client, author=name.split()[0])["total"] == 0
    assert search(client, author="Nobody Byline-Such")["total"] == 0


# ---------------------------------------------------------------------------- sort and paging


def test_no_text_lists_all_newest_first(client: TestClient, articles_data: list[Art]) -> None:
    body = search(client)
    assert body["total"] == len(articles_data)
    assert ids(body) == newest_order(articles_data)
    assert all(h["score"] is None and h["highlights"] == {} for h in body["items"])
    blank = search(client, q="   ")
    assert ids(blank) == ids(body) and blank["warnings"] == []


def test_sort_newest_with_text_and_paging(client: TestClient, articles_data: list[Art]) -> None:
    expected = newest_order(a for a in articles_data if "anxiety" in words(all_text(a)))
    assert len(expected) > 5
    assert ids(search(client, q="anxiety", sort="newest"))[: len(expected)] == expected
    page2 = search(client, q="anxiety", sort="newest", size=3, page=2)
    got = ids(search(client, q="anxiety", sort="newest"))
    assert ids(page2) == got[3:6]


def test_relevance_pages_are_stable(client: TestClient) -> None:
    full = search(client, q="therapy anxiety")
    assert full["total"] > 10
    pages: list[str] = []
    for page in range(1, 6):
        pages += ids(search(client, q="therapy anxiety", size=3, page=page))
    assert pages == ids(full)[:15]
    scores = [h["score"] for h in full["items"]]
    assert scores == sorted(scores, reverse=True)
    assert all(s is not None for s in scores)


# ---------------------------------------------------------------------------- hits


def test_hits_are_previews(client: TestClient, articles_data: list[Art]) -> None:
    by_id = {a["id"]: a for a in articles_data}
    for hit in search(client)["items"]:
        a, full = hit["article"], by_id[hit["article"]["id"]]
        assert a["comments"] == []
        if len(full["body"]) > 300:
            assert a["body"] == full["body"][:300].rstrip() + "…"
        else:
            assert a["body"] == full["body"]
        assert {k: v for k, v in a.items() if k not in ("body", "comments")} == {
            k: v for k, v in full.items() if k not in ("body", "comments")
        }


def _plain(fragment: str) -> str:
    return html.unescape(fragment.replace("<mark>", "").replace("</mark>", ""))


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_highlights_mark_the_word_and_escape_html(
    client: TestClient, articles_data: list[Art]
) -> None:
    by_id = {a["id"]: a for a in articles_data}
    body = search(client, q="don", field="content")  # "don't": the fragment holds an apostrophe
    assert body["items"]
    escaped = 0
    for hit in body["items"]:
        hl = hit["highlights"]
        assert set(hl) & {"summary", "body"}, hit["article"]["id"]
        for field, fragments in hl.items():
            for fragment in fragments:
                marked = re.findall(r"<mark>(.*?)</mark>", fragment)
                assert marked and all(m.lower() == "don" for m in marked), fragment
                rest = fragment.replace("<mark>", "").replace("</mark>", "")
                assert not set(rest) & set("<>\"'"), fragment
                escaped += "&#x27;" in rest
                assert _squash(_plain(fragment)) in _squash(by_id[hit["article"]["id"]][field])
    assert escaped, "an apostrophe next to a match should come back escaped"


def test_highlights_title_and_synonyms(
    client: TestClient, title_word: tuple[str, str, set[str]]
) -> None:
    word, titled, _ = title_word
    hit = search(client, q=word, field="title")["items"][0]
    assert hit["article"]["id"] == titled
    assert f"<mark>{word}</mark>" in hit["highlights"]["title"][0].lower()
    for h in search(client, q="cbt")["items"]:
        joined = " ".join(f for fs in h["highlights"].values() for f in fs).lower()
        assert "<mark>cbt</mark>" in joined or "<mark>cognitive</mark>" in joined


def test_highlight_off(client: TestClient) -> None:
    body = search(client, q="anxiety", highlight="false")
    assert body["items"] and all(h["highlights"] == {} for h in body["items"])


# ---------------------------------------------------------------------------- detail


def test_detail_equals_fixture_record(client: TestClient, articles_data: list[Art]) -> None:
    most = max(articles_data, key=lambda a: (len(a["comments"]), a["id"]))
    assert most["comments"]
    for a in (most, articles_data[0]):
        r = client.get(f"/articles/{a['slug']}")
        assert r.status_code == 200, r.text
        assert r.json() == a
        assert r.headers["cache-control"].startswith("public, max-age=")


def test_detail_unknown_slug_is_404(client: TestClient) -> None:
    assert_error(client.get("/articles/no-such-article-here"), 404, "no-such-article-here")


def test_detail_malformed_slug_is_422(client: TestClient) -> None:
    assert_error(client.get("/articles/Not_A_Slug"), 422)


# ---------------------------------------------------------------------------- recent comments


@pytest.mark.parametrize("size", [1, 5, 10, 50])
def test_recent_comments_brute_force(
    client: TestClient, articles_data: list[Art], size: int
) -> None:
    r = client.get(RECENT, params={"size": size})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = brute_recent(articles_data, size)
    assert body["items"] == expected
    assert body["count"] == len(expected)
    assert r.headers["cache-control"].startswith("public, max-age=")


def test_recent_comments_default_size(client: TestClient, articles_data: list[Art]) -> None:
    body = client.get(RECENT).json()
    assert body["items"] == brute_recent(articles_data, 10)


def test_recent_comments_follow_an_upsert(
    tmp_path: Path, small_dir: Path, articles_data: list[Art]
) -> None:
    """The recent comments are cached per index state: a new comment shows up at once."""
    from cli.main import main

    settings = Settings(data_dir=tmp_path / "data", index_workers=0)
    assert (
        main(
            ["index", "--from", str(small_dir), "--kind", "articles", "--quiet"], settings=settings
        )
        == 0
    )
    with TestClient(create_app(settings)) as c:
        before = c.get(RECENT, params={"size": 3}).json()["items"]
        assert before == brute_recent(articles_data, 3)
        newest = max(comment_time(cm) for a in articles_data for cm in a["comments"])
        article = articles_data[-1]
        comment = {
            "id": "c-upsert-test",
            "author_name": "New Reader",
            "date": (newest + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "text": "Posted after everything else.",
        }
        record = tmp_path / "article.json"
        record.write_bytes(orjson.dumps({**article, "comments": [*article["comments"], comment]}))
        assert main(["upsert", "--kind", "articles", str(record)], settings=settings) == 0
        after = c.get(RECENT, params={"size": 3}).json()["items"]
        assert after[0]["comment_id"] == "c-upsert-test"
        assert after[0]["article_slug"] == article["slug"]
        assert after[1:] == before[:2]


@pytest.mark.parametrize("size", [0, 51, "x"])
def test_recent_comments_bad_size(client: TestClient, size: Any) -> None:
    assert_error(client.get(RECENT, params={"size": size}), 422, "size")


# ---------------------------------------------------------------------------- bad input


def test_unknown_topic(client: TestClient) -> None:
    assert_error(
        client.get(SEARCH, params={"topics": ["anxiety", "moon-sickness"]}), 422, "moon-sickness"
    )


def test_published_from_after_to(client: TestClient) -> None:
    assert_error(
        client.get(SEARCH, params={"published_from": "2024-05-02", "published_to": "2024-05-01"}),
        422,
        "published_from",
        "published_to",
    )


def test_malformed_date(client: TestClient) -> None:
    assert_error(
        client.get(SEARCH, params={"published_from": "last tuesday"}), 422, "published_from"
    )


def test_size_over_max(client: TestClient) -> None:
    assert_error(client.get(SEARCH, params={"size": 51}), 422, "size")


def test_page_beyond_window(client: TestClient) -> None:
    assert_error(client.get(SEARCH, params={"size": 50, "page": 21}), 422, "result window")
    assert client.get(SEARCH, params={"size": 50, "page": 20}).status_code == 200


def test_query_too_long(client: TestClient) -> None:
    assert client.get(SEARCH, params={"q": "a" * 200}).status_code == 200
    assert_error(client.get(SEARCH, params={"q": "a" * 201}), 422, "q")


@pytest.mark.parametrize(
    "q",
    [
        '"\\"((anxiety AND OR\\"\\"',
        '"((anxiety AND OR""',
        "***",
        "title:anxiety^3 -body:[a TO z]",
        '"',
        "~!@#$%^&*()",
    ],
)
def test_operators_are_plain_text(client: TestClient, q: str) -> None:
    r = client.get(SEARCH, params={"q": q})
    assert r.status_code == 200, r.text


def test_no_searchable_words_warns_and_lists_all(
    client: TestClient, articles_data: list[Art]
) -> None:
    body = search(client, q="***")
    assert body["warnings"] and body["total"] == len(articles_data)


@pytest.mark.parametrize(
    ("name", "value"),
    [("field", "everything"), ("sort", "oldest"), ("page", 0), ("highlight", "maybe")],
)
def test_bad_enum_and_range_parameters(client: TestClient, name: str, value: Any) -> None:
    assert_error(client.get(SEARCH, params={name: value}), 422, name)
