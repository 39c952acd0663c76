"""Every request body the Elasticsearch engine sends, from one place.

Pure functions from typed queries, a tuning and (where needed) an origin or a date to request
bodies: no I/O, no settings. Each lives in the module of its concept; this module is the index
the backend, the writer and the golden tests import from.
"""

from __future__ import annotations

from search_core.elastic.article_query import recent_comments_body
from search_core.elastic.article_query import search_body as article_search_body
from search_core.elastic.browse_query import (
    cities_body,
    city_counts_body,
    place_records_body,
    reach_body,
    states_body,
)
from search_core.elastic.index_bodies import (
    alias_move_body,
    create_index_body,
    encode_bulk,
    refresh_interval_body,
    seal_body,
)
from search_core.elastic.lookup_query import by_term_body, count_body, scan_body
from search_core.elastic.suggest_query import names_body, titles_body
from search_core.elastic.text import query_analyzers, text_query
from search_core.elastic.therapist_query import search_body as therapist_search_body
from search_core.elastic.therapist_query import skip_body

__all__ = [
    "alias_move_body",
    "article_search_body",
    "by_term_body",
    "cities_body",
    "city_counts_body",
    "count_body",
    "create_index_body",
    "encode_bulk",
    "names_body",
    "place_records_body",
    "query_analyzers",
    "reach_body",
    "recent_comments_body",
    "refresh_interval_body",
    "scan_body",
    "seal_body",
    "skip_body",
    "states_body",
    "text_query",
    "therapist_search_body",
    "titles_body",
]
