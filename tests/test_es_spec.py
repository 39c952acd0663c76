"""Tests of the spec validator itself: it accepts what we send and, above all, it can fail.

Every "passes" case below is paired with typos that must fail; the known blind spots of the
document (objects it leaves open) are listed in ``test_known_gaps_are_not_detected``.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.es_spec import (
    SPEC_URI,
    ElasticSpec,
    SpecViolationError,
    Violation,
    missing_spec_reason,
    require_spec,
    spec_path,
)

SEARCH = ("post", "/{index}/_search")
CREATE_INDEX = ("put", "/{index}")
HERE = {"lat": 40.7128, "lon": -74.006}
TERM_ACCEPTING = {"term": {"accepting_new_clients": {"value": True}}}


@pytest.fixture(scope="session")
def spec() -> ElasticSpec:
    return require_spec()


def violations(
    spec: ElasticSpec, body: Any, method: str = SEARCH[0], path: str = SEARCH[1]
) -> list[Violation]:
    return spec.request_violations(method, path, body)


def assert_rejected(
    spec: ElasticSpec,
    body: Any,
    location: str,
    fragment: str,
    endpoint: tuple[str, str] = SEARCH,
) -> SpecViolationError:
    """``body`` fails, and one violation sits at ``location`` with ``fragment`` in its message."""
    with pytest.raises(SpecViolationError) as caught:
        spec.validate_request(*endpoint, body)
    found = caught.value.violations
    assert any(v.location == location and fragment in v.message for v in found), str(caught.value)
    return caught.value


# ---------------------------------------------------------------------------------------------
# Locating the document


def test_spec_path_is_none_without_a_shared_directory(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    assert spec_path(project) is None
    assert str(tmp_path / "shared" / "elasticsearch") in missing_spec_reason(project)


def test_spec_path_finds_the_shared_document(spec: ElasticSpec) -> None:
    found = spec_path()
    assert found is not None
    assert found.parent.parts[-2:] == ("shared", "elasticsearch")
    assert ElasticSpec.load(found) is spec  # loaded and made strict once per session


def test_unknown_endpoint_names_close_matches(spec: ElasticSpec) -> None:
    with pytest.raises(KeyError, match="_search"):
        spec.validate_request("post", "/{index}/_serch", {})
    with pytest.raises(KeyError, match="no DELETE"):
        spec.validate_request("delete", "/{index}/_search", {})


# ---------------------------------------------------------------------------------------------
# Search bodies


def therapist_search_body() -> dict[str, Any]:
    """A body like the ones the Elasticsearch engine sends: every construct it relies on."""
    near_office = {"geo_distance": {"distance": "25mi", "offices.location": HERE}}
    return {
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "must": [{"match": {"bio": {"query": "anxiety", "operator": "and"}}}],
                        "filter": [
                            TERM_ACCEPTING,
                            {"terms": {"issues": ["anxiety", "depression"]}},
                            {"range": {"fee_min": {"lte": 150}}},
                            {"nested": {"path": "offices", "query": near_office}},
                        ],
                    }
                },
                "functions": [
                    {
                        "gauss": {
                            "offices.location": {"origin": HERE, "scale": "10mi", "decay": 0.5},
                            "multi_value_mode": "min",
                        }
                    },
                    {"filter": TERM_ACCEPTING, "weight": 1.5},
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        },
        "post_filter": {"term": {"gender": {"value": "female"}}},
        "aggregations": {
            "gender": {"terms": {"field": "gender", "size": 10}},
            "offices": {
                "nested": {"path": "offices"},
                "aggregations": {"cities": {"terms": {"field": "offices.city", "size": 50}}},
            },
            "accepting": {
                "filter": TERM_ACCEPTING,
                "aggregations": {"insurance": {"terms": {"field": "insurance"}}},
            },
        },
        "sort": [
            {
                "_geo_distance": {
                    "offices.location": HERE,
                    "order": "asc",
                    "unit": "mi",
                    "mode": "min",
                    "nested": {"path": "offices"},
                }
            },
            {"_score": {"order": "desc"}},
            {"id": {"order": "asc"}},
        ],
        "highlight": {"fields": {"bio": {"number_of_fragments": 2}}, "pre_tags": ["<mark>"]},
        "search_after": [1.25, 3.5, "t-0001"],
        "size": 20,
        "track_total_hits": True,
    }


def test_realistic_search_body_passes(spec: ElasticSpec) -> None:
    spec.validate_request(*SEARCH, therapist_search_body())


def test_a_function_with_filter_weight_and_decay_passes(spec: ElasticSpec) -> None:
    # The raw document rejects this (see test_raw_document_needs_the_adjustments).
    decay = {"gauss": {"offices.location": {"origin": HERE, "scale": "5km"}}}
    function = {"filter": TERM_ACCEPTING, "weight": 2, **decay}
    spec.validate_request(*SEARCH, {"query": {"function_score": {"functions": [function]}}})


def test_a_count_body_passes(spec: ElasticSpec) -> None:
    spec.validate_request("post", "/{index}/_count", {"query": TERM_ACCEPTING})


def test_an_explain_body_passes(spec: ElasticSpec) -> None:
    body = {"query": {"match": {"bio": {"query": "anxiety"}}}}
    spec.validate_request("post", "/{index}/_explain/{id}", body)


def test_a_rank_eval_body_passes(spec: ElasticSpec) -> None:
    request = {"query": {"match": {"bio": {"query": "anxiety"}}}}
    rating = {"_index": "therapists", "_id": "t-0001", "rating": 3}
    body: dict[str, Any] = {
        "requests": [{"id": "anxiety", "request": request, "ratings": [rating]}],
        "metric": {"dcg": {"k": 10, "normalize": True}},
    }
    endpoint = ("post", "/{index}/_rank_eval")
    spec.validate_request(*endpoint, body)
    del body["requests"][0]["ratings"]
    assert_rejected(spec, body, "$.requests[0]", "'ratings' is a required property", endpoint)
    # Gap: RankEvalMetric is an open object without maxProperties, so {"dgc": ...} passes.


def _with(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """The realistic body with one value replaced (or added) at ``path``."""
    body = therapist_search_body()
    node: Any = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return body


def _renamed(path: tuple[str | int, ...], old: str, new: str) -> dict[str, Any]:
    """The realistic body with the key ``old`` under ``path`` renamed to ``new``."""
    body = therapist_search_body()
    node: Any = body
    for key in path:
        node = node[key]
    node[new] = node.pop(old)
    return body


BOOL = ("query", "function_score", "query", "bool")
REJECTED_SEARCH_BODIES: dict[str, tuple[dict[str, Any], str, str]] = {
    "qeury at top level": (_renamed((), "query", "qeury"), "$", "'qeury' was unexpected"),
    "aggs alias at top level": (_renamed((), "aggregations", "aggs"), "$", "'aggs' was unexpected"),
    "aggs alias in a sub-aggregation": (
        _renamed(("aggregations", "offices"), "aggregations", "aggs"),
        "$.aggregations.offices",
        "'aggs' was unexpected",
    ),
    "geo_distanc inside the query": (
        _with((*BOOL, "filter", 3), {"geo_distanc": {"distance": "5mi", "location": HERE}}),
        "$.query.function_score.query.bool.filter[3]",
        "'geo_distanc' was unexpected",
    ),
    "termz inside an aggregation": (
        _renamed(("aggregations", "gender"), "terms", "termz"),
        "$.aggregations.gender",
        "'termz' was unexpected",
    ),
    "size as a word": (_with(("size",), "ten"), "$.size", "'ten' is not of type 'number'"),
    "gaus as a score function": (
        _renamed(("query", "function_score", "functions", 0), "gauss", "gaus"),
        "$.query.function_score.functions[0]",
        "'gaus' was unexpected",
    ),
    "two decay functions in one entry": (
        _with(("query", "function_score", "functions", 0, "exp"), {}),
        "$.query.function_score.functions[0]",
        "only one of ['exp', 'gauss']",
    ),
    "two query types in one container": (
        _with(("post_filter", "match_all"), {}),
        "$.post_filter",
        "has too many properties",
    ),
    "an aggregation without a type": (
        _with(("aggregations", "gender"), {"aggregations": {}}),
        "$.aggregations.gender",
        "variant keys",
    ),
    "unknown sort mode": (
        _with(("sort", 0, "_geo_distance", "mode"), "minimum"),
        "$.sort[0]['_geo_distance'].mode",
        "'minimum' is not one of",
    ),
    "term without value (short form)": (
        _with(("post_filter",), {"term": {"gender": "female"}}),
        "$.post_filter.term.gender",
        "is not of type 'object'",
    ),
    "search_after as a scalar": (
        _with(("search_after",), "t-0001"),
        "$.search_after",
        "is not of type 'array'",
    ),
}


@pytest.mark.parametrize("case", list(REJECTED_SEARCH_BODIES))
def test_search_typos_are_rejected(spec: ElasticSpec, case: str) -> None:
    body, location, message = REJECTED_SEARCH_BODIES[case]
    assert_rejected(spec, body, location, message)


def test_every_violation_is_listed_with_its_json_path(spec: ElasticSpec) -> None:
    body = _renamed((), "query", "qeury")
    body["size"] = "ten"
    body["aggregations"]["gender"]["termz"] = body["aggregations"]["gender"].pop("terms")
    error = assert_rejected(spec, body, "$.size", "'ten' is not of type 'number'")
    assert "4 violations" in str(error)
    assert [v.location for v in error.violations] == [
        "$",
        "$.aggregations.gender",  # the unknown key...
        "$.aggregations.gender",  # ...and the missing aggregation type
        "$.size",
    ]
    assert all(v.schema_path for v in error.violations)


def test_a_query_fragment_can_be_checked_alone(spec: ElasticSpec) -> None:
    spec.validate_schema("_types.query_dsl.QueryContainer", TERM_ACCEPTING)
    with pytest.raises(SpecViolationError, match="'trem' was unexpected"):
        spec.validate_schema("_types.query_dsl.QueryContainer", {"trem": {}})


# The document leaves these objects open, so typos in them pass; Elasticsearch rejects them at
# run time. Kept as a test so this list stays true: if a case starts failing, the document got
# stricter, so move the case to REJECTED_SEARCH_BODIES.
KNOWN_GAPS: dict[str, dict[str, Any]] = {
    # Leaf queries and aggregations (BoolQuery, NestedQuery, TermsAggregation, ...) are open.
    "bool clause typo": _renamed(BOOL, "filter", "filtre"),
    "nested parameter typo": _with((*BOOL, "filter", 3, "nested", "scoremode"), "max"),
    "terms aggregation parameter typo": _renamed(
        ("aggregations", "gender", "terms"), "field", "feild"
    ),
    "highlight parameter typo": _with(("highlight", "fields", "bio"), {"number_of_fragment": 2}),
    # Field-keyed entries are missing from the document (the field name is free), so what is
    # under the field is not checked: the decay placement and the geo_distance point.
    "decay placement typo": _renamed(
        ("query", "function_score", "functions", 0, "gauss", "offices.location"), "origin", "orign"
    ),
    # SortOptions stays open: the document omits its field-keyed FieldSort entries, so closing
    # it would reject every sort on a field; "_geo_distanc" reads as a field name.
    "sort type typo": _renamed(("sort", 0), "_geo_distance", "_geo_distanc"),
}


@pytest.mark.parametrize("case", list(KNOWN_GAPS))
def test_known_gaps_are_not_detected(spec: ElasticSpec, case: str) -> None:
    assert violations(spec, KNOWN_GAPS[case]) == []


# Shorthands Elasticsearch accepts but the document does not describe: the engine must send the
# canonical form in the comment instead. Listed so nobody "fixes" the validator for them.
NON_CANONICAL_SEARCH_FORMS: dict[str, dict[str, Any]] = {
    # {"term": {"gender": {"value": "female"}}}
    "short term": {"query": {"term": {"gender": "female"}}},
    # {"match": {"bio": {"query": "anxiety"}}}
    "short match": {"query": {"match": {"bio": "anxiety"}}},
    # {"_source": {"includes": ["id", "name"]}}
    "_source as a list": {"_source": ["id", "name"]},
    # {"fields": [{"field": "name"}]}
    "fields as names": {"fields": ["name"]},
    # {"sort": [{"_score": {"order": "desc"}}]} (a field sort {"fee_min": "asc"} does pass)
    "_score sort order as a string": {"sort": [{"_score": "desc"}]},
    # "aggregations", at every level
    "aggs": {"aggs": {"gender": {"terms": {"field": "gender"}}}},
}


@pytest.mark.parametrize("case", list(NON_CANONICAL_SEARCH_FORMS))
def test_non_canonical_forms_are_rejected(spec: ElasticSpec, case: str) -> None:
    assert violations(spec, NON_CANONICAL_SEARCH_FORMS[case]) != []


# ---------------------------------------------------------------------------------------------
# Index creation


def create_index_body() -> dict[str, Any]:
    return {
        "settings": {
            "index": {"number_of_shards": 1, "number_of_replicas": 0},
            "analysis": {
                "filter": {
                    "synonyms": {"type": "synonym_graph", "synonyms": ["cbt, cognitive therapy"]}
                },
                "analyzer": {
                    "plain": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
                    "with_synonyms": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "synonyms"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": {"type": "keyword"},
                "bio": {"type": "text", "analyzer": "plain", "search_analyzer": "with_synonyms"},
                "author": {"properties": {"name": {"type": "keyword"}}},
                "offices": {
                    "type": "nested",
                    "properties": {"location": {"type": "geo_point"}},
                },
            },
        },
        "aliases": {"therapists": {}},
    }


def test_index_creation_with_synonym_graph_passes(spec: ElasticSpec) -> None:
    spec.validate_request(*CREATE_INDEX, create_index_body())


def _mutated_index(change: str) -> dict[str, Any]:
    body = create_index_body()
    mappings, analysis = body["mappings"]["properties"], body["settings"]["analysis"]
    if change == "tpye":
        mappings["id"] = {"tpye": "keyword"}
    elif change == "keywrd":
        mappings["id"] = {"type": "keywrd"}
    elif change == "analyzer on keyword":
        mappings["id"]["analyzer"] = "plain"
    elif change == "tokenzier":
        analysis["analyzer"]["plain"]["tokenzier"] = analysis["analyzer"]["plain"].pop("tokenizer")
    elif change == "synonym_grap":
        analysis["filter"]["synonyms"]["type"] = "synonym_grap"
    elif change == "mapings":
        body["mapings"] = body.pop("mappings")
    return body


REJECTED_INDEX_BODIES: dict[str, tuple[str, str]] = {
    # A field without "type" is an object; an object has no "tpye" parameter.
    "tpye": ("$.mappings.properties.id", "'tpye' was unexpected"),
    "keywrd": ("$.mappings.properties.id.type", "did you mean ['keyword']"),
    "analyzer on keyword": ("$.mappings.properties.id", "'analyzer' was unexpected"),
    "tokenzier": ("$.settings.analysis.analyzer.plain", "'tokenzier' was unexpected"),
    "synonym_grap": ("$.settings.analysis.filter.synonyms.type", "did you mean ['synonym_graph'"),
    "mapings": ("$", "'mapings' was unexpected"),
}


@pytest.mark.parametrize("change", list(REJECTED_INDEX_BODIES))
def test_index_typos_are_rejected(spec: ElasticSpec, change: str) -> None:
    location, message = REJECTED_INDEX_BODIES[change]
    assert_rejected(spec, _mutated_index(change), location, message, CREATE_INDEX)


def test_index_gaps_are_not_detected(spec: ElasticSpec) -> None:
    # TypeMapping (the mappings root), IndexSettings and the analysis section are open objects
    # in the document: typos there pass. Elasticsearch rejects them at run time.
    body = create_index_body()
    body["mappings"]["dynamc"] = "strict"
    body["settings"]["index"]["number_of_shard"] = 1
    body["settings"]["analysis"]["analyser"] = {}
    assert violations(spec, body, *CREATE_INDEX) == []


def test_index_forms_elasticsearch_accepts_but_the_spec_rejects(spec: ElasticSpec) -> None:
    # Send the canonical form: "dynamic" as a string, settings such as max_result_window as
    # numbers (number_of_shards may be either), and an explicit "type": "custom" on custom
    # analyzers (Elasticsearch would infer it).
    body = create_index_body()
    body["mappings"]["dynamic"] = False
    body["settings"]["index"]["number_of_shards"] = "1"  # accepted
    body["settings"]["index"]["max_result_window"] = "10000"
    del body["settings"]["analysis"]["analyzer"]["plain"]["type"]
    assert {v.location for v in violations(spec, body, *CREATE_INDEX)} == {
        "$.mappings.dynamic",
        "$.settings.analysis.analyzer.plain",
        "$.settings.index.max_result_window",
    }


# ---------------------------------------------------------------------------------------------
# Aliases, _msearch, _bulk


def test_atomic_alias_swap_passes(spec: ElasticSpec) -> None:
    body: dict[str, Any] = {
        "actions": [
            {"remove": {"index": "therapists-v1", "alias": "therapists"}},
            {"add": {"index": "therapists-v2", "alias": "therapists", "is_write_index": True}},
        ]
    }
    spec.validate_request("post", "/_aliases", body)
    body["actions"][1] = {"ad": body["actions"][1]["add"]}
    assert_rejected(spec, body, "$.actions[1]", "'ad' was unexpected", ("post", "/_aliases"))


def test_msearch_lines_pass_as_ndjson_or_items(spec: ElasticSpec) -> None:
    items = [{"index": "therapists"}, {"query": TERM_ACCEPTING, "size": 0}, {}, {"size": 1}]
    spec.validate_request("post", "/_msearch", items)
    spec.validate_msearch('{"index": "therapists"}\n{"query": {"match_all": {}}}\n')


def test_msearch_checks_headers_and_bodies_separately(spec: ElasticSpec) -> None:
    lines = [{"index": "therapists"}, {"qeury": {}}, {"idnex": "articles"}, {}]
    error = assert_rejected(spec, lines, "line 2: $", "'qeury'", ("post", "/{index}/_msearch"))
    assert [str(v) for v in error.violations] == [
        "line 2: $: Additional properties are not allowed ('qeury' was unexpected);"
        " did you mean 'query'?",
        "line 3: $: Additional properties are not allowed ('idnex' was unexpected);"
        " did you mean 'index'?",
    ]
    with pytest.raises(SpecViolationError, match="header without a search body"):
        spec.validate_msearch([{"index": "therapists"}])


BULK_OK = (
    '{"index": {"_index": "therapists", "_id": "t-1"}}\n'
    '{"id": "t-1", "name": "Ana"}\n'
    '{"create": {"_index": "therapists", "_id": "t-2"}}\n'
    '{"id": "t-2"}\n'
    '{"delete": {"_index": "therapists", "_id": "t-3"}}\n'
    '{"update": {"_index": "therapists", "_id": "t-4"}}\n'
    '{"doc": {"accepting_new_clients": false}, "doc_as_upsert": true}\n'
)


def test_bulk_lines_pass(spec: ElasticSpec) -> None:
    spec.validate_ndjson_bulk(BULK_OK)
    spec.validate_ndjson_bulk(BULK_OK.encode())
    spec.validate_request("post", "/_bulk", BULK_OK.splitlines())


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ('{"indx": {"_index": "t"}}\n{"id": 1}\n', "line 1: $: Additional properties"),
        ('{"index": {"_indx": "t"}}\n{"id": 1}\n', None),  # see the comment below
        ('{"index": {"_index": "t"}}\n', "'index' action without its source"),
        ('{"index": {"_index": "t"}}\n[1, 2]\n', "line 2: $: a 'index' document must be"),
        ('{"update": {"_id": "1"}}\n{"dco": {}}\n', "line 2: $: Additional properties"),
        ('{"delete": {"_id": "1"}, "index": {}}\n', "line 1: $: {"),
        ('{"index": {}}\n{"id": 1\n', "line 2: not JSON"),
    ],
)
def test_bulk_mistakes_are_rejected(spec: ElasticSpec, lines: str, expected: str | None) -> None:
    if expected is None:
        # The operation metadata (IndexOperation, ...) is an open object in the document:
        # "_indx" is not detected.
        spec.validate_ndjson_bulk(lines)
        return
    with pytest.raises(SpecViolationError, match=re.escape(expected)):
        spec.validate_ndjson_bulk(lines)


# ---------------------------------------------------------------------------------------------
# Responses


def search_response() -> dict[str, Any]:
    hit = {
        "_index": "therapists",
        "_id": "t-0001",
        "_score": None,  # null when sorting: "nullable" in the document
        "_source": {"id": "t-0001"},
        "fields": {"name": ["Ana"]},
        "sort": [1.25, 3.5, "t-0001"],
        "highlight": {"bio": ["<mark>anxiety</mark>"]},
    }
    terms = {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
        "buckets": [{"key": "female", "doc_count": 1}],
    }
    return {
        "took": 3,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": 1, "relation": "eq"}, "max_score": None, "hits": [hit]},
        "aggregations": {"gender": terms, "offices": {"doc_count": 2, "cities": terms}},
    }


def test_search_response_passes(spec: ElasticSpec) -> None:
    spec.validate_response(*SEARCH, 200, search_response())


def test_broken_search_response_fails(spec: ElasticSpec) -> None:
    response = search_response()
    del response["hits"]
    response["took"] = "3ms"
    with pytest.raises(SpecViolationError) as caught:
        spec.validate_response(*SEARCH, 200, response)
    assert [str(v) for v in caught.value.violations] == [
        "$: 'hits' is a required property",
        "$.took: '3ms' is not of type 'number'",
    ]


def test_other_responses_pass(spec: ElasticSpec) -> None:
    shards = {"total": 2, "successful": 1, "failed": 0}
    item = {
        "_index": "therapists",
        "_id": "t-1",
        "status": 201,
        "result": "created",
        "_version": 1,
        "_shards": shards,
        "_seq_no": 0,
        "_primary_term": 1,
    }
    spec.validate_response(
        "post", "/_bulk", 200, {"took": 3, "errors": False, "items": [{"index": item}]}
    )
    created = {"acknowledged": True, "shards_acknowledged": True, "index": "therapists-v2"}
    spec.validate_response(*CREATE_INDEX, 200, created)
    spec.validate_response("post", "/{index}/_count", 200, {"count": 3, "_shards": shards})
    with pytest.raises(KeyError, match="no 404"):
        spec.validate_response("post", "/{index}/_count", 404, {})


# ---------------------------------------------------------------------------------------------
# Why the adjustments exist


def _raw_violations(spec: ElasticSpec, pointer: str, instance: Any) -> list[str]:
    resource = Resource.from_contents(copy.deepcopy(spec.raw), default_specification=DRAFT4)
    validator = Draft4Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"},
        registry=Registry().with_resource(SPEC_URI, resource),
    )
    return [error.message for error in validator.iter_errors(instance)]


def test_raw_document_needs_the_adjustments(spec: ElasticSpec) -> None:
    body = spec.request_schema_pointer(*SEARCH)
    # Unadjusted, the document accepts typos...
    assert _raw_violations(spec, body, {"qeury": {}, "aggs": {}}) == []
    # ...and rejects sub-aggregations and filter+weight functions: the variant part of an
    # allOf container says maxProperties 1, which counts every key of the instance.
    sub_aggregation = {"nested": {"path": "offices"}, "aggregations": {}}
    assert _raw_violations(spec, body, {"aggregations": {"offices": sub_aggregation}})
    # ...and rejects null scores in responses ("nullable" is not JSON Schema).
    response = spec.response_schema_pointer(*SEARCH, 200)
    assert _raw_violations(spec, response, search_response())
    # ...and rejects script params that are not objects (user-defined values).
    script = {"source": "params.w * _score", "params": {"w": 2}}
    scored = {"query": {"script_score": {"query": {"match_all": {}}, "script": script}}}
    assert _raw_violations(spec, body, scored)
    spec.validate_request(*SEARCH, scored)
