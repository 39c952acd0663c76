"""The Elasticsearch index definitions in ``mappings/*.json``: valid, strict, and consistent.

Each file is the body of a ``PUT /{index}`` request (``{"settings": ..., "mappings": ...}``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from tests.es_spec import PROJECT_ROOT, ElasticSpec, require_spec

MAPPINGS_DIR = PROJECT_ROOT / "mappings"
EXPECTED_INDEXES = ("articles", "locations", "therapists")
# Every file present, so a new index is checked as soon as its mapping file lands.
INDEXES = tuple(sorted(p.stem for p in MAPPINGS_DIR.glob("*.json")))
# Where each index keeps its geo points (dotted paths through objects and nested objects).
GEO_POINTS: dict[str, set[str]] = {
    "therapists": {"offices.location"},
    "locations": {"location"},
    "articles": set(),
}
ANALYZER_PARAMETERS = ("analyzer", "search_analyzer", "search_quote_analyzer")


@cache
def index_body(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((MAPPINGS_DIR / f"{name}.json").read_text("utf-8"))
    return body


def analysis(name: str) -> dict[str, Any]:
    section: dict[str, Any] = index_body(name).get("settings", {}).get("analysis", {})
    return section


def iter_fields(
    properties: dict[str, Any], prefix: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, definition) of every field, multi-field (``name.keyword``) and sub-field."""
    for field, definition in properties.items():
        path = f"{prefix}{field}"
        yield path, definition
        yield from iter_fields(definition.get("fields", {}), f"{path}.")
        yield from iter_fields(definition.get("properties", {}), f"{path}.")


def fields(name: str) -> list[tuple[str, dict[str, Any]]]:
    return list(iter_fields(index_body(name)["mappings"]["properties"]))


@pytest.fixture(scope="session")
def spec() -> ElasticSpec:
    return require_spec()


def test_every_index_has_a_mapping_file() -> None:
    assert set(EXPECTED_INDEXES) <= set(INDEXES)


@pytest.mark.parametrize("name", INDEXES)
def test_is_a_valid_create_index_body(spec: ElasticSpec, name: str) -> None:
    spec.validate_request("put", "/{index}", index_body(name))


@pytest.mark.parametrize("name", INDEXES)
def test_dynamic_is_strict(name: str) -> None:
    mappings = index_body(name)["mappings"]
    assert mappings.get("dynamic") == "strict"
    relaxed = [path for path, d in fields(name) if d.get("dynamic", "strict") != "strict"]
    assert relaxed == [], f"these objects relax dynamic: strict: {relaxed}"


@pytest.mark.parametrize("name", INDEXES)
def test_geo_points_are_where_expected(name: str) -> None:
    assert name in GEO_POINTS, f"say in GEO_POINTS where mappings/{name}.json keeps geo points"
    geo_points = {path for path, d in fields(name) if d.get("type") == "geo_point"}
    assert geo_points == GEO_POINTS[name], f"geo_point fields of {name}"


def test_therapist_offices_are_nested() -> None:
    offices = index_body("therapists")["mappings"]["properties"]["offices"]
    assert offices["type"] == "nested"
    assert offices["properties"]["location"] == {"type": "geo_point"}


@pytest.mark.parametrize("name", INDEXES)
def test_no_mapping_carries_synonyms(name: str) -> None:
    # One synonym mechanism: the query builders expand units from search_core.vocabulary at
    # search time on every engine. A synonym filter here would be a second one, dead (queries
    # never name it) or doubling the expansion (if they did).
    synonym_filters = [
        f
        for f, d in analysis(name).get("filter", {}).items()
        if d.get("type") in ("synonym", "synonym_graph")
    ]
    assert synonym_filters == [], f"mappings/{name}.json defines {synonym_filters}"
    searched_apart = [p for p, d in fields(name) if "search_analyzer" in d]
    assert searched_apart == [], f"fields searched with another analyzer: {searched_apart}"


@pytest.mark.parametrize("name", INDEXES)
def test_referenced_analyzers_and_normalizers_are_defined(name: str) -> None:
    analyzers = set(analysis(name).get("analyzer", {}))
    normalizers = set(analysis(name).get("normalizer", {}))
    undefined = [
        f"{path}.{parameter} = {definition[parameter]!r}"
        for path, definition in fields(name)
        for parameter in ANALYZER_PARAMETERS
        if parameter in definition and definition[parameter] not in analyzers
    ]
    undefined += [
        f"{path}.normalizer = {definition['normalizer']!r}"
        for path, definition in fields(name)
        if "normalizer" in definition and definition["normalizer"] not in normalizers
    ]
    assert undefined == [], f"not defined in settings.analysis: {undefined}"


@pytest.mark.parametrize("name", INDEXES)
def test_analysis_chains_use_defined_or_builtin_parts(spec: ElasticSpec, name: str) -> None:
    # Built-in tokenizers and filters are used by the name of their type ("standard",
    # "lowercase", "asciifolding"), so the spec's type lists catch misspelt chain entries.
    section = analysis(name)
    tokenizers = set(section.get("tokenizer", {}))
    tokenizers |= spec.discriminator_values("_types.analysis.TokenizerDefinition")
    filters = set(section.get("filter", {}))
    filters |= spec.discriminator_values("_types.analysis.TokenFilterDefinition")
    unknown: list[str] = []
    for kind in ("analyzer", "normalizer"):
        for component, definition in section.get(kind, {}).items():
            if "tokenizer" in definition and definition["tokenizer"] not in tokenizers:
                unknown.append(f"{kind}.{component}.tokenizer {definition['tokenizer']!r}")
            unknown += [
                f"{kind}.{component}.filter {f!r}"
                for f in definition.get("filter", [])
                if f not in filters
            ]
    assert unknown == [], f"neither defined in settings.analysis nor built in: {unknown}"


@pytest.mark.parametrize("name", INDEXES)
def test_search_analyzer_comes_with_an_analyzer(name: str) -> None:
    # Elasticsearch refuses search_analyzer without analyzer; the spec does not say so.
    lacking = [path for path, d in fields(name) if "search_analyzer" in d and "analyzer" not in d]
    assert lacking == [], f"search_analyzer without an index-time analyzer: {lacking}"
