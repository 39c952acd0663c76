"""The stored documents of an embedded index version, kept next to the Tantivy index.

Two files in the version's folder:

``sources.dat``
    every document's JSON (the index document, as both engines store it), one after the
    other; an upsert appends.
``sources.idx``
    one 12-byte entry per ``_ord`` (the document's unique number in the version): the
    record's offset (u64) and length (u32), little-endian; a zero length means "none".

Why not Tantivy's own document store: a search reads about ten documents, and Tantivy reads
its store through a memory map, so every fetched block (and the pages the kernel maps around
it) stays counted in the server's resident memory; at a million therapists that was more than
250 MiB after a few hundred searches. Read with ``pread``, the same bytes go through the
kernel's page cache, which is shared and given back under pressure. It also spares the load
the store's compression and the base64 round trip of a bytes field.

Versions built before this file existed kept the document in Tantivy (``_source``); the reader
and upserts refuse them with a message to reindex (see :mod:`.formats`).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

DATA_FILE = "sources.dat"
INDEX_FILE = "sources.idx"
ENTRY = struct.Struct("<QI")
_ENTRY_DTYPE = np.dtype([("offset", "<u8"), ("length", "<u4")])
_BULK = 1024
"""From this many pending entries, the index file is rewritten in one go."""


def has_source_file(folder: Path) -> bool:
    return (folder / INDEX_FILE).is_file() and (folder / DATA_FILE).is_file()


def entry_count(folder: Path) -> int:
    """One past the highest ``_ord`` with an entry (0 without the file): every number a
    document was ever given, since entries are on disk before the engine's commit."""
    try:
        size = (folder / INDEX_FILE).stat().st_size
    except FileNotFoundError:
        return 0
    return -(-size // ENTRY.size)


class SourceWriter:
    """Appends documents; entries are written by :meth:`close` (after the data, so a reader
    never finds an entry pointing past the data)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        # A full load adds a record a document: written a megabyte at a time, not every 8 KB.
        self._data: BinaryIO = (folder / DATA_FILE).open("ab", buffering=1 << 20)
        self._offset = self._data.tell()
        self._pending: list[tuple[int, int, int]] = []

    def add(self, ord_: int, record: bytes) -> None:
        self._data.write(record)
        self._pending.append((ord_, self._offset, len(record)))
        self._offset += len(record)

    def close(self) -> None:
        """Write the data and the entries to disk (with ``fsync``, before the engine's
        commit makes the documents visible)."""
        if self._data.closed:
            return
        self._data.flush()
        os.fsync(self._data.fileno())
        self._data.close()
        path = self._folder / INDEX_FILE
        with path.open("r+b" if path.exists() else "w+b") as fh:
            if len(self._pending) >= _BULK:
                entries = np.fromfile(fh, dtype=_ENTRY_DTYPE)
                size = max(len(entries), max(o for o, _, _ in self._pending) + 1)
                table = np.zeros(size, dtype=_ENTRY_DTYPE)
                table[: len(entries)] = entries
                pending = np.array(self._pending, dtype=np.uint64)
                table["offset"][pending[:, 0]] = pending[:, 1]
                table["length"][pending[:, 0]] = pending[:, 2]
                fh.seek(0)
                table.tofile(fh)
            else:
                for ord_, offset, length in self._pending:
                    os.pwrite(fh.fileno(), ENTRY.pack(offset, length), ord_ * ENTRY.size)
            fh.flush()
            os.fsync(fh.fileno())
        self._pending = []

    def discard(self) -> None:
        """Forget the pending entries (the data already appended stays, unreferenced)."""
        self._data.close()
        self._pending = []


class SourceFile:
    """Reads documents by ``_ord`` (thread-safe: ``pread`` only; the files close with the
    object)."""

    def __init__(self, folder: Path) -> None:
        self._data = (folder / DATA_FILE).open("rb", buffering=0)
        self._index = (folder / INDEX_FILE).open("rb", buffering=0)

    def get(self, ord_: int) -> bytes | None:
        entry = os.pread(self._index.fileno(), ENTRY.size, ord_ * ENTRY.size)
        if len(entry) < ENTRY.size:
            return None
        offset, length = ENTRY.unpack(entry)
        if length == 0:
            return None
        return os.pread(self._data.fileno(), length, offset)
