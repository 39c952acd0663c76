"""Shared benchmark helpers: the machine, percentiles, process-tree memory sampling, ports."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def code_fingerprint() -> str:
    """A short hash of the product's source (search_core, search_api, indexer, cli, mappings,
    tunings): which code a run measured, since other people edit it in parallel."""
    import hashlib

    h = hashlib.sha256()
    for top in ("search_core", "search_api", "indexer", "cli", "mappings", "tunings"):
        for f in sorted((ROOT / top).rglob("*")):
            if f.is_file() and f.suffix in {".py", ".json"}:
                h.update(str(f.relative_to(ROOT)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:12]


def load_average() -> tuple[float, float, float]:
    one, five, fifteen = os.getloadavg()
    return one, five, fifteen


def machine_speed_ms() -> float:
    """The fastest of five runs of a fixed piece of pure Python (two million additions in a
    loop), in ms: the machine's speed for this kind of work at that moment. On a shared
    virtual machine it moves with the neighbours' load, which the load average does not see
    (it counts only this machine's processes)."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1000


@dataclass(frozen=True)
class Stats:
    """Latency percentiles (milliseconds) over ``n`` samples."""

    n: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, ms: Sequence[float]) -> Stats:
        if not ms:
            return cls(0, float("nan"), float("nan"), float("nan"), float("nan"))
        a = np.asarray(ms, dtype=np.float64)
        p50, p95, p99 = np.percentile(a, [50, 95, 99])
        return cls(len(a), float(p50), float(p95), float(p99), float(a.max()))


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            out.extend(int(c) for c in text)
    except OSError:
        pass
    return out


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kib(pid: int) -> int:
    return _status_kib(pid, "VmRSS:")


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pids(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(_children(p))
    return out


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (shared pages counted in each)."""
    return sum(_rss_kib(p) for p in tree_pids(pid))


def tree_anon_kib(pid: int) -> int:
    """Anonymous resident memory (the heap: RSS less mapped files) of a process tree."""
    return sum(_status_kib(p, "RssAnon:") for p in tree_pids(pid))


def tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process tree: shared pages split between the processes
    that map them, so a tree's sum is what it really holds (PostgreSQL's shared buffers or
    forked workers are not counted once per process)."""
    return sum(_pss_kib(p) for p in tree_pids(pid))


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int) -> int:
    """User + system CPU of a process (all its threads), in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime and stime (fields 14 and 15 of stat)


class MemorySampler:
    """Samples the RSS and PSS of process trees in a thread until stopped; keeps the peaks.
    Also adds up the CPU time of every process seen in the trees (its last sample: up to one
    interval of a short-lived process's CPU can be missed)."""

    def __init__(self, pids: Sequence[int], interval: float = 0.1) -> None:
        self.pids = list(pids)
        self.interval = interval
        self.peak_rss_kib = 0
        self.peak_pss_kib = 0
        self.peak_anon_kib = 0
        self._cpu: dict[int, int] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def sample(self) -> None:
        pids = [p for root in self.pids for p in tree_pids(root)]
        for p in pids:
            self._cpu[p] = max(self._cpu.get(p, 0), _cpu_ticks(p))
        self.peak_rss_kib = max(self.peak_rss_kib, sum(_rss_kib(p) for p in pids))
        self.peak_pss_kib = max(self.peak_pss_kib, sum(_pss_kib(p) for p in pids))
        self.peak_anon_kib = max(self.peak_anon_kib, sum(_status_kib(p, "RssAnon:") for p in pids))

    @property
    def peak_rss_mib(self) -> float:
        return self.peak_rss_kib / 1024

    @property
    def cpu_seconds(self) -> float:
        """User + system CPU of every process of the trees (threads included)."""
        return sum(self._cpu.values()) / _TICKS

    @property
    def peak_pss_mib(self) -> float:
        return self.peak_pss_kib / 1024

    @property
    def peak_anon_mib(self) -> float:
        """Anonymous memory (heap): RSS less the mapped files (index segments, libraries),
        which the kernel can drop and read again."""
        return self.peak_anon_kib / 1024

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._done.set()
        self._thread.join()
        self.sample()


@dataclass
class Run:
    seconds: float
    peak_rss_mib: float
    peak_pss_mib: float
    peak_anon_mib: float
    cpu_seconds: float
    returncode: int
    stdout: str
    stderr: str


def run_measured(
    cmd: Sequence[str], env: dict[str, str] | None = None, interval: float = 0.05, cwd: Path = ROOT
) -> Run:
    """Run a command, sampling the memory of its whole process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    with MemorySampler([proc.pid], interval) as mem:
        out, err = proc.communicate()
        seconds = time.perf_counter() - started
    return Run(
        seconds,
        mem.peak_rss_mib,
        mem.peak_pss_mib,
        mem.peak_anon_mib,
        mem.cpu_seconds,
        proc.returncode,
        out,
        err,
    )


def dir_size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def write_section(doc: Path, title: str, body: str) -> None:
    """Replace (or append) the ``## title`` section of a Markdown results file."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    header = f"## {title}\n"
    start = text.find(header)
    section = header + "\n" + body.strip() + "\n"
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(header))
        text = text[:start] + section + ("" if end < 0 else text[end:])
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
