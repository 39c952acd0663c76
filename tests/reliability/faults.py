"""Helpers of the fault tests (test_faults.py): small data sets, the real command line in a
subprocess (optionally stopped at a load phase, see :mod:`search_core.faults`), what a killed
load may leave behind, a small tmpfs, and the processes of ``serve --workers``."""

from __future__ import annotations

import contextlib
import gzip
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from search_core.faults import PAUSE_AT
from search_core.settings import PROJECT_ROOT

KIND = "therapists"
SMALL_THERAPISTS = PROJECT_ROOT / "fixtures" / "small" / "therapists.jsonl.gz"
_SCRIPT = Path(sys.executable).with_name("therapist-search")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "cli"]
"""``therapist-search``, as a user runs it."""
_VERSION = re.compile(r"^v\d{8}T\d{6}-\d{6}$")


@dataclass(frozen=True)
class DataSet:
    folder: Path
    ids: list[str]

    @property
    def plain_bytes(self) -> int:
        """Size of the file once decompressed (what a load writes next to the indexes)."""
        with gzip.open(self.folder / f"{KIND}.jsonl.gz", "rb") as fh:
            return len(fh.read())


def write_set(folder: Path, lines: list[bytes]) -> DataSet:
    """A folder with one ``therapists.jsonl.gz`` of ``lines``."""
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / f"{KIND}.jsonl.gz", "wb") as fh:
        fh.write(b"\n".join(lines) + b"\n")
    return DataSet(folder, [orjson.loads(line)["id"] for line in lines])


def small_lines() -> list[bytes]:
    with gzip.open(SMALL_THERAPISTS, "rb") as fh:
        return [line for line in fh.read().split(b"\n") if line.strip()]


def two_sets(root: Path, old: int, new: int) -> tuple[DataSet, DataSet]:
    """An "old" set of the first ``old`` fixture therapists and a "new" one of the ``new``
    after them (other ids), in ``root/old`` and ``root/new``."""
    lines = small_lines()
    return write_set(root / "old", lines[:old]), write_set(root / "new", lines[old : old + new])


def env(data_dir: Path, **extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("SEARCH_")}
    out.update(SEARCH_DATA_DIR=str(data_dir), SEARCH_INDEX_WORKERS="0", **extra)
    return out


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args],
        env=env(data_dir),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(data_dir: Path, source: DataSet) -> subprocess.CompletedProcess[str]:
    return run_cli(data_dir, "index", "--from", str(source.folder), "--quiet")


class Lines:
    """The lines a process writes to a pipe, read by a thread (so a test can wait for one)."""

    def __init__(self, stream: object) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self._queue.put(line)
        self._queue.put(None)

    def rest(self, timeout: float = 120.0) -> str:
        """Every line, once the stream has ended (waited for up to ``timeout``)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
        return "".join(self.seen)

    def wait_for(self, pattern: str, timeout: float = 120.0) -> re.Match[str]:
        """The first new line matching ``pattern``; fails when the stream ends or at timeout."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(0.01, left))
            except queue.Empty:
                line = ""
            if line is None or (not line and time.monotonic() >= deadline):
                raise AssertionError(f"no line matching {pattern!r}; got:\n" + "".join(self.seen))
            if line:
                self.seen.append(line)
                found = regex.search(line)
                if found:
                    return found


def paused_load(data_dir: Path, source: DataSet, phase: str) -> subprocess.Popen[str]:
    """A load of ``source`` stopped (sleeping) at ``phase``: returns once it says so."""
    proc = subprocess.Popen(
        [*COMMAND, "index", "--from", str(source.folder), "--quiet"],
        env=env(data_dir, **{PAUSE_AT: phase}),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        Lines(proc.stderr).wait_for(rf"^fault-pause: {phase} pid={proc.pid}$")
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc


def kind_dir(data_dir: Path) -> Path:
    return data_dir / "index" / KIND


def current(data_dir: Path) -> str | None:
    try:
        version: str = orjson.loads((kind_dir(data_dir) / "CURRENT").read_bytes())["version"]
    except FileNotFoundError:
        return None
    return version


def version_dirs(data_dir: Path) -> dict[str, bool]:
    """Every version directory → whether it is complete (sealed with ``version.json``)."""
    folder = kind_dir(data_dir)
    if not folder.is_dir():
        return {}
    return {
        p.name: (p / "version.json").is_file()
        for p in sorted(folder.iterdir())
        if p.is_dir() and _VERSION.match(p.name)
    }


def leftovers(data_dir: Path) -> list[str]:
    """What a load that died may leave: unfinished version directories, decompressed
    sources, temporary files (paths relative to the data folder)."""
    index = data_dir / "index"
    found = [f"{KIND}/{v}/ (unfinished)" for v, done in version_dirs(data_dir).items() if not done]
    if index.is_dir():
        found += [p.name for p in index.glob(".source-*")]
        found += [str(p.relative_to(index)) for p in index.rglob("*.tmp")]
    return sorted(found)


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[bool]:
    """A tmpfs of ``size`` mounted at ``path`` (yields False when this machine will not let
    us mount one: not root, or no mount in the sandbox)."""
    path.mkdir(parents=True, exist_ok=True)
    mount = shutil.which("mount")
    done = (
        subprocess.run(
            [mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
        )
        if mount and os.geteuid() == 0
        else None
    )
    if done is None or done.returncode != 0:
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def fill(disk: Path, leave: int) -> Path:
    """A file taking all of ``disk``'s free space but ``leave`` bytes."""
    st = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as fh:
        os.posix_fallocate(fh.fileno(), 0, st.f_bavail * st.f_frsize - leave)
    return filler


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(stat.parent.name))
    return sorted(out)
