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
from search_core.understanding.lexicon import lexicon
from search_core.vocabulary import ARTICLE_TOPICS

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
    if page.total or not q.text or q.text_match == "any":
        return page
    on = await _on_its_issues(run, q)
    if on is not None:
        return on
    if len(q.text.split()) < 2:
        return page
    loose = await run(q.model_copy(update={"text_match": "any"}))
    if not loose.total:
        return page
    return loose.model_copy(update={"warnings": [*loose.warnings, SOME_OF_THE_WORDS]})


async def _on_its_issues(
    run: Callable[[ArticleQuery], Awaitable[SearchPage[ArticleHit]]], q: ArticleQuery
) -> SearchPage[ArticleHit] | None:
    """No article has every word: the articles on the issues the words name in a person's
    own terms ("he cheated on me": infidelity; "burnt out at work": stress), those with some
    of the words first; None when the words name none, or no article is on them."""
    if q.topics or q.field == "author" or q.text is None:
        return None
    topics = [t for t in lexicon().issues_in(q.text) if t in ARTICLE_TOPICS]
    if not topics:
        return None
    on = q.model_copy(update={"topics": topics, "text_match": "any"})
    page = await run(on)
    if not page.total:
        page = await run(on.model_copy(update={"text": None}))
    if not page.total:
        return None
    labels = " or ".join(ARTICLE_TOPICS.label(t) for t in topics)
    said = f"no article has all of the words; showing articles on {labels}"
    return page.model_copy(update={"warnings": [*page.warnings, said]})
