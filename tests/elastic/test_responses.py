"""Responses → typed results, fed with spec-validated fake responses (see ``fakes.py``)."""

from __future__ import annotations

import asyncio
import html

import pytest

from search_core.article_searching import search_articles
from search_core.browsing import place_count
from search_core.elastic import responses
from search_core.elastic.browse_query import AGG
from search_core.geo import distance_km
from search_core.index_docs import article_doc, therapist_doc
from search_core.paging import decode_cursor
from search_core.queries import ArticleQuery, TherapistFilters, TherapistQuery
from search_core.results import ArticleHit, SearchPage
from search_core.typeahead import article_suggestion, name_order, therapist_suggestion
from search_core.units import KM_PER_MILE
from tests.elastic.cases import FACETED, PORTLAND, sample_article, sample_therapist
from tests.elastic.fakes import checked, facet, hit, search_response, terms
from tests.es_spec import ElasticSpec

SEARCH = ("post", "/{index}/_search")
INDEX = "therapist-search-therapists-v20250601t120000-000001"


def _doc(**changes: object) -> dict[str, object]:
    doc = therapist_doc(sample_therapist())
    doc.update(changes)
    return doc


def _facets() -> dict[str, object]:
    return {
        "issues": facet(40, {"anxiety": 30, "grief-loss": 12, "depression": 9}),
        "languages": facet(25, {"english": 25, "french": 2}),
        "therapy_types": facet(12, {"cbt": 12}),
        "age_groups": facet(12, {}),
        "populations": facet(12, {}),
        "insurance": facet(12, {"aetna": 4, "not-a-slug": 3}),
        "gender": facet(12, {"female": 8, "male": 4}),
        "profession": facet(12, {"psychologist": 12}),
    }


def test_therapist_page_hits_total_scores_cursor(spec: ElasticSpec) -> None:
    resp = checked(
        spec,
        *SEARCH,
        search_response(
            [
                hit(INDEX, _doc(), 7.25, [7.25, "t0000042"]),
                hit(INDEX, _doc(id="t0000043", slug="b-43"), 7.25, [7.25, "t0000043"]),
            ],
            total=31,
            max_score=7.25,
        ),
    )
    q = TherapistQuery(text="grief", offset=10, size=2, facets=False)
    page = responses.therapist_page(resp, q, "mi", scored=True, took_ms=5.0)
    assert [h.therapist.id for h in page.items] == ["t0000042", "t0000043"]
    assert page.items[0].therapist == sample_therapist()  # derived fields dropped
    assert page.items[0].score == 7.25
    assert (page.total, page.offset, page.size, page.engine) == (31, 10, 2, "elasticsearch")
    assert page.next_cursor is not None
    cursor = decode_cursor(page.next_cursor)
    assert cursor.offset == 12 and cursor.after == (7.25, "t0000043")  # the last hit's sort


def test_last_page_has_no_cursor_and_no_text_no_scores(spec: ElasticSpec) -> None:
    resp = checked(
        spec, *SEARCH, search_response([hit(INDEX, _doc(), 1.0, [1.0, "t0000042"])], total=1)
    )
    page = responses.therapist_page(
        resp, TherapistQuery(facets=False), "mi", scored=False, took_ms=1.0
    )
    assert page.next_cursor is None and page.items[0].score is None


def test_distance_comes_from_the_sort_value(spec: ElasticSpec) -> None:
    t = sample_therapist()
    office = t.offices[0].location
    km = distance_km(PORTLAND.lat, PORTLAND.lon, office.lat, office.lon)
    resp = checked(
        spec, *SEARCH, search_response([hit(INDEX, _doc(), None, [km, "t0000042"])], total=1)
    )
    q = TherapistQuery(near=PORTLAND, sort="distance", facets=False)
    mi = responses.therapist_page(resp, q, "mi", scored=False, took_ms=1.0).items[0]
    assert mi.nearest_office is not None
    assert mi.nearest_office.office.id == "o1" and mi.nearest_office.unit == "mi"
    assert mi.nearest_office.distance == round(km / KM_PER_MILE, 2)
    kilo = responses.therapist_page(resp, q, "km", scored=False, took_ms=1.0).items[0]
    assert kilo.nearest_office is not None and kilo.nearest_office.distance == round(km, 2)


def test_distance_is_computed_when_not_sorted_by_it(spec: ElasticSpec) -> None:
    two = _doc(
        offices=[
            {
                **therapist_doc(sample_therapist())["offices"][0],
                "id": "far",
                "location": {"lat": 45.0, "lon": -122.0},
            },
            therapist_doc(sample_therapist())["offices"][0],
        ]
    )
    resp = checked(
        spec, *SEARCH, search_response([hit(INDEX, two, 3.0, [3.0, "t0000042"])], total=1)
    )
    q = TherapistQuery(text="grief", near=PORTLAND, facets=False)
    item = responses.therapist_page(resp, q, "km", scored=True, took_ms=1.0).items[0]
    assert item.nearest_office is not None and item.nearest_office.office.id == "o1"


def test_facets_buckets_labels_selected_and_order(spec: ElasticSpec) -> None:
    resp = checked(spec, *SEARCH, search_response([], total=0, aggregations=_facets()))
    got = responses.facets(resp, FACETED)
    issues = got["issues"]
    assert [(b.value, b.count, b.selected) for b in issues] == [
        ("anxiety", 30, True),
        ("grief-loss", 12, True),
        ("depression", 9, False),
    ]
    assert issues[0].label == "Anxiety"
    assert [b.value for b in got["insurance"]] == ["aetna"]  # unknown values dropped
    chosen = responses.facets(resp, TherapistFilters(languages=["spanish"]))["languages"]
    assert ("spanish", 0, True) in [(b.value, b.count, b.selected) for b in chosen]
    assert got["age_groups"] == []


def test_highlights_are_escaped_like_the_embedded_engine(spec: ElasticSpec) -> None:
    raw = "help with anxiety &amp; <mark>grief</mark> &lt;using&gt; CBT&#x2F;DBT &#x27;ok&#x27;"
    resp = checked(
        spec,
        *SEARCH,
        search_response(
            [hit(INDEX, _doc(), 2.0, [2.0, "t0000042"], {"bio": [raw], "name": ["no match here"]})],
            total=1,
        ),
    )
    page = responses.therapist_page(
        resp, TherapistQuery(text="grief", facets=False), "mi", scored=True, took_ms=1.0
    )
    fragments = page.items[0].highlights
    assert list(fragments) == ["bio"]  # a fragment without a match is not a highlight
    expected = (
        "help with anxiety "
        + html.escape("&")
        + " <mark>grief</mark> "
        + html.escape("<using> CBT/DBT 'ok'")
    )
    assert fragments["bio"] == [expected]


def test_a_literal_mark_in_the_text_stays_escaped() -> None:
    fragment = "&lt;mark&gt;x&lt;&#x2F;mark&gt; <mark>y</mark>"
    assert responses.clean_fragment(fragment) == "&lt;mark&gt;x&lt;/mark&gt; <mark>y</mark>"


def test_article_page_hits_are_cut_to_previews_above_the_engine(spec: ElasticSpec) -> None:
    doc = article_doc(sample_article())
    doc.pop("comments")
    doc["body"] = "word " * 100
    resp = checked(
        spec,
        *SEARCH,
        search_response(
            [hit(INDEX, doc, 4.5, [4.5, "a0001"], {"title": ["What is <mark>CBT</mark>?"]})],
            total=1,
        ),
    )
    page = responses.article_page(resp, 0, 10, scored=True, took_ms=1.0)
    assert len(page.items[0].article.body) > 400  # the engine hands out the whole article

    async def run(q: ArticleQuery) -> SearchPage[ArticleHit]:
        return page

    shown = asyncio.run(search_articles(run, ArticleQuery(text="cbt")))
    article = shown.items[0].article
    assert article.comments == []
    assert article.body == ("word " * 60).rstrip() + "…"  # 300 characters, stripped, "…"
    assert page.items[0].highlights == {"title": ["What is <mark>CBT</mark>?"]}
    unscored = responses.article_page(resp, 0, 10, scored=False, took_ms=1.0)
    assert unscored.items[0].score is None


def test_recent_comments_newest_first_ties_by_id(spec: ElasticSpec) -> None:
    def art(i: str, comments: list[tuple[str, str]]) -> dict[str, object]:
        return {
            "id": i,
            "slug": f"s-{i}",
            "title": f"T {i}",
            "comments": [
                {"id": c, "author_name": "A", "date": d, "text": "x"} for c, d in comments
            ],
        }

    resp = checked(
        spec,
        *SEARCH,
        search_response(
            [
                hit(
                    INDEX,
                    art("a1", [("c3", "2024-05-03T10:00:00Z"), ("c1", "2024-01-01T00:00:00Z")]),
                    None,
                    [1714730400000, "a1"],
                ),
                hit(
                    INDEX,
                    art("a2", [("c2", "2024-05-03T10:00:00Z"), ("c9", "2024-04-01T00:00:00Z")]),
                    None,
                    [1714730400000, "a2"],
                ),
            ]
        ),
    )
    got = responses.recent_comments(resp, 3)
    assert [c.comment_id for c in got] == ["c2", "c3", "c9"]
    assert got[0].article_slug == "s-a2" and got[0].date == "2024-05-03T10:00:00Z"


def test_place_counts_and_reach(spec: ElasticSpec) -> None:
    resp = checked(
        spec,
        *SEARCH,
        search_response([], aggregations={AGG: terms({"portland-or": 120, "salem-or": 14})}),
    )
    assert responses.terms_counts(resp, AGG) == {"portland-or": 120, "salem-or": 14}
    reach = checked(spec, *SEARCH, search_response([hit(INDEX, None, None, [17.25, "t1"])]))
    assert responses.first_sort_value(reach) == 17.25
    assert responses.first_sort_value(checked(spec, *SEARCH, search_response([]))) is None
    place = place_count(
        "portland-or", "Portland", "OR", 120, {"location": {"lat": 45.5, "lon": -122.6}}
    )
    assert (place.lat, place.lon, place.therapists) == (45.5, -122.6, 120)


def test_name_suggestions_start_with_the_prefix_first(spec: ElasticSpec) -> None:
    def doc(i: str, name: str) -> dict[str, object]:
        return {"id": i, "name": name, "credentials": ["PhD"]}

    resp = checked(
        spec,
        *SEARCH,
        search_response(
            [
                hit(INDEX, doc("t3", "Maria Anand"), 9.0),
                hit(INDEX, doc("t2", "Ana Lopez"), 5.0),
                hit(INDEX, doc("t1", "Anabel Ng"), 5.0),
            ]
        ),
    )
    got = [therapist_suggestion(d) for _, d in name_order(responses.candidates(resp), "an")]
    assert [s.value for s in got] == ["t1", "t2", "t3"]
    assert got[0].label == "Anabel Ng, PhD" and got[0].target == "/therapists/t1"


def test_title_suggestions(spec: ElasticSpec) -> None:
    resp = checked(
        spec,
        *SEARCH,
        search_response([hit(INDEX, {"slug": "what-is-cbt", "title": "What is CBT?"}, 2.0)]),
    )
    (s,) = [article_suggestion(d) for _, d in responses.candidates(resp)]
    assert (s.type, s.value, s.target) == ("article", "what-is-cbt", "/articles/what-is-cbt")


def test_a_fake_that_drifts_is_refused(spec: ElasticSpec) -> None:
    bad = search_response([], total=3)
    bad["hits"]["total"] = {"value": "3", "relation": "eq"}
    with pytest.raises(AssertionError, match="total"):
        checked(spec, *SEARCH, bad)
