"""Rules a typed query carries to every engine alike: the fields an article search reads per
field selector, the fields highlighted (with the longest fragment of each), what a search says
of a text with no searchable words, and how many recent comments one request may ask for."""

from __future__ import annotations

from search_core.errors import InvalidQuery
from search_core.queries import MAX_PAGE_SIZE
from search_core.tuning import Tuning

THERAPIST_HIGHLIGHT_CHARS: dict[str, int] = {"bio": 200}
"""Therapist fields highlighted in hits, with the longest fragment of each."""
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
NO_SEARCHABLE_WORDS = "the search text has no searchable words; showing all matches"
"""Warned when the text is only stop words or punctuation: the search then matches everything
its filters allow, and says so."""


def search_fields(tuning: Tuning, field: str) -> dict[str, float]:
    """The fields (mapping paths → boosts) a text search with this field selector runs on."""
    paths = FIELD_SELECTORS[field]
    if paths is None:
        return dict(tuning.article_fields)
    return {p: tuning.article_fields.get(p, 1.0) for p in paths}


def text_warnings(text: str | None, scored: bool) -> list[str]:
    """The warnings of a search: :data:`NO_SEARCHABLE_WORDS` when it has text but nothing to
    score it with."""
    return [NO_SEARCHABLE_WORDS] if text and not scored else []


def check_recent_size(size: int) -> None:
    """Refuse a recent-comments request for fewer than one or more than the limit."""
    if not 1 <= size <= MAX_RECENT_COMMENTS:
        raise InvalidQuery(f"size must be between 1 and {MAX_RECENT_COMMENTS}")
