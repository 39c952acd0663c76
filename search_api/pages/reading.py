"""Articles: search with the Title / Content / Author selector, topic and date filters, and
the article page with its comments; both with the Recent comments sidebar."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from search_api.pages import links
from search_api.pages.api import Api, api_for, vocabulary_labels
from search_api.pages.errors import PageRoute
from search_api.pages.render import page

router = APIRouter(include_in_schema=False, route_class=PageRoute)

PAGE_SIZE = 10
RECENT_COMMENTS = 5
FIELDS = {"all": "Everything", "title": "Title", "content": "Content", "author": "Author"}


@router.get("/blog", response_class=HTMLResponse, name="page_articles")
async def articles(request: Request, api: Api = Depends(api_for)) -> HTMLResponse:
    """``GET /articles/search`` with the form's fields; without any, the newest articles."""
    items = links.given(request.query_params)
    search = [(k, v) for k, v in items if k != "size"] + [("size", str(PAGE_SIZE))]
    results, recent, labels = await asyncio.gather(
        api.get("/articles/search", search),
        api.get("/articles/comments/recent", {"size": RECENT_COMMENTS}),
        vocabulary_labels(request, api),
    )
    current = links.page_of(request.query_params)
    last = links.last_page(results["total"], PAGE_SIZE)
    context = {
        "params": request.query_params,
        "items": items,
        "results": results,
        "recent": recent["items"],
        "topics": labels.get("article_topics", {}),
        "fields": FIELDS,
        "current": current,
        "last": last,
        "pages": links.page_numbers(current, last),
    }
    return page(request, "articles.html", context, api)


@router.get("/blog/{slug}", response_class=HTMLResponse, name="page_article")
async def article(
    request: Request,
    slug: str,
    api: Api = Depends(api_for),
) -> HTMLResponse:
    found, recent, labels = await asyncio.gather(
        api.get_one("/articles/{slug}", {"slug": slug}),
        api.get("/articles/comments/recent", {"size": RECENT_COMMENTS}),
        vocabulary_labels(request, api),
    )
    context = {
        "a": found,
        "recent": recent["items"],
        "topics": labels.get("article_topics", {}),
        "canonical": links.canonical(request, "page_article", slug=found["slug"]),
    }
    return page(request, "article.html", context, api)
