"""Every kind of request the Elasticsearch engine sends, as (endpoint, body) cases.

``test_golden.py`` pins each body to its golden file and validates it strictly against Elastic's
OpenAPI document; the endpoint is the spec's path template the engine sends it to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from search_core.documents import Article, Location, Therapist
from search_core.elastic import queries as q
from search_core.elastic.index_bodies import LOAD_REFRESH, SERVING_REFRESH
from search_core.index_docs import article_doc, location_doc, therapist_doc
from search_core.mappings import KINDS, load_mapping
from search_core.paging import Cursor
from search_core.queries import ArticleQuery, GeoFilter, TherapistFilters, TherapistQuery
from search_core.settings import PROJECT_ROOT
from search_core.tuning import Tuning

TODAY = dt.date(2025, 6, 1)
PORTLAND = GeoFilter(lat=45.5122, lon=-122.6587, radius_km=16.09344, label="Portland, OR")
INDEX = "therapist-search-therapists-v20250601t120000-000001"
OLD_INDEX = "therapist-search-therapists-v20250501t120000-000001"
ALIAS = "therapist-search-therapists"

SEARCH = ("post", "/{index}/_search")
COUNT = ("post", "/{index}/_count")


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    build: Callable[[Tuning, dict[str, dict[str, str]]], Any]
    ndjson: bool = False


def sample_therapist() -> Therapist:
    return Therapist.model_validate(
        {
            "id": "t0000042",
            "slug": "ana-lopez-lcsw-42",
            "name": "Ana López",
            "credentials": ["LCSW"],
            "profession": "clinical-social-worker",
            "gender": "female",
            "pronouns": "she/her",
            "bio": "I help adults with anxiety & grief <using> CBT.",
            "issues": ["anxiety", "grief-loss"],
            "therapy_types": ["cbt"],
            "age_groups": ["adults"],
            "languages": ["english", "spanish"],
            "insurance": ["aetna"],
            "fee_min": 90,
            "fee_max": 150,
            "sliding_scale": True,
            "telehealth": True,
            "licensed_states": ["OR"],
            "accepting_new_clients": True,
            "last_confirmed": "2025-03-01",
            "years_in_practice": 8,
            "offices": [
                {
                    "id": "o1",
                    "street": "1 Main St",
                    "city": "Portland",
                    "state": "OR",
                    "zip": "97214",
                    "location": {"lat": 45.5152, "lon": -122.6467},
                }
            ],
            "phone": "(503) 555-0142",
            "email": "ana@analopezcounseling.example.com",
            "website": "https://analopezcounseling.example.com/",
            "booking_url": "https://booking.example.org/ana-lopez-lcsw-42",
            "free_consultation": True,
        }
    )


def sample_location() -> Location:
    return Location.model_validate(
        {
            "id": "l-portland-or",
            "kind": "city",
            "name": "Portland",
            "slug": "portland-or",
            "state": "OR",
            "state_name": "Oregon",
            "county": "Multnomah",
            "population": 650000,
            "location": {"lat": 45.5122, "lon": -122.6587},
            "parent": "oregon",
        }
    )


def sample_article() -> Article:
    return Article.model_validate(
        {
            "id": "a0001",
            "slug": "what-is-cbt",
            "title": "What is CBT?",
            "author": {"name": "Priya Raman", "therapist_id": None},
            "published": "2024-05-02",
            "topics": ["anxiety"],
            "summary": "A short guide.",
            "body": "Cognitive behavioral therapy is ...",
            "comments": [
                {
                    "id": "c1",
                    "author_name": "Sam",
                    "date": "2024-05-03T10:00:00Z",
                    "text": "Thanks!",
                }
            ],
        }
    )


def _therapists(query: TherapistQuery, **kw: Any) -> Callable[..., Any]:
    return lambda t, a: q.therapist_search_body(query, t, a["therapists"], TODAY, **kw)


def _articles(query: ArticleQuery) -> Callable[..., Any]:
    return lambda t, a: q.article_search_body(query, t, a["articles"])


def _create(kind: str) -> Callable[..., Any]:
    mapping = load_mapping(PROJECT_ROOT / "mappings", kind)
    return lambda t, a: q.create_index_body(mapping, shards=1, replicas=1)


FACETED = TherapistFilters(
    issues=["anxiety", "grief-loss"],
    languages=["spanish"],
    max_fee=150,
    sliding_scale=True,
    licensed_in="OR",
    accepting_new_clients=True,
)


def _bulk(_: Tuning, __: Any) -> list[str]:
    docs = [
        therapist_doc(sample_therapist()),
        location_doc(sample_location()),
        article_doc(sample_article()),
    ]
    return [line for i, d in enumerate(docs) for line in q.encode_bulk(d, i + 1).split("\n")]


CASES: list[Case] = [
    # --- writing -------------------------------------------------------------------------
    *[
        Case(
            f"create_index_{kind}",
            "put",
            "/{index}",
            _create(kind),
        )
        for kind in KINDS
    ],
    Case(
        "settings_refresh_off",
        "put",
        "/{index}/_settings",
        lambda t, a: q.refresh_interval_body(LOAD_REFRESH),
    ),
    Case(
        "settings_refresh_on",
        "put",
        "/{index}/_settings",
        lambda t, a: q.refresh_interval_body(SERVING_REFRESH),
    ),
    Case(
        "seal_mapping_meta",
        "put",
        "/{index}/_mapping",
        lambda t, a: q.seal_body(
            "therapists", "v20250601t120000-000001", 4000, "2025-06-01T12:00:00+00:00"
        ),
    ),
    Case(
        "alias_move", "post", "/_aliases", lambda t, a: q.alias_move_body(ALIAS, INDEX, [OLD_INDEX])
    ),
    Case("alias_first", "post", "/_aliases", lambda t, a: q.alias_move_body(ALIAS, INDEX, [])),
    Case("bulk_lines", "post", "/{index}/_bulk", _bulk, ndjson=True),
    Case(
        "upsert_document",
        "put",
        "/{index}/_doc/{id}",
        lambda t, a: therapist_doc(sample_therapist()),
    ),
    # --- therapist search -----------------------------------------------------------------
    Case(
        "therapists_text_only",
        *SEARCH,
        _therapists(TherapistQuery(text="cbt for anxiety", facets=False)),
    ),
    Case("therapists_no_text_facets", *SEARCH, _therapists(TherapistQuery())),
    Case(
        "therapists_text_filters_facets",
        *SEARCH,
        _therapists(TherapistQuery(text='"grief counseling" teens', filters=FACETED)),
    ),
    Case(
        "therapists_near_distance_sort",
        *SEARCH,
        _therapists(TherapistQuery(near=PORTLAND, sort="distance", facets=False, highlight=False)),
    ),
    Case(
        "therapists_relevance_location_blend",
        *SEARCH,
        _therapists(
            TherapistQuery(
                text="emdr trauma", near=PORTLAND, filters=TherapistFilters(gender=["female"])
            )
        ),
    ),
    # the search box (issue 16): "female therapist for anxeity portland" as understood
    Case(
        "therapists_search_box_understood",
        *SEARCH,
        _therapists(
            TherapistQuery(
                rank_text="Anxiety",
                near=PORTLAND,
                filters=TherapistFilters(gender=["female"], issues=["anxiety"]),
            )
        ),
    ),
    # the search box (issue 28): "no dbt or cbt, anxiety and insomnia, for my wife and me":
    # exclusions (must_not), every issue named (a term each), the couples group (should)
    Case(
        "therapists_search_box_conditions",
        *SEARCH,
        _therapists(
            TherapistQuery(
                filters=TherapistFilters(
                    issues=["anxiety", "insomnia"],
                    none_of=["therapy_types:dbt", "therapy_types:cbt", "gender:male"],
                    all_of=["issues:anxiety", "issues:insomnia"],
                    any_of=["populations:couples|profession:marriage-family-therapist"],
                )
            )
        ),
    ),
    # a name with a typo (the default tuning corrects words in the name field) and four
    # words, one of which may miss (minimum_should_match "3<75%")
    Case(
        "therapists_search_box_name_typo",
        *SEARCH,
        _therapists(TherapistQuery(text="patrica perkins", facets=False)),
    ),
    Case(
        "therapists_search_box_most_words",
        *SEARCH,
        _therapists(
            TherapistQuery(text="grief after losing my mom", rank_text="Grief", facets=False)
        ),
    ),
    Case(
        "therapists_search_box_any_word",
        *SEARCH,
        _therapists(TherapistQuery(text="patrica perkins", text_match="any", facets=False)),
    ),
    # the online list's count and page: telehealth therapists licensed in the state
    Case(
        "therapists_search_box_online_count",
        *SEARCH,
        _therapists(
            TherapistQuery(
                sort="recent",
                size=1,
                facets=False,
                highlight=False,
                filters=TherapistFilters(issues=["anxiety"], telehealth=True, licensed_in="OR"),
            )
        ),
    ),
    Case(
        "therapists_search_box_online_page",
        *SEARCH,
        _therapists(
            TherapistQuery(
                size=20,
                facets=False,
                filters=TherapistFilters(issues=["anxiety"], telehealth=True, licensed_in="OR"),
            )
        ),
    ),
    Case(
        "therapists_recent_sort",
        *SEARCH,
        _therapists(
            TherapistQuery(
                text="grief",
                sort="recent",
                size=30,
                facets=False,
                filters=TherapistFilters(licensed_in="OR"),
            )
        ),
    ),
    Case(
        "therapists_cursor_search_after",
        *SEARCH,
        _therapists(
            TherapistQuery(
                text="anxiety",
                offset=1000,
                size=10,
                facets=False,
                cursor=Cursor(1000, (3.1416, "t0001234")),
            ),
            after=(3.1416, "t0001234"),
        ),
    ),
    Case(
        "therapists_walk_to_deep_page",
        *SEARCH,
        lambda t, a: q.skip_body(
            q.therapist_search_body(
                TherapistQuery(near=PORTLAND, sort="distance"), t, a["therapists"], TODAY
            ),
            1000,
            (12.5, "t0004000"),
        ),
    ),
    Case(
        "therapists_no_synonyms_fuzzy",
        *SEARCH,
        lambda t, a: q.therapist_search_body(
            TherapistQuery(text="ptsd counsellor", facets=False),
            t.model_copy(update={"synonyms": False, "fuzziness": 1, "phrase_boost": 0.0}),
            a["therapists"],
            TODAY,
        ),
    ),
    # --- articles -------------------------------------------------------------------------
    *[
        Case(
            f"articles_field_{field}",
            *SEARCH,
            _articles(ArticleQuery(text="cbt anxiety", field=field)),
        )
        for field in ("all", "title", "content", "author")
    ],
    Case(
        "articles_newest_filters",
        *SEARCH,
        _articles(
            ArticleQuery(
                text="sleep",
                sort="newest",
                topics=["anxiety"],
                author="Priya  raman",
                published_from=dt.date(2024, 1, 1),
                published_to=dt.date(2024, 12, 31),
                offset=10,
            )
        ),
    ),
    Case("articles_no_text", *SEARCH, _articles(ArticleQuery())),
    Case("articles_recent_comments", *SEARCH, lambda t, a: q.recent_comments_body(10)),
    # --- typeahead ------------------------------------------------------------------------
    Case("suggest_names_prefix", *SEARCH, lambda t, a: q.names_body("ana lo", 24)),
    Case("suggest_names_finished_word", *SEARCH, lambda t, a: q.names_body("ana ", 24)),
    Case("suggest_titles_prefix", *SEARCH, lambda t, a: q.titles_body("what is c", 8)),
    # --- browse ---------------------------------------------------------------------------
    Case("browse_states", *SEARCH, lambda t, a: q.states_body()),
    Case("browse_cities", *SEARCH, lambda t, a: q.cities_body("OR")),
    Case(
        "browse_city_counts", *SEARCH, lambda t, a: q.city_counts_body(["portland-or", "salem-or"])
    ),
    Case("browse_state_records", *SEARCH, lambda t, a: q.place_records_body("state")),
    Case(
        "browse_city_records",
        *SEARCH,
        lambda t, a: q.place_records_body("city", ["portland-or", "salem-or"]),
    ),
    Case(
        "browse_city_reach", *SEARCH, lambda t, a: q.reach_body("portland-or", 45.5122, -122.6587)
    ),
    # --- look-ups -------------------------------------------------------------------------
    Case("lookup_by_id", *SEARCH, lambda t, a: q.by_term_body("id", "t0000042")),
    Case("lookup_scan_first", *SEARCH, lambda t, a: q.scan_body()),
    Case("lookup_scan_next", *SEARCH, lambda t, a: q.scan_body(["l-portland-or"])),
    Case("count", *COUNT, lambda t, a: q.count_body()),
]
