"""Reading source records: JSON Lines files (plain or gzip), one document a line, with the
file and line number of every record kept for reject reports."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from search_core.mappings import KINDS


@dataclass(frozen=True, slots=True)
class SourceLine:
    file: Path
    line: int
    text: bytes


def source_file(folder: Path, kind: str) -> Path | None:
    """``<folder>/<kind>.jsonl`` or ``<kind>.jsonl.gz``; ``None`` when neither exists."""
    for name in (f"{kind}.jsonl", f"{kind}.jsonl.gz"):
        path = folder / name
        if path.is_file():
            return path
    return None


def sources(folder: Path) -> dict[str, Path]:
    """The source file of each kind present in ``folder``, in load order."""
    found = {kind: source_file(folder, kind) for kind in KINDS}
    return {kind: path for kind, path in found.items() if path is not None}


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_lines(path: Path) -> Iterator[SourceLine]:
    """Every non-blank line with its 1-based line number."""
    with _open(path) as fh:
        for number, raw in enumerate(fh, start=1):
            text = raw.strip()
            if text:
                yield SourceLine(path, number, text)


def count_lines(path: Path) -> int:
    """Lines in a file: the progress bar's total (blank lines count; cheap next to indexing)."""
    count, last = 0, b"\n"
    with _open(path) as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def read_blocks(path: Path, size: int) -> Iterator[tuple[int, int, bytes]]:
    """The file in blocks of whole lines of about ``size`` bytes, each with the 1-based number
    of its first line and its byte offset (in the decompressed text of a gzip file)."""
    line, offset = 1, 0
    rest = b""
    with _open(path) as fh:
        while chunk := fh.read(size):
            data = rest + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            block, rest = data[: cut + 1], data[cut + 1 :]
            yield line, offset, block[:-1]
            line += block.count(b"\n")
            offset += len(block)
    if rest.strip():
        yield line, offset, rest
