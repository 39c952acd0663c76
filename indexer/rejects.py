"""Rejected records: the rejects file (file, line, reason and the record as read, in line order)
and the check that refuses a load whose share of rejects is over the limit."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import orjson

from indexer.report import LoadReport
from indexer.sources import SourceLine, read_lines
from search_core.errors import IndexingError


class RejectsWriter:
    """Rejected records, one JSON object a line: file, line, reason and the record as read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    def write(self, line: SourceLine, reason: str) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("wb")
        entry = {
            "file": str(line.file),
            "line": line.line,
            "reason": reason,
            "record": line.text.decode("utf-8", errors="replace"),
        }
        self._fh.write(orjson.dumps(entry) + b"\n")

    @property
    def used(self) -> bool:
        return self._fh is not None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def write_rejects(path: Path, source: Path, plain: Path, reasons: dict[int, str]) -> Path:
    """The rejects file, in line order (one more pass over the source)."""
    rejects = RejectsWriter(path)
    try:
        for line in read_lines(plain):
            why = reasons.get(line.line)
            if why is not None:
                rejects.write(SourceLine(source, line.line, line.text), why)
        if -1 in reasons:  # refused by the engine without a line (should not happen)
            rejects.write(SourceLine(source, -1, b""), reasons[-1])
    finally:
        rejects.close()
    return path


def check_rejects(report: LoadReport, max_ratio: float) -> None:
    if report.read and report.rejected / report.read > max_ratio:
        raise IndexingError(
            f"{report.kind}: {report.rejected} of {report.read} records rejected, more than the "
            f"allowed {max_ratio:.0%} (SEARCH_MAX_REJECT_RATIO); the serving index was left as "
            f"it was. First: {report.first_rejects[0] if report.first_rejects else '-'}. "
            f"All rejects: {report.rejects_file}"
        )
