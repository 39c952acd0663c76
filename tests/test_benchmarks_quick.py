"""The benchmark harness in quick mode, so it never rots: every section is written and every
number is there and sane. No timing is asserted (the machine may be busy).

With PostgreSQL installed (``initdb``/``pg_ctl``, and ``postgresql-contrib`` for
``earthdistance``) the peer runs too; with ``wrk`` the concurrency runs too. Without them those
parts are skipped, with the reason.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import httpbench, pg_peer, report
from benchmarks.workload import CATEGORIES, LABELS
from search_core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench")
    doc, raw = out / "report.md", out / "results.json"
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--quick",
        "--out",
        str(doc),
        "--json",
        str(raw),
        "--data",
        str(out / "data"),
    ]
    # the timeouts bound a stuck run; they are no speed target (the machine may be busy)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    data: dict[str, Any] = json.loads(raw.read_text())
    return {
        "doc": doc,
        "text": doc.read_text(),
        "results": data["results"],
        "samples": data["samples"],
        "stderr": done.stderr,
    }


def _sane_stats(stats: dict[str, Any], where: str) -> None:
    for cat in CATEGORIES:
        s = stats[cat]
        assert s["n"] > 0, f"{where} {cat}: no samples"
        for key in ("p50", "p95", "p99", "max"):
            assert math.isfinite(s[key]) and s[key] > 0, f"{where} {cat}: {key}={s[key]}"
        assert s["p50"] <= s["p95"] <= s["p99"] <= s["max"], f"{where} {cat}: {s}"


def test_report_has_every_section(quick_run: dict[str, Any]) -> None:
    text = quick_run["text"]
    for section in report.SECTIONS:
        assert f"## {section}\n" in text, f"missing section {section!r}"
    assert "Command: `python -m benchmarks.run --quick" in text
    assert "Machine: " in text and "Load average" in text
    speed = quick_run["results"]["speed_ms"]
    assert 0 < speed["start"] < 60_000 and 0 < speed["end"] < 60_000
    assert f"at the start {speed['start']:.0f} ms" in text
    assert "Warm-up, here and over HTTP: each distinct request of the category once" in text


def test_plots_are_written(quick_run: dict[str, Any]) -> None:
    doc: Path = quick_run["doc"]
    for name in quick_run["results"]["plots"].values():
        png = doc.with_name(name)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
        assert f"]({name})" in quick_run["text"]


def test_our_numbers_are_sane(quick_run: dict[str, Any]) -> None:
    (s,) = quick_run["results"]["sets"]
    assert s["therapists"] > 0
    kinds = {r["kind"]: r for r in s["indexing"]}
    assert set(kinds) == {"therapists", "articles", "locations"}
    for r in kinds.values():
        assert r["docs"] > 0 and r["seconds"] > 0 and r["rate"] > 0 and r["peak_mib"] > 0
        # the CPU of every process of the build: some, and no more than its cores could give
        assert 0 < r["cpu_s"] <= r["seconds"] * (os.cpu_count() or 1) * 1.05
    alone = s["tantivy_alone"]
    assert alone["docs"] == 500 and 0 < alone["cpu_us_per_doc"] < 1e5
    assert f"**{s['size']}: Tantivy alone**" in quick_run["text"]
    _sane_stats(s["engine"]["ours"], "in-process ours")
    _sane_stats(s["http"]["ours"], "HTTP ours")
    assert not s["http_errors"]["ours"], s["http_errors"]["ours"]
    mem = s["serving_memory"]["ours"]
    assert mem["rss"] > 0 and mem["pss"] > 0
    box = s["search_box"]
    assert set(box) == {"full_search", "near_me"}
    for cat, o in box.items():
        assert o["n"] > 0 and 0 < o["p50"] <= o["p99"], (cat, o)
        # every request reaches the engine at least once; the searches are some of the calls
        assert o["requests"] > 0 and o["engine_calls"] >= 1.0, (cat, o)
        assert o["engine_calls"] <= o["searches"], (cat, o)  # a call runs one search or more
        assert 0 < o["searches_not_remembered"] <= o["searches"], (cat, o)
        assert 0 <= o["two_or_more"] <= 1, (cat, o)
        row = f"| small | {LABELS[cat]} | {o['n']:,} |"
        assert row in quick_run["text"], row
    assert (
        len(quick_run["samples"]["small"]["http"]["ours"]["full_search"])
        == (s["http"]["ours"]["full_search"]["n"])
    )


def test_peer_numbers_are_sane(quick_run: dict[str, Any]) -> None:
    why = pg_peer.available()
    if why:
        assert why in quick_run["text"]
        pytest.skip(f"PostgreSQL peer not run: {why}")
    (s,) = quick_run["results"]["sets"]
    load = s["peer_load"]
    assert load["therapists"] == s["therapists"] and load["seconds"] > 0
    assert load["peak_pss_mib"] > 0 and load["db_mib"] > 0
    _sane_stats(s["engine"]["peer"], "in-process peer")
    _sane_stats(s["http"]["peer"], "HTTP peer")
    assert not s["http_errors"]["peer"], s["http_errors"]["peer"]
    assert s["serving_memory"]["peer"]["pss"] > 0
    assert "ours/peer p99" in quick_run["text"]


def test_concurrency_numbers_are_sane(quick_run: dict[str, Any]) -> None:
    why = httpbench.wrk_available()
    if why:
        assert why in quick_run["text"]
        pytest.skip(f"concurrency not run: {why}")
    (s,) = quick_run["results"]["sets"]
    systems = ["ours"] + (["peer"] if pg_peer.available() is None else [])
    for system in systems:
        runs = s["wrk"][system]
        assert {w["workload"] for w in runs} == {"full_search", "typeahead", "mixed"}
        assert any(w["clients"] == 16 for w in runs)
        for w in runs:
            assert w["requests"] > 0 and w["rps"] > 0, w
            assert 0 < w["p50"] <= w["p99"] <= w["max"], w
            assert w["errors"] == 0 and w["non_2xx"] == 0, w


def test_inprocess_command_times_each_category(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import inprocess

    args = [str(small_index.data_dir), "full_search", "typeahead", "--seconds", "0.1"]
    assert inprocess.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["full_search", "typeahead"]
    assert all(int(line.split("n=")[1].split()[0]) > 0 for line in lines)


def test_inprocess_search_box_runs_and_counts_engine_calls(
    small_index: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--search-box`` drives the use case, which hands the reading of the text to a worker
    thread: it needs an event loop (it failed without one), and says how many engine calls a
    request made."""
    from benchmarks import inprocess

    args = [str(small_index.data_dir), "full_search", "--search-box", "--seconds", "0.1"]
    args += ["--requests", "80"]
    assert inprocess.main(args) == 0
    line, understood = capsys.readouterr().out.splitlines()
    assert line.split()[0] == "full_search"
    calls = float(line.split("engine calls/request ")[1].split()[0])
    inside = float(line.split("searches inside ")[1].split(",")[0])
    remembered = float(line.split("online list is remembered ")[1].split()[0])
    assert 1.0 <= calls <= inside and 0.0 < remembered <= inside
    # the understanding's own time, from the calls of the timed walk that had text
    assert understood.split()[0] == "understanding"
    timed = int(line.split("n=")[1].split()[0])
    n = int(understood.split("n=")[1].split()[0])
    p50 = float(understood.split("p50 ")[1].split()[0])
    p99 = float(understood.split("p99 ")[1].split()[0])
    assert 0 < n <= timed and 0.0 < p50 <= p99


def test_typeahead_command_runs_on_the_small_index(small_index: Settings) -> None:
    """``python -m benchmarks.typeahead``: both lists answered without an error, and the typo
    prefixes (each a real prefix with one edit) mostly get a suggestion."""
    from benchmarks.typeahead import typo_prefixes

    prefixes = typo_prefixes()
    assert len(prefixes) == 60 and prefixes == typo_prefixes(), "deterministic"
    assert all(4 <= len(p) <= 8 for p in prefixes)
    cmd = [sys.executable, "-m", "benchmarks.typeahead", str(small_index.data_dir)]
    cmd += ["--seconds", "0.2", "--min-requests", "20"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert any(x.startswith("exact prefixes") and "errors 0" in x for x in lines), lines
    assert any(x.startswith("with a typo") and "errors 0" in x for x in lines), lines
    answered = next(x for x in lines if x.startswith("typo prefixes with a suggestion"))
    got, of = (int(w) for w in answered.split(":")[1].split(" of "))
    assert of == 60 and got >= 45, answered


def test_versions_command_compares_two_checkouts(tmp_path: Path) -> None:
    """``python -m benchmarks.versions``: two checkouts (here the same one twice) indexed and
    searched in turn, as a speed issue's before/after figures are taken; every figure is there
    for both, and the two indexes hold the same therapists."""
    small = ROOT / "fixtures" / "small"
    cmd = [sys.executable, "-m", "benchmarks.versions", "--before", str(ROOT), "--after"]
    cmd += [str(ROOT), "--source", str(small), "--rounds", "1", "--seconds", "0.2"]
    cmd += ["--work", str(tmp_path), "--categories", "near_me", "browse_city"]
    cmd += ["--requests", "60"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == 7 + 2 * 2, done.stdout
    for row in rows:
        _label, before, after, ratio = [c.strip() for c in row.strip("|").split("|")]
        assert before != "–" and after != "–" and ratio.endswith("×"), row
    assert "index peak memory" in done.stdout and "search box full search p99" in done.stdout
    assert "engine near_me p99" in done.stdout and "engine browse_city p50" in done.stdout
    for version in ("before", "after"):
        assert (tmp_path / version / "index" / "therapists").is_dir()


def test_versions_command_times_the_whole_build_as_one_command(tmp_path: Path) -> None:
    """``--one-command --index-only``: each checkout builds every kind with one ``index
    --from`` (as a user does) and nothing is searched: the build's figures are there, the
    search rows are empty."""
    small = ROOT / "fixtures" / "small"
    cmd = [sys.executable, "-m", "benchmarks.versions", "--before", str(ROOT), "--after"]
    cmd += [str(ROOT), "--source", str(small), "--rounds", "1", "--work", str(tmp_path)]
    cmd += ["--one-command", "--index-only"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    cells = {
        row.strip("|").split("|")[0].strip(): [c.strip() for c in row.strip("|").split("|")[1:]]
        for row in done.stdout.splitlines()[2:]
        if row.startswith("| ")
    }
    for label in ("index wall time, all kinds (s)", "of it therapists (s)"):
        before, after, ratio = cells[label]
        assert before != "–" and after != "–" and ratio.endswith("×"), (label, cells[label])
    assert cells["search box full search p50 (ms)"] == ["–", "–", "–"]
    for version in ("before", "after"):
        for kind in ("therapists", "locations", "articles"):
            assert (tmp_path / version / "index" / kind).is_dir()
