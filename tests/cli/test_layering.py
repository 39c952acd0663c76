"""The command line is the front door: the libraries below it never import it, and the load
pipeline (``indexer``) and the API (``search_api``) never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from search_core.settings import PROJECT_ROOT


def imported(package: str) -> dict[str, set[str]]:
    """Top-level packages each module of ``package`` imports (by file, relative to the root)."""
    found: dict[str, set[str]] = {}
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(PROJECT_ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("indexer", {"search_api", "cli"}),
        ("search_api", {"indexer", "cli"}),
        ("search_core", {"indexer", "search_api", "cli"}),
    ],
)
def test_no_import_against_the_layers(package: str, forbidden: set[str]) -> None:
    wrong = {f: sorted(n & forbidden) for f, n in imported(package).items() if n & forbidden}
    assert not wrong


def test_only_serve_imports_the_api() -> None:
    users = [f for f, names in imported("cli").items() if "search_api" in names]
    assert users == [str(Path("cli") / "serving.py")]
