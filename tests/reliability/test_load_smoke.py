"""The reliability commands on tiny settings, so they never rot: ``benchmarks.load`` (loads,
a rollback and edits while clients search) and ``benchmarks.soak`` (memory over many
requests) run against a real server process, and their figures say nothing failed.
The full-size runs and their figures: docs/reliability.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from search_core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def run(module: str, args: list[str], out: Path) -> tuple[subprocess.CompletedProcess[str], Any]:
    done = subprocess.run(
        [sys.executable, "-m", module, *args, "--json", str(out), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # a bound for a stuck run, not a speed target: the machine may be busy
    )
    assert out.exists(), done.stdout + done.stderr
    return done, json.loads(out.read_text())


def test_edits_and_reloads_under_load_lose_nothing(tmp_path: Path) -> None:
    """Six edits (two by the command line), two loads and a rollback while two clients run."""
    args = ["--edits", "6", "--cli-every", "3", "--clients", "2", "--workers", "1"]
    args += ["--kind", "therapists", "--settle", "0.5"]
    done, d = run("benchmarks.load", args, tmp_path / "load.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert d["ok"] and d["problems"] == []
    assert d["traffic"]["requests"] > 100
    assert d["failed_requests"] == 0 and d["traffic"]["failure_examples"] == []
    edits = d["edits"]
    assert edits["total"] == 6 and edits["via_cli"] == 2
    assert edits["visible_at_once"] == 6
    assert [s["name"] for s in d["steps"]] == ["load #1", "load #2", "rollback"]
    assert all(s["rc"] == 0 and s["edits_visible"] == s["edits_checked"] for s in d["steps"])
    assert d["steps"][0]["edits_during"] >= 1, "an edit was begun while load #1 ran"
    restart = d["after_restart"]
    assert restart["checked"] > 0 and restart["visible"] == restart["checked"]
    assert restart["therapists_served"] == restart["therapists_expected"]
    assert "visible at once" in done.stdout and "failed requests" in done.stdout


def test_soak_reports_memory_and_no_failure(tmp_path: Path, small_index: Settings) -> None:
    args = ["--requests", "400", "--sample-every", "100", "--clients", "2"]
    args += ["--data-dir", str(small_index.data_dir)]
    done, d = run("benchmarks.soak", args, tmp_path / "soak.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert d["ok"] and d["failed_requests"] == 0
    assert d["traffic"]["requests"] == 400 and d["warmup"]["requests"] > 0
    rss = d["rss_mib"]
    assert 20 < rss["start"] <= rss["after_warmup"] + 1
    assert abs(rss["growth"] - (rss["end"] - rss["after_warmup"])) < 0.15
    assert rss["growth"] <= rss["threshold"]
    assert [s[0] for s in d["samples"]][:5] == [0, 100, 200, 300, 400]
