"""Schema fuzzing: schemathesis generates requests from the app's own OpenAPI document and sends
them in-process (ASGI) to the real app over a real index; every built-in check is on (no server
error, status code documented, content type documented, body conforms to the schema, ...).

The test suite runs a fast profile (tests/reliability/test_fuzz.py); the long one is a command:

    .venv/bin/python -m tests.reliability.fuzz --requests 20000

which builds an index from fixtures/small in a temporary folder, spreads the requests over the
operations, and prints requests generated, failures and time.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

from search_core.settings import PROJECT_ROOT, Settings

SMALL = PROJECT_ROOT / "fixtures" / "small"


@dataclass
class FuzzReport:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    per_operation: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _kinds(exc: BaseException) -> str:
    """The names of the failed checks in ``exc`` (schemathesis raises a group of them)."""
    inner = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
    return ", ".join(sorted({type(e).__name__ for e in inner}))


CONFIG = """
# Schema-valid requests may still be refused with a 422 when they break a rule between
# parameters that OpenAPI cannot state (lat without lon, two locations, sort=distance without
# one, the page window, a radius over 100 mi given in mi, published_from after published_to):
# every invalid-parameter answer is a 422 (one status per kind of error). 403: a tuning
# without the analyst key; 404: an unknown id, slug, ZIP code or city.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "403", "404", "422"]
"""


def _operations(app: FastAPI) -> list[Any]:
    config = schemathesis.Config.from_str(CONFIG)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(app: FastAPI, examples_per_operation: int, *, seed: int | None = 0) -> FuzzReport:
    """Send ``examples_per_operation`` generated requests to each operation of ``app`` (positive
    and negative generation) and run every check on each response. ``seed=None``: random."""
    report = FuzzReport()
    start = time.perf_counter()
    for operation in _operations(app):
        count = _fuzz_operation(operation, examples_per_operation, seed, report.failures)
        report.per_operation[operation.label] = count
        report.requests += count
    report.seconds = time.perf_counter() - start
    return report


def _fuzz_operation(operation: Any, examples: int, seed: int | None, failures: list[str]) -> int:
    """Run ``examples`` generated requests against one operation; append one entry per
    distinct kind of failure to ``failures``; return the number of requests sent."""
    label = operation.label
    strategy = st.one_of(
        operation.as_strategy(schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(schemathesis.GenerationMode.NEGATIVE),
    )
    count = 0
    seen: set[str] = set()

    @hypothesis.settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=seed is not None,
        phases=[Phase.generate],  # no shrinking: report the first failing request as sent
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def run(case: Any) -> None:
        nonlocal count
        count += 1
        try:
            case.call_and_validate()
        except (Exception, BaseExceptionGroup) as exc:  # failed checks: one line per kind
            line = f"{label}: {_kinds(exc)}"
            if line not in seen:
                seen.add(line)
                failures.append(f"{line}\n    {case.as_curl_command()}\n{exc}")

    if seed is not None:
        run = hypothesis.seed(seed)(run)
    run()
    return count


@contextlib.contextmanager
def served_app(settings: Settings) -> Iterator[FastAPI]:
    """The real app with its lifespan started (services, warm engine) for the duration."""
    from search_api.app import create_app

    app = create_app(settings)
    with TestClient(app):
        yield app


def build_index(data_dir: Path) -> Settings:
    from cli.main import main

    settings = Settings(data_dir=data_dir, index_workers=0)
    assert main(["index", "--from", str(SMALL), "--quiet"], settings=settings) == 0
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000, help="about this many in all")
    parser.add_argument("--seed", type=int, default=None, help="fixed seed (default: random)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = build_index(Path(tmp) / "data")
        with served_app(settings) as app:
            # Operations without parameters have one request to make; spread over the others.
            paths = app.openapi()["paths"].values()
            with_params = sum(1 for path in paths for op in path.values() if op.get("parameters"))
            per_op = max(1, -(-args.requests // with_params))
            report = fuzz(app, per_op, seed=args.seed)
    for label, n in sorted(report.per_operation.items()):
        print(f"{n:7d}  {label}")
    print(
        f"requests generated: {report.requests}; failures: {len(report.failures)}; "
        f"time: {report.seconds:.1f} s ({per_op} per operation)"
    )
    for failure in report.failures:
        print(failure)
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
