"""Rules both engines must share that still have a copy in each: the therapist highlight
fields and fragment sizes (the embedded engine's hit rendering in
:mod:`search_core.embedded.therapist_search`, Elasticsearch's request body in
:mod:`search_core.elastic.therapist_query`). Article rules, previews, typeahead and comment limits
live once (:mod:`search_core.shaping`, :mod:`search_core.typeahead`) and need no comparing."""

from __future__ import annotations

from search_core.elastic import therapist_query
from search_core.embedded import therapist_search as embedded_therapists


def test_therapist_highlight_rules_match() -> None:
    assert set(therapist_query.HIGHLIGHT_FIELDS) == set(embedded_therapists.HIGHLIGHT_FIELDS)
    assert set(therapist_query.HIGHLIGHT_FIELDS.values()) == {embedded_therapists.SNIPPET_CHARS}
