"""The examples of relevance/README.md, run and checked (or written anew).

An example is a shell block after ``<!-- example -->`` (one ``therapist-search`` command) and the
text block right after it (what the command prints). ``<!-- example: excerpt -->`` shows only
some of the printed lines, in order. Numbers are compared as numbers: integers exactly,
decimals to within :data:`TOLERANCE` (the freshness decay follows the wall clock); the words
between them must be the same, up to the width of the spaces.

The commands run in-process, in order, in a scratch folder where ``relevance/`` leads to the
project's (inputs) and files they write stay in the scratch folder.

    python -m tests.relevance.readme_examples --write     # index the fixtures, rewrite the blocks
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cli.main import main
from search_core.settings import PROJECT_ROOT, Settings

README = PROJECT_ROOT / "relevance" / "README.md"
TOLERANCE = 0.01
_EXAMPLE = re.compile(
    r"<!-- example(?P<excerpt>: excerpt)? -->\n```sh\n(?P<command>.*?)\n```\n"
    r"```text\n(?P<output>.*?)```",
    re.S,
)
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?(?:e-?\d+)?)")


@dataclass(frozen=True)
class Example:
    command: str
    expected: str
    excerpt: bool
    start: int
    """Where the expected output starts in the README (to write it anew)."""
    end: int


def examples(text: str) -> list[Example]:
    return [
        Example(
            m["command"].strip(),
            m["output"],
            bool(m["excerpt"]),
            m.start("output"),
            m.end("output"),
        )
        for m in _EXAMPLE.finditer(text)
    ]


def workspace(folder: Path) -> Path:
    """A scratch folder whose ``relevance`` is the project's."""
    link = folder / "relevance"
    if not link.exists():
        link.symlink_to(PROJECT_ROOT / "relevance", target_is_directory=True)
    return folder


def run(command: str, settings: Settings, cwd: Path) -> tuple[int, str]:
    """Exit status and standard output of one README command."""
    words = shlex.split(command)
    if words[0] != "therapist-search":
        raise ValueError(f"an example runs therapist-search, not {words[0]!r}")
    out = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out):
        status = main(words[1:], settings)
    return status, out.getvalue()


def _same_line(expected: str, actual: str) -> bool:
    e, a = _NUMBER.split(expected), _NUMBER.split(actual)
    if len(e) != len(a):
        return False
    for i, (x, y) in enumerate(zip(e, a, strict=True)):
        if i % 2 == 0:
            if " ".join(x.split()) != " ".join(y.split()):
                return False
        elif "." in x or "." in y or "e" in x or "e" in y:
            if abs(float(x) - float(y)) > TOLERANCE:
                return False
        elif x != y:
            return False
    return True


def mismatches(example: Example, actual: str) -> list[str]:
    """What differs between the README's output and ``actual`` (empty: they agree)."""
    want = example.expected.rstrip("\n").splitlines()
    got = actual.rstrip("\n").splitlines()
    if not example.excerpt:
        if len(want) != len(got):
            return [f"{len(want)} lines shown, {len(got)} printed"]
        return [
            f"README: {w!r}\nprinted: {g!r}"
            for w, g in zip(want, got, strict=True)
            if not _same_line(w, g)
        ]
    at = 0
    for w in want:
        while at < len(got) and not _same_line(w, got[at]):
            at += 1
        if at == len(got):
            return [f"README line not printed (in this order): {w!r}"]
        at += 1
    return []


def write(settings: Settings, readme: Path = README) -> int:
    """Run every example and put its output in the README; the number of examples."""
    text = readme.read_text(encoding="utf-8")
    found = examples(text)
    with tempfile.TemporaryDirectory() as scratch:
        cwd = workspace(Path(scratch))
        outputs = [run(e.command, settings, cwd)[1] for e in found]
    for e, out in reversed(list(zip(found, outputs, strict=True))):
        if not e.excerpt:
            text = text[: e.start] + out.rstrip("\n") + "\n" + text[e.end :]
    readme.write_text(text, encoding="utf-8")
    return len(found)


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the README's outputs")
    args = parser.parse_args()
    if not args.write:
        parser.error("nothing to do: pytest checks the examples; --write rewrites them")
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), index_workers=0)
        fixtures = PROJECT_ROOT / "fixtures" / "small"
        if main(["index", "--from", str(fixtures), "--quiet"], settings) != 0:
            raise SystemExit("could not index the fixtures")
        print(f"wrote the output of {write(settings)} examples into {README}")


if __name__ == "__main__":
    _main()
