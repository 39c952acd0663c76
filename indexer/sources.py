"""Reading source records: JSON Lines files (plain or gzip), one document a line, with the
file and line number of every record kept for reject reports.

A UTF-8 byte order mark at the start of a file (what some Windows tools write) is skipped. A
gzip file that cannot be read to its end (cut short, damaged, or not gzip at all) is an
:class:`~search_core.errors.IndexingError` naming the file and the line it got to.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from search_core.errors import IndexingError
from search_core.faults import pause_at
from search_core.mappings import KINDS
from search_core.pids import running
from search_core.settings import Settings

BOM = b"\xef\xbb\xbf"
KEPT = "the serving index was left as it was"
"""How every failed load ends its message."""
GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)
"""What reading a broken gzip file raises: cut short, bad header or CRC, damaged data."""


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


def broken_gzip(path: Path, error: Exception, lines: int, partial: bool) -> str:
    """What is wrong with a gzip file that failed after ``lines`` whole lines (and part of
    one more when ``partial``), for a message that goes on with what was done about it."""
    line = lines + 1 if partial or not lines else lines
    if isinstance(error, EOFError):
        return f"{path}:{line}: the gzip file is cut short (incomplete, or still being copied)"
    if str(error).startswith("Not a gzipped file"):
        with contextlib.suppress(OSError), path.open("rb") as fh:
            if fh.read(1) in (b"{", b"[", BOM[:1]):
                return f"{path} is not gzip compressed but plain text: name it .jsonl"
        return f"{path} is not a gzip file"
    return f"{path}:{line}: the gzip data is damaged ({error})"


def read_lines(path: Path) -> Iterator[SourceLine]:
    """Every non-blank line with its 1-based line number."""
    with _open(path) as fh:
        for number, raw in enumerate(fh, start=1):
            text = raw.strip()
            if number == 1 and text.startswith(BOM):
                text = text[len(BOM) :].strip()
            if text:
                yield SourceLine(path, number, text)


def count_lines(path: Path) -> int | None:
    """Lines in a file: the progress bar's total (blank lines count; cheap next to indexing).
    ``None`` for a gzip file that cannot be read to its end (the load says what is wrong)."""
    count, last = 0, b"\n"
    try:
        with _open(path) as fh:
            while chunk := fh.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except GZIP_ERRORS:
        return None
    return count + (last != b"\n")


def read_blocks(path: Path, size: int) -> Iterator[tuple[int, int, bytes]]:
    """The file in blocks of whole lines of about ``size`` bytes, each with the 1-based number
    of its first line and its byte offset (in the decompressed text of a gzip file)."""
    line, offset = 1, 0
    rest = b""
    with _open(path) as fh:
        while chunk := fh.read(size):
            if offset == 0 and not rest and chunk.startswith(BOM):
                chunk, offset = chunk[len(BOM) :], len(BOM)
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


SOURCE_PREFIX = ".source-"
"""Decompressed sources are ``.source-<pid>-<random>.jsonl`` in the index folder."""


@contextlib.contextmanager
def plain_text(kind: str, source: Path, settings: Settings) -> Iterator[Path]:
    """``source`` as a file that can be read at any offset: a gzip file is decompressed into
    a temporary file next to the indexes first, removed afterwards (and, if this process is
    killed first, by the next load that decompresses one)."""
    if source.suffix != ".gz":
        yield source
        return
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    _remove_dead_sources(settings.index_dir)
    fd, name = tempfile.mkstemp(
        prefix=f"{SOURCE_PREFIX}{os.getpid()}-", suffix=".jsonl", dir=settings.index_dir
    )
    try:
        with os.fdopen(fd, "wb") as out:
            _decompress(kind, source, out)
        pause_at("decompress")
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


class _Counting:
    """Copies what a gzip file decompresses to as it comes (``read1``: so that the lines
    before a fault are counted) and counts the lines."""

    def __init__(self, source: IO[bytes], out: IO[bytes]) -> None:
        self.source = source
        self.out = out
        self.lines = 0
        self.last = b"\n"

    def read(self, size: int = -1, /) -> bytes:
        return self.source.read1(size)  # type: ignore[attr-defined,no-any-return]

    def write(self, chunk: bytes) -> int:
        self.lines += chunk.count(b"\n")
        if chunk:
            self.last = chunk[-1:]
        return self.out.write(chunk)


def gunzip(source: Path, out: IO[bytes]) -> None:
    """Decompress ``source`` into ``out``; :class:`IndexingError` saying what is wrong with
    the file and where (see :func:`broken_gzip`)."""
    with source.open("rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as fh:
        counted = _Counting(cast(IO[bytes], fh), out)
        try:
            shutil.copyfileobj(counted, counted, 1 << 20)
        except GZIP_ERRORS as exc:
            what = broken_gzip(source, exc, counted.lines, counted.last != b"\n")
            raise IndexingError(what) from None


def _decompress(kind: str, source: Path, out: IO[bytes]) -> None:
    try:
        gunzip(source, out)
    except IndexingError as exc:
        raise IndexingError(f"{kind}: {exc}; nothing was loaded and {KEPT}") from None


def _remove_dead_sources(folder: Path) -> None:
    """Remove the decompressed sources of loads that died without removing theirs (killed,
    or the machine stopped): those whose process is gone. A running load's file is kept."""
    for path in folder.glob(f"{SOURCE_PREFIX}*-*.jsonl"):
        pid = path.name[len(SOURCE_PREFIX) :].partition("-")[0]
        if pid.isdigit() and not running(int(pid)):
            path.unlink(missing_ok=True)
