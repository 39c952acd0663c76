"""Full loads: read → validate → transform → write a new index version → check → swap.

Every record is validated against its document model. A bad record is reported with its file,
line and reason and written to a rejects file (never silently dropped); the good ones are
indexed. The new version becomes the serving one only when its document count matches what was
accepted, and only when the share of rejects is within ``Settings.max_reject_ratio``.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import functools
import gc
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import orjson
from pydantic import ValidationError

from indexer.sources import KEPT, SourceLine, plain_text, read_blocks, read_lines
from search_core.backend import (
    IndexBuild,
    IndexWriter,
    ItemFailure,
    ReportsItemFailures,
    VersionView,
)
from search_core.documents import MODELS
from search_core.errors import IndexingError
from search_core.faults import pause_at
from search_core.index_docs import TO_INDEX_DOC
from search_core.settings import Settings

Progress = Callable[[int, int], None]
"""Called as ``progress(records_read, records_rejected)`` every so often."""


@dataclass
class LoadReport:
    kind: str
    source: Path
    read: int = 0
    indexed: int = 0
    rejected: int = 0
    version: str | None = None
    rejects_file: Path | None = None
    seconds: float = 0.0
    first_rejects: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": str(self.source),
            "read": self.read,
            "indexed": self.indexed,
            "rejected": self.rejected,
            "version": self.version,
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.rate, 1),
        }


def describe(error: ValidationError) -> str:
    """A validation error as one line: ``offices.0.zip: String should match pattern ...``."""
    parts = []
    for e in error.errors(include_url=False):
        loc = ".".join(str(p) for p in e["loc"])
        parts.append(f"{loc}: {e['msg']}" if loc else _in_record(str(e["msg"])))
    return "; ".join(parts)


def _in_record(message: str) -> str:
    """A JSON syntax error's position in a one-line record is a column: the line is the
    file's, said by whoever reports it (``at line 1 column 10`` would read as the file's)."""
    return message.replace(" at line 1 column ", " at column ")


def validate(kind: str, text: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """One record → (index document, None) or (None, the reason it was rejected)."""
    try:
        record = MODELS[kind].model_validate_json(text)
    except ValidationError as exc:
        return None, describe(exc)
    return TO_INDEX_DOC[kind](record), None  # type: ignore[operator]


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
class Prepared:
    """What a worker makes of a batch of lines: accepted payloads and rejects, in batch order."""

    accepted: list[tuple[int, str]]  # (line, payload)
    rejected: list[tuple[int, str]]  # (line, reason)


def prepare_batch(
    kind: str,
    encoder: Callable[[dict[str, Any], int], str],
    source: Path,
    batch: tuple[Sequence[int], Sequence[int], Sequence[int]],
) -> Prepared:
    """Validate, transform and encode the records at the given positions of ``source``
    (runs in worker processes): ``batch`` is (line numbers, byte offsets, lengths)."""
    accepted: list[tuple[int, str]] = []
    rejected: list[tuple[int, str]] = []
    # Records are trees of dicts and lists freed by reference counting; the cycle collector
    # would only rescan them (a third of the time of this loop), so it waits for the batch.
    collecting = gc.isenabled()
    gc.disable()
    fd = os.open(source, os.O_RDONLY)
    try:
        for number, offset, length in zip(*batch, strict=True):
            doc, reason = validate(kind, os.pread(fd, length, offset).strip())
            if doc is None:
                rejected.append((number, reason or "invalid"))
            else:
                accepted.append((number, encoder(doc, number)))
    finally:
        os.close(fd)
        if collecting:
            gc.enable()
    return Prepared(accepted, rejected)


class RejectsWriter:
    """Rejected records, one JSON object a line: file, line, reason and the record as read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    def write(self, line: SourceLine, reason: str) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("wb")
        entry = {
            "file": str(line.file),
            "line": line.line,
            "reason": reason,
            "record": line.text.decode("utf-8", errors="replace"),
        }
        self._fh.write(orjson.dumps(entry) + b"\n")

    @property
    def used(self) -> bool:
        return self._fh is not None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def load_kind(
    writer: IndexWriter,
    settings: Settings,
    kind: str,
    source: Path,
    progress: Progress | None = None,
    workers: int | None = None,
) -> LoadReport:
    """Load one kind from ``source`` into a new version and make it the serving one.

    Two passes over the file. The first finds every record's position, its id (a repeated id
    is refused, the first valid record with it is kept) and, when the engine wants one, its
    place in the build's document order (:attr:`IndexBuild.order_key`). The second validates,
    transforms and encodes the records in that order, in batches, while this process hands
    the results to the engine as they come: no encoded record waits on disk or in memory for
    the others. Both passes run in ``workers`` processes (default: one per core for files over
    a few MB, none for small ones). Rejects are written in line order at the end.
    """
    report = LoadReport(kind, source)
    started = time.perf_counter()
    build = writer.build(kind)
    report.version = build.version
    reasons: dict[int, str] = {}  # line -> why it was refused
    if workers is None:
        workers = settings.index_workers or (
            (os.cpu_count() or 1) if source.stat().st_size > PARALLEL_FROM_BYTES else 0
        )
    try:
        with plain_text(kind, source, settings) as plain, _pool(workers) as pool:
            plan = _plan(kind, build.order_key, plain, pool, workers, reasons)
            pause_at("read")
            batches = (
                (
                    plan.lines[i : i + BATCH_LINES].tolist(),
                    plan.offsets[i : i + BATCH_LINES].tolist(),
                    plan.lengths[i : i + BATCH_LINES].tolist(),
                )
                for i in range(0, len(plan.lines), BATCH_LINES)
            )
            job = functools.partial(prepare_batch, kind, build.encoder, plain)
            for prepared in _bounded(pool, job, batches, workers):
                for number, reason in prepared.rejected:
                    reasons[number] = reason
                for number, payload in prepared.accepted:
                    build.add_encoded(payload, number)
                    report.indexed += 1
                pause_at("write")
                _refused(build, report, reasons, wait=False)
                if progress is not None:
                    progress(report.indexed + len(reasons), len(reasons))
            _refused(build, report, reasons, wait=True)
            report.rejected = len(reasons)
            report.read = report.indexed + report.rejected
            if reasons:
                report.rejects_file = _write_rejects(
                    settings.rejects_dir / f"{kind}-{build.version}.rejects.jsonl",
                    source,
                    plain,
                    reasons,
                )
                report.first_rejects = [
                    f"{source}:{number}: {reasons[number]}" for number in sorted(reasons)[:5]
                ]
        _check_rejects(report, settings.max_reject_ratio)
        version: VersionView = build.finish(report.indexed)
        report.version = version.version
    except OSError as exc:
        build.abort()
        if exc.errno == errno.ENOSPC:
            raise IndexingError(
                f"{kind}: the disk is full (no space left on device) under {settings.data_dir}; "
                f"{KEPT}. Free some space and load again."
            ) from exc
        raise IndexingError(f"{kind}: loading {source} failed: {exc}; {KEPT}") from exc
    except BaseException:
        build.abort()
        raise
    finally:
        report.seconds = time.perf_counter() - started
    return report


PARALLEL_FROM_BYTES = 8 << 20
BLOCK_BYTES = 4 << 20
BATCH_LINES = 2048
"""Records per job of the second pass (a few MB of source)."""

OrderKey = Callable[[dict[str, Any]], str]


@dataclass(frozen=True, slots=True)
class Plan:
    """The records of the second pass, in the order the engine gets them."""

    lines: np.ndarray
    offsets: np.ndarray
    lengths: np.ndarray


def _plan(
    kind: str,
    order_key: OrderKey | None,
    source: Path,
    pool: Pool | None,
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
    for part in _bounded(pool, job, read_blocks(source, BLOCK_BYTES), workers):
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


T = TypeVar("T")
R = TypeVar("R")


def _bounded(
    pool: Pool | None, job: Callable[[T], R], items: Iterable[T], workers: int
) -> Iterator[R]:
    """``map(job, items)`` in order, in the pool's processes when there is one, with at most
    two items per worker in flight: when this process consumes slower than the workers
    produce, they wait instead of piling results up in memory."""
    if pool is None:
        yield from map(job, items)
        return
    in_flight: collections.deque[AsyncResult[R]] = collections.deque()
    for item in items:
        in_flight.append(pool.apply_async(job, (item,)))
        if len(in_flight) >= 2 * workers:
            yield in_flight.popleft().get()
    while in_flight:
        yield in_flight.popleft().get()


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[Pool | None]:
    if workers <= 0:
        yield None
        return
    ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    with ctx.Pool(workers) as pool:
        yield pool


def _refused(build: IndexBuild, report: LoadReport, reasons: dict[int, str], wait: bool) -> None:
    """Records the engine refused after accepting them: no longer indexed, rejected by line."""
    if not isinstance(build, ReportsItemFailures):
        return
    failures: list[ItemFailure] = build.flush() if wait else build.take_failures()
    for f in failures:
        report.indexed -= 1
        reasons[f.seq if f.seq is not None else -1] = (
            f"refused by the engine (HTTP {f.status}): {f.reason}"
        )


def _write_rejects(path: Path, source: Path, plain: Path, reasons: dict[int, str]) -> Path:
    """The rejects file, in line order (one more pass over the source)."""
    rejects = RejectsWriter(path)
    try:
        for line in read_lines(plain):
            why = reasons.get(line.line)
            if why is not None:
                rejects.write(SourceLine(source, line.line, line.text), why)
        if -1 in reasons:  # refused by the engine without a line (should not happen)
            rejects.write(SourceLine(source, -1, b""), reasons[-1])
    finally:
        rejects.close()
    return path


def _check_rejects(report: LoadReport, max_ratio: float) -> None:
    if report.read and report.rejected / report.read > max_ratio:
        raise IndexingError(
            f"{report.kind}: {report.rejected} of {report.read} records rejected, more than the "
            f"allowed {max_ratio:.0%} (SEARCH_MAX_REJECT_RATIO); the serving index was left as "
            f"it was. First: {report.first_rejects[0] if report.first_rejects else '-'}. "
            f"All rejects: {report.rejects_file}"
        )


def validate_one(kind: str, text: bytes) -> dict[str, Any]:
    """Validate and transform one record (single-record upserts); raises IndexingError."""
    doc, reason = validate(kind, text)
    if doc is None:
        raise IndexingError(f"invalid {kind[:-1]} record: {reason}")
    return doc
