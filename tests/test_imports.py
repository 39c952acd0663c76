"""The package layering, read from the code's own imports: engines are siblings (neither imports
the other), neither engine nor the API imports the relevance lab, and the engines and the API
stay out of each other's way. Reads every ``import``/``from`` statement, including those under
``if TYPE_CHECKING:`` and inside functions."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from search_core.settings import PROJECT_ROOT

FORBIDDEN: list[tuple[str, str]] = [
    ("search_core/elastic", "search_core.embedded"),
    ("search_core/embedded", "search_core.elastic"),
    ("search_core/elastic", "search_core.relevance"),
    ("search_core/embedded", "search_core.relevance"),
    ("search_core/opensearch", "search_core.embedded"),
    ("search_core/opensearch", "search_core.relevance"),
    ("search_core/embedded", "search_core.opensearch"),
    ("search_core/elastic", "search_core.opensearch"),
    ("search_core/elastic", "opensearchpy"),
    ("search_core/opensearch", "elasticsearch"),
    ("search_core/opensearch", "elastic_transport"),
    ("search_api", "search_core.relevance"),
    ("indexer", "search_api"),
    ("search_api", "indexer"),
    ("indexer", "cli"),
    ("search_core", "search_api"),
    ("search_core", "cli"),
    ("search_core", "fastapi"),
    ("search_core", "indexer"),
]
"""(folder, module prefix no file under that folder may import)."""


def imported(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
    return out


def violations(folder: str, banned: str) -> list[str]:
    found = []
    for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
        for name in sorted(imported(path)):
            if name == banned or name.startswith(banned + "."):
                found.append(f"{path.relative_to(PROJECT_ROOT)} imports {name}")
    return found


@pytest.mark.parametrize(("folder", "banned"), FORBIDDEN)
def test_layering(folder: str, banned: str) -> None:
    assert (PROJECT_ROOT / folder).is_dir()
    assert violations(folder, banned) == []


def test_the_reader_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a.b import c\n"
        "def f():\n    import x.y\n"
    )
    assert {"a.b", "a.b.c", "x.y"} <= imported(sample)


@pytest.mark.parametrize(
    "module", ["search_core.elastic.backend", "search_core.opensearch.backend"]
)
def test_a_cluster_engine_loads_without_tantivy_or_the_lab(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in sys.modules if m == 'tantivy' or m.startswith("
        "('search_core.embedded', 'search_core.relevance'))]\n"
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert done.stdout.strip() == ""


MAX_LINES = 400
"""No file of the library is over this: one concept per file."""


def test_no_library_file_is_over_the_limit() -> None:
    long = [
        f"{p.relative_to(PROJECT_ROOT)}: {n} lines"
        for p in sorted((PROJECT_ROOT / "search_core").rglob("*.py"))
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []
