"""Rules both engines must share, read from the embedded engine so they cannot drift apart:
field selectors, highlight sizes, previews, typeahead and comment limits."""

from __future__ import annotations

from search_core import typeahead
from search_core.elastic import article_query, responses, suggest_query, therapist_query
from search_core.elastic.articles_methods import MAX_RECENT_COMMENTS
from search_core.embedded import articles_methods as embedded_articles
from search_core.embedded import therapist_search as embedded_therapists
from search_core.tuning import Tuning
from tests.elastic.cases import sample_article


def test_article_rules_match() -> None:
    assert article_query.FIELD_SELECTORS == embedded_articles.FIELD_SELECTORS
    assert article_query.HIGHLIGHT_CHARS == embedded_articles.HIGHLIGHT_CHARS
    assert responses.HIT_BODY_CHARS == embedded_articles.HIT_BODY_CHARS
    assert MAX_RECENT_COMMENTS == embedded_articles.MAX_RECENT_COMMENTS
    tuning = Tuning()
    for field in article_query.FIELD_SELECTORS:
        got = article_query.search_fields(tuning, field)
        assert got == embedded_articles.search_fields(tuning, field), field


def test_article_previews_match() -> None:
    long = sample_article().model_copy(update={"body": "lorem ipsum " * 80})
    for article in (sample_article(), long):
        assert responses.preview(article) == embedded_articles.preview(article)


def test_therapist_highlight_and_typeahead_rules_match() -> None:
    assert set(therapist_query.HIGHLIGHT_FIELDS) == set(embedded_therapists.HIGHLIGHT_FIELDS)
    assert set(therapist_query.HIGHLIGHT_FIELDS.values()) == {embedded_therapists.SNIPPET_CHARS}
    assert suggest_query.NAME_CANDIDATES == typeahead.NAME_CANDIDATES
