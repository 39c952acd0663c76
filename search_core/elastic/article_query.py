"""Article search and recent comments → ``_search`` bodies. Pure: no I/O, no settings.

The same rules as :mod:`search_core.embedded.articles`: the field selector picks the
fields a text query runs on (``title``; ``content`` = summary + body; ``author`` = author
name; ``all`` = every field of ``Tuning.article_fields`` with its boosts); filters (topics,
exact author name ignoring case and spacing, inclusive date range) score nothing; relevance
orders by score, ``newest`` and text-less searches by publication date, ties by id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_core.elastic.text import text_query
from search_core.elastic.therapist_query import MARK
from search_core.errors import InvalidQuery
from search_core.queries import MAX_RESULT_WINDOW, ArticleQuery
from search_core.query_rules import FIELD_SELECTORS as FIELD_SELECTORS
from search_core.query_rules import HIGHLIGHT_CHARS, search_fields
from search_core.text_query import loosened, parse
from search_core.tuning import Tuning

Body = dict[str, Any]

AUTHOR_KEYWORD = "author.name.keyword"
PUBLISHED = "published"
COMMENTS = "comments"
COMMENT_DATE = "comments.date"
HIT_EXCLUDES = [COMMENTS, "topic_labels", "comment_count"]
"""Hits are previews: the comments come with the article's own page only."""
RECENT_MARGIN = 10
"""Articles fetched beyond the comments wanted, for articles whose newest comments tie."""


def normalize_name(name: str) -> str:
    """An author name with single spaces; case is left to ``case_insensitive``."""
    return " ".join(name.split())


def filters(q: ArticleQuery) -> list[Body]:
    out: list[Body] = []
    if q.topics:
        out.append({"terms": {"topics": list(q.topics)}})
    if q.author is not None:
        out.append(
            {
                "term": {
                    AUTHOR_KEYWORD: {
                        "value": normalize_name(q.author),
                        "case_insensitive": True,
                    }
                }
            }
        )
    if q.published_from is not None or q.published_to is not None:
        if (
            q.published_from is not None
            and q.published_to is not None
            and q.published_from > q.published_to
        ):
            raise InvalidQuery("published_from is after published_to")
        bounds: Body = {}
        if q.published_from is not None:
            bounds["gte"] = q.published_from.isoformat()
        if q.published_to is not None:
            bounds["lte"] = q.published_to.isoformat()
        out.append({"range": {PUBLISHED: bounds}})
    return out


def scoring_query(q: ArticleQuery, tuning: Tuning, analyzers: Mapping[str, str]) -> Body | None:
    units = loosened(parse(q.text, tuning.synonyms), q.text_match)
    return text_query(units, search_fields(tuning, q.field), tuning, analyzers)


def search_body(q: ArticleQuery, tuning: Tuning, analyzers: Mapping[str, str]) -> Body:
    if q.offset + q.size > MAX_RESULT_WINDOW:
        raise InvalidQuery(f"offset + size must be at most {MAX_RESULT_WINDOW} (the result window)")
    scoring = scoring_query(q, tuning, analyzers)
    query: Body = {"bool": {"must": [scoring or {"match_all": {}}]}}
    active = filters(q)
    if active:
        query["bool"]["filter"] = active
    by_score = scoring is not None and q.sort == "relevance"
    first = {"_score": {"order": "desc"}} if by_score else {PUBLISHED: {"order": "desc"}}
    body: Body = {
        "query": query,
        "sort": [first, {"id": {"order": "asc"}}],
        "track_total_hits": True,
        "_source": {"excludes": HIT_EXCLUDES},
        "from": q.offset,
        "size": q.size,
    }
    if q.highlight and scoring is not None:
        body["highlight"] = {
            "pre_tags": [MARK[0]],
            "post_tags": [MARK[1]],
            "encoder": "html",
            "highlight_query": scoring,
            "fields": [
                {field: {"fragment_size": chars, "number_of_fragments": 1}}
                for field, chars in HIGHLIGHT_CHARS.items()
            ],
        }
    return body


def recent_comments_body(size: int) -> Body:
    """The articles with the newest comments, newest comment first.

    The ``size`` newest comments over all articles lie in at most ``size`` articles, and those
    are the first ``size`` articles by their newest comment's date; a few more are fetched for
    ties. The caller takes the comments out of their ``_source`` and sorts them.
    """
    return {
        "query": {"nested": {"path": COMMENTS, "query": {"exists": {"field": COMMENT_DATE}}}},
        "sort": [
            {
                COMMENT_DATE: {
                    "order": "desc",
                    "mode": "max",
                    "nested": {"path": COMMENTS},
                }
            },
            {"id": {"order": "asc"}},
        ],
        "_source": {"includes": ["id", "slug", "title", COMMENTS]},
        "size": size + RECENT_MARGIN,
        "track_total_hits": False,
    }
