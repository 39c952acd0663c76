"""Versioned index directories behind an atomic pointer: the embedded engine's aliases.

Layout under ``<index_dir>/<kind>/``::

    v20261123T192500-000001/     one complete Tantivy index, plus version.json and the
                                 stored records (sources.dat, sources.idx; see sourcefile)
    v20261123T201012-000002/
    CURRENT                      {"version": "v20261123T201012-000002"}

A load writes a new version directory; only once it is complete and checked does ``CURRENT``
move to it, by writing a temporary file and renaming it over the old one (atomic on POSIX), so a
reader sees either the old index or the new one, never a half-built one.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search_core.backend import version_record
from search_core.errors import IndexingError, NotFound
from search_core.faults import pause_at
from search_core.pids import running

POINTER = "CURRENT"
VERSION_META = "version.json"
_VERSION_RE = re.compile(r"^v\d{8}T\d{6}-\d{6}$")


@functools.lru_cache(maxsize=64)
def pointer_path(root: Path, kind: str) -> str:
    """The path of ``kind``'s version pointer under ``root``, made once (a request checks it
    several times)."""
    return str(root / kind / POINTER)


def file_stamp(path: str) -> int | None:
    """The modification time of the file at ``path`` (None when there is none): one ``stat``,
    on a path made once by the caller (a request checks the versions several times)."""
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


@dataclass(frozen=True, slots=True)
class VersionInfo:
    kind: str
    version: str
    path: Path
    doc_count: int | None
    created: str | None
    current: bool = False
    served: bool = True
    """False while its load has sealed it but not yet moved the pointer to it (see seal)."""

    def to_dict(self) -> dict[str, Any]:
        return version_record(self)


class VersionStore:
    """The version directories and the pointer of one index kind."""

    def __init__(self, root: Path, kind: str) -> None:
        self.kind = kind
        self.dir = root / kind

    # --- reading ----------------------------------------------------------------------------

    def current_version(self) -> str | None:
        try:
            data = json.loads((self.dir / POINTER).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        version = data.get("version")
        return version if isinstance(version, str) else None

    def path(self, version: str) -> Path:
        return self.dir / version

    def versions(self) -> list[VersionInfo]:
        """Complete versions, oldest first."""
        if not self.dir.is_dir():
            return []
        current = self.current_version()
        out = []
        for child in sorted(self.dir.iterdir()):
            if not (child.is_dir() and _VERSION_RE.match(child.name)):
                continue
            meta = self._meta(child)
            if meta is None:  # not finished: a load still running, or one that died
                continue
            out.append(
                VersionInfo(
                    self.kind,
                    child.name,
                    child,
                    meta.get("doc_count"),
                    meta.get("created"),
                    child.name == current,
                    bool(meta.get("served", True)),
                )
            )
        return out

    def current(self) -> VersionInfo | None:
        return next((v for v in self.versions() if v.current), None)

    def meta(self, version: str) -> dict[str, Any]:
        return self._meta(self.path(version)) or {}

    @staticmethod
    def _meta(path: Path) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads((path / VERSION_META).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        return data

    # --- writing ----------------------------------------------------------------------------

    def new_version(self) -> tuple[str, Path]:
        """A fresh, empty version directory, named so that names sort by creation."""
        self.dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        seq = 1 + max(
            (int(p.name[-6:]) for p in self.dir.iterdir() if _VERSION_RE.match(p.name)), default=0
        )
        version = f"v{stamp}-{seq:06d}"
        path = self.dir / version
        path.mkdir()
        return version, path

    def seal(self, version: str, meta: dict[str, Any]) -> None:
        """Mark a version complete (before the pointer may move to it); ``served`` turns true
        when the pointer first moves to it (a version whose load died before that is never a
        rollback's target, and the next load removes it)."""
        record = {
            "version": version,
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "served": False,
            **meta,
        }
        _atomic_write(self.path(version) / VERSION_META, json.dumps(record, indent=2))

    def update_meta(self, version: str, phase: str = "", **changes: Any) -> None:
        """Change some fields of a version's ``version.json`` (atomically; the temporary files
        of writers killed while doing so are removed first)."""
        folder = self.path(version)
        _remove_dead_temporaries(folder)
        meta = self._meta(folder) or {}
        meta.update(changes)
        _atomic_write(folder / VERSION_META, json.dumps(meta, indent=2), phase=phase)

    def point_to(self, version: str) -> None:
        meta = self._meta(self.path(version))
        if meta is None:
            raise IndexingError(
                f"{self.kind}: version {version} is not complete; pointer not moved"
            )
        if not meta.get("served", True):
            self.update_meta(version, served=True)
        _atomic_write(self.dir / POINTER, json.dumps({"version": version}), phase="switch")

    def discard(self, version: str) -> None:
        if version == self.current_version():
            raise IndexingError(f"{self.kind}: refusing to delete the serving version {version}")
        shutil.rmtree(self.path(version), ignore_errors=True)

    def prune(self, keep: int) -> list[str]:
        """Delete the oldest complete versions beyond ``keep`` (never the current one), any
        unfinished directory older than the newest complete version and the temporary files
        of processes that died (a killed load)."""
        versions = self.versions()
        current = self.current_version()
        removed: list[str] = []
        for v in versions:
            if current and v.version < current and not v.served:  # its load died first
                shutil.rmtree(v.path, ignore_errors=True)
                removed.append(v.version)
        versions = [v for v in versions if v.version not in removed]
        excess = len(versions) - keep
        for v in versions:
            if excess <= 0:
                break
            if v.version != current:
                shutil.rmtree(v.path, ignore_errors=True)
                removed.append(v.version)
                excess -= 1
        newest = versions[-1].version if versions else None
        if newest and self.dir.is_dir():
            for child in self.dir.iterdir():
                if (
                    _VERSION_RE.match(child.name)
                    and child.name < newest
                    and self._meta(child) is None
                ):
                    shutil.rmtree(child, ignore_errors=True)
                    removed.append(child.name)
        _remove_dead_temporaries(self.dir)
        return removed

    def rollback(self, to: str | None = None) -> VersionInfo:
        """Move the pointer to ``to``, or to the newest complete version older than the current."""
        versions = self.versions()
        current = self.current_version()
        if to is not None:
            target = next((v for v in versions if v.version == to), None)
            if target is None:
                raise NotFound(
                    f"{self.kind}: no complete version {to!r}; "
                    f"have {', '.join(v.version for v in versions) or 'none'}"
                )
        else:
            older = [v for v in versions if (current is None or v.version < current) and v.served]
            if not older:
                raise NotFound(f"{self.kind}: no earlier version to roll back to")
            target = older[-1]
        self.point_to(target.version)
        return VersionInfo(
            target.kind, target.version, target.path, target.doc_count, target.created, True
        )


def _remove_dead_temporaries(folder: Path) -> None:
    """Remove the temporary files of :func:`_atomic_write` (``.CURRENT.<pid>.tmp``) left by a
    process that died between writing and renaming one: those whose process is gone."""
    for path in folder.glob(".*.*.tmp"):
        pid = path.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not running(int(pid)):
            path.unlink(missing_ok=True)


def _atomic_write(path: Path, text: str, phase: str = "") -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    if phase:
        pause_at(phase)
    os.replace(tmp, path)
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
