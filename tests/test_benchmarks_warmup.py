"""The benchmark's warm-up: every distinct request once, so that timings are of a warm system."""

from __future__ import annotations

from benchmarks.workload import Request, warm_up


def _reqs(*paths: str) -> list[Request]:
    return [Request("browse_cities", p, ()) for p in paths]


def test_each_distinct_request_once_in_order() -> None:
    seen: list[str] = []
    made = warm_up(lambda r: seen.append(r.url), _reqs("/a", "/b", "/a", "/c", "/b"), 2, 10.0)
    assert seen == ["/a", "/b", "/c"] and made == 3


def test_a_slow_system_stops_after_the_budget_but_not_before_the_minimum() -> None:
    """Each call takes 20 ms of a clock the test moves itself (no real time: the result must
    not depend on how busy the machine is)."""
    now = [0.0]
    seen: list[str] = []

    def slow(r: Request) -> None:
        seen.append(r.url)
        now[0] += 0.02

    def clock() -> float:
        return now[0]

    many = _reqs(*(f"/{i}" for i in range(100)))
    warm_up(slow, many, 5, 0.0, clock)
    assert len(seen) == 5  # the minimum, though the budget was spent at once
    seen.clear()
    warm_up(slow, many, 2, 0.1, clock)
    assert len(seen) == 6  # past the minimum, until the clock is over the 0.1 s budget
