"""The writer's pure parts: names, creation bodies, bulk payloads, bulk failures, and the
version decisions (which indices are versions, what to prune, where to roll back)."""

from __future__ import annotations

import datetime as dt
import pickle

import orjson
import pytest

from search_core.elastic import names
from search_core.elastic.failures import ReportsItemFailures, bulk_failures
from search_core.elastic.index_bodies import (
    alias_move_body,
    create_index_body,
    encode_bulk,
    split_payload,
)
from search_core.elastic.versions import classify, prune_plan, rollback_target
from search_core.errors import MappingError, NotFound
from search_core.index_docs import therapist_doc
from search_core.mappings import load_mapping
from search_core.settings import PROJECT_ROOT
from tests.elastic.cases import sample_therapist
from tests.elastic.fakes import bulk_response, checked
from tests.es_spec import ElasticSpec

P = "ts"


def v(n: int) -> str:
    return f"v20250{n}01t120000-{n:06d}"


def idx(n: int) -> str:
    return names.index_name(P, "therapists", v(n))


# ---------------------------------------------------------------------------- names


def test_names_and_versions() -> None:
    assert names.alias_name(P, "therapists") == "ts-therapists"
    assert idx(1) == "ts-therapists-v20250101t120000-000001"
    assert names.version_of(P, "therapists", idx(1)) == v(1)
    assert names.version_of(P, "therapists", "ts-therapists-backup") is None
    assert names.version_of(P, "locations", idx(1)) is None
    assert names.index_pattern(P, "articles") == "ts-articles-v*"
    now = dt.datetime(2025, 6, 1, 12, 30, 5, tzinfo=dt.UTC)
    nxt = names.next_version([v(1), v(3)], now)
    assert nxt == "v20250601t123005-000004" and nxt == nxt.lower()
    with pytest.raises(MappingError, match="unknown index kind"):
        names.alias_name(P, "people")
    with pytest.raises(ValueError, match="version"):
        names.index_name(P, "therapists", "V1")


# ---------------------------------------------------------------------------- creation


def test_create_body_is_the_mapping_file_plus_index_settings() -> None:
    mapping = load_mapping(PROJECT_ROOT / "mappings", "therapists")
    body = create_index_body(mapping, shards=3, replicas=2)
    assert body["mappings"] == mapping.body["mappings"]
    assert body["settings"]["analysis"] == mapping.body["settings"]["analysis"]
    assert body["settings"]["index"] == {
        "max_result_window": 10000,
        "number_of_shards": 3,
        "number_of_replicas": 2,
        "refresh_interval": "-1",
    }
    assert "number_of_shards" not in mapping.body["settings"]["index"]  # file data untouched


def test_alias_move_removes_every_old_holder_then_adds() -> None:
    body = alias_move_body("ts-therapists", idx(3), [idx(1), idx(2), idx(3)])
    assert body == {
        "actions": [
            {"remove": {"index": idx(1), "alias": "ts-therapists"}},
            {"remove": {"index": idx(2), "alias": "ts-therapists"}},
            {"add": {"index": idx(3), "alias": "ts-therapists"}},
        ]
    }


# ---------------------------------------------------------------------------- bulk


def test_bulk_payload_round_trip_and_pickles() -> None:
    doc = therapist_doc(sample_therapist())
    payload = encode_bulk(doc, 7)
    action, source = split_payload(payload)
    assert action == {"index": {"_id": "t0000042"}}
    assert orjson.loads(source) == doc
    assert pickle.loads(pickle.dumps(encode_bulk))(doc, 7) == payload  # for worker processes


def test_bulk_item_failures_become_rejects(spec: ElasticSpec) -> None:
    error = {
        "type": "document_parsing_exception",
        "reason": "[1:50] failed to parse field",
        "caused_by": {"type": "number_format_exception", "reason": "For input 'x'"},
    }
    resp = checked(
        spec,
        "post",
        "/{index}/_bulk",
        bulk_response(
            [
                ("t1", 201, None),
                ("t2", 400, error),
                ("t3", 429, {"type": "es_rejected_execution_exception", "reason": "queue full"}),
            ],
            idx(1),
        ),
    )
    got = bulk_failures(resp, {"t1": 3, "t2": 4, "t3": 5})
    assert [(f.seq, f.doc_id, f.status) for f in got] == [(4, "t2", 400), (5, "t3", 429)]
    assert got[0].reason == (
        "document_parsing_exception: [1:50] failed to parse field "
        "(caused by number_format_exception: For input 'x')"
    )


def test_the_build_offers_item_failures() -> None:
    from search_core.elastic.build import ElasticBuild

    for name in ("take_failures", "flush"):
        assert callable(getattr(ElasticBuild, name))
    assert issubclass(ElasticBuild, ReportsItemFailures)


# ---------------------------------------------------------------------------- versions


def _mappings(*entries: tuple[str, dict[str, object] | None]) -> dict[str, object]:
    out: dict[str, object] = {}
    for index, meta in entries:
        mappings: dict[str, object] = {"dynamic": "strict", "properties": {}}
        if meta is not None:
            mappings["_meta"] = meta
        out[index] = {"mappings": mappings}
    return out


def _sealed(n: int, count: int) -> dict[str, object]:
    return {"complete": True, "version": v(n), "doc_count": count, "created": f"2025-0{n}-01"}


def test_classify_complete_unfinished_and_foreign(spec: ElasticSpec) -> None:
    resp = _mappings(
        (idx(2), _sealed(2, 20)),
        (idx(1), _sealed(1, 10)),
        (idx(3), None),  # a load that died, or one still running
        ("ts-therapists-restored", _sealed(9, 1)),  # not ours
    )
    checked(spec, "get", "/{index}/_mapping", resp)
    inv = classify(P, "therapists", resp, [idx(2)])
    assert [(x.version, x.doc_count, x.current) for x in inv.complete] == [
        (v(1), 10, False),
        (v(2), 20, True),
    ]
    assert inv.unfinished == [idx(3)]
    assert inv.current is not None and inv.current.version == v(2)
    assert inv.current.to_dict() == {
        "kind": "therapists",
        "version": v(2),
        "doc_count": 20,
        "created": "2025-02-01",
        "current": True,
    }


def test_prune_keeps_the_newest_and_never_the_serving_one() -> None:
    resp = _mappings(*[(idx(n), _sealed(n, n)) for n in (1, 2, 3, 4)], (idx(5), None))
    inv = classify(P, "therapists", resp, [idx(1)])  # rolled back to the oldest
    assert prune_plan(inv, keep=2) == [idx(2), idx(3)]
    assert prune_plan(classify(P, "therapists", resp, [idx(4)]), keep=3) == [idx(1)]
    # an unfinished index older than the newest complete one is a load that died
    died = _mappings((idx(1), None), (idx(2), _sealed(2, 2)), (idx(3), None))
    assert prune_plan(classify(P, "therapists", died, [idx(2)]), keep=3) == [idx(1)]


def test_rollback_target() -> None:
    resp = _mappings(*[(idx(n), _sealed(n, n)) for n in (1, 2, 3)])
    inv = classify(P, "therapists", resp, [idx(3)])
    assert rollback_target("therapists", inv, None).version == v(2)
    assert rollback_target("therapists", inv, v(1)).version == v(1)
    with pytest.raises(NotFound, match="no complete version"):
        rollback_target("therapists", inv, "v20990101t000000-000009")
    oldest = classify(P, "therapists", resp, [idx(1)])
    with pytest.raises(NotFound, match="no earlier version"):
        rollback_target("therapists", oldest, None)
