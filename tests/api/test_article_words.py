"""An article search whose words no article has all of shows those with some of them, and
says so; a search that matches as typed is left alone."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from search_core.article_searching import SOME_OF_THE_WORDS


def test_some_of_the_words_when_none_has_all(
    client: TestClient, articles_data: list[dict[str, Any]]
) -> None:
    typed = "how much does therapy cost with insurance"
    body = client.get("/articles/search", params={"q": typed}).json()
    assert body["total"] > 0 and SOME_OF_THE_WORDS in body["warnings"]
    stems = ("cost", "insur", "therap", "much")  # the words' stems, as the analyzer reads them
    full = {a["slug"]: a for a in articles_data}
    for hit in body["items"]:
        a = full[hit["article"]["slug"]]
        text = f"{a['title']} {a.get('summary', '')} {a['body']} {a['author']['name']}".lower()
        assert any(w in text for w in stems), a["slug"]


def test_a_text_that_matches_is_searched_as_typed(client: TestClient) -> None:
    body = client.get("/articles/search", params={"q": "anxiety"}).json()
    assert body["total"] > 0 and SOME_OF_THE_WORDS not in body["warnings"]
    nothing = client.get("/articles/search", params={"q": "zxqvw qqqzx"}).json()
    assert nothing["total"] == 0 and nothing["warnings"] == []
