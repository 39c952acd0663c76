"""The embedded schema is derived from mappings/*.json and refuses what it cannot honour."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from search_core.embedded import schema as schema_mod
from search_core.embedded.schema import EmbeddedSchema, geo_names, tname
from search_core.errors import MappingError
from search_core.mappings import KINDS, IndexMapping, load_mapping
from search_core.settings import Settings


@pytest.fixture(scope="module")
def mappings() -> dict[str, IndexMapping]:
    s = Settings()
    return {k: load_mapping(s.mappings_dir, k) for k in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_every_mapped_field_is_handled_or_listed(
    kind: str, mappings: dict[str, IndexMapping]
) -> None:
    schema = EmbeddedSchema(mappings[kind])
    handled = (
        {p.mapped.path for p in schema.plans} | set(schema.source_only) | set(schema.unsupported)
    )
    assert handled == {f.path for f in mappings[kind].fields()}
    for plan in schema.plans:
        assert all(name for name in plan.names)


def test_field_types_land_as_documented(mappings: dict[str, IndexMapping]) -> None:
    schema = EmbeddedSchema(mappings["therapists"])
    kinds = {p.mapped.path: p.kind for p in schema.plans}
    assert kinds["issues"] == "keyword"
    assert kinds["bio"] == "text"
    assert kinds["fee_max"] == "integer"
    assert kinds["telehealth"] == "boolean"
    assert kinds["last_confirmed"] == "date"
    geo = schema.by_path["offices.location"]
    assert geo.kind == "geo" and geo.slots is not None
    assert geo.names[:2] == geo_names("offices.location", 0)
    assert "pronouns" in schema.source_only  # index: false in the mapping
    contact = {"phone", "email", "website", "booking_url", "free_consultation", "photo_url"}
    assert contact <= set(schema.source_only)  # stored with the record, not searchable
    assert not contact & {tname(p.mapped.path) for p in schema.plans}
    assert tname("offices.city_slug") == "offices__city_slug"


def _with_field(mapping: IndexMapping, name: str, spec: dict[str, Any]) -> IndexMapping:
    body = copy.deepcopy(mapping.body)
    body["mappings"]["properties"][name] = spec
    return IndexMapping(mapping.kind, body)


def test_unknown_field_type_fails_naming_the_field(mappings: dict[str, IndexMapping]) -> None:
    bad = _with_field(mappings["locations"], "outline", {"type": "geo_shape"})
    with pytest.raises(MappingError, match="'outline' has type 'geo_shape'"):
        EmbeddedSchema(bad)


def test_listed_unsupported_field_is_skipped(
    mappings: dict[str, IndexMapping], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _with_field(mappings["locations"], "outline", {"type": "geo_shape"})
    monkeypatch.setitem(
        schema_mod.DELIBERATELY_UNSUPPORTED,
        ("locations", "outline"),
        "polygons are not searchable on the embedded engine",
    )
    schema = EmbeddedSchema(bad)
    assert "outline" in schema.unsupported


def test_unknown_token_filter_fails(mappings: dict[str, IndexMapping]) -> None:
    body = copy.deepcopy(mappings["locations"].body)
    body["settings"]["analysis"]["analyzer"]["name_text"]["filter"].append("shingle")
    with pytest.raises(MappingError, match="token filter 'shingle' is not defined"):
        EmbeddedSchema(IndexMapping("locations", body))


def test_search_analyzer_may_differ_only_by_synonyms(mappings: dict[str, IndexMapping]) -> None:
    body = copy.deepcopy(mappings["therapists"].body)
    analyzers = body["settings"]["analysis"]["analyzer"]
    analyzers["english_search"] = copy.deepcopy(analyzers["english_text"])
    analyzers["english_search"]["filter"].remove("english_stemmer")
    body["mappings"]["properties"]["bio"]["search_analyzer"] = "english_search"
    with pytest.raises(MappingError, match="differs from 'english_text' by more than synonyms"):
        EmbeddedSchema(IndexMapping("therapists", body))


def test_english_analysis_stems_and_folds(mappings: dict[str, IndexMapping]) -> None:
    schema = EmbeddedSchema(mappings["therapists"])
    assert schema.analyze("bio", "Counseling Cafés for anxieties") == (
        "counsel",
        "cafe",
        "for",
        "anxieti",
    )
    assert schema.analyze("bio", "anxiety") == schema.analyze("bio", "anxieties")
    assert schema.analyze("name", "José Núñez") == ("jose", "nunez")
    assert schema.analyze("issues", "chronic-pain") == ("chronic-pain",)


def test_kept_analysis_is_the_analyzers_and_bounded(
    mappings: dict[str, IndexMapping], monkeypatch: pytest.MonkeyPatch
) -> None:
    import search_core.embedded.analysis as analysis_module

    monkeypatch.setattr(analysis_module, "ANALYZED_KEPT", 3)
    schema = EmbeddedSchema(mappings["therapists"])
    words = ["Anxieties", "therapy", "Cafés", "counseling", "Anxieties", "José"]
    for word in words * 2:
        for path in ("bio", "issue_labels", "name"):
            analyzer = schema.analyzers[schema.by_path[path].tokenizer or ""]
            assert schema.analyze(path, word) == tuple(analyzer.analyze(word))
    assert len(schema.text_analysis._analyzed) <= 3
