"""Reading the records of an upsert: one JSON object (over one line or several) or JSON Lines,
from a file (plain or gzip) or stdin, each with the line it starts on, validated all before any
is written, so that a bad record is refused with its file and line and nothing is changed."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.sources import BOM, gunzip
from indexer.validation import validate
from search_core.errors import IndexingError

NOTHING = "nothing was upserted"
SHOWN = 5
"""Invalid records named in the message (all are checked)."""


@dataclass(frozen=True, slots=True)
class EditRecord:
    line: int
    text: bytes


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    if path.suffix != ".gz":
        return path.read_bytes()
    out = io.BytesIO()
    try:
        gunzip(path, out)
    except IndexingError as exc:
        raise IndexingError(f"{exc}; {NOTHING}") from None
    return out.getvalue()


def edit_records(path: Path) -> list[EditRecord]:
    """The records of ``path`` (``-``: stdin) with the 1-based line each starts on. One JSON
    object over several lines is one record; otherwise every non-blank line is one."""
    data = _read(path)
    if data.startswith(BOM):
        data = data[len(BOM) :]
    body = data.lstrip()
    first = 1 + data[: len(data) - len(body)].count(b"\n")
    body = body.rstrip()
    if body.startswith(b"{") and b"\n{" not in body:
        return [EditRecord(first, body)]
    return [
        EditRecord(number, raw.strip())
        for number, raw in enumerate(data.split(b"\n"), start=1)
        if raw.strip()
    ]


def validated_edits(kind: str, path: Path) -> list[dict[str, Any]]:
    """The index documents of the records of ``path``; :class:`IndexingError` naming the
    file, the line and the reason of every invalid one (the first few), or for no record."""
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        records = edit_records(path)
    except IndexingError as exc:
        raise IndexingError(f"{kind}: {exc}") from None
    if not records:
        raise IndexingError(f"{kind}: {name} holds no record; {NOTHING}")
    docs: list[dict[str, Any]] = []
    bad: list[str] = []
    for record in records:
        doc, reason = validate(kind, record.text)
        if doc is None:
            bad.append(f"{name}:{record.line}: invalid {kind[:-1]} record: {reason}")
        else:
            docs.append(doc)
    if bad:
        more = [f"... and {len(bad) - SHOWN} more"] if len(bad) > SHOWN else []
        raise IndexingError(
            f"{kind}: {len(bad)} of {len(records)} records are invalid; {NOTHING}:\n  "
            + "\n  ".join([*bad[:SHOWN], *more])
        )
    return docs
