"""What a search answer says about its own text: the warning for a text with no searchable words."""

from __future__ import annotations

NO_SEARCHABLE_WORDS = "the search text has no searchable words; showing all matches"
"""Warned when the text is only stop words or punctuation: the search then matches everything
its filters allow, and says so."""


def text_warnings(text: str | None, scored: bool) -> list[str]:
    """The warnings of a search: :data:`NO_SEARCHABLE_WORDS` when it has text but nothing to
    score it with."""
    return [NO_SEARCHABLE_WORDS] if text and not scored else []
