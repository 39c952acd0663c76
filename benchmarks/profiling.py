"""Sampling profiles with py-spy (PyPI), summarised as the hottest functions.

``py-spy record --format raw`` writes collapsed stacks (``frame;frame;... count``); we count,
for each function, the share of samples it is on the stack (inclusive) and at the top (self).
Time spent in Tantivy's Rust code is charged to the Python line that called it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

OURS = ("search_core/", "search_api/", "indexer/", "cli/")
WRAPPERS = ("<module> ", "main (cli/main.py)", "handler (cli/", "cmd_serve (")
"""Frames on every stack of a process (module code, the CLI's entry): left out of the list."""
_FRAME = re.compile(r"^(?P<fn>.+?) \((?P<file>[^:()]+)(?::(?P<line>\d+))?\)$")


def py_spy() -> str | None:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return found if Path(found).exists() else None


def available() -> str | None:
    return None if py_spy() else "py-spy is not installed (pip install py-spy)"


@dataclass
class Hot:
    function: str
    inclusive: float
    self_share: float


@dataclass
class Profile:
    samples: int
    hot: list[Hot]
    raw: Path


def _short(frame: str) -> str:
    m = _FRAME.match(frame)
    if not m:
        return frame
    file = m.group("file")
    for root in OURS:
        if root in file:
            file = file[file.index(root) :]
            break
    else:
        file = Path(file).name
    return f"{m.group('fn')} ({file})"


def summarise(raw: Path, top: int = 15, ours_only: bool = True) -> Profile:
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        count = int(n)
        total += count
        frames = [_short(f) for f in stack.split(";") if f]
        for f in set(frames):
            inclusive[f] += count
        if frames:
            leaf[frames[-1]] += count
    picked = [
        f
        for f, _ in inclusive.most_common()
        if (not ours_only or any(r in f for r in OURS)) and not f.startswith(WRAPPERS)
    ][:top]
    hot = [Hot(f, inclusive[f] / max(total, 1), leaf[f] / max(total, 1)) for f in picked]
    return Profile(total, hot, raw)


def _record(rate: int, out: Path, *args: str) -> list[str]:
    """``py-spy record`` of the Python threads of a process tree, raw stacks to ``out``."""
    exe = py_spy()
    assert exe is not None
    options = ["--rate", str(rate), "--format", "raw", "--nonblocking", "--subprocesses"]
    return [exe, "record", *args, *options, "-o", str(out)]


def record_pid(pid: int, seconds: float, out: Path, rate: int = 200) -> subprocess.Popen[bytes]:
    """Start sampling a running process (and its children) for ``seconds``; wait on the result."""
    return subprocess.Popen(
        _record(rate, out, "--pid", str(pid), "--duration", str(int(seconds))),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def record_command(
    cmd: Sequence[str], out: Path, env: dict[str, str] | None = None, rate: int = 100
) -> int:
    done = subprocess.run(
        [*_record(rate, out), "--", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return done.returncode
