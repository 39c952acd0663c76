"""An article search needs most of its words (the tuning's minimum_should_match); when no
article has enough of them it shows those with some, and says so; a search that matches as
typed is left alone."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from search_core.article_searching import SOME_OF_THE_WORDS


def _text(a: dict[str, Any]) -> str:
    return f"{a['title']} {a.get('summary', '')} {a['body']} {a['author']['name']}".lower()


def test_most_of_the_words_are_enough(
    client: TestClient, articles_data: list[dict[str, Any]]
) -> None:
    """The default tuning's minimum_should_match ("3<75%"): of five searched words (the
    filler "therapy" and "with" aside) a match needs three, silently."""
    typed = "how much does therapy cost with insurance"
    body = client.get("/articles/search", params={"q": typed}).json()
    assert body["total"] > 0 and SOME_OF_THE_WORDS not in body["warnings"]
    words = ("how", "much", "does", "cost", "insur")  # as the analyzer reads them
    full = {a["slug"]: a for a in articles_data}
    assert not any(all(w in _text(a) for w in words) for a in articles_data)
    for hit in body["items"]:
        text = _text(full[hit["article"]["slug"]])
        assert sum(w in text for w in words) >= 3, hit["article"]["slug"]


def test_some_of_the_words_when_none_has_enough(
    client: TestClient, articles_data: list[dict[str, Any]]
) -> None:
    """Two words are both needed; when no article has both, those with one, said."""
    body = client.get("/articles/search", params={"q": "insurance zxqvw"}).json()
    assert body["total"] > 0 and SOME_OF_THE_WORDS in body["warnings"]
    full = {a["slug"]: a for a in articles_data}
    for hit in body["items"]:
        assert "insur" in _text(full[hit["article"]["slug"]]), hit["article"]["slug"]


def test_a_text_that_matches_is_searched_as_typed(client: TestClient) -> None:
    body = client.get("/articles/search", params={"q": "anxiety"}).json()
    assert body["total"] > 0 and SOME_OF_THE_WORDS not in body["warnings"]
    nothing = client.get("/articles/search", params={"q": "zxqvw qqqzx"}).json()
    assert nothing["total"] == 0 and nothing["warnings"] == []


def test_a_persons_words_find_the_articles_on_their_issue(
    client: TestClient, articles_data: list[dict[str, Any]]
) -> None:
    """No article has "he cheated on me" in it; the words name infidelity in a person's own
    terms, so the articles on infidelity are shown, and the answer says so."""
    body = client.get("/articles/search", params={"q": "he cheated on me"}).json()
    on = [a for a in articles_data if "infidelity" in a["topics"]]
    assert on and body["total"] == len(on)
    assert all("infidelity" in h["article"]["topics"] for h in body["items"])
    assert any("showing articles on Infidelity" in w for w in body["warnings"])
    burnt = client.get("/articles/search", params={"q": "burnt out at work"}).json()
    assert burnt["total"] > 0
    for hit in burnt["items"]:
        assert {"stress", "work-stress"} & set(hit["article"]["topics"])


def test_an_author_search_or_a_topic_filter_is_never_widened_to_an_issue(
    client: TestClient,
) -> None:
    author = client.get(
        "/articles/search", params={"q": "he cheated on me", "field": "author"}
    ).json()
    assert author["total"] == 0
    chosen = client.get(
        "/articles/search", params={"q": "he cheated on me", "topics": "adhd"}
    ).json()
    assert all("adhd" in h["article"]["topics"] for h in chosen["items"])
    assert not any("showing articles on" in w for w in chosen["warnings"])
