"""Golden request bodies: ``tests/elastic/golden/<name>.json`` pins each body the engine sends.

A test builds the body again and compares; ``UPDATE_GOLDEN=1 pytest tests/elastic`` rewrites
the files instead (review the diff before committing it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).parent / "golden"


def updating() -> bool:
    return os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def check_golden(name: str, value: Any) -> None:
    """``value`` (a JSON body, or a list of NDJSON lines) equals the golden file ``name``."""
    path = GOLDEN_DIR / f"{name}.json"
    normal = json.loads(json.dumps(value))  # tuples → lists, as on the wire
    if updating():
        path.write_text(_dump(normal), encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest tests/elastic"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert normal == expected, (
        f"the body of {name!r} changed; if that is intended, run "
        f"UPDATE_GOLDEN=1 pytest tests/elastic and review the diff of {path.name}"
    )
