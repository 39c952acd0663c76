"""Article search as the routes and the relevance lab run it, with hits shown as previews
(:func:`preview`): a text none of whose articles
has every word is searched again for any of them, and the answer says so; a text that says, in
the first person or of someone close now, that someone may be harmed carries crisis help
(``crisis``); a topic search ("suicide", "self harm research") is someone reading about it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from search_core.crisis_help import crisis_help
from search_core.documents import Article
from search_core.queries import ArticleQuery
from search_core.results import ArticleHit, ArticlePage, SearchPage
from search_core.understanding.crisis import read_crisis

HIT_BODY_CHARS = 300
"""An article hit's body is cut to this many characters (then "…")."""
SOME_OF_THE_WORDS = "no article has all of the words; showing those with some of them"
CRISIS_TOPICS = {
    "suicide": "suicide",
    "self_harm": "self-harm",
    "overdose": "overdose",
    "violence": "anger",
    "abuse": "abuse",
}
"""What articles are searched for when the text says someone may be harmed now."""

__all__ = ["HIT_BODY_CHARS", "SOME_OF_THE_WORDS", "preview", "search_articles"]


async def search_articles(
    run: Callable[[ArticleQuery], Awaitable[SearchPage[ArticleHit]]], q: ArticleQuery
) -> ArticlePage:
    """``run(q)``; when it finds nothing for a text of several words, ``run`` with any of them;
    with crisis help when the text asks for it (not for an author search)."""
    signal = read_crisis(q.text).signal(topics=False) if q.text and q.field != "author" else None
    if signal is None:
        page = await _search(run, q)
    else:  # articles on the subject, rather than on the other words of the sentence
        words = " ".join(dict.fromkeys(CRISIS_TOPICS[k] for k in signal.kinds))
        page = await _search(run, q.model_copy(update={"text": words, "text_match": "any"}))
        said = f'showing articles on {" and ".join(words.split(" "))} for "{q.text}"'
        page = page.model_copy(update={"warnings": [*page.warnings, said]})
    data = {k: getattr(page, k) for k in SearchPage.model_fields}
    data["items"] = [h.model_copy(update={"article": preview(h.article)}) for h in page.items]
    return ArticlePage(**data, crisis=crisis_help(signal))


def preview(article: Article) -> Article:
    """The article as a search hit shows it: body cut short, no comments."""
    body = article.body
    if len(body) > HIT_BODY_CHARS:
        body = body[:HIT_BODY_CHARS].rstrip() + "…"
    return article.model_copy(update={"body": body, "comments": []})


async def _search(
    run: Callable[[ArticleQuery], Awaitable[SearchPage[ArticleHit]]], q: ArticleQuery
) -> SearchPage[ArticleHit]:
    page = await run(q)
    if page.total or not q.text or len(q.text.split()) < 2 or q.text_match == "any":
        return page
    loose = await run(q.model_copy(update={"text_match": "any"}))
    if not loose.total:
        return page
    return loose.model_copy(update={"warnings": [*loose.warnings, SOME_OF_THE_WORDS]})
