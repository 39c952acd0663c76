"""``index``, ``versions``, ``rollback``, ``upsert`` and ``delete``: the commands that write,
thin over :mod:`indexer.load` and the engine's :class:`~search_core.backend.IndexWriter`."""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

import orjson
from tqdm import tqdm

from cli.common import EXIT_FAILED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE, Handler
from indexer.edits import validated_edits
from indexer.load import Progress, default_workers, load_kind
from indexer.report import LoadReport
from indexer.sources import count_lines, sources
from indexer.workers import worker_pool
from search_core.backend import IndexWriter
from search_core.engines import make_writer
from search_core.errors import SearchError
from search_core.mappings import KINDS
from search_core.settings import Settings

DEFAULT_SOURCE = Path("fixtures/small")
FAILURES = (SearchError, OSError, orjson.JSONDecodeError)
"""What a writing command reports as ``error: ...`` with exit status 1 (nothing changed)."""
WritingHandler = Callable[[argparse.Namespace, Settings, IndexWriter], int]


def register(sub: Any) -> None:
    """Add the writing commands to the main parser's subcommands."""
    ix = sub.add_parser("index", help="build new index versions from a folder of JSONL files")
    ix.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"folder with therapists/locations/articles .jsonl[.gz] (default: {DEFAULT_SOURCE})",
    )
    ix.add_argument(
        "--kind",
        choices=KINDS,
        action="append",
        help="load only this kind (repeatable; default: every kind found)",
    )
    ix.add_argument("--quiet", action="store_true", help="no progress bar")
    ix.set_defaults(handler=writing(cmd_index))

    vs = sub.add_parser("versions", help="list index versions and which one serves")
    vs.add_argument("--kind", choices=KINDS, action="append")
    vs.set_defaults(handler=writing(cmd_versions))

    rb = sub.add_parser("rollback", help="serve an earlier index version again")
    rb.add_argument("--kind", choices=KINDS, required=True)
    rb.add_argument("--to", metavar="VERSION", help="version to serve (default: the previous)")
    rb.set_defaults(handler=writing(cmd_rollback))

    up = sub.add_parser("upsert", help="insert or replace records in the serving index")
    up.add_argument("--kind", choices=KINDS, required=True)
    up.add_argument("file", type=Path, help="a JSON object, or JSON Lines; '-' for stdin")
    up.set_defaults(handler=writing(cmd_upsert))


def register_delete(sub: Any) -> None:
    """``delete`` comes after ``serve`` in the command list, as it always has."""
    de = sub.add_parser("delete", help="delete one record from the serving index by id")
    de.add_argument("--kind", choices=KINDS, required=True)
    de.add_argument("id")
    de.set_defaults(handler=writing(cmd_delete))


def writing(command: WritingHandler) -> Handler:
    """The command with a writer of the configured engine, closed afterwards, and the library's
    errors (and unreadable files) turned into a message and exit status 1."""

    @functools.wraps(command)
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        try:
            writer = make_writer(settings)
        except SearchError as exc:  # e.g. a cluster URL without a port
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        try:
            return command(args, settings, writer)
        except FAILURES as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        finally:
            writer.close()

    return handler


def _progress_bar(
    kind: str, path: Path, quiet: bool, position: int = 0
) -> tuple[tqdm | None, Progress | None]:
    if quiet:
        return None, None
    bar = tqdm(
        total=count_lines(path),
        desc=f"{kind:<10}",
        unit=" docs",
        unit_scale=True,
        file=sys.stderr,
        dynamic_ncols=True,
        mininterval=0.5,
        position=position,
    )
    state = {"n": 0}

    def update(read: int, rejected: int) -> None:
        bar.update(read - state["n"])
        state["n"] = read
        if rejected:
            bar.set_postfix(rejected=rejected, refresh=False)

    return bar, update


def cmd_index(args: argparse.Namespace, settings: Settings, writer: IndexWriter) -> int:
    folder: Path = args.source
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    found = sources(folder)
    kinds = args.kind or list(found)
    missing = [k for k in kinds if k not in found]
    if missing or not kinds:
        print(
            f"error: no {'/'.join(missing or KINDS)} .jsonl or .jsonl.gz file in {folder}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    kinds = list(dict.fromkeys(kinds))
    # One pool for every kind, started first: no engine thread and no other thread of ours
    # exists yet, so its workers are forked from this process with the loader imported.
    workers = max(default_workers(settings, found[k]) for k in kinds)
    with worker_pool(workers, fork=True) as pool:
        loads = [_Load(writer, settings, kind, found[kind], pool, args.quiet) for kind in kinds]
        if len(loads) > 1 and getattr(writer, "concurrent_builds", False):
            return _together(loads)
        reports = [load.run(0, None) for load in loads]
    return EXIT_REJECTS if any(r.rejected for r in reports) else EXIT_OK


class _Load:
    """One kind of the ``index`` command, with its progress bar and its lines of output."""

    _printing = threading.Lock()

    def __init__(
        self,
        writer: IndexWriter,
        settings: Settings,
        kind: str,
        path: Path,
        pool: Executor | None,
        quiet: bool,
    ) -> None:
        self.writer, self.settings, self.kind, self.path = writer, settings, kind, path
        self.pool, self.quiet = pool, quiet

    def run(self, position: int, stop: threading.Event | None) -> LoadReport:
        """Load the kind; with ``stop``, give up (the build is discarded) at the next batch
        once it is set."""
        bar, update = _progress_bar(self.kind, self.path, self.quiet, position)

        def progress(read: int, rejected: int) -> None:
            if stop is not None and stop.is_set():
                raise KeyboardInterrupt(f"{self.kind}: stopped, the command was interrupted")
            if update is not None:
                update(read, rejected)

        try:
            r = load_kind(
                self.writer, self.settings, self.kind, self.path, progress, pool=self.pool
            )
        finally:
            if bar is not None:
                bar.close()
        self.say(
            f"{self.kind}: indexed {r.indexed} of {r.read} records in {r.seconds:.1f} s "
            f"({r.rate:,.0f}/s), version {r.version}"
            + (f"; {r.rejected} rejected, see {r.rejects_file}" if r.rejected else ""),
            sys.stdout,
        )
        for line in r.first_rejects:
            self.say(f"  rejected {line}", sys.stderr)
        return r

    def say(self, line: str, file: TextIO) -> None:
        """One line of output, whole (the kinds' threads take turns), above the other kinds'
        progress bars when they are shown."""
        with self._printing:
            if self.quiet:
                print(line, file=file, flush=True)
            else:
                tqdm.write(line, file=file)

    def run_or_say(self, position: int, stop: threading.Event) -> LoadReport | None:
        """:meth:`run`; a failure the command reports (see :func:`writing`) is said at once
        and gives None (the kind keeps its serving version; the other kinds go on)."""
        try:
            return self.run(position, stop)
        except FAILURES as exc:
            self.say(f"error: {exc}", sys.stderr)
            return None


def _together(loads: list[_Load]) -> int:
    """Every kind at once, one thread each (the engine's builds share nothing but the worker
    pool): the kinds' single-threaded stretches (the first pass, the commit, the checks) and
    the small kinds' loads overlap with the others' work instead of leaving a core idle. The
    first kind (the biggest: the therapists) starts first. A kind that fails is reported and
    leaves its serving version; the others are loaded. Interrupted, every load stops at its
    next batch and discards its build."""
    stop = threading.Event()
    with ThreadPoolExecutor(len(loads), thread_name_prefix="index") as running:
        futures: list[concurrent.futures.Future[LoadReport | None]] = []
        try:
            for i, load in enumerate(loads):
                futures.append(running.submit(load.run_or_say, i, stop))
            # In short waits: Ctrl-C may reach a load's thread rather than this one, and this
            # one runs Python's handler only when it wakes.
            while concurrent.futures.wait(futures, timeout=0.1).not_done:
                pass
        except BaseException:
            stop.set()
            raise
    reports = [f.result() for f in futures]  # raises what a load raised unexpectedly
    if any(r is None for r in reports):
        return EXIT_FAILED
    return EXIT_REJECTS if any(r is not None and r.rejected for r in reports) else EXIT_OK


def cmd_versions(args: argparse.Namespace, settings: Settings, writer: IndexWriter) -> int:
    for kind in args.kind or KINDS:
        versions = writer.versions(kind)
        if not versions:
            print(f"{kind}: no index built yet")
        for v in versions:
            mark = "*" if v.current else " "
            print(f"{mark} {kind:<10} {v.version}  {v.doc_count:>9} docs  {v.created}")
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace, settings: Settings, writer: IndexWriter) -> int:
    v = writer.rollback(args.kind, args.to)
    print(f"{args.kind}: now serving {v.version} ({v.doc_count} docs)")
    return EXIT_OK


def cmd_upsert(args: argparse.Namespace, settings: Settings, writer: IndexWriter) -> int:
    docs = validated_edits(args.kind, args.file)
    writer.upsert_many(args.kind, docs)
    ids = list(dict.fromkeys(str(d["id"]) for d in docs))
    print(f"{args.kind}: upserted {len(ids)} record(s): " + ", ".join(ids))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace, settings: Settings, writer: IndexWriter) -> int:
    if writer.delete(args.kind, args.id):
        print(f"{args.kind}: deleted {args.id}")
        return EXIT_OK
    print(f"error: no {args.kind[:-1]} with id {args.id!r}", file=sys.stderr)
    return EXIT_FAILED
