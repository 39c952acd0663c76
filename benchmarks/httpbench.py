"""HTTP measurements: a server subprocess, one sequential client, and ``wrk`` for concurrency.

Concurrency uses ``wrk`` (Debian's package): a C load generator with an event loop, so on a
two-core machine it takes a small slice of one core where a Python generator (locust) would
need a core of its own to push a few hundred requests a second and would compete with the
server under test. ``benchmarks/wrk_walk.lua`` walks a file of the workload's URLs (each wrk
thread from its own offset) and prints a JSON summary. The runs are closed-loop: N connections,
each sending its next request when the previous answer is in — N users clicking as fast as the
server lets them; latency is per request as wrk measures it (HdrHistogram, microseconds).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from benchmarks.common import ROOT
from benchmarks.workload import Request, warm_up

LUA = ROOT / "benchmarks" / "wrk_walk.lua"


@dataclass
class Server:
    name: str
    base_url: str
    proc: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.proc.pid


LISTENING = re.compile(rb"(?:running on|serving on) http://127\.0\.0\.1:(\d+)")
"""What uvicorn and ``therapist-search serve`` log once their socket is bound, with its port."""


@contextmanager
def serve(
    name: str,
    cmd: Sequence[str],
    env: dict[str, str],
    timeout_s: float = 180,
    listeners: int = 1,
) -> Iterator[Server]:
    """Start a server subprocess that listens on 127.0.0.1, port 0 (``cmd`` asks for it): the
    kernel picks a free port as the server binds it, so no other program can take it between
    a choice and its use; the port is read from the server's log. Yield once /health answers
    200 and, where each worker process listens on a socket of its own, once ``listeners``
    sockets listen (a worker still starting would otherwise get no connections of the run)."""
    log = tempfile.NamedTemporaryFile(prefix=f"{name}-server-", suffix=".log")  # noqa: SIM115
    proc = subprocess.Popen(
        list(cmd), env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT
    )
    try:
        deadline = time.time() + timeout_s
        port: int | None = None
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} server exited: {_tail(log.name)}")
            if port is None:
                found = LISTENING.search(Path(log.name).read_bytes())
                port = int(found.group(1)) if found else None
            healthy = port is not None and _healthy(f"http://127.0.0.1:{port}")
            listening = listening_sockets(port) if healthy and port is not None else 0
            if healthy and (listening is None or listening >= listeners):
                break
            if time.time() > deadline:
                raise RuntimeError(f"{name} server did not answer /health in {timeout_s:.0f} s")
            time.sleep(0.25)
        yield Server(name, f"http://127.0.0.1:{port}", proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _tail(path: str) -> str:
    return Path(path).read_bytes().decode(errors="replace")[-2000:]


def serve_ours(data_dir: Path, workers: int = 1) -> AbstractContextManager[Server]:
    cmd = [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", "0"]
    cmd += ["--workers", str(workers)]
    return serve("ours", cmd, {"SEARCH_DATA_DIR": str(data_dir)}, listeners=workers)


def listening_sockets(port: int) -> int | None:
    """TCP sockets listening on ``port`` (from ``/proc/net/tcp*``; None where there is none).
    ``serve --workers N`` on Linux has one per worker once that worker has started."""
    found, readable = 0, False
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        try:
            lines = table.read_text().splitlines()[1:]
        except OSError:
            continue
        readable = True
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                found += 1
    return found if readable else None


def serve_peer(conninfo: str, workers: int = 1) -> AbstractContextManager[Server]:
    cmd = [sys.executable, "-m", "uvicorn", "benchmarks.pg_app:create_app", "--factory"]
    cmd += ["--host", "127.0.0.1", "--port", "0", "--workers", str(workers)]
    return serve("peer", cmd, {"BENCH_PG_CONNINFO": conninfo})


@dataclass
class ClientRun:
    ms: list[float]
    errors: int
    first_error: str | None


def one_client(
    base_url: str,
    requests: Sequence[Request],
    budget_s: float,
    min_n: int,
    max_n: int,
    warmup: int = 0,
    warmup_s: float = 0.0,
) -> ClientRun:
    """Sequential requests over one kept-alive connection; wall time per request (ms).

    The client is the standard library's ``http.client``: the client runs on the same two
    cores, and ``httpx`` spent 0.2–1.5 ms of Python per request of its own (more for bigger
    answers; measured against this one on the same server), time that belongs to neither
    system."""
    out: list[float] = []
    errors = 0
    first: str | None = None
    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)

    def get(path: str) -> tuple[int, bytes]:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()

    try:
        warm_up(lambda r: get(r.url), requests, min(warmup, len(requests)), warmup_s)
        deadline = time.perf_counter() + budget_s
        i = 0
        while len(out) < max_n and (len(out) < min_n or time.perf_counter() < deadline):
            r = requests[i % len(requests)]
            t0 = time.perf_counter()
            status, body = get(r.url)
            out.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors += 1
                first = first or f"{r.url} → {status}: {body[:200].decode(errors='replace')}"
            i += 1
    finally:
        conn.close()
    return ClientRun(out, errors, first)


def wrk_available() -> str | None:
    return None if shutil.which("wrk") else "wrk is not installed (apt-get install wrk)"


@dataclass
class WrkRun:
    clients: int
    seconds: float
    requests: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    errors: int
    non_2xx: int


def wrk(base_url: str, requests: Sequence[Request], clients: int, seconds: float) -> WrkRun:
    """``wrk`` with ``clients`` connections for ``seconds``, walking ``requests``' URLs."""
    with tempfile.NamedTemporaryFile("w", suffix=".urls", delete=False) as f:
        f.write("\n".join(r.url for r in requests) + "\n")
        urls = f.name
    try:
        threads = min(2, clients)
        cmd = [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(clients),
            "-d",
            f"{seconds:g}s",
            "--timeout",
            "60s",
            "-s",
            str(LUA),
            base_url,
            "--",
            urls,
        ]
        done = subprocess.run(
            cmd, capture_output=True, text=True, check=True, timeout=seconds + 120
        )
    finally:
        os.unlink(urls)
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("{"))
    d = json.loads(line)
    secs = d["duration_us"] / 1e6
    errors = d["connect"] + d["read"] + d["write"] + d["timeout"]
    return WrkRun(
        clients=clients,
        seconds=secs,
        requests=d["requests"],
        rps=d["requests"] / secs,
        p50=d["p50_us"] / 1000,
        p95=d["p95_us"] / 1000,
        p99=d["p99_us"] / 1000,
        max=d["max_us"] / 1000,
        errors=errors,
        non_2xx=d["status"],
    )
