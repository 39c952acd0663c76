"""Index and alias names: ``<prefix>-<kind>-<version>`` behind the alias ``<prefix>-<kind>``.

Versions sort by creation, like the embedded engine's version directories, but in lower case
(index names may not hold capitals): ``v20261123t192500-000001``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from search_core.errors import MappingError
from search_core.mappings import KINDS

VERSION_RE = re.compile(r"^v\d{8}t\d{6}-\d{6}$")


def alias_name(prefix: str, kind: str) -> str:
    if kind not in KINDS:
        raise MappingError(f"unknown index kind {kind!r}; expected one of {', '.join(KINDS)}")
    return f"{prefix}-{kind}"


def index_name(prefix: str, kind: str, version: str) -> str:
    if not VERSION_RE.match(version):
        raise ValueError(f"not a version name: {version!r}")
    return f"{alias_name(prefix, kind)}-{version}"


def index_pattern(prefix: str, kind: str) -> str:
    """Every version of one kind (the ``v`` keeps ``<prefix>-therapists-x`` out)."""
    return f"{alias_name(prefix, kind)}-v*"


def version_of(prefix: str, kind: str, index: str) -> str | None:
    """The version part of one of our index names, or None for any other index."""
    head = alias_name(prefix, kind) + "-"
    if not index.startswith(head):
        return None
    version = index[len(head) :]
    return version if VERSION_RE.match(version) else None


def next_version(existing: Iterable[str], now: dt.datetime) -> str:
    """A version name later than every one in ``existing``."""
    seq = 1 + max((int(v[-6:]) for v in existing if VERSION_RE.match(v)), default=0)
    return f"v{now.astimezone(dt.UTC).strftime('%Y%m%dt%H%M%S')}-{seq:06d}"
