"""Two versions of the product side by side in one run, alternated: index wall time, CPU and
peak memory of the whole build, then the search box's in-process latency on each version's
own index. The way the figures of a speed issue are taken ("the previous main and this one"):

    git worktree add --detach /var/tmp/bench/base <commit>
    python -m benchmarks.versions --before /var/tmp/bench/base --after . \\
        --source /var/tmp/bench/fixtures-100k --rounds 2

Each version runs its own code (``PYTHONPATH`` and working folder set to its checkout) with
this interpreter, on the same source files. The order flips every round (before, after; then
after, before), so that both see the same neighbours on a shared machine. The search latency
comes from each checkout's own ``python -m benchmarks.inprocess DATA full_search
--search-box`` (the same committed workload); with ``--categories``, each checkout's
``python -m benchmarks.inprocess DATA CATEGORY...`` (the engine's own calls, no search box)
adds a p50 and a p99 row per category. The ratios are of the medians over the rounds.
Nothing is asserted: the figures are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import load_average, machine, run_measured
from benchmarks.workload import CATEGORIES

KINDS = ("locations", "therapists", "articles")


@dataclass
class Version:
    label: str
    checkout: Path
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    therapists_wall_s: list[float] = field(default_factory=list)
    therapists_cpu_s: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    categories: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)

    def env(self, data_dir: Path) -> dict[str, str]:
        return {"SEARCH_DATA_DIR": str(data_dir), "PYTHONPATH": str(self.checkout)}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def index(v: Version, source: Path, data_dir: Path, one_command: bool = False) -> None:
    """Every kind into a fresh ``data_dir``, each kind one measured process; the build's
    figures are the sums (wall, CPU) and the largest process tree (memory). With
    ``one_command``, the build as a user runs it: one ``index --from SOURCE`` for every kind
    (measured as a whole; the therapists' wall time is the one the command prints)."""
    shutil.rmtree(data_dir, ignore_errors=True)
    if one_command:
        cmd = [sys.executable, "-m", "cli", "index", "--from", str(source), "--quiet"]
        run = run_measured(cmd, env=v.env(data_dir), cwd=v.checkout)
        if run.returncode != 0:
            raise SystemExit(f"{v.label}: indexing failed:\n{run.stderr[-3000:]}")
        v.wall_s.append(run.seconds)
        v.cpu_s.append(run.cpu_seconds)
        v.peak_mib.append(run.peak_rss_mib)
        for line in run.stdout.splitlines():
            if line.startswith("therapists: indexed "):
                v.therapists_wall_s.append(float(line.split(" records in ")[1].split()[0]))
        log(
            f"{v.label}: indexed in {run.seconds:.1f} s, CPU {run.cpu_seconds:.1f} s, "
            f"peak {run.peak_rss_mib:,.0f} MiB (one command)"
        )
        return
    wall = cpu = peak = 0.0
    for kind in KINDS:
        cmd = [sys.executable, "-m", "cli", "index", "--from", str(source), "--kind", kind]
        run = run_measured([*cmd, "--quiet"], env=v.env(data_dir), cwd=v.checkout)
        if run.returncode != 0:
            raise SystemExit(f"{v.label}: indexing {kind} failed:\n{run.stderr[-3000:]}")
        wall, cpu, peak = wall + run.seconds, cpu + run.cpu_seconds, max(peak, run.peak_rss_mib)
        if kind == "therapists":
            v.therapists_wall_s.append(run.seconds)
            v.therapists_cpu_s.append(run.cpu_seconds)
    v.wall_s.append(wall)
    v.cpu_s.append(cpu)
    v.peak_mib.append(peak)
    log(f"{v.label}: indexed in {wall:.1f} s, CPU {cpu:.1f} s, peak {peak:,.0f} MiB")


def _inprocess(v: Version, data_dir: Path, args: list[str]) -> list[str]:
    """The lines of the version's own ``python -m benchmarks.inprocess DATA_DIR ARGS``."""
    cmd = [sys.executable, "-m", "benchmarks.inprocess", str(data_dir), *args]
    done = subprocess.run(
        cmd,
        cwd=v.checkout,
        env={**os.environ, **v.env(data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{v.label}: benchmarks.inprocess failed:\n{done.stderr[-3000:]}")
    return done.stdout.splitlines()


def _percentiles(line: str) -> tuple[float, float]:
    return float(line.split("p50")[1].split()[0]), float(line.split("p99")[1].split()[0])


def search(
    v: Version, data_dir: Path, seconds: float, categories: list[str], requests: int | None = None
) -> None:
    limit = [] if requests is None else ["--requests", str(requests)]
    lines = _inprocess(
        v, data_dir, ["full_search", "--search-box", "--seconds", str(seconds), *limit]
    )
    line = next(x for x in lines if x.startswith("full_search"))
    p50, p99 = _percentiles(line)
    v.p50.append(p50)
    v.p99.append(p99)
    log(f"{v.label}: search box {line}")
    if not categories:
        return
    for line in _inprocess(v, data_dir, [*categories, "--seconds", str(seconds), *limit]):
        category = line.split()[0] if line.strip() else ""
        if category in categories:
            p50, p99 = _percentiles(line)
            got = v.categories.setdefault(category, ([], []))
            got[0].append(p50)
            got[1].append(p99)
            log(f"{v.label}: engine {line}")


def _cell(xs: list[float], fmt: str) -> str:
    if not xs:
        return "–"
    lo, hi = min(xs), max(xs)
    return format(lo, fmt) if lo == hi else f"{format(lo, fmt)}–{format(hi, fmt)}"


def _ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(b) / statistics.median(a):.2f}×" if a and b else "–"


def table(before: Version, after: Version, therapists: int, categories: list[str]) -> str:
    rows = [
        ("index wall time, all kinds (s)", "wall_s", ".1f"),
        ("of it therapists (s)", "therapists_wall_s", ".1f"),
        ("index CPU, all kinds (s)", "cpu_s", ".1f"),
        ("therapists CPU per therapist (µs)", "therapists_cpu_s", ".0f"),
        ("index peak memory, largest process tree (MiB)", "peak_mib", ",.0f"),
        ("search box full search p50 (ms)", "p50", ".2f"),
        ("search box full search p99 (ms)", "p99", ".2f"),
    ]
    out = [
        "| figure | before | after | after / before (medians) |",
        "|---|---:|---:|---:|",
    ]
    for label, attr, fmt in rows:
        a, b = getattr(before, attr), getattr(after, attr)
        if attr == "therapists_cpu_s":
            a = [x / therapists * 1e6 for x in a]
            b = [x / therapists * 1e6 for x in b]
        out.append(f"| {label} | {_cell(a, fmt)} | {_cell(b, fmt)} | {_ratio(a, b)} |")
    for category in categories:
        for i, name in enumerate(("p50", "p99")):
            a = before.categories.get(category, ([], []))[i]
            b = after.categories.get(category, ([], []))[i]
            label = f"engine {category} {name} (ms)"
            out.append(f"| {label} | {_cell(a, '.2f')} | {_cell(b, '.2f')} | {_ratio(a, b)} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.versions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--before", type=Path, required=True, help="checkout of the earlier version")
    p.add_argument("--after", type=Path, required=True, help="checkout of the later version")
    p.add_argument("--source", type=Path, required=True, help="a folder of fixture JSONL files")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--seconds", type=float, default=10.0, help="search time budget per run")
    p.add_argument(
        "--requests",
        type=int,
        default=None,
        metavar="N",
        help="only the first N requests of each category (a quick look, not figures; both "
        "checkouts' benchmarks.inprocess must know --requests)",
    )
    p.add_argument("--work", type=Path, default=Path("/var/tmp/therapist-search-versions"))
    p.add_argument("--no-index", action="store_true", help="reuse the indexes of a former run")
    p.add_argument("--index-only", action="store_true", help="time the builds, not the searches")
    p.add_argument(
        "--one-command",
        action="store_true",
        help="time one `index --from SOURCE` for every kind instead of a process per kind",
    )
    p.add_argument(
        "--categories",
        nargs="*",
        default=[],
        choices=CATEGORIES,
        help="workload categories also timed on the engine itself (benchmarks.inprocess)",
    )
    args = p.parse_args(argv)
    if args.no_index and args.index_only:
        p.error("--no-index and --index-only leave nothing to time")
    therapists = int(
        json.loads((args.source / "manifest.json").read_text())["counts"]["therapists"]
    )
    before = Version("before", args.before.resolve())
    after = Version("after", args.after.resolve())
    started = load_average()
    for r in range(args.rounds):
        order = (before, after) if r % 2 == 0 else (after, before)
        for v in order:
            data_dir = args.work / v.label
            if not args.no_index:
                index(v, args.source.resolve(), data_dir, args.one_command)
            if not args.index_only:
                search(v, data_dir, args.seconds, args.categories, args.requests)
    ended = load_average()
    print(
        f"Command: `python -m benchmarks.versions --before {args.before} --after {args.after} "
        f"--source {args.source} --rounds {args.rounds}"
        f"{' --index-only' if args.index_only else ''}"
        f"{' --one-command' if args.one_command else ''}"
        f"{' --categories ' + ' '.join(args.categories) if args.categories else ''}`\n\n"
        f"Machine: {machine()}. Load average (1 / 5 / 15 min) at the start "
        f"{' / '.join(f'{x:.2f}' for x in started)}, at the end "
        f"{' / '.join(f'{x:.2f}' for x in ended)}. {therapists:,} therapists; "
        f"{args.rounds} rounds, the order flipped each round.\n"
    )
    print(table(before, after, therapists, args.categories))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
