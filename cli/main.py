"""``therapist-search``: one command, with subcommands, over the library.

Exit status: 0 success; 1 failure (nothing changed); 2 bad usage; 3 loaded, but some records
were rejected (see the rejects file named in the output).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence

from pydantic import ValidationError

from cli import explain, loading, relevance, searching, serving
from cli.common import EXIT_FAILED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE, Handler
from search_core.settings import Settings, settings_problems

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_REJECTS",
    "EXIT_USAGE",
    "build_parser",
    "commands",
    "main",
]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; every (sub)command's parser has a ``handler`` default."""
    p = argparse.ArgumentParser(
        prog="therapist-search",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    loading.register(sub)
    serving.register(sub)
    loading.register_delete(sub)
    relevance.register(sub)
    explain.register(sub)
    searching.register(sub)
    return p


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command under ``parser`` as (its words, its parser), depth first: ``("index",)``,
    ``("relevance",)``, ``("relevance", "eval")`` ... (for the docs and ``--help`` tests)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield (*path, name), child
                yield from commands(child, (*path, name))


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command with
    ``settings`` (default: built from the environment, here and not at import time)."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    if settings is None:
        try:
            settings = Settings()
        except ValidationError as e:  # a bad environment variable: bad usage, said plainly
            for line in settings_problems(e):
                print(f"error: {line}", file=sys.stderr)
            return EXIT_USAGE
    return handler(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
