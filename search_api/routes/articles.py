"""Article search, the recent-comments sidebar and article details."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field, ValidationError

from search_api.deps import Services, cacheable, services
from search_api.errors import ERROR_RESPONSES
from search_api.rendering import rendered
from search_core.article_searching import search_articles
from search_core.documents import Article
from search_core.errors import InvalidQuery
from search_core.queries import (
    MAX_FILTER_VALUES,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MAX_RESULT_WINDOW,
    ArticleQuery,
    FilterDate,
)
from search_core.results import ArticlePage, CommentHit
from search_core.vocabulary import ARTICLE_TOPICS

router = APIRouter(prefix="/articles", tags=["articles"])

MAX_RECENT_COMMENTS = 50
MAX_AUTHOR_CHARS = 200


class RecentComments(BaseModel):
    items: list[CommentHit] = Field(description="Newest first.")
    count: int = Field(description="Comments in `items` (fewer than asked when there are few).")


def _check_topics(topics: list[str]) -> None:
    unknown = [t for t in topics if t not in ARTICLE_TOPICS]
    if unknown:
        raise InvalidQuery(
            f"unknown topics value(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(ARTICLE_TOPICS.slugs)}"
        )


def _check_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and start > end:
        raise InvalidQuery(
            f"published_from ({start.isoformat()}) is after published_to ({end.isoformat()})"
        )


def _offset(page: int, size: int) -> int:
    offset = (page - 1) * size
    if offset + size > MAX_RESULT_WINDOW:
        raise InvalidQuery(
            f"page {page} is beyond the result window of {MAX_RESULT_WINDOW} "
            "results (page × size); narrow the search"
        )
    return offset


Text = Annotated[
    str | None,
    Query(max_length=MAX_QUERY_CHARS, description="Words to search for, e.g. 'cbt insomnia'"),
]
Topics = Annotated[
    list[str],
    Query(
        max_length=MAX_FILTER_VALUES,
        description="Article topic slugs; repeat for several (any of them matches)",
        json_schema_extra={"items": {"type": "string", "enum": ARTICLE_TOPICS.slugs}},
    ),
]
Author = Annotated[
    str | None,
    Query(
        max_length=MAX_AUTHOR_CHARS,
        description="Exact author name as bylined (case-insensitive), e.g. 'Priya Raman'",
    ),
]
Page = Annotated[int, Query(ge=1, description="1-based page number")]
Size = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


@router.get(
    "/search",
    response_model=ArticlePage,
    responses=ERROR_RESPONSES,
    summary="Search articles: text with a field selector, topics, author, publication dates",
)
async def search(
    q: Text = None,
    field: Annotated[
        Literal["all", "title", "content", "author"],
        Query(description="title; content = summary and body; author = author name; all"),
    ] = "all",
    topics: Topics = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    author: Author = None,
    published_from: Annotated[FilterDate | None, Query(description="Inclusive")] = None,
    published_to: Annotated[FilterDate | None, Query(description="Inclusive")] = None,
    sort: Literal["relevance", "newest"] = "relevance",
    page: Page = 1,
    size: Size = 10,
    highlight: bool = True,
    svc: Services = Depends(services),
) -> Response:
    """Text matches clinical synonyms too ("cbt" finds "cognitive behavioral therapy").
    Relevance ties are broken by id; `newest` orders by publication date, then id. Without
    search text, articles come newest first.

    Hits are previews: `article.body` holds the first 300 characters followed by "…" and
    `article.comments` is empty; GET /articles/{slug} returns the whole article with its
    comments. `highlights` holds, for `title`, `summary` and `body`, the best matching
    fragment, HTML-escaped, with matches wrapped in `<mark>`."""
    _check_topics(topics)
    _check_dates(published_from, published_to)
    offset = _offset(page, size)
    try:
        query = ArticleQuery(
            text=q.strip() or None if q is not None else None,
            field=field,
            topics=topics,
            author=author.strip() or None if author is not None else None,
            published_from=published_from,
            published_to=published_to,
            sort=sort,
            offset=offset,
            size=size,
            highlight=highlight,
        )
    except ValidationError as exc:
        raise InvalidQuery(
            "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        ) from exc
    return rendered(await search_articles(svc.backend.search_articles, query))


@router.get(
    "/comments/recent",
    response_model=RecentComments,
    responses=ERROR_RESPONSES,
    summary="The most recent comments across all articles, with their article",
)
async def recent_comments(
    response: Response,
    size: Annotated[int, Query(ge=1, le=MAX_RECENT_COMMENTS)] = 10,
    svc: Services = Depends(services),
) -> RecentComments:
    cacheable(response, svc)
    items = await svc.backend.recent_comments(size)
    return RecentComments(items=items, count=len(items))


@router.get(
    "/{slug}",
    response_model=Article,
    responses=ERROR_RESPONSES,
    summary="One article by slug, with its comments",
)
async def article(
    response: Response,
    slug: Annotated[str, Path(max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")],
    svc: Services = Depends(services),
) -> Article:
    cacheable(response, svc)
    return await svc.backend.get_article(slug)
