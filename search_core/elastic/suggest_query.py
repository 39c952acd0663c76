"""Typeahead: therapist names and article titles by what has been typed. Pure.

Both run on ``search_as_you_type`` fields (``name.suggest``, ``title.suggest``) like the
embedded engine's phrase-prefix queries: the typed words in a row, the last one possibly
unfinished (``match_phrase_prefix``); a prefix ending in a space or punctuation has only
finished words (``match_phrase``).
"""

from __future__ import annotations

from typing import Any

from search_core.text_query import words

Body = dict[str, Any]

NAME_FIELD = "name.suggest"
TITLE_FIELD = "title.suggest"


def prefix_query(field: str, prefix: str) -> Body | None:
    if not words(prefix):
        return None
    kind = "match_phrase_prefix" if prefix[-1:].isalnum() else "match_phrase"
    return {kind: {field: {"query": prefix.strip()}}}


def names_body(prefix: str, size: int) -> Body | None:
    """Up to ``size`` name candidates."""
    query = prefix_query(NAME_FIELD, prefix)
    if query is None:
        return None
    return {
        "query": query,
        "_source": {"includes": ["id", "name", "credentials"]},
        "size": size,
        "track_total_hits": False,
    }


def titles_body(prefix: str, size: int) -> Body | None:
    query = prefix_query(TITLE_FIELD, prefix)
    if query is None:
        return None
    return {
        "query": query,
        "_source": {"includes": ["slug", "title"]},
        "size": size,
        "track_total_hits": False,
    }
