"""What every command shares: the exit codes, the handler signature, and JSON output."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from search_core.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTS = 0, 1, 2, 3
"""0 success; 1 failure (nothing changed, or a check failed); 2 bad usage; 3 loaded, but some
records were rejected."""

Handler = Callable[[argparse.Namespace, Settings], int]
"""What ``set_defaults(handler=...)`` attaches to a subcommand: parsed arguments and the
settings in, the exit status out."""


def print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, default=str))


def write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, default=str) + "\n", encoding="utf-8")
