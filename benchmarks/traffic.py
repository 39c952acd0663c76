"""Concurrent client traffic for the reliability commands (``benchmarks.load``,
``benchmarks.soak``): the benchmark workload's request mix sent by threads over kept-alive
connections to a real server process, every answer checked, every failure kept with an
example; plus a server's data folder built from a fixtures folder, and its resident memory.

The clients are the standard library's ``http.client`` (as :func:`benchmarks.httpbench.one_client`:
cheap in Python, so the clients leave the two cores to the server and to the loads). A request
fails when the answer is not 2xx or the connection breaks (the client then connects again).
"""

from __future__ import annotations

import heapq
import http.client
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.common import ROOT, Stats, tree_anon_kib, tree_pids, tree_rss_kib
from benchmarks.workload import load as load_workload

PROFILE = "profile"
"""A category added to the workload's mix: ``GET /therapists/{id}`` of a therapist the run
does not edit (the workload has no detail pages)."""
PROFILE_SHARE = 0.05
EXAMPLES = 10
"""Failures kept with their details; all are counted."""
SLOWEST = 5
CLI = [sys.executable, "-m", "cli"]


def request_mix(n: int, seed: int, profile_ids: Sequence[str]) -> list[tuple[str, str]]:
    """``n`` (category, URL) pairs: the workload's weighted mix (search-box text with a place,
    near me, browse pages, article search, typeahead), with a twentieth of profile pages."""
    rng = random.Random(seed)
    mixed = load_workload().mixed(n, seed=seed)
    out: list[tuple[str, str]] = []
    for r in mixed:
        if profile_ids and rng.random() < PROFILE_SHARE:
            out.append((PROFILE, f"/therapists/{rng.choice(profile_ids)}"))
        else:
            out.append((r.category, r.url))
    return out


@dataclass
class Failure:
    url: str
    what: str
    at_s: float

    def __str__(self) -> str:
        return f"{self.at_s:7.2f} s  {self.url}  →  {self.what}"


@dataclass
class TrafficReport:
    requests: int = 0
    failed: int = 0
    per_category: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    slowest: list[tuple[float, float, str]] = field(default_factory=list)
    """The slowest requests (a heap): (ms, seconds into the run, URL)."""

    def to_dict(self) -> dict[str, object]:
        s = Stats.of(self.ms)
        return {
            "requests": self.requests,
            "failed": self.failed,
            "seconds": round(self.seconds, 1),
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(s.p50, 1),
            "p99_ms": round(s.p99, 1),
            "max_ms": round(s.max, 1),
            "per_category": dict(sorted(self.per_category.items())),
            "failure_examples": [str(f) for f in self.failures],
            "slowest": [
                f"{ms:.0f} ms at {at:.1f} s: {url}" for ms, at, url in sorted(self.slowest)[::-1]
            ],
        }


class Traffic:
    """``clients`` threads sending ``mix`` round and round (each from its own offset) until
    :meth:`stop`, or until ``limit`` requests in all have been sent."""

    def __init__(
        self,
        base_url: str,
        mix: Sequence[tuple[str, str]],
        clients: int,
        limit: int | None = None,
    ) -> None:
        url = urlsplit(base_url)
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or 80
        self.mix = list(mix)
        self.clients = clients
        self.limit = limit
        self.report = TrafficReport()
        self._lock = threading.Lock()
        self._sent = 0
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(clients)
        ]
        self._started = 0.0

    @property
    def sent(self) -> int:
        return self._sent

    def start(self) -> Traffic:
        self._started = time.perf_counter()
        for t in self._threads:
            t.start()
        return self

    def wait(self) -> TrafficReport:
        """Until ``limit`` requests are answered (or :meth:`stop`)."""
        for t in self._threads:
            t.join()
        self.report.seconds = time.perf_counter() - self._started
        return self.report

    def stop(self) -> TrafficReport:
        self._stop.set()
        return self.wait()

    def _take(self) -> bool:
        with self._lock:
            if self._stop.is_set() or (self.limit is not None and self._sent >= self.limit):
                return False
            self._sent += 1
            return True

    def _client(self, number: int) -> None:
        conn: http.client.HTTPConnection | None = None
        i = number * len(self.mix) // max(1, self.clients)
        while self._take():
            category, url = self.mix[i % len(self.mix)]
            i += 1
            if conn is None:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            t0 = time.perf_counter()
            what: str | None = None
            try:
                conn.request("GET", url)
                resp = conn.getresponse()
                body = resp.read()
                if not 200 <= resp.status < 300:
                    what = f"{resp.status}: {body[:300].decode(errors='replace')}"
            except (OSError, http.client.HTTPException) as exc:
                what = f"connection error: {type(exc).__name__}: {exc}"
                conn.close()
                conn = None
            ms = (time.perf_counter() - t0) * 1000
            with self._lock:
                r = self.report
                r.requests += 1
                r.per_category[category] += 1
                r.ms.append(ms)
                entry = (ms, t0 - self._started, url)
                if len(r.slowest) < SLOWEST:
                    heapq.heappush(r.slowest, entry)
                elif ms > r.slowest[0][0]:
                    heapq.heapreplace(r.slowest, entry)
                if what is not None:
                    r.failed += 1
                    if len(r.failures) < EXAMPLES:
                        r.failures.append(Failure(url, what, time.perf_counter() - self._started))
        if conn is not None:
            conn.close()


def get(base_url: str, path: str, timeout: float = 60) -> tuple[int, bytes]:
    """One request on a connection of its own (with ``serve --workers N`` a new connection may
    land on any worker process); a broken connection is status 0."""
    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (OSError, http.client.HTTPException) as exc:
        return 0, f"connection error: {type(exc).__name__}: {exc}".encode()
    finally:
        conn.close()


def cli_env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "SEARCH_DATA_DIR": str(data_dir)}


def build_index(source: Path, data_dir: Path) -> None:
    """``therapist-search index --from source`` into ``data_dir`` (raises when it fails)."""
    done = subprocess.run(
        [*CLI, "index", "--from", str(source), "--quiet"],
        env=cli_env(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"index --from {source} failed ({done.returncode}): {done.stderr}")


def copy_fixtures(fixtures: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for f in fixtures.iterdir():
        if f.name.endswith((".jsonl", ".jsonl.gz")):
            shutil.copy2(f, dest / f.name)


# --- resident memory, from /proc (benchmarks.common's readers; psutil is not a dependency) ------


def descendants(pid: int) -> list[int]:
    """The process's children, theirs, and so on (not the process itself)."""
    return tree_pids(pid)[1:]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants (VmRSS), MiB."""
    return tree_rss_kib(pid) / 1024


def anon_mib(pid: int) -> float:
    """Anonymous resident memory (the heap: RSS less mapped files) of the tree, MiB."""
    return tree_anon_kib(pid) / 1024
