"""Elasticsearch engine: article search and the recent-comments sidebar
(:class:`ElasticArticles`, a part of :class:`search_core.elastic.backend.ElasticBackend`). Same
rules as the embedded engine; see :mod:`search_core.elastic.article_query` for the bodies."""

from __future__ import annotations

import time

from search_core.elastic import responses
from search_core.elastic.article_query import (
    recent_comments_body,
    scoring_query,
    search_body,
)
from search_core.elastic.cluster import ClusterReader
from search_core.elastic.routing import preference
from search_core.queries import ArticleQuery
from search_core.query_rules import check_recent_size, text_warnings
from search_core.results import ArticleHit, CommentHit, SearchPage
from search_core.tuning import Tuning

KIND = "articles"


class ElasticArticles:
    """Article search and recent comments over the articles alias."""

    def __init__(self, cluster: ClusterReader, analyzers: dict[str, str]) -> None:
        self.cluster = cluster
        self.analyzers = analyzers

    async def search_articles(
        self, q: ArticleQuery, tuning: Tuning, engine: str
    ) -> SearchPage[ArticleHit]:
        started = time.perf_counter()
        has_text = scoring_query(q, tuning, self.analyzers) is not None
        body = search_body(q, tuning, self.analyzers)
        resp = await self.cluster.search_raw(
            KIND, body, "search articles", preference=preference(q)
        )
        warnings = text_warnings(q.text, has_text)
        return responses.article_page(
            resp,
            q.offset,
            q.size,
            scored=has_text and q.sort == "relevance",
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            warnings=warnings,
            engine=engine,
        )

    async def recent_comments(self, size: int) -> list[CommentHit]:
        check_recent_size(size)
        resp = await self.cluster.search_raw(
            KIND, recent_comments_body(size), "read recent comments"
        )
        return responses.recent_comments(resp, size)
