"""Elasticsearch engine: article search and the recent-comments sidebar (mixed into
:class:`search_core.elastic.backend.ElasticBackend`). Same rules as the embedded engine; see
:mod:`search_core.elastic.article_query` for the bodies."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from search_core.elastic import responses
from search_core.elastic.article_query import (
    recent_comments_body,
    scoring_query,
    search_body,
)
from search_core.elastic.routing import preference
from search_core.queries import ArticleQuery
from search_core.results import ArticleHit, CommentHit, SearchPage
from search_core.shaping.articles import MAX_RECENT_COMMENTS as MAX_RECENT_COMMENTS
from search_core.shaping.articles import check_recent_size
from search_core.shaping.text import text_warnings

if TYPE_CHECKING:
    from search_core.tuning import Tuning

KIND = "articles"


class ArticlesMethods:
    if TYPE_CHECKING:  # provided by ElasticBackend
        name: str
        tuning: Tuning
        analyzers: dict[str, dict[str, str]]

        async def search_raw(
            self,
            kind: str,
            body: dict[str, Any],
            what: str,
            index: str | None = None,
            preference: str | None = None,
        ) -> dict[str, Any]: ...

    async def search_articles(self, q: ArticleQuery) -> SearchPage[ArticleHit]:
        started = time.perf_counter()
        analyzers = self.analyzers[KIND]
        has_text = scoring_query(q, self.tuning, analyzers) is not None
        body = search_body(q, self.tuning, analyzers)
        resp = await self.search_raw(KIND, body, "search articles", preference=preference(q))
        warnings = text_warnings(q.text, has_text)
        return responses.article_page(
            resp,
            q.offset,
            q.size,
            scored=has_text and q.sort == "relevance",
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            warnings=warnings,
            engine=self.name,
        )

    async def recent_comments(self, size: int) -> list[CommentHit]:
        check_recent_size(size)
        resp = await self.search_raw(KIND, recent_comments_body(size), "read recent comments")
        return responses.recent_comments(resp, size)
