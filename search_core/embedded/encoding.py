"""Encoding a document for the embedded index: the JSON object Tantivy's ``add_json`` takes (one
or more Tantivy fields per mapped field, the reserved ones, the facet masks), a full build's
document order, and the date values of queries."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from search_core.embedded.fields import (
    EPOCH_SUFFIX,
    ID_KEY_FIELD,
    ORD_FIELD,
    SOURCE_FIELD,
    FieldPlan,
    cells_name,
    mask_name,
)
from search_core.errors import MappingError
from search_core.geocells import _BASE32 as BASE32
from search_core.geocells import MAX_PRECISION, MIN_PRECISION
from search_core.geocells import _interleaved as interleaved

ORDER_PRECISION = 6
NO_ORDER_KEY = "~" * ORDER_PRECISION
_PLAIN = frozenset({"keyword", "text", "integer", "float", "boolean"})


def id_key(doc_id: str) -> int:
    return int.from_bytes(doc_id.encode("utf-8")[:8].ljust(8, b"\0"), "big")


class DocumentEncoder:
    """Turns documents into Tantivy's JSON for one schema's field plans and facet masks (the
    plans' getters are made once: this runs for every field of every document of a load)."""

    def __init__(
        self, plans: Sequence[FieldPlan], mask_layout: Mapping[str, Sequence[str]]
    ) -> None:
        self._mask_bits = {
            path: {v: 1 << i for i, v in enumerate(values)} for path, values in mask_layout.items()
        }
        self._masks = [(path, mask_name(path), self._mask_bits[path]) for path in mask_layout]
        self._geo_getters = [_getter(p.mapped.source_path) for p in plans if p.kind == "geo"]
        self._extract = [
            (
                p.mapped.source_path if "." not in p.mapped.source_path else None,
                _getter(p.mapped.source_path),
                p.kind,
                p.names,
                p.slots,
                cells_name(p.mapped.path) if p.kind == "geo" else "",
            )
            for p in plans
        ]
        # The fast loop of :meth:`to_tantivy`: top-level fields taken as they are (most).
        self._plain_top = [
            (top, names[0]) for top, _, kind, names, _, _ in self._extract if top and kind in _PLAIN
        ]
        self._rest = [e for e in self._extract if not (e[0] and e[2] in _PLAIN)]

    def order_key(self, doc: dict[str, Any]) -> str:
        """Where a document goes in a full build's document order: the geohash (precision
        :data:`ORDER_PRECISION`) of its first point, so that documents near each other get
        neighbouring document numbers; ``~`` (after every geohash) without a point.

        Tantivy intersects a small geo-cell filter with a text query by skipping, but its
        union of many text clauses refills blocks of 4,096 documents: when a search area's
        documents are spread over the whole index every block is read, when they sit
        together only a few are."""
        for get in self._geo_getters:
            values = get(doc)
            if values:
                return _geohash6(values[0]["lat"], values[0]["lon"])
        return NO_ORDER_KEY

    def to_tantivy(self, doc: dict[str, Any], source: bytes | None, ord_: int) -> dict[str, Any]:
        """The JSON object ``IndexWriter.add_json`` takes for one index document; ``source``
        goes into Tantivy's store only for a version that keeps it there (see
        :mod:`search_core.embedded.sourcefile`)."""
        out: dict[str, Any] = {ORD_FIELD: ord_, ID_KEY_FIELD: id_key(str(doc["id"]))}
        if source is not None:
            out[SOURCE_FIELD] = base64.b64encode(source).decode("ascii")
        for key, name in self._plain_top:
            value = doc.get(key)
            if value or (value is not None and value != "" and value != []):
                out[name] = value  # (the first test settles most values)
        for top, get, kind, names, slots, cells in self._rest:
            if top is not None:  # a top-level field: most of them, so the fast path
                values = doc.get(top)
                if values is None or values == "" or values == []:
                    continue
                if kind in _PLAIN:
                    out[names[0]] = values
                    continue
                if not isinstance(values, list):
                    values = [values]
            else:
                values = get(doc)
                if not values:
                    continue
                if kind in _PLAIN:
                    out[names[0]] = values
                    continue
            if kind == "geo":
                if len(values) == 1:  # one point's cells are in order (see _point_cells)
                    out[cells] = _point_cells(values[0]["lat"], values[0]["lon"])
                else:
                    out[cells] = sorted(
                        {c for v in values for c in _point_cells(v["lat"], v["lon"])}
                    )
                if slots is None:
                    out[names[0]] = values[0]["lat"]
                    out[names[1]] = values[0]["lon"]
                    continue
                if len(values) > slots:
                    raise MappingError(f"{names[0]}: more than {slots} values")
                for i, v in enumerate(values):
                    out[names[2 * i]] = v["lat"]
                    out[names[2 * i + 1]] = v["lon"]
            elif kind == "date":
                stamps = [_date_value(v) for v in values]
                out[names[0]] = [text for text, _ in stamps]
                out[names[0] + EPOCH_SUFFIX] = [epoch for _, epoch in stamps]
        for path, name, bits in self._masks:
            values = doc.get(path)
            mask = 0
            if values:
                for v in (values,) if isinstance(values, str) else values:
                    mask |= bits.get(v, 0)
            out[name] = mask
        return out

    def mask_of(self, path: str, values: str | Sequence[str] | None) -> int:
        """The bits of ``values`` in the facet mask of ``path`` (unknown values have none)."""
        if not values:
            return 0
        bits = self._mask_bits[path]
        mask = 0
        for v in (values,) if isinstance(values, str) else values:
            mask |= bits.get(v, 0)
        return mask


_PAIRS = [a + b for a in BASE32 for b in BASE32]
if MAX_PRECISION != 6 or ORDER_PRECISION != 6:  # pragma: no cover  (30 bits, three pairs)
    raise ImportError("_point_cells and _geohash6 read geohashes of 6 characters")
_PRECISIONS = range(MIN_PRECISION, MAX_PRECISION + 1)


def _geohash6(lat: float, lon: float) -> str:
    """``geohash(lat, lon, ORDER_PRECISION)``, its characters taken two at a time."""
    code = interleaved(lat, lon, 5 * ORDER_PRECISION)
    return _PAIRS[code >> 20] + _PAIRS[(code >> 10) & 1023] + _PAIRS[code & 1023]


def _point_cells(lat: float, lon: float) -> list[str]:
    """:func:`~search_core.geocells.cells_of` (every cell of the point, ``p:hash``, largest
    first, so in order) with the geohash's characters taken two at a time from a table."""
    code = interleaved(lat, lon, 5 * MAX_PRECISION)
    full = _PAIRS[code >> 20] + _PAIRS[(code >> 10) & 1023] + _PAIRS[code & 1023]
    return [f"{p}:{full[:p]}" for p in _PRECISIONS]


_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()


def _date_value(value: str) -> tuple[str, int]:
    """A date or date-time as Tantivy's date text and seconds since the epoch (UTC). A plain
    ``YYYY-MM-DD`` (every therapist's ``last_confirmed``) is midnight UTC: worked out from the
    day number, without the round trip through an aware datetime."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[0] != "0":
        day = dt.date.fromisoformat(value)
        return f"{value}T00:00:00Z", (day.toordinal() - _EPOCH_DAY) * 86400
    parsed = _parse_date(value)
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ"), int(parsed.timestamp())


def _parse_date(value: str) -> dt.datetime:
    """An ISO date or date-time as an aware UTC datetime (plain dates are midnight UTC)."""
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def date_value(value: dt.date | dt.datetime) -> dt.datetime:
    """A Python value for Tantivy date range queries (dates are midnight UTC)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _present(v: Any) -> bool:
    return v is not None and v != ""


def _getter(path: str) -> Callable[[dict[str, Any]], list[Any]]:
    """A function collecting the values at a dotted path, descending through lists.

    Paths of one and two steps (all the mappings use) get straight-line code: this runs for
    every field of every document of a full load.
    """
    parts = path.split(".")

    def as_list(v: Any) -> list[Any]:
        if v is None or v == "":
            return []
        if isinstance(v, list):
            return [x for x in v if _present(x)]
        return [v]

    if len(parts) == 1:
        key = parts[0]
        return lambda doc: as_list(doc.get(key))
    if len(parts) == 2:
        outer, inner = parts

        def two(doc: dict[str, Any]) -> list[Any]:
            node = doc.get(outer)
            if node is None:
                return []
            if isinstance(node, list):
                return [v for item in node if _present(v := item.get(inner))]
            return as_list(node.get(inner))

        return two
    head, rest = parts[0], _getter(".".join(parts[1:]))

    def deep(doc: dict[str, Any]) -> list[Any]:
        node = doc.get(head)
        items = node if isinstance(node, list) else [node] if node is not None else []
        return [v for item in items for v in rest(item)]

    return deep
