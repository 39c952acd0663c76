"""The first pass of a full load: where each record is, which records repeat an id (the first
valid one is kept) and the order the engine gets them in (:attr:`IndexBuild.order_key`)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from indexer.sources import read_blocks
from indexer.validation import validate
from indexer.workers import bounded

BLOCK_BYTES = 4 << 20
"""Bytes of source per job of the first pass."""

OrderKey = Callable[[dict[str, Any]], str]


@dataclass(frozen=True, slots=True)
class Scanned:
    """The first pass over a block of lines: where each record is, its id and its place in
    the build's document order (empty when the build keeps line order)."""

    lines: list[int]
    offsets: list[int]
    lengths: list[int]
    ids: list[str | None]
    keys: list[str]


def scan_block(order_key: OrderKey | None, item: tuple[int, int, bytes]) -> Scanned:
    """Record positions, ids and order keys of a block (runs in worker processes). Only parses
    the JSON: a line that is not a record is found out, with the reason, by :func:`validate`."""
    first_line, offset, block = item
    out = Scanned([], [], [], [], [])
    for i, raw in enumerate(block.split(b"\n")):
        if raw.strip():
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError:
                record = None
            doc_id = record.get("id") if isinstance(record, dict) else None
            out.lines.append(first_line + i)
            out.offsets.append(offset)
            out.lengths.append(len(raw))
            # Validation strips ids the same way: " t1" and "t1" are one id.
            out.ids.append(doc_id.strip() if isinstance(doc_id, str) else None)
            if order_key is not None:
                out.keys.append(order_key(record) if isinstance(record, dict) else "")
        offset += len(raw) + 1
    return out


@dataclass(frozen=True, slots=True)
class Plan:
    """The records of the second pass, in the order the engine gets them."""

    lines: np.ndarray
    offsets: np.ndarray
    lengths: np.ndarray


def plan_load(
    kind: str,
    order_key: OrderKey | None,
    source: Path,
    pool: Executor | None,
    workers: int,
    reasons: dict[int, str],
) -> Plan:
    """The first pass: positions, duplicate ids (decided here, see :func:`_duplicates`) and
    the document order."""
    lines: list[np.ndarray] = []
    offsets: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    first: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    job = functools.partial(scan_block, order_key)
    for part in bounded(pool, job, read_blocks(source, BLOCK_BYTES), workers):
        lines.append(np.array(part.lines, dtype=np.int64))
        offsets.append(np.array(part.offsets, dtype=np.int64))
        lengths.append(np.array(part.lengths, dtype=np.int64))
        keys.append(np.array(part.keys, dtype="S16"))
        for number, doc_id in zip(part.lines, part.ids, strict=True):
            if doc_id is not None and first.setdefault(doc_id, number) != number:
                repeated.setdefault(doc_id, [first[doc_id]]).append(number)
    del first
    plan = Plan(
        *(np.concatenate(a) if a else np.zeros(0, np.int64) for a in (lines, offsets, lengths))
    )
    key = np.concatenate(keys) if keys else np.zeros(0, "S16")
    keep = np.ones(len(plan.lines), dtype=bool)
    if repeated:
        dropped = _duplicates(kind, source, plan, repeated, reasons)
        keep &= ~np.isin(plan.lines, np.fromiter(dropped, np.int64, len(dropped)))
    order = np.flatnonzero(keep)
    if order_key is not None:
        order = order[np.lexsort((plan.lines[order], key[order]))]
    return Plan(plan.lines[order], plan.offsets[order], plan.lengths[order])


def _duplicates(
    kind: str, source: Path, plan: Plan, repeated: dict[str, list[int]], reasons: dict[int, str]
) -> set[int]:
    """Records sharing an id: the first valid one (in line order) is kept, a later valid one
    is refused as a duplicate and an invalid one for what is wrong with it. Validated here,
    before the order is set, so that the outcome does not depend on the order. Returns the
    lines not to index."""
    dropped: set[int] = set()
    fd = os.open(source, os.O_RDONLY)
    try:
        for doc_id, numbers in repeated.items():
            kept: int | None = None
            for number in numbers:
                i = int(np.searchsorted(plan.lines, number))  # lines ascend here
                text = os.pread(fd, int(plan.lengths[i]), int(plan.offsets[i])).strip()
                _, reason = validate(kind, text)
                if reason is None and kept is None:
                    kept = number
                    continue
                dropped.add(number)
                reasons[number] = (
                    reason or f"duplicate id {doc_id!r}: already defined at line {kept}"
                )
    finally:
        os.close(fd)
    return dropped
