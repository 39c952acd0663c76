"""The code's shape, read from its own imports and files: the layering between packages, no
import circle among the modules of the product packages, and no file over 400 lines.

One reader (:func:`imports`) parses every ``import``/``from`` statement of a file with ``ast``:
at module level, inside functions, and under ``if TYPE_CHECKING:``. Both rules count all of
them: a function's import runs as surely as a module's, only later, and a type-only import
still ties the two modules together (a module that needs another's type while that one imports
it names what it needs in a protocol of its own, as ``search_core/elastic/build.py`` does).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from search_core.settings import PROJECT_ROOT

PACKAGES = ["search_core", "indexer", "search_api", "cli", "localnode", "fixtures"]
"""The product packages: every module of these is in the circle check."""

LINE_LIMITED = ["search_core", "indexer", "search_api", "cli", "localnode"]
"""Packages whose files keep to :data:`MAX_LINES`. ``fixtures`` is left out: its long files are
the generator's word lists and templates, data rather than code."""

MAX_LINES = 400
"""No file of a line-limited package is over this: one concept per file."""

ENGINES = ["search_core/embedded", "search_core/elastic", "search_core/opensearch"]
USE_CASES = [
    "browsing",
    "search_request",
    "locating",
    "typeahead",
    "searching",
    "search_reading",
    "search_steps",
    "search_answer",
    "suggesting",
    "article_searching",
    "crisis_help",
    "understanding",
    "understood_ranking",
    "contact",
    "remembering",
]
"""The modules that compose use cases above :class:`search_core.backend.SearchBackend`: no
engine imports one (an engine offers primitives; pages are composed once, above it).
:mod:`search_core.online_plan` is not one of them: it is the plan of the typed query's online
part (``TherapistQuery.online``), written once and run by each engine inside the one call."""

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
    ("search_core/embedded", "search_core.engines"),
    ("search_core/elastic", "search_core.engines"),
    ("search_core/opensearch", "search_core.engines"),
    ("search_core/backend.py", "search_core.embedded"),
    ("search_core/backend.py", "search_core.elastic"),
    ("search_core/backend.py", "search_core.opensearch"),
    ("search_api", "search_core.relevance"),
    ("indexer", "search_api"),
    ("indexer", "cli"),
    ("search_api", "indexer"),
    ("search_api", "cli"),
    ("search_core", "search_api"),
    ("search_core", "cli"),
    ("search_core", "fastapi"),
    ("search_core", "indexer"),
    *[(engine, f"search_core.{use_case}") for engine in ENGINES for use_case in USE_CASES],
]
"""(folder or file, module prefix no file there may import). Engines are siblings and know
neither the use cases (:data:`USE_CASES`), the factory (:mod:`search_core.engines`) nor the
relevance lab; the interfaces
(:mod:`search_core.backend`) know no engine; the command line is the front door, which the
libraries below it never import; the load pipeline and the API never import each other."""


@dataclass(frozen=True, slots=True)
class Import:
    """The names one statement imports as written (``a.b`` for ``import a.b``, ``a.b`` and
    ``a.b.c`` for ``from a.b import c``; relative imports made absolute), and its line."""

    names: tuple[str, ...]
    line: int
    source: str | None = None
    """The module of a ``from`` import (``names`` then starts with it)."""


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path = PROJECT_ROOT) -> list[Import]:
    """Every import statement of ``path``: at module level, in functions and classes, and under
    ``if TYPE_CHECKING:``."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.append(Import(tuple(a.name for a in node.names), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names = (base, *(f"{base}.{a.name}" for a in node.names if a.name != "*"))
            found.append(Import(names, node.lineno, base))
    return found


def python_files(where: str, root: Path = PROJECT_ROOT) -> list[Path]:
    path = root / where
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def violations(where: str, banned: str) -> list[str]:
    return [
        f"{path.relative_to(PROJECT_ROOT)}:{imp.line} imports {name}"
        for path in python_files(where)
        for imp in imports(path)
        for name in imp.names
        if name == banned or name.startswith(banned + ".")
    ]


# ---------------------------------------------------------------------------- circles


def import_graph(packages: Iterable[str], root: Path = PROJECT_ROOT) -> dict[str, set[str]]:
    """Module → the modules of ``packages`` it imports. ``from p import m`` counts as
    importing ``p.m`` when that is a module, else ``p``; a module does not count as importing
    the packages it sits in (Python runs those first anyway)."""
    files = {module_name(p, root): p for pkg in packages for p in python_files(pkg, root)}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        targets: set[str] = set()
        for imp in imports(path, root):
            named = list(imp.names)
            if imp.source is not None:
                named = [n for n in imp.names[1:] if n in files] or [imp.source]
            for name in named:
                while name and name not in files:
                    name = name.rpartition(".")[0]
                if name and name != module:
                    targets.add(name)
        graph[module] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(start: str) -> None:
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return sorted(found)


def describe(group: list[str], graph: dict[str, set[str]]) -> str:
    edges = [f"{m} -> {t}" for m in group for t in sorted(graph[m] & set(group))]
    return "; ".join(edges)


def test_no_import_circle() -> None:
    graph = import_graph(PACKAGES)
    assert len(graph) > 100  # the packages were read
    assert [describe(group, graph) for group in circles(graph)] == []


def test_the_circle_check_finds_one(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "face.py").write_text("def make():\n    from pkg.impl import Impl\n    return Impl()\n")
    (pkg / "impl.py").write_text("from pkg.face import make\nclass Impl: ...\n")
    (pkg / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.user import U\n"
    )
    (pkg / "user.py").write_text("from pkg import typed\nclass U: ...\n")
    (pkg / "alone.py").write_text("from pkg import face\n")
    graph = import_graph(["pkg"], tmp_path)
    assert graph["pkg.user"] == {"pkg.typed"} and graph["pkg.alone"] == {"pkg.face"}
    assert circles(graph) == [["pkg.face", "pkg.impl"], ["pkg.typed", "pkg.user"]]


# ---------------------------------------------------------------------------- layering


@pytest.mark.parametrize(("where", "banned"), FORBIDDEN)
def test_layering(where: str, banned: str) -> None:
    assert (PROJECT_ROOT / where).exists()
    assert violations(where, banned) == []


def test_only_serve_imports_the_api() -> None:
    users = {
        str(path.relative_to(PROJECT_ROOT))
        for path in python_files("cli")
        for imp in imports(path)
        if any(n == "search_api" or n.startswith("search_api.") for n in imp.names)
    }
    assert users == {str(Path("cli") / "serving.py")}


def test_the_reader_sees_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "p"
    pkg.mkdir()
    sample = pkg / "m.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a.b import c\n"
        "def f():\n    import x.y\nfrom . import sibling\nfrom .q import r\n"
    )
    found = {name for imp in imports(sample, tmp_path) for name in imp.names}
    assert {"a.b", "a.b.c", "x.y", "p.sibling", "p.q.r"} <= found


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


# ---------------------------------------------------------------------------- file length


def test_no_file_is_over_the_limit() -> None:
    files = [p for pkg in LINE_LIMITED for p in python_files(pkg)]
    assert len(files) > 100
    long = [
        f"{p.relative_to(PROJECT_ROOT)}: {n} lines"
        for p in files
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == []


@pytest.mark.parametrize("use_case", USE_CASES)
def test_each_named_use_case_exists(use_case: str) -> None:
    """A rule about a module that is gone guards nothing: each named use case is still there
    (a module or a package), so a rename cannot silently lift the engines' rule."""
    base = PROJECT_ROOT / "search_core" / use_case
    assert base.with_suffix(".py").is_file() or (base / "__init__.py").is_file(), use_case
