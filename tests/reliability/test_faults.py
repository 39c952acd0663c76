"""Faults, caused for real in subprocesses of the real command line:

* ``kill -9`` of ``therapist-search index`` at each phase of a load (stopped there by the
  test-only hook of :mod:`search_core.faults`): the version that was serving goes on serving
  (to an app started before the load and to a new one), no half-built version becomes current,
  the same load run again completes, and it removes what the killed one left behind;
* a full disk (a small tmpfs, filled) during a load: the load fails with a message that says
  so and the old version goes on serving;
* ``kill -9`` of one worker of ``therapist-search serve --workers 2`` while clients search:
  the supervisor starts another, the server keeps answering, and the failed requests are
  counted (and printed).

Rerun: ``.venv/bin/python -m pytest tests/reliability/test_faults.py -v`` (add ``-s`` to see
the figures). Figures: docs/reliability.md.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from cli.main import main
from search_api.app import create_app
from search_core.faults import PHASES
from search_core.settings import PROJECT_ROOT, Settings
from tests.reliability import faults
from tests.reliability.faults import DataSet

OLD, NEW = 150, 250
"""Records of the serving (old) set and of the set the faulty load brings (new, other ids)."""


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataSet, DataSet]:
    return faults.two_sets(tmp_path_factory.mktemp("fault-sets"), OLD, NEW)


@pytest.fixture(scope="module")
def serving_old(tmp_path_factory: pytest.TempPathFactory, sets: tuple[DataSet, DataSet]) -> Path:
    """A data folder serving the old set (copied by each test that changes it)."""
    data = tmp_path_factory.mktemp("fault-base") / "data"
    done = faults.load(data, sets[0])
    assert done.returncode == 0, done.stderr
    return data


def settings_of(data: Path) -> Settings:
    return Settings(data_dir=data, index_workers=0)


def assert_serves(client: TestClient, data_set: DataSet, other: DataSet) -> None:
    """The app answers searches and look-ups from ``data_set`` and knows nothing of ``other``."""
    page = client.get("/therapists/search", params={"size": 1})
    assert page.status_code == 200, page.text
    assert page.json()["total"] == len(data_set.ids)
    assert client.get(f"/therapists/{data_set.ids[0]}").status_code == 200
    assert client.get(f"/therapists/{data_set.ids[-1]}").status_code == 200
    assert client.get(f"/therapists/{other.ids[0]}").status_code == 404


def assert_fresh_app_serves(data: Path, data_set: DataSet, other: DataSet) -> None:
    with TestClient(create_app(settings_of(data))) as client:
        assert_serves(client, data_set, other)


# --- kill -9 of a load, at each of its phases -------------------------------------------------

BEFORE_FINISH = ("decompress", "read", "write")
"""Phases while the source is read (the load's own part, before the engine's build finishes)."""
SWITCHED = {"prune"}
"""Phases after the pointer moved: the new version, complete, is the serving one there."""
LEAVING = {"decompress", "read", "write", "commit", "switch"}
"""Phases where a kill leaves something to clean: an unfinished version, the decompressed
source, the pointer's temporary file. (At ``seal`` it leaves a complete version that never
served, which no rollback goes to and the next load removes; at ``prune``, one version too
many, pruned next.)"""


def check_stopped_at(phase: str, data: Path, old_version: str, pid: int) -> None:
    """What the data folder shows while the load sleeps at ``phase`` (so the kill that
    follows lands where the test says)."""
    versions = faults.version_dirs(data)
    new = [v for v in versions if v != old_version]
    assert len(new) == 1, versions
    sources = list((data / "index").glob(f".source-{pid}-*.jsonl"))
    assert len(sources) == (1 if phase in BEFORE_FINISH else 0), "there while it is read"
    if phase in ("decompress", "read", "write", "commit"):
        assert not versions[new[0]], "not sealed yet"
        assert faults.current(data) == old_version
    if phase in ("seal", "switch"):
        assert versions[new[0]], "sealed"
        assert faults.current(data) == old_version
    if phase == "switch":
        assert (kind_dir(data) / f".CURRENT.{pid}.tmp").exists()
    if phase == "prune":
        assert faults.current(data) == new[0]


def kind_dir(data: Path) -> Path:
    return faults.kind_dir(data)


@pytest.mark.parametrize("phase", PHASES)
def test_kill_9_during_a_load_keeps_a_complete_version_serving(
    phase: str, sets: tuple[DataSet, DataSet], serving_old: Path, tmp_path: Path
) -> None:
    old, new = sets
    data = tmp_path / "data"
    shutil.copytree(serving_old, data)
    old_version = faults.current(data)
    assert old_version is not None
    with TestClient(create_app(settings_of(data))) as running:
        assert_serves(running, old, new)

        proc = faults.paused_load(data, new, phase)
        check_stopped_at(phase, data, old_version, proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL

        serving = faults.current(data)
        assert serving is not None and faults.version_dirs(data)[serving], (
            "the current version is a complete one"
        )
        if phase in SWITCHED:
            assert serving != old_version
            assert_serves(running, new, old)
            assert_fresh_app_serves(data, new, old)
        else:
            assert serving == old_version
            assert_serves(running, old, new)
            assert_fresh_app_serves(data, old, new)
        assert bool(faults.leftovers(data)) == (phase in LEAVING), faults.leftovers(data)

        rerun = ["index", "--from", str(new.folder), "--quiet"]
        assert main(rerun, settings_of(data)) == 0
        assert_serves(running, new, old)  # the app that served all along moved to it

    assert faults.leftovers(data) == []
    assert all(faults.version_dirs(data).values())
    assert faults.current(data) == max(faults.version_dirs(data))


def test_a_killed_load_worker_fails_the_load_with_a_message_and_keeps_serving(
    sets: tuple[DataSet, DataSet], serving_old: Path, tmp_path: Path
) -> None:
    """``kill -9`` of one of the load's worker processes (an out-of-memory kill looks the
    same): the load says so and exits 1, instead of waiting forever for the jobs the worker
    took; the old version goes on serving, and the load run again completes."""
    old, new = sets
    data = tmp_path / "data"
    shutil.copytree(serving_old, data)
    old_version = faults.current(data)
    resume = tmp_path / "resume"
    proc = subprocess.Popen(
        [*faults.COMMAND, "index", "--from", str(new.folder), "--quiet"],
        env={
            **faults.env(data, SEARCH_FAULT_PAUSE_AT="read", SEARCH_FAULT_RESUME_FILE=str(resume)),
            "SEARCH_INDEX_WORKERS": "2",
        },
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = faults.Lines(proc.stderr)
        lines.wait_for(rf"^fault-pause: read pid={proc.pid}$")
        workers = faults.children(proc.pid)
        assert len(workers) == 2, workers  # forked by the command itself, nothing else
        os.kill(workers[0], signal.SIGKILL)
        resume.touch()
        assert proc.wait(timeout=120) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    said = lines.rest()
    assert "a worker process of the load ended unexpectedly" in said, said
    assert "the serving index was left as it was" in said
    assert faults.current(data) == old_version
    assert_fresh_app_serves(data, old, new)
    assert faults.leftovers(data) == []
    assert main(["index", "--from", str(new.folder), "--quiet"], settings_of(data)) == 0
    assert_fresh_app_serves(data, new, old)


# --- a full disk --------------------------------------------------------------------------------


@dataclass
class Disk:
    data: Path
    root: Path


@pytest.fixture
def small_disk(
    tmp_path: Path, sets: tuple[DataSet, DataSet], serving_old: Path
) -> Iterator[Disk | None]:
    """A data folder serving the old set on an 8 MB tmpfs of its own (None without one)."""
    root = tmp_path / "disk"
    with faults.tmpfs(root, "8m") as mounted:
        if not mounted:
            yield None
            return
        shutil.copytree(serving_old, root / "data")
        yield Disk(root / "data", root)


@pytest.mark.parametrize(
    ("where", "leave"),
    [
        ("decompressing the source", 100_000),
        ("writing the new version", 150_000),  # on top of the decompressed source
    ],
)
def test_full_disk_fails_the_load_with_a_message_and_keeps_serving(
    where: str,
    leave: int,
    small_disk: Disk | None,
    sets: tuple[DataSet, DataSet],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    old, new = sets
    if small_disk is None:
        simulated_full_disk(old, new, tmp_path, monkeypatch, capsys)
        return
    data = small_disk.data
    old_version = faults.current(data)
    if where == "writing the new version":
        leave += new.plain_bytes
    filler = faults.fill(small_disk.root, leave)

    done = faults.load(data, new)
    assert done.returncode == 1, done.stdout + done.stderr
    message = done.stderr.strip()
    assert message.startswith("error: therapists: the disk is full (no space left on device)")
    assert "the serving index was left as it was" in message
    assert "Traceback" not in done.stderr
    assert faults.current(data) == old_version
    assert faults.leftovers(data) == [], "the failed load removed its partial version"
    assert_fresh_app_serves(data, old, new)

    filler.unlink()
    again = faults.load(data, new)
    assert again.returncode == 0, again.stderr
    assert_fresh_app_serves(data, new, old)


def simulated_full_disk(
    old: DataSet,
    new: DataSet,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Where no tmpfs can be mounted (not root, or a sandbox without mount), the only way to
    get ENOSPC is to make the write path raise it: done here in process, on the write of the
    decompressed source, which a real full disk fails first."""
    data = tmp_path / "data"
    assert main(["index", "--from", str(old.folder), "--quiet"], settings_of(data)) == 0
    old_version = faults.current(data)

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", no_space)  # what writes the decompressed file
    capsys.readouterr()
    assert main(["index", "--from", str(new.folder), "--quiet"], settings_of(data)) == 1
    assert "the disk is full (no space left on device)" in capsys.readouterr().err
    assert faults.current(data) == old_version
    assert faults.leftovers(data) == []
    assert_fresh_app_serves(data, old, new)


# --- kill -9 of a server worker under load ----------------------------------------------------

CLIENTS = 4
MAX_FAILED = 2 * CLIENTS
"""A killed worker takes with it the requests in flight on its connections: at most one per
client at the moment of the kill (and one more per client whose next request was already
queued to the dying worker's socket). Every other request must succeed."""
QUERIES: list[dict[str, str | int]] = [
    {"size": 5},
    {"size": 10, "offset": 20},
    {"profession": "psychologist", "size": 5},
    {"accepting_new_clients": "true", "size": 5},
    {"sort": "recent", "size": 5},
]
"""Searches without text (text would need the locations index, not loaded here)."""


@dataclass
class Traffic:
    """Every request's outcome: (start time, "ok" or what went wrong)."""

    url: str
    outcomes: list[tuple[float, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, n: int) -> None:
        with httpx.Client(base_url=self.url, timeout=60.0) as http:
            i = n
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    r = http.get("/therapists/search", params=QUERIES[i % len(QUERIES)])
                    outcome = "ok" if r.status_code == 200 else f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                with self.lock:
                    self.outcomes.append((started, outcome))
                i += 1

    def wait_for(self, n: int, since: float = 0.0, timeout: float = 120.0) -> None:
        """Until ``n`` requests begun at ``since`` or later have been answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if sum(1 for t, _ in self.outcomes if t >= since) >= n:
                    return
            time.sleep(0.05)
        raise AssertionError(f"fewer than {n} requests answered in {timeout:.0f} s")

    def failed(self, since: float = 0.0) -> list[tuple[float, str]]:
        with self.lock:
            return [(t, o) for t, o in self.outcomes if o != "ok" and t >= since]


@dataclass
class Server:
    proc: subprocess.Popen[str]
    log: faults.Lines
    url: str


@pytest.fixture
def server(serving_old: Path, tmp_path: Path) -> Iterator[Server]:
    """``therapist-search serve --workers 2`` on a free port, both workers ready."""
    data = tmp_path / "data"
    shutil.copytree(serving_old, data)
    proc = subprocess.Popen(
        [*faults.COMMAND, "serve", "--workers", "2", "--port", "0"],
        env=faults.env(data),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = faults.Lines(proc.stderr)
    try:
        port = log.wait_for(r"serving on http://127\.0\.0\.1:(\d+) with 2 worker").group(1)
        for _ in range(2):
            log.wait_for(r"Application startup complete", timeout=60)
        yield Server(proc, log, f"http://127.0.0.1:{port}")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def workers_of(proc: subprocess.Popen[str]) -> list[int]:
    return [
        pid
        for pid in faults.children(proc.pid)
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def test_a_killed_server_worker_is_replaced_and_few_requests_fail(server: Server) -> None:
    proc, log, url = server.proc, server.log, server.url
    workers = workers_of(proc)
    assert len(workers) == 2, workers
    traffic = Traffic(url)
    threads = [threading.Thread(target=traffic.client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    try:
        traffic.wait_for(20)  # counts, not seconds: the machine may be busy
        assert not traffic.failed(), traffic.failed()
        victim = workers[0]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        restarted = log.wait_for(r"started worker process (\d+)")
        log.wait_for(r"Application startup complete")
        ready_at = time.monotonic()
        replacement = int(restarted.group(1))
        traffic.wait_for(4 * CLIENTS, since=ready_at)  # traffic with both workers again
        settled_at = time.monotonic()
        traffic.wait_for(4 * CLIENTS, since=settled_at)
    finally:
        traffic.stop.set()
        for t in threads:
            t.join(timeout=15)

    assert replacement != victim and replacement in workers_of(proc)
    assert sorted(workers_of(proc)) == sorted([workers[1], replacement])
    failed = traffic.failed()
    total = len(traffic.outcomes)
    print(
        f"\nworker kill: {len(failed)} failed of {total} requests ({CLIENTS} clients); "
        f"{len([t for t, _ in traffic.outcomes if t >= killed_at])} after the kill; "
        f"replacement ready {ready_at - killed_at:.1f} s after it; failures: "
        + (", ".join(sorted({o for _, o in failed})) or "none")
    )
    assert len(failed) <= MAX_FAILED, failed
    assert traffic.failed(since=settled_at) == [], "all requests succeed once replaced"
    assert all(t < ready_at for t, _ in failed), "failures only around the kill"
    with httpx.Client(base_url=url, timeout=10.0) as http:  # new connections, both workers
        assert all(
            http.get(
                "/therapists/search", params={"size": 1}, headers={"Connection": "close"}
            ).status_code
            == 200
            for _ in range(10)
        )
