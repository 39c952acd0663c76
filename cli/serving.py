"""``serve``: the search API over the configured engine (the only command that imports
:mod:`search_api`, and only when it runs, so the other commands start without FastAPI)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.common import EXIT_OK, EXIT_USAGE
from search_core.settings import Settings


def register(sub: Any) -> None:
    sv = sub.add_parser("serve", help="serve the search API (OpenAPI page at /docs)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes: one per core uses every core (on Linux each listens on its "
        "own socket of the port, so kept-alive connections spread evenly)",
    )
    sv.add_argument(
        "--access-log",
        action="store_true",
        help="log every request (off by default: it costs about a tenth of a light request)",
    )
    sv.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from search_api.serving import serve

    try:
        serve(settings, args.host, args.port, args.workers, args.access_log)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
