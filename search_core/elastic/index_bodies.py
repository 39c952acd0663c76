"""Bodies that write: index creation, settings, the seal, alias moves, bulk lines. Pure.

A full load creates a fresh index from ``mappings/<kind>.json`` (shards, replicas and
``refresh_interval: -1`` merged into ``settings.index``), bulk-loads it, restores the refresh
interval, refreshes, counts, *seals* it (``_meta.complete`` in its mapping, so an index left
behind by a load that died is never listed as a version or rolled back to) and only then moves
the alias in one ``_aliases`` call.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from search_core.mappings import IndexMapping

Body = dict[str, Any]

LOAD_REFRESH = "-1"
"""No refreshes while a full load writes: nobody searches the new index yet."""
SERVING_REFRESH = "1s"
"""Elasticsearch's default, restored before the count check: edits show within a second."""


def create_index_body(mapping: IndexMapping, shards: int, replicas: int) -> Body:
    """``PUT /<index>``: the mapping file as it is, with shards, replicas and the load-time
    refresh interval merged into ``settings.index``."""
    body = copy.deepcopy(mapping.body)
    settings = body.setdefault("settings", {})
    index = settings.setdefault("index", {})
    index.update(
        {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "refresh_interval": LOAD_REFRESH,
        }
    )
    return body


def refresh_interval_body(interval: str) -> Body:
    """``PUT /<index>/_settings``."""
    return {"index": {"refresh_interval": interval}}


def seal_body(kind: str, version: str, doc_count: int, created: str) -> Body:
    """``PUT /<index>/_mapping``: mark the index a complete version."""
    return {
        "_meta": {
            "complete": True,
            "kind": kind,
            "version": version,
            "doc_count": doc_count,
            "created": created,
        }
    }


def alias_move_body(alias: str, new_index: str, old_indices: Sequence[str]) -> Body:
    """``POST /_aliases``: every index that holds the alias loses it and ``new_index`` gets it,
    in one atomic step (readers see the old index or the new one, never none or both)."""
    actions: list[Body] = [
        {"remove": {"index": old, "alias": alias}} for old in old_indices if old != new_index
    ]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return {"actions": actions}


def bulk_action(doc_id: str) -> Body:
    """The action line of one document: index (create or replace) under its own id."""
    return {"index": {"_id": doc_id}}


def encode_bulk(doc: Mapping[str, Any], seq: int) -> str:
    """``encoder(doc, seq)`` of a build: the document's two ``_bulk`` lines (action, source)
    as one string, made in the load's worker processes so the writer only forwards bytes.
    ``seq`` is not part of the payload: a failure is traced back to it by the document id."""
    del seq
    return (orjson.dumps(bulk_action(str(doc["id"]))) + b"\n" + orjson.dumps(doc)).decode()


def split_payload(payload: str) -> tuple[Body, str]:
    """An encoded payload → (action line as a dict, source line as JSON text, not re-encoded)."""
    action, _, source = payload.partition("\n")
    parsed: Body = orjson.loads(action)
    return parsed, source
