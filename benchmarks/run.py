"""The benchmark harness: one command, every figure in docs/benchmarks.md.

    python -m benchmarks.run                       # 100k and 1M, with the PostgreSQL peer
    python -m benchmarks.run --sizes 100k          # one set
    python -m benchmarks.run --quick --out /tmp/b.md   # the small committed set, < 2 minutes

For each set: generate it once (reused from benchmarks/data/, git-ignored), index it with
``therapist-search index`` (timed, memory sampled), load the same JSONL into a fresh PostgreSQL
(``COPY``, timed), then run the committed workload (``benchmarks/workload.json``) on both:
in-process calls, HTTP with one client, and ``wrk`` with 1–32 concurrent clients; sample the
servers' memory; record py-spy profiles (full run). Writes the Markdown report, its PNG plots
beside it, and the raw results as JSON (benchmarks/results/, git-ignored, unless ``--json``).
No timing is asserted: missed targets are reported, not failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks import anatomy, httpbench, pg_peer, profiling, report
from benchmarks.common import (
    DATA,
    RESULTS,
    ROOT,
    MemorySampler,
    Stats,
    code_fingerprint,
    load_average,
    machine,
    machine_speed_ms,
    today,
)
from benchmarks.engine import OurEngine, timed
from benchmarks.indexing import ensure_set, index_command, index_set, tantivy_alone
from benchmarks.workload import CATEGORIES, Request, Workload, load
from search_core.settings import Settings

SMALL = ROOT / "fixtures" / "small"


@dataclass(frozen=True)
class Plan:
    """How long each measurement runs: a time budget with a minimum and maximum sample count."""

    budget_s: float
    min_n: int
    max_n: int
    warmup: int
    """Warm-up requests of a category at least (see ``benchmarks.workload.warm_up``) ..."""
    warmup_s: float
    """... and every distinct one, as long as this many seconds allow."""
    wrk_seconds: float
    wrk_clients: tuple[int, ...]
    profile_seconds: float
    tantivy_alone_docs: int
    """Therapists handed to Tantivy alone (see ``indexing.tantivy_alone``)."""

    @classmethod
    def full(cls) -> Plan:
        return cls(20.0, 100, 2000, 30, 20.0, 15.0, (1, 4, 16, 32), 15.0, 20_000)

    @classmethod
    def quick(cls) -> Plan:
        return cls(0.3, 8, 40, 3, 0.3, 2.0, (1, 16), 6.0, 500)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _stats(ms: list[float]) -> dict[str, float]:
    return asdict(Stats.of(ms))


# ---------------------------------------------------------------------------- phases


def _requests(wl: Workload, cat: str) -> list[Request]:
    return wl.of(cat)


def measure_engine(
    call: Callable[[Request], Any], wl: Workload, plan: Plan
) -> tuple[dict[str, Any], dict[str, list[float]]]:
    stats, samples = {}, {}
    for cat in CATEGORIES:
        reqs = _requests(wl, cat)
        ms = timed(call, reqs, plan.budget_s, plan.min_n, plan.max_n, plan.warmup, plan.warmup_s)
        stats[cat], samples[cat] = _stats(ms), ms
    return stats, samples


SEARCH_BOX_CATEGORIES = ("full_search", "near_me")


def measure_search_box(engine: OurEngine, wl: Workload, plan: Plan) -> dict[str, Any]:
    """The therapist searches again through the search box's use case (text understood, online
    list, relaxation), as the routes call it, with the engine calls each request makes: each
    distinct request once more after the timing, counting the use case's calls to the engine,
    the plain searches the engine runs inside them (the online list's plan), and those of
    them it answers from the index version's memo once seen."""
    out: dict[str, Any] = {}
    for cat in SEARCH_BOX_CATEGORIES:
        reqs = _requests(wl, cat)
        ms = timed(
            engine.call, reqs, plan.budget_s, plan.min_n, plan.max_n, plan.warmup, plan.warmup_s
        )
        per: list[tuple[int, int, int]] = []
        for req in dict.fromkeys(reqs):
            calls, searches, counts = engine.engine_calls
            engine.call(req)
            after = engine.engine_calls
            per.append((after[0] - calls, after[1] - searches, after[2] - counts))
        n = max(len(per), 1)
        out[cat] = {
            **_stats(ms),
            "requests": len(per),
            "engine_calls": sum(c for c, _, _ in per) / n,
            "searches": sum(s for _, s, _ in per) / n,
            "searches_not_remembered": sum(s - r for _, s, r in per) / n,
            "two_or_more": sum(1 for c, _, _ in per if c >= 2) / n,
        }
    return out


def measure_http(
    base_url: str, wl: Workload, plan: Plan
) -> tuple[dict[str, Any], dict[str, list[float]], dict[str, int]]:
    stats, samples, errors = {}, {}, {}
    for cat in CATEGORIES:
        run = httpbench.one_client(
            base_url,
            _requests(wl, cat),
            plan.budget_s,
            plan.min_n,
            plan.max_n,
            plan.warmup,
            plan.warmup_s,
        )
        stats[cat], samples[cat] = _stats(run.ms), run.ms
        if run.errors:
            errors[cat] = run.errors
            log(f"  {run.errors} non-200 answers for {cat}, e.g. {run.first_error}")
    return stats, samples, errors


PER_CORE = os.cpu_count() or 1
"""Server processes of the second concurrency run (``serve --workers N``, one per core)."""


def measure_wrk_per_core(base_url: str, wl: Workload, plan: Plan) -> list[dict[str, Any]]:
    """Full searches and the mixed workload at 16 clients against a server with one process
    per core (the first requests of each process, which build its caches, are warm-up)."""
    httpbench.wrk(base_url, wl.of("full_search"), 16, 2.0)
    runs: list[dict[str, Any]] = []
    for name, reqs in (("full_search", wl.of("full_search")), ("mixed", wl.mixed(5000))):
        w = httpbench.wrk(base_url, reqs, 16, plan.wrk_seconds)
        runs.append({"workload": name, **asdict(w)})
        log(f"  wrk {name} c=16, {PER_CORE} processes: {w.rps:,.0f}/s p99 {w.p99:.1f} ms")
    return runs


def measure_wrk(base_url: str, wl: Workload, plan: Plan) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    mixed = wl.mixed(5000)
    for clients in plan.wrk_clients:
        w = httpbench.wrk(base_url, wl.of("full_search"), clients, plan.wrk_seconds)
        runs.append({"workload": "full_search", **asdict(w)})
        log(f"  wrk full_search c={clients}: {w.rps:,.0f}/s p99 {w.p99:.1f} ms")
    for name, reqs in (("typeahead", wl.of("typeahead")), ("mixed", mixed)):
        w = httpbench.wrk(base_url, reqs, 16, plan.wrk_seconds)
        runs.append({"workload": name, **asdict(w)})
        log(f"  wrk {name} c=16: {w.rps:,.0f}/s p99 {w.p99:.1f} ms")
    return runs


def profile_server(server: httpbench.Server, wl: Workload, plan: Plan, out: Path) -> dict[str, Any]:
    raw = out / "profile-server-full-search.txt"
    rec = profiling.record_pid(server.pid, plan.profile_seconds, raw)
    time.sleep(1.0)
    httpbench.wrk(server.base_url, wl.of("full_search"), 16, max(2.0, plan.profile_seconds - 2))
    rec.wait(timeout=plan.profile_seconds + 60)
    prof = profiling.summarise(raw)
    return {
        "what": "server under 16 clients of full directory searches",
        "samples": prof.samples,
        "hot": [asdict(h) for h in prof.hot],
        "raw": str(raw),
    }


def profile_indexing(source: Path, out: Path) -> dict[str, Any]:
    raw = out / "profile-index-therapists.txt"
    with tempfile.TemporaryDirectory(prefix="bench-prof-", dir=out) as tmp:
        profiling.record_command(
            index_command(source, "therapists"),
            raw,
            env={"SEARCH_DATA_DIR": tmp},
        )
    prof = profiling.summarise(raw)
    return {
        "what": "`therapist-search index --kind therapists` (all processes)",
        "samples": prof.samples,
        "hot": [asdict(h) for h in prof.hot],
        "raw": str(raw),
    }


@contextmanager
def peer_cluster(enabled: bool) -> Iterator[pg_peer.PgCluster | None]:
    """A fresh cluster in the system's temporary folder (which the ``postgres`` user can
    reach, unlike a pytest ``tmp_path`` under a root-only folder)."""
    if not enabled:
        yield None
        return
    with pg_peer.running_cluster() as cluster:
        yield cluster


def load_peer(cluster: pg_peer.PgCluster, source: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.pg_peer", "load", str(source), cluster.conninfo]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    with MemorySampler([proc.pid, cluster.postmaster_pid], 0.1) as mem:
        out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"loading PostgreSQL failed:\n{err[-3000:]}")
    got = json.loads(out.strip().splitlines()[-1])
    with cluster.connect() as conn:
        row = conn.execute("SELECT pg_database_size('postgres')").fetchone()
        db_bytes = int(row[0]) if row else 0
    pg_peer.settle(cluster.conninfo)
    return {
        "therapists": got["therapists"],
        "seconds": seconds,
        "peak_rss_mib": mem.peak_rss_mib,
        "peak_pss_mib": mem.peak_pss_mib,
        "peak_anon_mib": mem.peak_anon_mib,
        "db_mib": db_bytes / 2**20,
    }


def bench_set(
    size: str,
    source: Path,
    wl: Workload,
    plan: Plan,
    use_peer: bool,
    use_wrk: bool,
    profile: bool,
    reuse_index: bool,
    out: Path,
    data: Path,
    profile_index: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    result: dict[str, Any] = {
        "size": size,
        "load_avg": list(load_average()),
        "speed_ms": machine_speed_ms(),
    }
    samples: dict[str, Any] = {"engine": {}, "http": {}}
    manifest = json.loads((source / "manifest.json").read_text())
    result["therapists"] = int(manifest["counts"]["therapists"])
    data_dir = data / f"index-{size}"

    log(f"{size}: indexing {source}")
    if reuse_index and (data_dir / "index" / "therapists" / "CURRENT").is_file():
        prev = out / f"indexing-{size}.json"
        result["indexing"] = json.loads(prev.read_text()) if prev.exists() else []
    else:
        result["indexing"] = index_set(source, data_dir, size)
        (out / f"indexing-{size}.json").write_text(json.dumps(result["indexing"]))
    log(f"{size}: Tantivy alone, {plan.tantivy_alone_docs:,} therapists")
    result["tantivy_alone"] = tantivy_alone(source, plan.tantivy_alone_docs)

    with peer_cluster(use_peer) as cluster:
        peer: pg_peer.PgPeer | None = None
        if cluster is not None:
            log(f"{size}: loading PostgreSQL")
            result["peer_load"] = load_peer(cluster, source)
            log(f"  {result['peer_load']['seconds']:.1f} s")
            peer = pg_peer.PgPeer(cluster.conninfo)

        log(f"{size}: in-process latency")
        ours = OurEngine(str(data_dir))
        result["engine"] = {}
        stats, samples["engine"]["ours"] = measure_engine(ours.call, wl, plan)
        result["engine"]["ours"] = stats
        if profile:
            log(f"{size}: full search, step by step")
            try:
                result["anatomy"] = anatomy.measure(ours, wl.of("full_search")[:40])
            except Exception as exc:  # engine internals moved: report, do not fail
                result["anatomy"] = {"error": f"{type(exc).__name__}: {exc}"}
        del ours
        log(f"{size}: in-process latency, search box")
        result["search_box"] = measure_search_box(
            OurEngine(str(data_dir), search_box=True), wl, plan
        )
        if peer is not None:
            stats, samples["engine"]["peer"] = measure_engine(peer.call, wl, plan)
            result["engine"]["peer"] = stats
            peer.close()

        result["http"], result["http_errors"], result["wrk"] = {}, {}, {}
        result["serving_memory"], result["profiles"] = {}, {}
        servers: list[tuple[str, Callable[[], Any], list[int]]] = [
            ("ours", lambda: httpbench.serve_ours(data_dir), [])
        ]
        if cluster is not None:
            servers.append(
                ("peer", lambda: httpbench.serve_peer(cluster.conninfo), [cluster.postmaster_pid])
            )
        for system, start, extra_pids in servers:
            log(f"{size}: HTTP, {system}")
            with ExitStack() as stack:
                server = stack.enter_context(start())
                mem = stack.enter_context(MemorySampler([server.pid, *extra_pids], 0.1))
                stats, samples["http"][system], errors = measure_http(server.base_url, wl, plan)
                result["http"][system], result["http_errors"][system] = stats, errors
                if use_wrk:
                    result["wrk"][system] = measure_wrk(server.base_url, wl, plan)
                mem.sample()
                result["serving_memory"][system] = {
                    "rss": mem.peak_rss_mib,
                    "pss": mem.peak_pss_mib,
                    "anon": mem.peak_anon_mib,
                }
                if profile and system == "ours" and use_wrk:
                    log(f"{size}: profiling the server")
                    result["profiles"]["server"] = profile_server(server, wl, plan, out)
        if use_wrk:
            result["wrk_per_core"] = {}
            per_core: list[tuple[str, Callable[[], Any]]] = [
                ("ours", lambda: httpbench.serve_ours(data_dir, PER_CORE))
            ]
            if cluster is not None:
                per_core.append(("peer", lambda: httpbench.serve_peer(cluster.conninfo, PER_CORE)))
            for system, start in per_core:
                log(f"{size}: HTTP, {system}, {PER_CORE} server processes")
                with start() as server:
                    result["wrk_per_core"][system] = measure_wrk_per_core(server.base_url, wl, plan)
    if profile and profile_index:
        log(f"{size}: profiling indexing")
        result["profiles"]["indexing"] = profile_indexing(source, out)
    return result, samples


# ---------------------------------------------------------------------------- main


def pg_version() -> str | None:
    bindir = pg_peer.pg_bindir()
    if bindir is None:
        return None
    got = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=False
    ).stdout.split()
    return got[2] if len(got) > 2 else None  # "postgres (PostgreSQL) 15.18 (Debian ...)"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="the committed small set, short runs (CI: checks the harness works)",
    )
    p.add_argument("--sizes", nargs="+", default=["100k", "1m"], choices=["100k", "1m"])
    p.add_argument(
        "--out",
        type=Path,
        help="Markdown report (default docs/benchmarks.md; "
        "benchmarks/results/quick.md with --quick); PNG plots go beside it",
    )
    p.add_argument("--json", type=Path, help="raw results (default benchmarks/results/)")
    p.add_argument("--no-peer", action="store_true", help="skip the PostgreSQL peer")
    p.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="record py-spy profiles (default: on, off with --quick)",
    )
    p.add_argument(
        "--reuse-index",
        action="store_true",
        help="keep an existing index (and its indexing figures) instead of rebuilding",
    )
    p.add_argument("--workload", type=Path, default=None, help="workload file")
    p.add_argument(
        "--data",
        type=Path,
        default=DATA,
        help="where indexes and work files go (default benchmarks/data)",
    )
    p.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="only write the report (and plots) again from a results JSON",
    )
    args = p.parse_args(argv)

    if args.render:
        saved = json.loads(args.render.read_text(encoding="utf-8"))
        doc = args.out or ROOT / "docs" / "benchmarks.md"
        report.write(saved["results"], saved["samples"], doc)
        log(f"wrote {doc} from {args.render}")
        return 0

    started = time.perf_counter()
    plan = Plan.quick() if args.quick else Plan.full()
    doc = args.out or (RESULTS / "quick.md" if args.quick else ROOT / "docs" / "benchmarks.md")
    json_path = args.json or RESULTS / f"{doc.stem}.json"
    work = args.data / ("work-quick" if args.quick else "work")
    work.mkdir(parents=True, exist_ok=True)
    wl = load(args.workload) if args.workload else load()

    peer_skipped = "--no-peer" if args.no_peer else pg_peer.available()
    wrk_skipped = httpbench.wrk_available()
    profile = args.profile if args.profile is not None else not args.quick
    profile_skipped = None if not profile else profiling.available()
    if profile_skipped:
        profile = False
    for what, why in (
        ("PostgreSQL peer", peer_skipped),
        ("concurrency", wrk_skipped),
        ("profiles", profile_skipped),
    ):
        if why:
            log(f"skipping the {what}: {why}")

    cmd = (
        "python -m benchmarks.run"
        + (" " + shlex.join(argv if argv is not None else sys.argv[1:])).rstrip()
    )
    results: dict[str, Any] = {
        "command": cmd.strip(),
        "machine": machine(),
        "date": today(),
        "quick": args.quick,
        "pg_version": pg_version(),
        "mix": wl.mix,
        "load": {"start": list(load_average())},
        "speed_ms": {"start": machine_speed_ms()},
        "code": {"start": code_fingerprint()},
        "writer_heap_mb": Settings().writer_heap_mb,
        "peer_skipped": peer_skipped,
        "wrk_skipped": wrk_skipped,
        "profile_skipped": profile_skipped if args.profile else None,
        "warmup": {"min": plan.warmup, "seconds": plan.warmup_s},
        "sets": [],
    }
    all_samples: dict[str, Any] = {}
    sets = [("small", SMALL)] if args.quick else [(s, ensure_set(s)) for s in args.sizes]
    for i, (size, source) in enumerate(sets):
        res, samples = bench_set(
            size,
            source,
            wl,
            plan,
            peer_skipped is None,
            wrk_skipped is None,
            profile,
            args.reuse_index,
            work,
            args.data,
            profile_index=i == 0,
        )
        results["sets"].append(res)
        all_samples[size] = samples
    results["load"]["end"] = list(load_average())
    results["speed_ms"]["end"] = machine_speed_ms()
    results["code"]["end"] = code_fingerprint()
    results["duration_s"] = time.perf_counter() - started
    report.write(results, all_samples, doc)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"results": results, "samples": all_samples}), encoding="utf-8")
    log(f"wrote {doc} and {json_path} in {results['duration_s'] / 60:.1f} min")
    for t, m, v in report.targets(results):
        log(f"  {v:12} {t}: {m}")
    return 0


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # so the PostgreSQL cluster is stopped


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
