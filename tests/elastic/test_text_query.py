"""Search text → Elasticsearch query: the embedded engine's units, clause by clause."""

from __future__ import annotations

from typing import Any

import pytest

from search_core.elastic.text import phrase_boosts, query_analyzers, text_query
from search_core.mappings import load_mapping
from search_core.settings import PROJECT_ROOT
from search_core.text_query import parse
from search_core.tuning import Tuning

FIELDS = {"name": 3.0, "bio": 1.0}
AN = {"name": "name_text", "bio": "english_text"}


def _q(text: str, tuning: Tuning, fields: dict[str, float] = FIELDS) -> dict[str, Any]:
    q = text_query(parse(text, tuning.synonyms), fields, tuning, AN)
    assert q is not None
    return q


def test_query_analyzers_are_the_index_analyzers() -> None:
    got = query_analyzers(load_mapping(PROJECT_ROOT / "mappings", "therapists"))
    assert got["bio"] == "english_text"
    assert got["name"] == "name_text"
    assert "issues" not in got  # keywords take no analyzer
    assert "name.suggest" not in got  # search_as_you_type is typeahead's


def test_required_words_must_filler_should(tuning: Tuning) -> None:
    q = _q("grief therapist", tuning)
    must, should = q["bool"]["must"], q["bool"]["should"]
    assert len(must) == 1 and "grief" in str(must[0])
    assert any("therapist" in str(c) and "match_phrase" not in str(c) for c in should)
    assert "minimum_should_match" not in q["bool"]


def test_only_filler_words_need_one_to_match(tuning: Tuning) -> None:
    q = _q("therapist near me", tuning)
    assert "must" not in q["bool"]
    assert q["bool"]["minimum_should_match"] == 1


def test_unit_is_dis_max_over_boosted_fields(tuning: Tuning) -> None:
    exact = tuning.model_copy(update={"fuzziness": 0})
    unit = _q("grief", exact)["bool"]["must"][0]
    dm = unit["dis_max"]
    assert dm["tie_breaker"] == tuning.tie_breaker
    assert dm["queries"] == [
        {"match": {"name": {"query": "grief", "boost": 3.0}}},
        {"match": {"bio": {"query": "grief"}}},
    ]


def test_synonyms_are_alternatives_in_a_bool_should(tuning: Tuning) -> None:
    unit = _q("cbt", tuning)["bool"]["must"][0]
    bio = unit["dis_max"]["queries"][1]["bool"]["should"]
    assert {"match": {"bio": {"query": "cbt"}}} in bio
    assert {"match_phrase": {"bio": {"query": "cognitive behavioral therapy"}}} in bio


def test_synonyms_off_means_no_alternatives(tuning: Tuning) -> None:
    off = tuning.model_copy(update={"synonyms": False})
    unit = _q("cbt", off)["bool"]["must"][0]
    assert "cognitive" not in str(unit)


def test_quoted_phrase_is_a_required_match_phrase(tuning: Tuning) -> None:
    q = _q('"family systems" anxiety', tuning)
    first = q["bool"]["must"][0]["dis_max"]["queries"][1]
    assert first == {"match_phrase": {"bio": {"query": "family systems"}}}


def test_whole_text_phrase_boost_per_field(tuning: Tuning) -> None:
    boosts = phrase_boosts(parse("grief counseling", True), FIELDS, tuning, AN)
    assert boosts == [
        {
            "match_phrase": {
                "name": {
                    "query": "grief counseling",
                    "slop": tuning.phrase_slop,
                    "boost": tuning.phrase_boost * 3.0,
                }
            }
        },
        {
            "match_phrase": {
                "bio": {
                    "query": "grief counseling",
                    "slop": tuning.phrase_slop,
                    "boost": tuning.phrase_boost,
                }
            }
        },
    ]
    assert phrase_boosts(parse("grief", True), FIELDS, tuning, AN) == []
    off = tuning.model_copy(update={"phrase_boost": 0.0})
    assert phrase_boosts(parse("grief counseling", True), FIELDS, off, AN) == []


def _corrected(field: str, word: str, edits: int, boost: float) -> dict[str, Any]:
    """The clause of a word that may be corrected: its exact match (BM25) or, scoring a
    constant, a match within ``edits``."""
    exact: dict[str, Any] = {"query": word}
    if boost != 1.0:
        exact["boost"] = boost
    fuzzy = {"query": word, "fuzziness": str(edits)}
    return {
        "bool": {
            "should": [
                {"match": {field: exact}},
                {
                    "constant_score": {
                        "filter": {"match": {field: {**fuzzy, "fuzzy_transpositions": True}}},
                        "boost": pytest.approx(0.2 * boost),
                    }
                },
            ]
        }
    }


def test_fuzziness_only_for_long_words(tuning: Tuning) -> None:
    fuzzy = tuning.model_copy(
        update={"fuzziness": 2, "fuzzy_min_length": 6, "fuzzy_scope": None, "synonyms": False}
    )
    must = _q("grief anxiety", fuzzy)["bool"]["must"]
    grief, anxiety = (m["dis_max"]["queries"] for m in must)
    assert grief[1] == {"match": {"bio": {"query": "grief"}}}
    assert anxiety[1] == _corrected("bio", "anxiety", 2, 1.0)
    assert anxiety[0] == _corrected("name", "anxiety", 2, 3.0)


def test_auto_fuzziness_by_length_never_with_a_digit(tuning: Tuning) -> None:
    auto = tuning.model_copy(update={"fuzziness": "auto", "fuzzy_scope": None, "synonyms": False})
    cases = {"tom": None, "anna": "1", "patricia": "2", "97214": None, "2nd": None}
    for word, edits in cases.items():
        bio = _q(word, auto)["bool"]["must"][0]["dis_max"]["queries"][1]
        if edits is None:
            assert "match" in bio and "fuzziness" not in str(bio), word
        else:
            assert bio == _corrected("bio", word, int(edits), 1.0), word


def test_fuzzy_scope_corrects_only_its_fields(tuning: Tuning) -> None:
    scoped = tuning.model_copy(update={"fuzziness": "auto", "fuzzy_scope": ["name"]})
    name, bio = _q("perkins", scoped)["bool"]["must"][0]["dis_max"]["queries"]
    assert name == _corrected("name", "perkins", 1, 3.0)
    assert bio == {"match": {"bio": {"query": "perkins"}}}


def test_minimum_should_match_groups_the_required_words(tuning: Tuning) -> None:
    msm = tuning.model_copy(update={"minimum_should_match": "3<75%", "fuzziness": 0})
    three = _q("grief anxiety trauma", msm)["bool"]["must"]
    assert len(three) == 3 and all("dis_max" in m for m in three)
    four = _q("grief anxiety trauma insomnia", msm)["bool"]["must"]
    assert len(four) == 1 and four[0]["bool"]["minimum_should_match"] == 3
    assert [("dis_max" in m) for m in four[0]["bool"]["should"]] == [True] * 4
    filler = _q("grief anxiety trauma insomnia therapist", msm)["bool"]
    assert filler["must"][0]["bool"]["minimum_should_match"] == 3  # filler is not counted


def test_no_words_no_query(tuning: Tuning) -> None:
    for text in ("", "   ", "日本語 セラピー", "!!! ???"):
        assert text_query(parse(text, True), FIELDS, tuning, AN) is None


def test_operators_are_plain_words(tuning: Tuning) -> None:
    q = str(_q('grief* -loss +teen ~2 ^3 : AND OR NOT "', tuning))
    assert "query_string" not in q and "'query': 'grief'" in q and "'query': 'loss'" in q
