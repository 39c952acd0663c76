"""A long-lived process that runs ``therapist-search`` commands sent to it, one at a time:
the same code as the command line (:func:`cli.main.main`, with the settings built from the
environment each time) without starting a Python interpreter per edit (about a second on
this machine, most of it imports). ``benchmarks.load`` makes most of its edits through it.

Protocol: one JSON array of arguments a line on stdin (``["upsert", "--kind", "therapists",
"FILE"]``); one JSON object a line on stdout: ``{"rc", "out", "err", "seconds"}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from benchmarks.common import ROOT
from benchmarks.traffic import cli_env


def main() -> int:
    from cli.main import main as cli_main

    for line in sys.stdin:
        argv = json.loads(line)
        out, err = io.StringIO(), io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = cli_main(argv)
            except SystemExit as exc:  # argparse
                rc = exc.code if isinstance(exc.code, int) else 2
        reply = {
            "rc": rc,
            "out": out.getvalue(),
            "err": err.getvalue(),
            "seconds": time.perf_counter() - t0,
        }
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


@dataclass
class Done:
    rc: int
    out: str
    err: str
    seconds: float


class Editor:
    """The editor process, started with ``SEARCH_DATA_DIR=data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.editor"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=cli_env(data_dir),
            cwd=ROOT,
        )

    def run(self, argv: list[str]) -> Done:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(argv) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the editor process exited ({self._proc.wait()})")
        d = json.loads(line)
        return Done(int(d["rc"]), str(d["out"]), str(d["err"]), float(d["seconds"]))

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> Editor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


if __name__ == "__main__":
    raise SystemExit(main())
