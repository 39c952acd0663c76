"""In-process latency of the embedded engine on an index already built, per workload category.

The quick loop for measuring one change on its own (the step-by-step table of
``benchmarks/notes.md`` was measured with it), without the whole harness::

    python -m benchmarks.inprocess benchmarks/data/index-100k full_search near_me browse_city

``DATA_DIR`` is a ``SEARCH_DATA_DIR`` holding the three kinds (the harness leaves
``benchmarks/data/index-100k`` and ``index-1m``). Each category's requests are called once as
warm-up, then walked again until ``--seconds`` have passed, at least once and at most twice.
"""

from __future__ import annotations

import argparse

from benchmarks.common import Stats
from benchmarks.engine import OurEngine, timed
from benchmarks.workload import CATEGORIES, Request, load


def engine_calls(engine: OurEngine, reqs: list[Request]) -> str:
    """Engine calls per request of the search box, each distinct request once more after the
    timing (a relaxed search calls again per step); and the plain searches inside those calls:
    all of them, and without the online list's counts and first hits, which the engine answers
    from its per-version memo once it has seen them, without a Tantivy search."""
    per: list[tuple[int, int, int]] = []
    for req in dict.fromkeys(reqs):
        before = engine.engine_calls
        engine.call(req)
        after = engine.engine_calls
        per.append((after[0] - before[0], after[1] - before[1], after[2] - before[2]))
    if not per:
        return ""
    n = len(per)
    many = sum(1 for c, _, _ in per if c >= 2) / n
    searches = [s - k for _, s, k in per]
    return (
        f"engine calls/request {sum(c for c, _, _ in per) / n:.2f} (2 or more: {many:.0%}); "
        f"searches inside {sum(s for _, s, _ in per) / n:.2f}, "
        f"once the online list is remembered {sum(searches) / n:.2f} "
        f"(1 or none: {sum(1 for x in searches if x <= 1) / n:.0%})"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.inprocess", description=__doc__)
    p.add_argument("data_dir", help="a SEARCH_DATA_DIR with all three kinds indexed")
    p.add_argument("categories", nargs="*", default=["full_search", "near_me"], choices=CATEGORIES)
    p.add_argument("--seconds", type=float, default=10.0, help="time budget per category")
    p.add_argument(
        "--search-box",
        action="store_true",
        help="therapist searches through the search box's use case, as the routes call it",
    )
    p.add_argument(
        "--no-online",
        action="store_true",
        help="with --search-box: no online therapists in the state (online_in_state=false)",
    )
    args = p.parse_args(argv)
    engine = OurEngine(args.data_dir, search_box=args.search_box, online=not args.no_online)
    workload = load()
    for category in args.categories:
        reqs = workload.of(category)
        ms = timed(engine.call, reqs, args.seconds, len(reqs), 2 * len(reqs), warmup=len(reqs))
        s = Stats.of(ms)
        line = f"{category:14s} n={s.n:5d}  p50 {s.p50:7.2f}  p95 {s.p95:7.2f}  p99 {s.p99:7.2f} ms"
        if args.search_box and category in ("full_search", "near_me"):
            line += "  " + engine_calls(engine, reqs)
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
