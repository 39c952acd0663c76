"""Soak: 20,000 requests of the benchmark mix against a real server process, its resident
memory sampled as they go; fails when memory grows after the warm-up, or a request fails.

    python -m benchmarks.soak [--requests 20000] [--clients 4] [--sample-every 500]
                              [--fixtures fixtures/small | --data-dir DIR] [--json out.json]

The server is ``therapist-search serve`` (one process by default: its RSS is the figure) over
an index built from the fixtures in a temporary folder (or ``--data-dir``, an existing one).
The clients send the same mix as ``benchmarks.load`` (search-box text with a place, near me,
browse pages and endpoints, article search, typeahead, profile pages). Before the count
starts, every distinct request of the mix is sent once: the warm-up, which fills what the
server keeps per distinct request (typeahead answers of one- and two-letter prefixes, the
cities of each state, the pages of the index it reads). RSS (``VmRSS`` of the server process
and its children, from ``/proc``) is sampled after the warm-up, then every ``--sample-every``
requests, then at the end.

The threshold (``--max-growth-mib``, 8 MiB by default) is on growth from the sample after the
warm-up to the last one. A leak of half a kilobyte a request would be 10 MiB over 20,000
requests, above it, while what a healthy server does after the warm-up (the allocator keeping
freed memory, index pages read for the first time by a request of the mix that lands on a
part of the index the warm-up did not touch) moves RSS by a few MiB either way. Exit status 1
on growth over the threshold or any failed request.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from benchmarks.common import ROOT, code_fingerprint, machine, today
from benchmarks.httpbench import serve_ours
from benchmarks.traffic import (
    Traffic,
    TrafficReport,
    anon_mib,
    build_index,
    get,
    request_mix,
    rss_mib,
)

DEFAULT_FIXTURES = ROOT / "fixtures" / "small"
MAX_GROWTH_MIB = 8.0


@dataclass
class Sample:
    requests: int
    rss_mib: float
    anon_mib: float


@dataclass
class SoakRun:
    warmup: TrafficReport = field(default_factory=TrafficReport)
    traffic: TrafficReport = field(default_factory=TrafficReport)
    start: Sample | None = None
    after_warmup: Sample | None = None
    samples: list[Sample] = field(default_factory=list)
    max_growth_mib: float = MAX_GROWTH_MIB

    @property
    def end(self) -> Sample:
        return self.samples[-1]

    @property
    def growth_mib(self) -> float:
        assert self.after_warmup is not None
        return self.end.rss_mib - self.after_warmup.rss_mib

    @property
    def slope_kib_per_1000(self) -> float:
        """Least-squares slope of RSS over the samples after the warm-up."""
        if len(self.samples) < 3:
            return 0.0
        x = np.array([s.requests for s in self.samples], dtype=float)
        y = np.array([s.rss_mib for s in self.samples], dtype=float)
        return float(np.polyfit(x, y, 1)[0]) * 1024 * 1000

    @property
    def problems(self) -> list[str]:
        out = []
        failed = self.traffic.failed + self.warmup.failed
        if failed:
            out.append(f"{failed} failed requests")
        if self.growth_mib > self.max_growth_mib:
            out.append(
                f"RSS grew {self.growth_mib:.1f} MiB after the warm-up "
                f"(threshold {self.max_growth_mib:g} MiB)"
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        assert self.start is not None and self.after_warmup is not None
        return {
            "ok": not self.problems,
            "problems": self.problems,
            "warmup": self.warmup.to_dict(),
            "traffic": self.traffic.to_dict(),
            "failed_requests": self.traffic.failed + self.warmup.failed,
            "rss_mib": {
                "start": round(self.start.rss_mib, 1),
                "after_warmup": round(self.after_warmup.rss_mib, 1),
                "end": round(self.end.rss_mib, 1),
                "peak": round(max(s.rss_mib for s in self.samples), 1),
                "growth": round(self.growth_mib, 1),
                "growth_percent": round(100 * self.growth_mib / self.after_warmup.rss_mib, 1),
                "slope_kib_per_1000_requests": round(self.slope_kib_per_1000, 1),
                "threshold": self.max_growth_mib,
            },
            "anon_mib": {
                "after_warmup": round(self.after_warmup.anon_mib, 1),
                "end": round(self.end.anon_mib, 1),
            },
            "samples": [
                [s.requests, round(s.rss_mib, 1), round(s.anon_mib, 1)] for s in self.samples
            ],
        }


def sample(pid: int, requests: int) -> Sample:
    return Sample(requests, rss_mib(pid), anon_mib(pid))


def soak(args: argparse.Namespace, data_dir: Path, log: Any) -> SoakRun:
    out = SoakRun(max_growth_mib=args.max_growth_mib)
    with serve_ours(data_dir, args.workers) as server:
        pid = server.pid
        out.start = sample(pid, 0)
        status, body = get(server.base_url, "/therapists/search?size=50")
        ids = [i["therapist"]["id"] for i in orjson.loads(body)["items"]] if status == 200 else []
        mix = request_mix(args.requests, args.seed, ids)
        distinct = list(dict.fromkeys(mix))
        log(f"serving at {server.base_url}; warm-up: {len(distinct)} distinct requests")
        out.warmup = Traffic(server.base_url, distinct, args.clients, len(distinct)).start().wait()
        out.after_warmup = sample(pid, 0)
        out.samples.append(out.after_warmup)
        log(f"RSS after warm-up {out.after_warmup.rss_mib:.1f} MiB; {args.requests} requests")
        traffic = Traffic(server.base_url, mix, args.clients, args.requests).start()
        done = threading.Event()

        def sampler() -> None:
            nxt = args.sample_every
            while not done.is_set():
                if traffic.sent >= nxt:
                    out.samples.append(sample(pid, nxt))
                    if nxt % (args.sample_every * 8) == 0:
                        log(f"{nxt:>6} requests: RSS {out.samples[-1].rss_mib:.1f} MiB")
                    nxt += args.sample_every
                done.wait(0.02)

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        out.traffic = traffic.wait()
        done.set()
        thread.join()
        time.sleep(0.2)  # the last answers are out; the server is idle
        out.samples.append(sample(pid, out.traffic.requests))
    return out


def summary(d: dict[str, Any], machine_line: str) -> str:
    t, r, a = d["traffic"], d["rss_mib"], d["anon_mib"]
    lines = [
        f"Soak — {machine_line}",
        f"  {'OK' if d['ok'] else 'FAILED: ' + '; '.join(d['problems'])}",
        f"  warm-up           {d['warmup']['requests']:>7,} requests (each distinct one once)",
        f"  requests          {t['requests']:>7,} in {t['seconds']:.0f} s "
        f"({t['requests_per_second']:.0f}/s; p50 {t['p50_ms']} ms, p99 {t['p99_ms']} ms, "
        f"max {t['max_ms']} ms)",
        f"  failed requests   {d['failed_requests']:>7,}",
        f"  RSS               start {r['start']} MiB, after warm-up {r['after_warmup']} MiB, "
        f"end {r['end']} MiB, peak {r['peak']} MiB",
        f"  growth            {r['growth']:+} MiB ({r['growth_percent']:+}%) after the warm-up; "
        f"threshold {r['threshold']:g} MiB; slope {r['slope_kib_per_1000_requests']:+} KiB "
        "per 1,000 requests",
        f"  heap (RssAnon)    after warm-up {a['after_warmup']} MiB, end {a['end']} MiB",
    ]
    for f in d["warmup"]["failure_examples"] + t["failure_examples"]:
        lines.append(f"  ! {f}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.soak", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--requests", type=int, default=20_000, help="requests counted (default 20000)")
    p.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    p.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    p.add_argument("--sample-every", type=int, default=500, help="requests between RSS samples")
    p.add_argument(
        "--max-growth-mib",
        type=float,
        default=MAX_GROWTH_MIB,
        help=f"largest RSS growth after the warm-up that passes (default {MAX_GROWTH_MIB:g})",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="index built from")
    src.add_argument("--data-dir", type=Path, help="serve this existing data folder instead")
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()

    def log(text: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f} s] {text}", file=sys.stderr)

    if args.data_dir is not None:
        out = soak(args, args.data_dir, log)
    else:
        with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
            build_index(args.fixtures, Path(tmp))
            out = soak(args, Path(tmp), log)
    d = out.to_dict()
    d |= {"machine": machine(), "date": today(), "code": code_fingerprint()}
    d["args"] = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    print(summary(d, d["machine"]))
    if args.json is not None:
        args.json.write_text(json.dumps(d, indent=2) + "\n", encoding="utf-8")
    return 0 if d["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
