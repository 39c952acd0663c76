"""Full loads: read → validate → transform → write a new index version → check → swap.

Every record is validated against its document model. A bad record is reported with its file,
line and reason and written to a rejects file (never silently dropped); the good ones are
indexed. The new version becomes the serving one only when its document count matches what was
accepted, and only when the share of rejects is within ``Settings.max_reject_ratio``.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.plan import Plan, plan_load
from indexer.rejects import check_rejects, write_rejects
from indexer.report import LoadReport
from indexer.sources import KEPT, plain_text
from indexer.validation import validate
from indexer.workers import bounded, worker_pool
from search_core.backend import (
    IndexBuild,
    IndexWriter,
    ItemFailure,
    ReportsItemFailures,
    VersionView,
)
from search_core.errors import IndexingError
from search_core.faults import pause_at
from search_core.settings import Settings

Progress = Callable[[int, int], None]
"""Called as ``progress(records_read, records_rejected)`` every so often."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a worker makes of a batch of lines, in batch order: the accepted lines and their
    payloads in UTF-8, one after the other in one ``bytes`` (payload *i* ends at ``ends[i]``:
    one object through the pipe instead of a string per record), and the rejects."""

    accepted: list[int]  # line numbers
    ends: list[int]
    payloads: bytes
    rejected: list[tuple[int, str]]  # (line, reason)


Encoder = Callable[[dict[str, Any], int], str | bytes]


def prepare_batch(
    kind: str,
    encoder: Encoder,
    source: Path,
    batch: tuple[Sequence[int], Sequence[int], Sequence[int]],
) -> Prepared:
    """Validate, transform and encode the records at the given positions of ``source``
    (runs in worker processes): ``batch`` is (line numbers, byte offsets, lengths)."""
    accepted: list[int] = []
    ends: list[int] = []
    chunks: list[bytes] = []
    rejected: list[tuple[int, str]] = []
    end = 0
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
                payload = encoder(doc, number)
                chunk = payload if isinstance(payload, bytes) else payload.encode()
                chunks.append(chunk)
                end += len(chunk)
                accepted.append(number)
                ends.append(end)
    finally:
        os.close(fd)
        if collecting:
            gc.enable()
    return Prepared(accepted, ends, b"".join(chunks), rejected)


def load_kind(
    writer: IndexWriter,
    settings: Settings,
    kind: str,
    source: Path,
    progress: Progress | None = None,
    workers: int | None = None,
    pool: Executor | None = None,
) -> LoadReport:
    """Load one kind from ``source`` into a new version and make it the serving one.

    Two passes over the file. The first finds every record's position, its id (a repeated id
    is refused, the first valid record with it is kept) and, when the engine wants one, its
    place in the build's document order (:attr:`IndexBuild.order_key`). The second validates,
    transforms and encodes the records in that order, in batches, while this process hands
    the results to the engine as they come: no encoded record waits on disk or in memory for
    the others. Both passes run in ``workers`` processes (default: :func:`default_workers`),
    those of ``pool`` when given (a caller loading several kinds starts them once; a small
    file is still loaded without them), else a pool of this load's own. Rejects are written in
    line order at the end.
    """
    report = LoadReport(kind, source)
    started = time.perf_counter()
    build = writer.build(kind)
    report.version = build.version
    reasons: dict[int, str] = {}  # line -> why it was refused
    if workers is None:
        workers = default_workers(settings, source)
    try:
        with plain_text(kind, source, settings) as plain, _workers(pool, workers) as pool:
            plan = plan_load(kind, build.order_key, plain, pool, workers, reasons)
            pause_at("read")
            _second_pass(build, kind, plain, plan, pool, workers, report, reasons, progress)
            report.rejected = len(reasons)
            report.read = report.indexed + report.rejected
            if reasons:
                report.rejects_file = write_rejects(
                    settings.rejects_dir / f"{kind}-{build.version}.rejects.jsonl",
                    source,
                    plain,
                    reasons,
                )
                report.first_rejects = [
                    f"{source}:{number}: {reasons[number]}" for number in sorted(reasons)[:5]
                ]
        check_rejects(report, settings.max_reject_ratio)
        version: VersionView = build.finish(report.indexed)
        report.version = version.version
    except OSError as exc:
        build.abort()
        raise _os_failure(exc, kind, source, settings) from exc
    except BrokenProcessPool as exc:
        build.abort()
        raise IndexingError(
            f"{kind}: a worker process of the load ended unexpectedly (killed, or out of "
            f"memory?); {KEPT}. Load again."
        ) from exc
    except BaseException:
        build.abort()
        raise
    finally:
        report.seconds = time.perf_counter() - started
    return report


PARALLEL_FROM_BYTES = 8 << 20


def default_workers(settings: Settings, source: Path) -> int:
    """Worker processes for loading ``source``: ``Settings.index_workers``, else one per core
    for files over a few MB and none for small ones."""
    return settings.index_workers or (
        (os.cpu_count() or 1) if source.stat().st_size > PARALLEL_FROM_BYTES else 0
    )


@contextlib.contextmanager
def _workers(shared: Executor | None, workers: int) -> Iterator[Executor | None]:
    """The caller's pool (left running), a pool of this load's own, or none for 0 workers."""
    if workers > 0 and shared is not None:
        yield shared
        return
    with worker_pool(workers) as pool:
        yield pool


BATCH_LINES = 2048
"""Records per job of the second pass (a few MB of source)."""


def _second_pass(
    build: IndexBuild,
    kind: str,
    plain: Path,
    plan: Plan,
    pool: Executor | None,
    workers: int,
    report: LoadReport,
    reasons: dict[int, str],
    progress: Progress | None,
) -> None:
    """Validate, transform and encode the planned records in batches (in the workers) and hand
    the results to the engine in plan order, as they come; count what is indexed in ``report``
    and note each reject's reason by line in ``reasons``."""
    batches = (
        (
            plan.lines[i : i + BATCH_LINES].tolist(),
            plan.offsets[i : i + BATCH_LINES].tolist(),
            plan.lengths[i : i + BATCH_LINES].tolist(),
        )
        for i in range(0, len(plan.lines), BATCH_LINES)
    )
    # An engine that takes payloads as bytes (the embedded one) gets them without a decoding.
    add_payload: Callable[[bytes, int, int, int], None] | None = getattr(build, "add_payload", None)
    encoder: Encoder = getattr(build, "payload_encoder", None) or build.encoder
    job = functools.partial(prepare_batch, kind, encoder, plain)
    for prepared in bounded(pool, job, batches, workers):
        for number, reason in prepared.rejected:
            reasons[number] = reason
        data, start = prepared.payloads, 0
        for number, end in zip(prepared.accepted, prepared.ends, strict=True):
            if add_payload is not None:
                add_payload(data, start, end, number)
            else:
                build.add_encoded(data[start:end].decode(), number)
            start = end
            report.indexed += 1
        pause_at("write")
        _refused(build, report, reasons, wait=False)
        if progress is not None:
            progress(report.indexed + len(reasons), len(reasons))
    _refused(build, report, reasons, wait=True)


def _os_failure(exc: OSError, kind: str, source: Path, settings: Settings) -> IndexingError:
    """What a load that failed on a file or the disk says (the serving version is kept)."""
    if exc.errno == errno.ENOSPC:
        return IndexingError(
            f"{kind}: the disk is full (no space left on device) under {settings.data_dir}; "
            f"{KEPT}. Free some space and load again."
        )
    return IndexingError(f"{kind}: loading {source} failed: {exc}; {KEPT}")


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
