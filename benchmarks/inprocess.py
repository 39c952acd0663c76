"""In-process latency of the embedded engine on an index already built, per workload category.

The quick loop for measuring one change on its own (the step-by-step table of
``benchmarks/notes.md`` was measured with it), without the whole harness::

    python -m benchmarks.inprocess benchmarks/data/index-100k full_search near_me browse_city

``DATA_DIR`` is a ``SEARCH_DATA_DIR`` holding the three kinds (the harness leaves
``benchmarks/data/index-100k`` and ``index-1m``). Each category's requests are called once as
warm-up, then walked again until ``--seconds`` have passed, at least once and at most twice.

With ``--search-box``, a line under the table gives the understanding's own time per request
that has text (p50/p99): each call of the understander (:meth:`Understander.understand
<search_core.understanding.understand.Understander.understand>`, which the use case calls on
the event loop, or in a worker thread for a reading that may take long) is timed around the
call itself during the timed walk, not found by subtracting one run from another; its CPU
time too (``time.thread_time``), which a machine busy with other jobs does not inflate.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from benchmarks.common import Stats
from benchmarks.engine import OurEngine, timed
from benchmarks.workload import CATEGORIES, Request, load, warm_up
from search_core.understanding import understander_for


class UnderstandingClock:
    """Milliseconds of each call of the search box's understander, taken around the call in
    the use case's own path (the understander the use case gets is this one: one per
    geocoder, built here first, so its building is not timed)."""

    def __init__(self, engine: OurEngine) -> None:
        self.ms: list[float] = []
        self.cpu_ms: list[float] = []
        """The same calls in the thread's CPU time: without the waits for a core that a busy
        machine adds to the wall clock."""
        reader = understander_for(engine.geocoder)
        inner = reader.understand

        def clocked(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                self.cpu_ms.append((time.thread_time() - cpu) * 1000.0)
                self.ms.append((time.perf_counter() - start) * 1000.0)

        reader.understand = clocked  # type: ignore[method-assign]

    def clear(self) -> None:
        self.ms.clear()
        self.cpu_ms.clear()

    def line(self) -> str:
        s, c = Stats.of(self.ms), Stats.of(self.cpu_ms)
        return (
            f"{'  understanding':14s} n={s.n:5d}  p50 {s.p50:7.3f}  p95 {s.p95:7.3f}  "
            f"p99 {s.p99:7.3f} ms  (its own time, per request with text; CPU time p50 "
            f"{c.p50:.3f}, p99 {c.p99:.3f} ms)"
        )


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
        "--requests",
        type=int,
        default=None,
        metavar="N",
        help="only the first N requests of each category: a quick look that the command works, "
        "not a figure to compare",
    )
    p.add_argument(
        "--no-online",
        action="store_true",
        help="with --search-box: no online therapists in the state (online_in_state=false)",
    )
    args = p.parse_args(argv)
    engine = OurEngine(args.data_dir, search_box=args.search_box, online=not args.no_online)
    clock = UnderstandingClock(engine) if args.search_box else None
    workload = load()
    for category in args.categories:
        reqs = workload.of(category)[: args.requests]
        warm_up(engine.call, reqs, len(reqs), 0.0)
        if clock is not None:
            clock.clear()  # the timed walk only
        ms = timed(engine.call, reqs, args.seconds, len(reqs), 2 * len(reqs))
        s = Stats.of(ms)
        line = f"{category:14s} n={s.n:5d}  p50 {s.p50:7.2f}  p95 {s.p95:7.2f}  p99 {s.p99:7.2f} ms"
        box = args.search_box and category in ("full_search", "near_me")
        understood = clock.line() if clock is not None and box and clock.ms else ""
        if box:
            line += "  " + engine_calls(engine, reqs)
        print(line)
        if understood:
            print(understood)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
