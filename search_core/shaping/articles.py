"""Article hits, alike on both engines: the fields a text search runs on (by field selector),
the fields highlighted, the preview a hit shows, and how many recent comments one request may
ask for."""

from __future__ import annotations

from search_core.documents import Article
from search_core.errors import InvalidQuery
from search_core.queries import MAX_PAGE_SIZE
from search_core.tuning import Tuning

HIT_BODY_CHARS = 300
"""An article hit's body is cut to this many characters (then "…")."""
FIELD_SELECTORS: dict[str, tuple[str, ...] | None] = {
    "all": None,  # every field of Tuning.article_fields
    "title": ("title",),
    "content": ("summary", "body"),
    "author": ("author.name",),
}
"""An article search's ``field`` → the mapping paths it searches."""
HIGHLIGHT_CHARS: dict[str, int] = {"title": 300, "summary": 200, "body": 200}
"""Article fields highlighted in hits, with the longest fragment of each."""
MAX_RECENT_COMMENTS = MAX_PAGE_SIZE
"""The most recent comments one request may ask for."""


def search_fields(tuning: Tuning, field: str) -> dict[str, float]:
    """The fields (mapping paths → boosts) a text search with this field selector runs on."""
    paths = FIELD_SELECTORS[field]
    if paths is None:
        return dict(tuning.article_fields)
    return {p: tuning.article_fields.get(p, 1.0) for p in paths}


def preview(article: Article) -> Article:
    """The article as a search hit shows it: body cut short, no comments."""
    body = article.body
    if len(body) > HIT_BODY_CHARS:
        body = body[:HIT_BODY_CHARS].rstrip() + "…"
    return article.model_copy(update={"body": body, "comments": []})


def check_recent_size(size: int) -> None:
    """Refuse a recent-comments request for fewer than one or more than the limit."""
    if not 1 <= size <= MAX_RECENT_COMMENTS:
        raise InvalidQuery(f"size must be between 1 and {MAX_RECENT_COMMENTS}")
