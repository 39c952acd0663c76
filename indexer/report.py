"""What a full load of one kind did: records read, indexed and rejected, the new version, the
rejects file and the time it took."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class LoadReport:
    kind: str
    source: Path
    read: int = 0
    indexed: int = 0
    rejected: int = 0
    version: str | None = None
    rejects_file: Path | None = None
    seconds: float = 0.0
    first_rejects: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": str(self.source),
            "read": self.read,
            "indexed": self.indexed,
            "rejected": self.rejected,
            "version": self.version,
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.rate, 1),
        }
