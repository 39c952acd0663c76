"""Embedded engine: article search and the recent-comments sidebar (:class:`EmbeddedArticles`, a
part of the engine's core).

Search: the field selector picks the fields a text query runs on (``title``; ``content`` =
summary + body; ``author`` = author name; ``all`` = every field of the tuning's
``article_fields``, with its boosts); text units with clinical synonyms come from
:mod:`search_core.text_query` and become Tantivy queries in :mod:`querybuild`. Filters score 0.
Relevance is BM25 with ties broken by id; ``newest`` (and any search without text) orders by
publication date, newest first, then id. Both orders are exact across pages: when documents tie
with the last one of the requested page beyond the fetched window, every match is ranked.

Hits carry the stored article; the preview a page shows (body cut short, no comments) is cut
above the engine (:func:`search_core.article_searching.preview`); the full article with its
comments comes from ``get_article(slug)``.

Recent comments: the newest comment dates are found with a stats aggregation over the comment
date fast field, then only the articles with a comment in a window before the newest one are
read (the window widens until it holds enough comments), so the cost does not grow with the
number of articles. The answer is cached per index state (version + commit stamp).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any, TypeVar

import numpy as np
import tantivy
from tantivy import Query

from search_core.embedded import querybuild as qb
from search_core.embedded.reader import IndexReader, OpenIndex, count_matches
from search_core.embedded.schema import EPOCH_SUFFIX, ID_KEY_FIELD
from search_core.embedded.store import VersionStore
from search_core.embedded.therapist_search import highlights
from search_core.errors import InvalidQuery
from search_core.index_docs import article_from_doc
from search_core.queries import MAX_RESULT_WINDOW, ArticleQuery
from search_core.query_rules import (
    HIGHLIGHT_CHARS,
    MAX_RECENT_COMMENTS,
    check_recent_size,
    search_fields,
    text_warnings,
)
from search_core.results import ArticleHit, ArticlePage, CommentHit, SearchPage
from search_core.text_query import loosened, parse
from search_core.tuning import Tuning

R = TypeVar("R")

KIND = "articles"
AUTHOR_KEYWORD = "author.name.keyword"
PUBLISHED = "published"
COMMENT_DATE = "comments.date"
TIE_WINDOW = 200
"""Hits fetched beyond the requested page, so ties at its end are ranked by id."""
DAY = 86_400

Hits = list[tuple[Any, tantivy.DocAddress]]


# ---------------------------------------------------------------------------- helpers


def normalize_name(name: str) -> str:
    """Case- and spacing-insensitive form of an author name."""
    return " ".join(name.casefold().split())


def _top(
    searcher: tantivy.Searcher, query: Query, limit: int, order_by: str | None
) -> tuple[Hits, int]:
    """The first ``limit`` hits (by score, or by ``order_by`` descending) and the total."""
    result = searcher.search(query, limit=max(limit, 1), count=True, order_by_field=order_by)
    return result.hits, int(result.count)  # type: ignore[attr-defined]  # missing from the stub


def _epoch(value: str) -> int:
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return int(parsed.timestamp())


# ---------------------------------------------------------------------------- search


class EmbeddedArticleSearch:
    def __init__(self, opened: OpenIndex, tuning: Tuning) -> None:
        self.opened = opened
        self.schema = opened.schema
        self.tuning = tuning

    def search(self, q: ArticleQuery) -> SearchPage[ArticleHit]:
        started = time.perf_counter()
        if q.offset + q.size > MAX_RESULT_WINDOW:
            raise InvalidQuery(
                f"offset + size must be at most {MAX_RESULT_WINDOW} (the result window)"
            )
        searcher = self.opened.searcher()
        units = loosened(parse(q.text, self.tuning.synonyms), q.text_match)
        fields = search_fields(self.tuning, q.field)
        scoring = qb.text_query(self.schema, units, fields, self.tuning)
        warnings = text_warnings(q.text, scoring is not None)
        query = qb.combine(scoring, self.filters(searcher, q))
        by_score = scoring is not None and q.sort == "relevance"
        page, total = self.rank(searcher, query, q.offset, q.size, by_score)
        highlight = q.highlight and scoring is not None
        snippets = self._snippet_generators(searcher, scoring) if highlight else {}
        sources = self.opened.sources(searcher, [addr for addr, _ in page])
        items = [
            self._hit(source, score, snippets)
            for source, (_, score) in zip(sources, page, strict=True)
        ]
        return ArticlePage(
            items=items,
            total=total,
            offset=q.offset,
            size=q.size,
            next_cursor=None,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            warnings=warnings,
            engine="embedded",
        )

    # ------------------------------------------------------------------ filters

    def filters(self, searcher: tantivy.Searcher, q: ArticleQuery) -> list[Query]:
        s = self.schema.schema
        out: list[Query] = []
        if q.topics:
            out.append(qb._any_term(s, self.schema.by_path["topics"].name, q.topics))
        if q.author is not None:
            out.append(self.author_filter(searcher, q.author))
        if q.published_from is not None or q.published_to is not None:
            if (
                q.published_from is not None
                and q.published_to is not None
                and q.published_from > q.published_to
            ):
                raise InvalidQuery("published_from is after published_to")
            out.append(qb.date_range(self.schema, PUBLISHED, q.published_from, q.published_to))
        return out

    def author_filter(self, searcher: tantivy.Searcher, author: str) -> Query:
        """Articles whose author name equals ``author`` ignoring case and spacing.

        The keyword field holds names as written; the distinct names come from its term
        dictionary (a few thousand at most), and the ones that match become a term set.
        """
        field = self.schema.by_path[AUTHOR_KEYWORD].name
        wanted = normalize_name(author)
        names = [
            name
            for name, _ in searcher.terms_with_prefix(field, "")
            if normalize_name(name) == wanted
        ]
        if not names:
            return Query.empty_query()
        return qb._any_term(self.schema.schema, field, names)

    # ------------------------------------------------------------------ ranking

    def rank(
        self,
        searcher: tantivy.Searcher,
        query: Query,
        offset: int,
        size: int,
        by_score: bool,
    ) -> tuple[list[tuple[tantivy.DocAddress, float | None]], int]:
        """One page of hits, by score or by publication date (newest first), ties by id."""
        order_by = None if by_score else self.schema.by_path[PUBLISHED].name + EPOCH_SUFFIX
        want = offset + size
        hits, total = _top(searcher, query, want + TIE_WINDOW, order_by)
        if len(hits) < total and len(hits) >= want and hits[-1][0] == hits[want - 1][0]:
            hits, total = _top(searcher, query, total, order_by)  # a tie runs past the window
        if not hits:
            return [], total
        addrs = [a for _, a in hits]
        keys = np.array([float(k) for k, _ in hits])
        ids = np.array(searcher.fast_field_values(ID_KEY_FIELD, addrs), dtype=np.uint64)
        order = np.lexsort((ids, -keys))[offset:want]
        return [(addrs[i], float(keys[i]) if by_score else None) for i in order], total

    # ------------------------------------------------------------------ hits

    def _hit(
        self,
        source: dict[str, Any],
        score: float | None,
        snippets: dict[str, tantivy.SnippetGenerator],
    ) -> ArticleHit:
        return ArticleHit(
            article=article_from_doc(source),
            comment_count=int(source.get("comment_count", 0)),
            score=None if score is None else round(score, 4),
            highlights=highlights(snippets, source),
        )

    def _snippet_generators(
        self, searcher: tantivy.Searcher, scoring: Query | None
    ) -> dict[str, tantivy.SnippetGenerator]:
        if scoring is None:
            return {}
        out: dict[str, tantivy.SnippetGenerator] = {}
        for path, chars in HIGHLIGHT_CHARS.items():
            name = self.schema.by_path[path].name
            gen = tantivy.SnippetGenerator.create(searcher, scoring, self.schema.schema, name)
            gen.set_max_num_chars(chars)
            out[name] = gen
        return out


# ---------------------------------------------------------------------------- recent comments


def newest_comments(opened: OpenIndex, n: int) -> list[CommentHit]:
    """The ``n`` newest comments over all articles, newest first (ties by comment id)."""
    searcher = opened.searcher()
    epoch_field = opened.schema.by_path[COMMENT_DATE].name + EPOCH_SUFFIX
    stats = searcher.aggregate(Query.all_query(), {"d": {"stats": {"field": epoch_field}}})["d"]
    count = int(stats.get("count") or 0)
    if count == 0 or n <= 0:
        return []
    newest, oldest = int(stats["max"]), int(stats["min"])
    # If comments were spread evenly, twice this window would hold n of them.
    span = max(DAY, 2 * (newest - oldest) * n // count)
    while True:
        since = newest - span
        found = comments_since(opened, searcher, since)
        if len(found) >= n or since <= oldest:
            found.sort(key=lambda pair: (-pair[0], pair[1].comment_id))
            return [hit for _, hit in found[:n]]
        span *= 4


def comments_since(
    opened: OpenIndex, searcher: tantivy.Searcher, since: int
) -> list[tuple[int, CommentHit]]:
    """Every comment dated at or after ``since`` (epoch seconds), with its date."""
    lower = dt.datetime.fromtimestamp(since, tz=dt.UTC)
    query = qb.date_range(opened.schema, COMMENT_DATE, lower, None)
    count = count_matches(searcher, query)
    if not count:
        return []
    out: list[tuple[int, CommentHit]] = []
    addrs = [addr for _, addr in searcher.search(query, limit=int(count), count=False).hits]
    for source in opened.sources(searcher, addrs):
        for c in source.get("comments") or []:
            when = _epoch(c["date"])
            if when >= since:
                out.append((when, comment_hit(source, c)))
    return out


def comment_hit(article: dict[str, Any], comment: dict[str, Any]) -> CommentHit:
    return CommentHit(
        article_slug=article["slug"],
        article_title=article["title"],
        comment_id=comment["id"],
        author_name=comment["author_name"],
        date=comment["date"],
        text=comment["text"],
    )


# ---------------------------------------------------------------------------- the part


class EmbeddedArticles:
    """Article search and recent comments over the serving articles index."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self._recent_cache: tuple[tuple[str, int | None], list[CommentHit]] | None = None
        self._recent_lock = threading.Lock()

    def search_articles(self, q: ArticleQuery, tuning: Tuning) -> SearchPage[ArticleHit]:
        return EmbeddedArticleSearch(self.reader.get(KIND), tuning).search(q)

    def recent_comments(self, size: int) -> list[CommentHit]:
        check_recent_size(size)
        return self._newest_comments()[:size]

    def _newest_comments(self) -> list[CommentHit]:
        stamp = self._index_stamp(self.reader.get(KIND))
        cached = self._recent_cache
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with self._recent_lock:
            cached = self._recent_cache
            if cached is not None and cached[0] == stamp:
                return cached[1]
            # Opened again after the stamp was read: the reader reloads on a newer commit, so
            # what is read is at least as new as the stamp it is cached under.
            opened = self.reader.get(KIND)
            comments = newest_comments(opened, MAX_RECENT_COMMENTS)
            if opened.version == stamp[0]:
                self._recent_cache = (stamp, comments)
            return comments

    def _index_stamp(self, opened: OpenIndex) -> tuple[str, int | None]:
        """Changes whenever the serving articles index does: version and last commit."""
        path = VersionStore(self.reader.settings.index_dir, KIND).path(opened.version)
        try:
            return opened.version, (path / "meta.json").stat().st_mtime_ns
        except FileNotFoundError:
            return opened.version, None
