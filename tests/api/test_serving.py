"""``therapist-search serve --workers N``: real server processes on a real port.

On Linux every worker listens on a socket of its own (``SO_REUSEPORT``); these tests look at
the sockets in ``/proc`` to check which process holds which connection.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from search_api.serving import reuse_port_supported
from search_core.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.skipif(
    not reuse_port_supported(), reason="one socket per worker is the Linux (SO_REUSEPORT) path"
)

WORKERS = 2


def _sockets(port: int, state: str) -> dict[int, str]:
    """Inode → local address of the IPv4 TCP sockets on ``port`` in ``state`` (``0A`` listen,
    ``01`` established)."""
    out = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if f[3] == state and int(f[1].rsplit(":", 1)[1], 16) == port:
            out[int(f[9])] = f[2]
    return out


def _owners(inodes: set[int], pids: list[int]) -> dict[int, int]:
    """Inode → the pid (of ``pids``) holding that socket."""
    found = {}
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inode = int(target[8:-1])
                if inode in inodes:
                    found[inode] = pid
    return found


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _workers(server: subprocess.Popen[bytes], port: int) -> list[int]:
    """The worker pids: the children of the server holding a socket listening on ``port``."""
    listening = set(_sockets(port, "0A"))
    return sorted(set(_owners(listening, _children(server.pid)).values()))


def _wait(predicate: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+) with")


Server = tuple[subprocess.Popen[bytes], int]


@contextmanager
def _serving(data_dir: Path, log_path: Path) -> Iterator[Server]:
    """``serve --workers 2 --port 0``: the kernel picks the port as the server binds it (a port
    chosen beforehand could be taken by another program meanwhile); read from the log."""
    cmd = [sys.executable, "-m", "cli", "serve", "--port", "0", "--workers", str(WORKERS)]
    env = {**os.environ, "SEARCH_DATA_DIR": str(data_dir)}
    log = log_path.open("wb")
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log)
    try:
        found: list[int] = []

        def bound() -> bool:
            m = SERVING.search(log_path.read_text(errors="replace"))
            if m is not None:
                found.append(int(m.group(1)))
            return bool(found) or proc.poll() is not None

        _wait(bound, "the server to bind its port")
        assert found, log_path.read_text(errors="replace")
        port = found[0]
        _wait(lambda: len(_workers(proc, port)) == WORKERS, f"{WORKERS} workers listening")
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


@pytest.fixture(scope="module")
def running(small_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that leave it serving (a worker killed is replaced)."""
    with _serving(small_index.data_dir, tmp_path_factory.mktemp("serve") / "serve.log") as s:
        yield s


@pytest.fixture
def server(small_index: Settings, tmp_path: Path) -> Iterator[Server]:
    """A server of the test's own, for a test that stops it."""
    with _serving(small_index.data_dir, tmp_path / "serve.log") as s:
        yield s


def test_each_worker_listens_and_connections_spread(running: Server) -> None:
    proc, port = running
    workers = _workers(proc, port)
    assert len(workers) == WORKERS and proc.pid not in workers
    listening = _sockets(port, "0A")
    assert len(listening) == WORKERS  # a socket each, not one shared
    assert sorted(_owners(set(listening), workers).values()) == workers
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(40)]
    try:
        for conn in conns:  # kept alive, like a proxy's pool
            conn.request("GET", "/browse/states")
            resp = conn.getresponse()
            assert resp.status == 200
            resp.read()
        established = _sockets(port, "01")  # the server's ends: local port is ours
        held = _owners(set(established), workers)
        per_worker = [list(held.values()).count(pid) for pid in workers]
    finally:
        for conn in conns:
            conn.close()
    assert sum(per_worker) == 40
    # The kernel hashes each client port: all 40 on one worker has odds of 2 in 2**40.
    assert min(per_worker) >= 1, per_worker


def test_a_worker_that_dies_is_replaced(running: Server) -> None:
    proc, port = running
    before = _workers(proc, port)
    os.kill(before[0], signal.SIGKILL)
    _wait(
        lambda: len(after := _workers(proc, port)) == WORKERS and before[0] not in after,
        "a new worker",
    )
    for _ in range(10):
        status, _ = _get(port, "/health")
        assert status == 200


def test_sigterm_stops_every_process(server: Server) -> None:
    proc, port = server
    workers = _workers(proc, port)
    ours = set(_sockets(port, "0A"))
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0
    for pid in workers:
        _wait(lambda pid=pid: not Path(f"/proc/{pid}").exists(), f"worker {pid} to exit", 10)
    assert not ours & set(_sockets(port, "0A"))  # (another program may listen there by now)


def test_a_port_in_use_is_a_clear_error(small_index: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "SEARCH_DATA_DIR": str(small_index.data_dir)}
        done = subprocess.run(
            [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", "2"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
