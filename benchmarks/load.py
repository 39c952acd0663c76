"""Reindex and edits under load: the real server answering a mix of concurrent clients while
two full loads, a rollback and 200 edits of therapists run; no request may fail, every edit
must be visible as soon as its command returns, and still there after a restart.

    python -m benchmarks.load [--fixtures fixtures/small] [--edits 200] [--clients 4]
                              [--workers 2] [--json out.json]

What it does, in order (the data folder and the source folder are temporary):

1. copies the fixtures into a source folder (the therapists as plain JSON Lines: the source
   of record, which the run keeps up to date) and builds the first index from it
   (``therapist-search index --from SRC``: version 0);
2. starts ``therapist-search serve --workers N`` on a free port and the clients: the
   benchmark workload's mix (search-box text with a place, near me, browse pages and
   endpoints, article search, typeahead) plus profile pages of therapists it does not edit;
3. while the clients run: a third of the edits; full load #1 (version 1) with the second
   third begun while it runs (the first of them waits for the load, see
   :mod:`search_core.embedded.kindlock`, and lands in version 1); full load #2 (version 2);
   ``therapist-search rollback --kind therapists`` (back to version 1); the last third.
   After each edit returns, the therapist is looked up by id and by a word only its new bio
   holds (a deleted one must be a 404); after each load and the rollback every edit so far
   is looked up again;
4. stops the clients and the server, starts the server again on the same data folder and
   looks every edited therapist up once more, and compares the therapist count with the
   source of record.

Why this order (README, "How loading works"): edits go to the serving version and a full
load rebuilds from its source files, so the run writes every edit to the source of record
too, as the README asks; then a load keeps the edits made before it. A rollback serves an
earlier version as it was: here version 1, which got the second third of the edits in place
(after load #1 switched to it), so rolling back drops none. Edits made to version 2 before the
rollback would be dropped by it, by design, so the run makes none there.

Every 20th edit runs the ``therapist-search upsert`` / ``delete`` command itself; the others
run the same code in a long-lived process (:mod:`benchmarks.editor`), which spares a Python
start (about a second here) per edit. Exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson

from benchmarks.common import ROOT, code_fingerprint, machine, today
from benchmarks.editor import Done, Editor
from benchmarks.httpbench import Server, serve_ours
from benchmarks.traffic import (
    CLI,
    Traffic,
    TrafficReport,
    build_index,
    cli_env,
    descendants,
    get,
    request_mix,
)
from indexer.sources import read_lines, sources
from search_core.embedded.kindlock import LOCK_FILE

DEFAULT_FIXTURES = ROOT / "fixtures" / "small"
CLI_EVERY = 20
"""By default every 20th edit runs the command line itself (a process per edit)."""
MIX_SIZE = 4000


@dataclass
class Edit:
    number: int
    op: str  # "update", "insert" or "delete"
    id: str
    via: str  # "cli" or "editor"
    marker: str | None = None
    seconds: float = 0.0
    visible_at_once: bool = False
    problem: str | None = None


@dataclass
class Step:
    name: str
    rc: int
    seconds: float
    output: str
    started_s: float = 0.0
    """Seconds into the clients' run (as the traffic's slowest requests are given)."""
    edits_checked: int = 0
    edits_visible: int = 0
    edits_during: int = 0
    """Edits begun while this step's command was still running (they wait for it)."""


@dataclass
class LoadRun:
    traffic: TrafficReport = field(default_factory=TrafficReport)
    edits: list[Edit] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    check_requests: int = 0
    check_failed: list[str] = field(default_factory=list)
    after_restart_checked: int = 0
    after_restart_visible: int = 0
    after_restart_problems: list[str] = field(default_factory=list)
    count_expected: int = 0
    count_served: int | None = None
    worker_restarts: int = 0
    seconds: float = 0.0

    @property
    def failed_requests(self) -> int:
        return self.traffic.failed + len(self.check_failed)

    @property
    def problems(self) -> list[str]:
        out = []
        if self.failed_requests:
            out.append(f"{self.failed_requests} failed requests")
        hidden = [e for e in self.edits if not e.visible_at_once]
        if hidden:
            out.append(f"{len(hidden)} edits not visible at once")
        late = [s for s in self.steps if s.edits_visible != s.edits_checked]
        if late:
            out.append(f"edits missing after {', '.join(s.name for s in late)}")
        failed_steps = [s for s in self.steps if s.rc != 0]
        if failed_steps:
            out.append(f"{', '.join(s.name for s in failed_steps)} failed")
        if self.after_restart_visible != self.after_restart_checked:
            n = self.after_restart_checked - self.after_restart_visible
            out.append(f"{n} edits missing after the restart")
        if self.count_served != self.count_expected:
            out.append(f"{self.count_served} therapists served, {self.count_expected} expected")
        if self.worker_restarts:
            out.append(f"{self.worker_restarts} server processes died and were restarted")
        return out

    def to_dict(self) -> dict[str, Any]:
        edits = self.edits
        return {
            "ok": not self.problems,
            "problems": self.problems,
            "seconds": round(self.seconds, 1),
            "traffic": self.traffic.to_dict(),
            "check_requests": self.check_requests,
            "failed_requests": self.failed_requests,
            "check_failures": self.check_failed[:10],
            "edits": {
                "total": len(edits),
                "by_op": {
                    op: sum(e.op == op for e in edits) for op in ("update", "insert", "delete")
                },
                "via_cli": sum(e.via == "cli" for e in edits),
                "visible_at_once": sum(e.visible_at_once for e in edits),
                "problems": [f"#{e.number} {e.op} {e.id}: {e.problem}" for e in edits if e.problem][
                    :10
                ],
                "seconds_mean": round(sum(e.seconds for e in edits) / max(1, len(edits)), 3),
            },
            "steps": [asdict(s) | {"output": s.output.strip()[-300:]} for s in self.steps],
            "after_restart": {
                "checked": self.after_restart_checked,
                "visible": self.after_restart_visible,
                "problems": self.after_restart_problems[:10],
                "therapists_expected": self.count_expected,
                "therapists_served": self.count_served,
            },
            "worker_restarts": self.worker_restarts,
        }


def marker_word(number: int) -> str:
    """A word no fixture holds, one per edit (letters only, so no analyzer splits it)."""
    letters = ""
    n = number
    for _ in range(3):
        letters = chr(ord("a") + n % 26) + letters
        n //= 26
    return f"zqloadmark{letters}"


class Directory:
    """The therapists as the run expects them: the source of record (written out as
    ``therapists.jsonl`` before each load) and what every lookup should find."""

    def __init__(self, source: Path) -> None:
        self.file = source
        self.records: dict[str, dict[str, Any]] = {}
        for line in read_lines(source):
            record = orjson.loads(line.text)
            self.records[record["id"]] = record
        self.original = dict(self.records)
        """The records as the fixtures have them (new therapists are copies of these)."""

    def write(self) -> None:
        tmp = self.file.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            for record in self.records.values():
                fh.write(orjson.dumps(record) + b"\n")
        tmp.replace(self.file)


def plan_edits(directory: Directory, n: int, seed: int) -> tuple[list[tuple[str, str]], set[str]]:
    """``n`` (op, id) pairs — half updates of listed therapists, a quarter new therapists, a
    quarter deletions (of listed therapists, and of some added by the run) — and the ids the
    traffic's profile pages must leave alone."""
    rng = random.Random(seed)
    ids = sorted(directory.records)
    chosen = rng.sample(ids, min(len(ids) // 2, n))
    ops = ["update"] * (n // 2) + ["insert"] * (n // 4)
    ops += ["delete"] * (n - len(ops))
    rng.shuffle(ops)
    plan: list[tuple[str, str]] = []
    inserted: list[str] = []
    pool = iter(chosen)
    for i, op in enumerate(ops):
        if op == "insert":
            new_id = f"tload{i:05d}"
            inserted.append(new_id)
            plan.append((op, new_id))
        elif op == "delete" and inserted and rng.random() < 0.3:
            plan.append((op, inserted.pop(rng.randrange(len(inserted)))))
        else:
            plan.append((op, next(pool)))
    return plan, set(chosen)


class Run:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.src = work / "source"
        self.data = work / "data"
        self.out = LoadRun()
        self.directory: Directory
        self.models: dict[str, dict[str, Any] | None] = {}
        """Edited ids → the record a lookup must find (None: deleted)."""
        self.started = time.perf_counter()
        self.traffic_started = self.started

    # --- setting up ---------------------------------------------------------------------------

    def prepare(self) -> None:
        self.src.mkdir(parents=True)
        found = sources(self.args.fixtures)
        if "therapists" not in found:
            raise SystemExit(f"error: no therapists .jsonl[.gz] in {self.args.fixtures}")
        for kind, path in found.items():
            if kind != "therapists":
                (self.src / path.name).write_bytes(path.read_bytes())
        self.directory = Directory(found["therapists"])
        self.directory.file = self.src / "therapists.jsonl"
        self.directory.write()
        build_index(self.src, self.data)

    # --- one edit -----------------------------------------------------------------------------

    def _command(self, editor: Editor, argv: list[str], via: str) -> Done:
        if via == "editor":
            return editor.run(argv)
        t0 = time.perf_counter()
        done = subprocess.run(
            [*CLI, *argv], env=cli_env(self.data), cwd=ROOT, capture_output=True, text=True
        )
        return Done(done.returncode, done.stdout, done.stderr, time.perf_counter() - t0)

    def edit(self, server: Server, editor: Editor, number: int, op: str, doc_id: str) -> Edit:
        every = self.args.cli_every
        via = "cli" if every > 0 and number % every == every - 1 else "editor"
        e = Edit(number, op, doc_id, via)
        if op == "delete":
            argv = ["delete", "--kind", "therapists", doc_id]
            expected: dict[str, Any] | None = None
        else:
            e.marker = marker_word(number)
            if op == "update":
                record = dict(self.directory.records[doc_id])
            else:  # a new therapist: a listed one's record under a new id
                listed = self.directory.original
                base = listed[sorted(listed)[number % len(listed)]]
                record = dict(base, id=doc_id, slug=f"{base['slug']}-{doc_id}")
            record["bio"] = f"{record['bio']} Notes: {e.marker}."
            path = self.work / "edit.json"
            path.write_bytes(orjson.dumps(record))
            argv = ["upsert", "--kind", "therapists", str(path)]
            expected = record
        done = self._command(editor, argv, via)
        e.seconds = done.seconds
        if done.rc != 0:
            e.problem = f"{argv[0]} exited {done.rc}: {done.err.strip()[-300:]}"
            return e
        if expected is None:
            del self.directory.records[doc_id]
        else:
            self.directory.records[doc_id] = expected
        self.models[doc_id] = expected
        e.problem = self.check(server, doc_id, e.marker)
        e.visible_at_once = e.problem is None
        return e

    # --- lookups ------------------------------------------------------------------------------

    def _get(self, server: Server, path: str, ok: tuple[int, ...]) -> tuple[int, bytes]:
        self.out.check_requests += 1
        status, body = get(server.base_url, path)
        if status not in ok:
            self.out.check_failed.append(
                f"{path} → {status}: {body[:300].decode(errors='replace')}"
            )
        return status, body

    def check(self, server: Server, doc_id: str, marker: str | None = None) -> str | None:
        """None when the served therapist ``doc_id`` is as the run left it, else what differs:
        by id, and (for an upsert) by a search for the word only its bio holds."""
        expected = self.models[doc_id]
        status, body = self._get(server, f"/therapists/{doc_id}", (200, 404))
        if expected is None:
            return None if status == 404 else f"deleted, but /therapists/{doc_id} is {status}"
        if status != 200:
            return f"upserted, but /therapists/{doc_id} is {status}"
        served = orjson.loads(body)
        if served.get("bio") != expected["bio"]:
            return "upserted, but the served bio is the old one"
        word = marker or _marker_in(expected["bio"])
        if word is None:
            return None
        query = urlencode({"q": word, "understand": "false", "size": 10})
        status, body = self._get(server, f"/therapists/search?{query}", (200,))
        if status != 200:
            return f"search for {word!r} answered {status}"
        ids = [item["therapist"]["id"] for item in orjson.loads(body)["items"]]
        if doc_id not in ids:
            return f"a search for {word!r} does not find it (found {ids})"
        return None

    def check_all(self, server: Server) -> tuple[int, int, list[str]]:
        problems = []
        for doc_id in self.models:
            problem = self.check(server, doc_id)
            if problem is not None:
                problems.append(f"{doc_id}: {problem}")
        return len(self.models), len(self.models) - len(problems), problems

    # --- the steps between edits --------------------------------------------------------------

    def step(
        self,
        server: Server,
        name: str,
        argv: list[str],
        before: Callable[[], None],
        during: Callable[[Callable[[], bool]], int] | None = None,
    ) -> None:
        """Run one command; ``during`` (edits) runs while it does, told whether it still
        runs, and returns how many edits it began before the command ended."""
        before()
        t0 = time.perf_counter()
        offset = t0 - self.traffic_started
        proc = subprocess.Popen(
            [*CLI, *argv],
            env=cli_env(self.data),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        during_count = 0
        if during is not None:
            self._wait_for_the_load(proc)
            during_count = during(lambda: proc.poll() is None)
        output, _ = proc.communicate()
        s = Step(name, proc.returncode, time.perf_counter() - t0, output, offset)
        s.edits_during = during_count
        s.edits_checked, s.edits_visible, problems = self.check_all(server)
        self.out.steps.append(s)
        self._log(
            f"{name}: exit {s.rc} in {s.seconds:.1f} s; "
            f"{s.edits_visible}/{s.edits_checked} edits as left"
        )
        for p in problems[:5]:
            self._log(f"  {p}")

    def _wait_for_the_load(self, proc: subprocess.Popen[str]) -> None:
        """Until the load holds the therapists' write lock (it has begun: the source it reads
        is the one written before it started, and edits from now on wait for it). An edit
        made before that, in the second the command takes to start, would go to the old
        version without being in the source the load reads: an operator avoids that by
        writing the source of record before each upsert, which this run does only before
        each load."""
        lock = self.data / "index" / "therapists" / LOCK_FILE
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if b"a full load" in lock.read_bytes():
                    return
            time.sleep(0.02)

    def _log(self, text: str) -> None:
        if not self.args.quiet:
            print(f"[{time.perf_counter() - self.started:6.1f} s] {text}", file=sys.stderr)

    # --- the run ------------------------------------------------------------------------------

    def run(self) -> LoadRun:
        args = self.args
        self.prepare()
        plan, edited = plan_edits(self.directory, args.edits, args.seed)
        untouched = sorted(set(self.directory.records) - edited)[:500]
        mix = request_mix(MIX_SIZE, args.seed, untouched)
        thirds = [plan[: len(plan) // 3], plan[len(plan) // 3 : 2 * len(plan) // 3]]
        thirds.append(plan[2 * len(plan) // 3 :])
        numbered = iter(range(len(plan)))
        index_argv = ["index", "--from", str(self.src), "--quiet"]
        for kind in args.kind or []:
            index_argv += ["--kind", kind]
        with serve_ours(self.data, args.workers) as server, Editor(self.data) as editor:
            workers = set(descendants(server.pid))
            self._log(f"serving at {server.base_url}; {args.clients} clients start")
            traffic = Traffic(server.base_url, mix, args.clients).start()
            self.traffic_started = time.perf_counter()
            try:
                time.sleep(args.settle)

                def edits(
                    batch: list[tuple[str, str]], loading: Callable[[], bool] = lambda: False
                ) -> int:
                    begun_during = 0
                    for op, doc_id in batch:
                        begun_during += loading()
                        self.out.edits.append(self.edit(server, editor, next(numbered), op, doc_id))
                    ok = sum(e.visible_at_once for e in self.out.edits)
                    self._log(f"{len(self.out.edits)} edits, {ok} visible at once")
                    return begun_during

                edits(thirds[0])
                self.step(
                    server,
                    "load #1",
                    index_argv,
                    self.directory.write,
                    during=lambda loading: edits(thirds[1], loading),
                )
                self.step(server, "load #2", index_argv, self.directory.write)
                self.step(server, "rollback", ["rollback", "--kind", "therapists"], lambda: None)
                edits(thirds[2])
                time.sleep(args.settle)
            finally:
                self.out.traffic = traffic.stop()
            self.out.worker_restarts = len(set(descendants(server.pid)) - workers)
        self._log(
            f"clients: {self.out.traffic.requests} requests, {self.out.traffic.failed} failed; "
            "restarting the server"
        )
        with serve_ours(self.data, args.workers) as server:
            checked, visible, problems = self.check_all(server)
            self.out.after_restart_checked = checked
            self.out.after_restart_visible = visible
            self.out.after_restart_problems = problems
            self.out.count_expected = len(self.directory.records)
            status, body = self._get(server, "/health", (200,))
            if status == 200:
                self.out.count_served = orjson.loads(body)["indexes"]["therapists"]["documents"]
        self.out.seconds = time.perf_counter() - self.started
        return self.out


def _marker_in(bio: str) -> str | None:
    for word in bio.replace(".", " ").split():
        if word.startswith("zqloadmark"):
            return word
    return None


def summary(d: dict[str, Any], machine_line: str) -> str:
    t = d["traffic"]
    e = d["edits"]
    r = d["after_restart"]
    lines = [
        f"Reindex and edits under load — {machine_line}",
        f"  {'OK' if d['ok'] else 'FAILED: ' + '; '.join(d['problems'])}",
        f"  client requests   {t['requests']:>7,} in {t['seconds']:.0f} s "
        f"({t['requests_per_second']:.0f}/s; p50 {t['p50_ms']} ms, p99 {t['p99_ms']} ms, "
        f"max {t['max_ms']} ms)",
        f"  lookups of edits  {d['check_requests']:>7,}",
        f"  failed requests   {d['failed_requests']:>7,}",
        f"  edits             {e['total']:>7,} ({e['by_op']['update']} updates, "
        f"{e['by_op']['insert']} new, {e['by_op']['delete']} deletes; {e['via_cli']} by the "
        f"command line; {e['seconds_mean'] * 1000:.0f} ms each on average)",
        f"  visible at once   {e['visible_at_once']:>7,} of {e['total']}",
    ]
    for s in d["steps"]:
        lines.append(
            f"  {s['name']:<17} exit {s['rc']} in {s['seconds']:.1f} s "
            f"(from {s['started_s']:.1f} s); "
            f"{s['edits_visible']} of {s['edits_checked']} edits as left"
            + (f"; {s['edits_during']} edits begun while it ran" if s["edits_during"] else "")
        )
    lines.append(
        f"  after restart     {r['visible']:>7,} of {r['checked']} edited therapists as left; "
        f"{r['therapists_served']} therapists served, {r['therapists_expected']} in the source"
    )
    lines.append(f"  server processes restarted: {d['worker_restarts']}")
    lines += [f"  slowest: {x}" for x in t["slowest"]]
    for f in t["failure_examples"] + d["check_failures"] + e["problems"] + r["problems"]:
        lines.append(f"  ! {f}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="source folder")
    p.add_argument("--edits", type=int, default=200, help="upserts and deletes (default 200)")
    p.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    p.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    p.add_argument(
        "--kind",
        action="append",
        choices=("therapists", "locations", "articles"),
        help="the loads load only this kind (repeatable; default: every kind, a full load)",
    )
    p.add_argument(
        "--cli-every",
        type=int,
        default=CLI_EVERY,
        help=f"every Nth edit runs the command line itself (default {CLI_EVERY}; 0: none)",
    )
    p.add_argument(
        "--settle", type=float, default=3.0, help="seconds of traffic alone before and after"
    )
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True)
        out = Run(args, args.keep).run()
    else:
        with tempfile.TemporaryDirectory(prefix="load-") as tmp:
            out = Run(args, Path(tmp)).run()
    d = out.to_dict()
    d |= {"machine": machine(), "date": today(), "code": code_fingerprint(), "args": _args(args)}
    print(summary(d, d["machine"]))
    if args.json is not None:
        args.json.write_text(json.dumps(d, indent=2) + "\n", encoding="utf-8")
    return 0 if d["ok"] else 1


def _args(args: argparse.Namespace) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}


if __name__ == "__main__":
    raise SystemExit(main())
