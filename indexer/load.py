"""Full loads: read → validate → transform → write a new index version → check → swap.

Every record is validated against its document model. A bad record is reported with its file,
line and reason and written to a rejects file (never silently dropped); the good ones are
indexed. The new version becomes the serving one only when its document count matches what was
accepted, and only when the share of rejects is within ``Settings.max_reject_ratio``.
"""

from __future__ import annotations

import collections
import functools
import gc
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError

from indexer.sources import SourceLine, read_blocks, read_lines
from search_core.backend import (
    IndexBuild,
    IndexWriter,
    ItemFailure,
    ReportsItemFailures,
    VersionView,
)
from search_core.documents import MODELS
from search_core.errors import IndexingError
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
        parts.append(f"{loc}: {e['msg']}" if loc else str(e["msg"]))
    return "; ".join(parts)


def validate(kind: str, text: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """One record → (index document, None) or (None, the reason it was rejected)."""
    try:
        record = MODELS[kind].model_validate_json(text)
    except ValidationError as exc:
        return None, describe(exc)
    return TO_INDEX_DOC[kind](record), None  # type: ignore[operator]


class DuplicateIds:
    """Remembers the line of every id seen in one load, to refuse a second record with it."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def check(self, doc_id: str, line: int) -> str | None:
        first = self._seen.setdefault(doc_id, line)
        if first != line:
            return f"duplicate id {doc_id!r}: already defined at line {first}"
        return None


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a worker makes of a block of lines: accepted payloads and rejects, in line order."""

    accepted: list[tuple[int, str, str]]  # (line, id, payload)
    rejected: list[tuple[int, str, bytes]]  # (line, reason, text)


def prepare_block(
    kind: str, encoder: Callable[[dict[str, Any], int], str], first_line: int, block: bytes
) -> Prepared:
    """Validate, transform and encode a block of JSON lines (runs in worker processes)."""
    accepted: list[tuple[int, str, str]] = []
    rejected: list[tuple[int, str, bytes]] = []
    # Records are trees of dicts and lists freed by reference counting; the cycle collector
    # would only rescan them (a third of the time of this loop), so it waits for the block.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _prepare_lines(kind, encoder, first_line, block, accepted, rejected)
    finally:
        if collecting:
            gc.enable()
    return Prepared(accepted, rejected)


def _prepare_lines(
    kind: str,
    encoder: Callable[[dict[str, Any], int], str],
    first_line: int,
    block: bytes,
    accepted: list[tuple[int, str, str]],
    rejected: list[tuple[int, str, bytes]],
) -> None:
    for offset, raw in enumerate(block.split(b"\n")):
        text = raw.strip()
        if not text:
            continue
        number = first_line + offset
        doc, reason = validate(kind, text)
        if doc is None:
            rejected.append((number, reason or "invalid", text))
        else:
            accepted.append((number, str(doc["id"]), encoder(doc, number)))


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

    Validation, transformation and encoding run in ``workers`` processes (default: one per
    core for files over a few MB, none for small ones); the engine writes from this process.
    """
    report = LoadReport(kind, source)
    started = time.perf_counter()
    build = writer.build(kind)
    report.version = build.version
    rejects = RejectsWriter(settings.rejects_dir / f"{kind}-{build.version}.rejects.jsonl")
    duplicates = DuplicateIds()
    duplicate_lines: dict[int, str] = {}
    refused_lines: dict[int, str] = {}
    if workers is None:
        workers = settings.index_workers or (
            (os.cpu_count() or 1) if source.stat().st_size > PARALLEL_FROM_BYTES else 0
        )
    try:
        for prepared in _prepared_blocks(kind, build.encoder, source, workers):
            for number, reason, text in prepared.rejected:
                _reject(report, rejects, SourceLine(source, number, text), reason)
            for number, doc_id, payload in prepared.accepted:
                dup = duplicates.check(doc_id, number)
                if dup is not None:
                    duplicate_lines[number] = dup
                    report.rejected += 1
                    continue
                build.add_encoded(payload, number)
                report.indexed += 1
            _refused(build, report, refused_lines, wait=False)
            report.read = report.indexed + report.rejected + len(refused_lines)
            if progress is not None:
                progress(report.read, report.rejected)
        _refused(build, report, refused_lines, wait=True)
        if duplicate_lines or refused_lines:
            report.rejected -= len(duplicate_lines)
            for line in read_lines(source):
                why = duplicate_lines.get(line.line) or refused_lines.get(line.line)
                if why is not None:
                    _reject(report, rejects, line, why)
        report.read = report.indexed + report.rejected
        _check_rejects(report, settings.max_reject_ratio, rejects.path)
        version: VersionView = build.finish(report.indexed)
        report.version = version.version
    except BaseException:
        build.abort()
        raise
    finally:
        rejects.close()
        report.seconds = time.perf_counter() - started
    if rejects.used:
        report.rejects_file = rejects.path
    return report


PARALLEL_FROM_BYTES = 8 << 20
BLOCK_BYTES = 4 << 20


def _refused(build: IndexBuild, report: LoadReport, lines: dict[int, str], wait: bool) -> None:
    """Records the engine refused after accepting them: no longer indexed, rejected by line."""
    if not isinstance(build, ReportsItemFailures):
        return
    failures: list[ItemFailure] = build.flush() if wait else build.take_failures()
    for f in failures:
        report.indexed -= 1
        lines[f.seq if f.seq is not None else -1] = (
            f"refused by the engine (HTTP {f.status}): {f.reason}"
        )


def _reject(report: LoadReport, rejects: RejectsWriter, line: SourceLine, reason: str) -> None:
    report.rejected += 1
    rejects.write(line, reason)
    if len(report.first_rejects) < 5:
        report.first_rejects.append(f"{line.file}:{line.line}: {reason}")


def _prepared_blocks(
    kind: str, encoder: Callable[[dict[str, Any], int], str], source: Path, workers: int
) -> Iterator[Prepared]:
    blocks = read_blocks(source, BLOCK_BYTES)
    job = functools.partial(_prepare_job, kind, encoder)
    if workers <= 0:
        yield from map(job, blocks)
        return
    ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    # At most two blocks per worker in flight: when the engine writes slower than the workers
    # prepare, they wait instead of piling prepared blocks up in memory.
    in_flight: collections.deque[AsyncResult[Prepared]] = collections.deque()
    with ctx.Pool(workers) as pool:
        for block in blocks:
            in_flight.append(pool.apply_async(job, (block,)))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().get()
        while in_flight:
            yield in_flight.popleft().get()


def _prepare_job(
    kind: str, encoder: Callable[[dict[str, Any], int], str], item: tuple[int, bytes]
) -> Prepared:
    return prepare_block(kind, encoder, item[0], item[1])


def _check_rejects(report: LoadReport, max_ratio: float, rejects: Path) -> None:
    if report.read and report.rejected / report.read > max_ratio:
        raise IndexingError(
            f"{report.kind}: {report.rejected} of {report.read} records rejected, more than the "
            f"allowed {max_ratio:.0%} (SEARCH_MAX_REJECT_RATIO); the serving index was left as "
            f"it was. First: {report.first_rejects[0] if report.first_rejects else '-'}. "
            f"All rejects: {rejects}"
        )


def validate_one(kind: str, text: bytes) -> dict[str, Any]:
    """Validate and transform one record (single-record upserts); raises IndexingError."""
    doc, reason = validate(kind, text)
    if doc is None:
        raise IndexingError(f"invalid {kind[:-1]} record: {reason}")
    return doc
