"""The ``index`` command loads its kinds at once (one thread each, the embedded engine): a kind
that fails does not stop the others, and an interrupted command leaves every kind either
loaded or as it was. (That the kinds hold what separate loads give them:
tests/test_indexer.py.)"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import EXIT_FAILED, main
from search_core.embedded.reader import IndexReader
from search_core.embedded.store import VersionStore
from search_core.faults import PAUSE_AT, RESUME_FILE
from search_core.settings import PROJECT_ROOT, Settings

VERSION = re.compile(r"^v\d{8}T\d{6}-\d{6}$")


def small_lines(small_dir: Path, kind: str) -> list[bytes]:
    text = gzip.decompress((small_dir / f"{kind}.jsonl.gz").read_bytes())
    return [line for line in text.splitlines() if line.strip()]


def test_a_kind_that_fails_leaves_the_others_loaded(
    settings: Settings, small_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    therapists = small_lines(small_dir, "therapists")[:40]
    broken = [b"{not json"] * 10  # a fifth rejected: over the 5% a load may refuse
    (folder / "therapists.jsonl").write_bytes(b"\n".join([*therapists, *broken]) + b"\n")
    articles = small_lines(small_dir, "articles")
    (folder / "articles.jsonl").write_bytes(b"\n".join(articles) + b"\n")

    assert main(["index", "--from", str(folder), "--quiet"], settings) == EXIT_FAILED

    out, err = capsys.readouterr()
    assert re.search(r"^error: therapists: .*reject", err, re.M), err
    assert f"articles: indexed {len(articles)} of {len(articles)} records" in out
    assert IndexReader(settings).count("articles") == len(articles)
    assert VersionStore(settings.index_dir, "therapists").current_version() is None


def test_an_interrupted_command_leaves_every_kind_loaded_or_as_it_was(
    small_dir: Path, tmp_path: Path
) -> None:
    """One kind stops after handing its first batch to the engine; the command is then
    interrupted (Ctrl-C) and that kind let go on: every load still running gives up at its
    next batch and removes its unfinished version."""
    folder = tmp_path / "src"
    folder.mkdir()
    for kind in ("therapists", "locations"):
        (folder / f"{kind}.jsonl.gz").write_bytes((small_dir / f"{kind}.jsonl.gz").read_bytes())
    data, resume = tmp_path / "data", tmp_path / "resume"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCH_")}
    env.update(
        SEARCH_DATA_DIR=str(data),
        SEARCH_INDEX_WORKERS="0",
        **{PAUSE_AT: "write", RESUME_FILE: str(resume)},
    )
    # A shell's background job ignores Ctrl-C, and so would the command started from it (Python
    # installs its KeyboardInterrupt handler only where SIGINT is not ignored): not ignored here.
    inherited = signal.getsignal(signal.SIGINT)
    if inherited == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "index", "--from", str(folder), "--quiet"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith("fault-pause: write"), line
        proc.send_signal(signal.SIGINT)
        resume.touch()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0, out + err
    assert "KeyboardInterrupt" in err
    states = {}
    for kind in ("therapists", "locations"):
        folder = data / "index" / kind  # none when that kind had not started
        found = folder.iterdir() if folder.is_dir() else iter(())
        versions = [p for p in found if p.is_dir() and VERSION.match(p.name)]
        assert all((p / "version.json").is_file() for p in versions), versions
        current = folder / "CURRENT"
        states[kind] = json.loads(current.read_text())["version"] if current.exists() else None
        assert (states[kind] is None) == (versions == []), (kind, versions)
    assert None in states.values(), "the kind that stopped first was not loaded"
    assert not list((data / "index").glob(".source-*")), "no decompressed copy is left"
