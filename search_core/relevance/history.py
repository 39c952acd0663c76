"""Run history: every ``relevance eval`` appends one JSON line (when, which code, which tuning,
which judgments, the figures) to a history file, so a score can be followed across versions.

The code is named twice: by the git commit (with ``+dirty`` when files under ``search_core/``,
``tunings/`` or ``mappings/`` differ from it) when git can tell, and always by a hash of those
sources, which tells two uncommitted states apart too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from search_core.relevance.evaluate import EvalReport
from search_core.relevance.settings_diff import fingerprint
from search_core.settings import PROJECT_ROOT

HISTORY_NAME = "relevance-history.jsonl"
"""The file's name under the data dir (``SEARCH_DATA_DIR``), the default location."""
SOURCES = ("search_core", "tunings", "mappings")


def source_hash(root: Path = PROJECT_ROOT) -> str:
    """sha256 (12 hex digits) of the ranking code and settings: every ``*.py`` and ``*.json``
    under :data:`SOURCES`, by path and content."""
    h = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".json"} and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode() + b"\0")
                h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def git_version(root: Path = PROJECT_ROOT) -> str | None:
    """``<commit>`` or ``<commit>+dirty``; None without git or outside a repository."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", *SOURCES],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+dirty" if dirty else "") if head else None


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def entry(report: EvalReport, judgments: Path, now: dt.datetime | None = None) -> dict[str, Any]:
    """The history line of one evaluation."""
    groups = report.groups()
    return {
        "time": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "git": git_version(),
        "code": source_hash(),
        "engine": report.engine,
        "tuning": report.tuning.name,
        "tuning_hash": fingerprint(report.tuning),
        "judgments": str(judgments),
        "judgments_hash": file_hash(judgments),
        "queries": len(report.per_query),
        "targets": sorted(set(report.targets.values())),
        "means": report.means,
        "figures": {label: report.figures(qids) for label, qids in groups.items()},
    }


def append(path: Path, line: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as fh:
        fh.write(orjson.dumps(line) + b"\n")
    return path


def load(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out = []
    for n, raw in enumerate(path.read_bytes().splitlines(), 1):
        if raw.strip():
            try:
                out.append(orjson.loads(raw))
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
    return out


@dataclass(frozen=True)
class Point:
    time: str
    version: str
    tuning: str
    value: float
    queries: int = 0


def series(lines: list[dict[str, Any]], metric: str) -> list[Point]:
    """The runs that measured ``metric``, oldest first."""
    return [
        Point(
            ln["time"],
            ln.get("git") or ln["code"],
            ln["tuning"],
            float(ln["means"][metric]),
            int(ln.get("queries", 0)),
        )
        for ln in sorted(lines, key=lambda ln: str(ln.get("time")))
        if metric in ln.get("means", {})
    ]


def format_history(lines: list[dict[str, Any]], metric: str, last: int = 20) -> str:
    points = series(lines, metric)[-last:]
    if not points:
        return f"no run measured {metric} yet"
    width = max(len(p.version) for p in points)
    tw = max(len(p.tuning) for p in points)
    rows = [f"{'time':25}  {'code'.ljust(width)}  {'tuning'.ljust(tw)}  queries  {metric}"]
    prev: float | None = None
    for p in points:
        delta = "" if prev is None else f"  ({p.value - prev:+.4f})"
        head = f"{p.time:25}  {p.version.ljust(width)}  {p.tuning.ljust(tw)}  {p.queries:7d}"
        rows.append(f"{head}  {p.value:.4f}{delta}")
        prev = p.value
    return "\n".join(rows)
