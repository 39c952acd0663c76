"""``python -m localnode [--port N] [--heap 512m]``: start a local OpenSearch and keep it
running until Ctrl-C (the node and its data folder are removed then)."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading

from localnode.node import DEFAULT_HEAP, VERSION, NodeError, running_node


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m localnode",
        description=f"Start a single-node OpenSearch {VERSION} on loopback (security off, "
        "data in a temporary folder removed at exit), resolved from Maven Central.",
    )
    parser.add_argument(
        "--port", type=int, default=9200, help="HTTP port (default 9200; 0: a free one)"
    )
    parser.add_argument("--heap", default=DEFAULT_HEAP, help="JVM heap, e.g. 512m or 1g")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with running_node(port=args.port or None, heap=args.heap) as node:
            print(f"OpenSearch {VERSION} is up at {node.url}", flush=True)
            print(f"  SEARCH_ENGINE=opensearch OPENSEARCH_URL={node.url}", flush=True)
            print("Ctrl-C stops it.", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                stop.wait()
    except NodeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
