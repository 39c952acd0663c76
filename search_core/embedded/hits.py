"""Hit containers: a search's hits with their fast-field values gathered (from the columns or
through Tantivy), and the hits in result order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import tantivy

from search_core.embedded.columns import (
    FEE_MIN,
    Columns,
    fast_floats,
    field_of,
    hit_scores,
)
from search_core.queries import FLAGS, TherapistFilters


class HitFields:
    """Some of a search's hits (positions ``idx`` in ``hits``) and their fast-field values:
    gathered from the index's numpy columns when the searcher has them, else read through
    ``fast_field_values`` (one call per field). Without ``hits`` (a search answered from the
    columns alone, see :meth:`of_rows`) the hits are the ``rows`` of the columns."""

    def __init__(
        self,
        searcher: tantivy.Searcher,
        hits: Sequence[tuple[float, tantivy.DocAddress]],
        columns: Columns | None = None,
        idx: np.ndarray | None = None,
        rows: np.ndarray | None = None,
    ) -> None:
        self.searcher, self.hits, self.columns = searcher, hits, columns
        self.idx = idx if idx is not None else np.arange(len(hits))
        if columns is not None and rows is None:
            rows = columns.rows(hits)
        self.rows = rows
        self._addrs: list[tantivy.DocAddress] | None = None
        self._taken: dict[int, np.ndarray] = {}  # the hits' rows of each block, by id

    @classmethod
    def of_rows(cls, searcher: tantivy.Searcher, columns: Columns, rows: np.ndarray) -> HitFields:
        return cls(searcher, (), columns, np.arange(len(rows)), rows)

    def __len__(self) -> int:
        return len(self.idx)

    def subset(self, which: np.ndarray) -> HitFields:
        rows = self.rows[which] if self.rows is not None else None
        out = HitFields(self.searcher, self.hits, self.columns, self.idx[which], rows)
        out._taken = {k: np.take(v, which, axis=0) for k, v in self._taken.items()}
        return out

    def addr(self, k: int) -> tantivy.DocAddress:
        if not self.hits and self.columns is not None and self.rows is not None:
            return self.columns.address(int(self.rows[k]))
        return self.hits[int(self.idx[k])][1]

    @property
    def addrs(self) -> list[tantivy.DocAddress]:
        if self._addrs is None:
            hits = self.hits
            self._addrs = [hits[i][1] for i in self.idx.tolist()]
        return self._addrs

    def scores(self) -> np.ndarray:
        scores: np.ndarray = hit_scores(self.hits)[self.idx]
        return scores

    def packed(self, names: Sequence[str]) -> tuple[np.ndarray, dict[str, slice]] | None:
        """The hits' rows of the byte block holding every field of ``names`` side by side
        (rows × bytes) and each field's bytes in it; ``None`` unless the columns keep them so
        (see :attr:`Columns.blocks`)."""
        if self.columns is None or self.rows is None or not names:
            return None
        first = self.columns.blocks.get(names[0])
        if first is None:
            return None
        block, spans = first[0], {}
        for name in names:
            place = self.columns.blocks.get(name)
            if place is None or place[0] is not block or not isinstance(place[1], slice):
                return None
            spans[name] = place[1]
        taken = self._taken.get(id(block))
        if taken is None:
            taken = self._taken[id(block)] = np.take(block, self.rows, axis=0)
        return taken, spans

    def get(self, field: str, dtype: type, missing: float | None = None) -> np.ndarray:
        if self.columns is not None and self.rows is not None:
            placed = self.columns.blocks.get(field)
            if placed is None:
                if field in self.columns.absent:
                    return self.columns.missing(field, len(self.rows))
                column: np.ndarray = np.take(self.columns[field], self.rows)
                return column
            block, where, dtype_of = placed
            taken = self._taken.get(id(block))
            if taken is None:
                taken = self._taken[id(block)] = np.take(block, self.rows, axis=0)
            return field_of(taken, where, dtype_of)
        if np.dtype(dtype).kind == "f":
            return fast_floats(self.searcher, field, self.addrs, missing)
        values = self.searcher.fast_field_values(field, self.addrs)
        try:
            return np.array(values, dtype=dtype)
        except TypeError:  # some documents lack the field
            fill = 0 if missing is None else missing
            return np.array([fill if v is None else v for v in values], dtype=dtype)


@dataclass(frozen=True)
class Ranked:
    """Hits in result order: ``order`` indexes ``fields``; ``final`` holds the shown scores
    (``None`` when the search has no text)."""

    fields: HitFields | None
    order: np.ndarray
    final: np.ndarray | None

    def page(self, offset: int, size: int) -> list[tuple[tantivy.DocAddress, float | None]]:
        if self.fields is None:
            return []
        fields, final = self.fields, self.final
        return [
            (fields.addr(k), float(final[k]) if final is not None else None)
            for k in self.order[offset : offset + size].tolist()
        ]


NOTHING = Ranked(None, np.empty(0, dtype=np.int64), None)


def column_filters(f: TherapistFilters, fields: HitFields) -> list[np.ndarray]:
    """The non-facet filters but ``licensed_in`` (which has no column) on the columns, as
    Tantivy applies them: a document without the field fails."""
    out = []
    if f.max_fee is not None:
        out.append(fields.get(FEE_MIN, np.float32) <= f.max_fee)
    for flag in FLAGS:
        if (value := getattr(f, flag)) is not None:
            out.append(fields.get(flag, np.int8) == int(value))
    return out
