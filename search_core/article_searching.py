"""Article search as the routes and the relevance lab run it: a text none of whose articles
has every word is searched again for any of them, and the answer says so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from search_core.queries import ArticleQuery
from search_core.results import ArticleHit, SearchPage

SOME_OF_THE_WORDS = "no article has all of the words; showing those with some of them"

__all__ = ["SOME_OF_THE_WORDS", "search_articles"]


async def search_articles(
    run: Callable[[ArticleQuery], Awaitable[SearchPage[ArticleHit]]], q: ArticleQuery
) -> SearchPage[ArticleHit]:
    """``run(q)``; when it finds nothing for a text of several words, ``run`` with any of them."""
    page = await run(q)
    if page.total or not q.text or len(q.text.split()) < 2 or q.text_match == "any":
        return page
    loose = await run(q.model_copy(update={"text_match": "any"}))
    if not loose.total:
        return page
    return loose.model_copy(update={"warnings": [*loose.warnings, SOME_OF_THE_WORDS]})
