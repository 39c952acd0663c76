"""The benchmark's warm-up: every distinct request once, so that timings are of a warm system."""

from __future__ import annotations

import time

from benchmarks.workload import Request, warm_up


def _reqs(*paths: str) -> list[Request]:
    return [Request("browse_cities", p, ()) for p in paths]


def test_each_distinct_request_once_in_order() -> None:
    seen: list[str] = []
    made = warm_up(lambda r: seen.append(r.url), _reqs("/a", "/b", "/a", "/c", "/b"), 2, 10.0)
    assert seen == ["/a", "/b", "/c"] and made == 3


def test_a_slow_system_stops_after_the_budget_but_not_before_the_minimum() -> None:
    seen: list[str] = []

    def slow(r: Request) -> None:
        seen.append(r.url)
        time.sleep(0.02)

    warm_up(slow, _reqs(*(f"/{i}" for i in range(100))), 5, 0.0)
    assert len(seen) == 5
    seen.clear()
    warm_up(slow, _reqs(*(f"/{i}" for i in range(100))), 2, 0.1)
    assert 3 <= len(seen) < 20
