"""The Tantivy JSON of a document (``DocumentEncoder.to_tantivy``, which takes shortcuts: the
top-level fields in one loop, a point's cells from a table) against the plain reading of the
field plans, one plan at a time, on every fixture document of every kind; and a point's cells
against :func:`search_core.geocells.cells_of` on and next to cell bounds."""

from __future__ import annotations

import gzip
import math
from pathlib import Path
from typing import Any

import orjson
import pytest

from indexer.validation import validate
from search_core.embedded.encoding import (
    ORDER_PRECISION,
    _date_value,
    _geohash6,
    _point_cells,
    id_key,
)
from search_core.embedded.fields import EPOCH_SUFFIX, ID_KEY_FIELD, ORD_FIELD
from search_core.embedded.schema import EmbeddedSchema
from search_core.embedded.writer import embedded_schema
from search_core.geocells import cells_of, encode
from search_core.settings import Settings

PLAIN = {"keyword", "text", "integer", "float", "boolean"}


def _values(doc: dict[str, Any], path: str) -> list[Any]:
    """Every value at a dotted path, through lists, without empty ones."""
    nodes: list[Any] = [doc]
    for part in path.split("."):
        nodes = [
            v
            for node in nodes
            for item in (node if isinstance(node, list) else [node])
            if isinstance(item, dict) and (v := item.get(part)) is not None
        ]
    out: list[Any] = []
    for v in nodes:
        out.extend(v if isinstance(v, list) else [v])
    return [v for v in out if v is not None and v != ""]


def _reference(schema: EmbeddedSchema, doc: dict[str, Any], seq: int) -> dict[str, Any]:
    out: dict[str, Any] = {ORD_FIELD: seq, ID_KEY_FIELD: id_key(str(doc["id"]))}
    for plan in schema.plans:
        path = plan.mapped.source_path
        values = _values(doc, path)
        if not values:
            continue
        if plan.kind in PLAIN:
            top = doc.get(path) if "." not in path else values
            out[plan.names[0]] = top
        elif plan.kind == "geo":
            cells = sorted({c for v in values for c in cells_of(v["lat"], v["lon"])})
            out[plan.mapped.path.replace(".", "__") + "__cells"] = cells
            for i, v in enumerate(values):
                out[plan.names[2 * i]] = v["lat"]
                out[plan.names[2 * i + 1]] = v["lon"]
        elif plan.kind == "date":
            stamps = [_date_value(v) for v in values]
            out[plan.names[0]] = [text for text, _ in stamps]
            out[plan.names[0] + EPOCH_SUFFIX] = [epoch for _, epoch in stamps]
    for path in schema.mask_layout:
        out[path.replace(".", "__") + "__mask"] = schema.mask_of(path, doc.get(path))
    return out


@pytest.mark.parametrize("kind", ["therapists", "locations", "articles"])
def test_tantivy_json_of_every_fixture_document(small_dir: Path, kind: str) -> None:
    schema = embedded_schema(Settings().mappings_dir, kind)
    text = gzip.decompress((small_dir / f"{kind}.jsonl.gz").read_bytes())
    checked = 0
    for seq, line in enumerate(text.splitlines(), start=1):
        doc, reason = validate(kind, line)
        assert doc is not None, reason
        got = schema.to_tantivy(doc, None, seq)
        assert orjson.dumps(got, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
            _reference(schema, doc, seq), option=orjson.OPT_SORT_KEYS
        )
        checked += 1
    assert checked >= 30


def test_a_therapist_with_several_offices_gets_every_cell_once(small_dir: Path) -> None:
    text = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes())
    docs = [validate("therapists", line)[0] for line in text.splitlines()]
    several = [d for d in docs if d is not None and len(d["offices"]) > 1]
    assert several
    schema = embedded_schema(Settings().mappings_dir, "therapists")
    for doc in several:
        got = schema.to_tantivy(doc, None, 1)["offices__location__cells"]
        assert got == sorted({c for o in doc["offices"] for c in cells_of(**o["location"])})


def _edges() -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for bits, span, low in ((15, 180.0, -90.0), (15, 360.0, -180.0)):
        step = span / (1 << bits)
        for k in (0, 1, 2, 777, (1 << bits) // 2, (1 << bits) - 1, 1 << bits):
            bound = low + k * step
            for v in (bound, math.nextafter(bound, -math.inf), math.nextafter(bound, math.inf)):
                points.append((v, 12.5) if span == 180.0 else (45.5, v))
    points += [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (-0.0, -0.0), (45.523064, -122.676483)]
    return points


def test_point_cells_and_order_keys_are_the_points_geohashes() -> None:
    for lat, lon in _edges():
        assert _point_cells(lat, lon) == cells_of(lat, lon), (lat, lon)
        assert _geohash6(lat, lon) == encode(lat, lon, ORDER_PRECISION), (lat, lon)
