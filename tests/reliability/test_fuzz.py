"""The fast schema-fuzzing profile (the long one: ``python -m tests.reliability.fuzz``)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import assert_error
from tests.reliability.fuzz import fuzz

EXAMPLES_PER_OPERATION = 110
"""14 operations: about 1,500 requests, ~15 s alone on this machine."""


def test_fuzz_fast_profile_finds_no_failure(served: tuple[FastAPI, TestClient]) -> None:
    report = fuzz(served[0], EXAMPLES_PER_OPERATION, seed=0)
    assert report.requests >= 1000, report.per_operation
    assert not report.failures, "\n\n".join(report.failures)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("published_from", "0310-01-29"),
        ("published_to", "9999-12-31"),
        ("published_from", "1677-09-21"),
        ("published_to", "2262-04-12"),
        ("published_from", "0001-01-01"),
        ("published_to", "1899-12-31"),
        ("published_from", "2101-01-01"),
    ],
)
def test_dates_outside_the_range_are_a_422(client: TestClient, param: str, value: str) -> None:
    """What the first fuzz run found: dates a nanosecond timestamp cannot hold answered 500."""
    r = client.get("/articles/search", params={param: value})
    assert_error(r, 422, "out of range", "1900-01-01", "2100-12-31")
    assert r.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "value", ["0.0", "0", "1700000000", "2026-1-5", "20260105", "2026-01-05T00"]
)
def test_dates_are_iso_text(client: TestClient, value: str) -> None:
    """The long fuzz run found published_from=0.0 read as a Unix timestamp (1970-01-01)."""
    assert_error(client.get("/articles/search", params={"published_from": value}), 422, "YYYY")


@pytest.mark.parametrize("value", ["1900-01-01", "2100-12-31"])
def test_the_range_ends_are_accepted(client: TestClient, value: str) -> None:
    assert client.get("/articles/search", params={"published_from": value}).status_code == 200
    assert client.get("/articles/search", params={"published_to": value}).status_code == 200


def test_the_ranges_are_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/articles/search"]["get"]["parameters"]}
    date = params["published_from"]["schema"]["anyOf"][0]
    assert "1900-01-01" in date["description"] and "2100-12-31" in date["description"]
    near = {p["name"]: p for p in spec["paths"]["/therapists/near"]["get"]["parameters"]}
    assert near["lat"]["schema"]["anyOf"][0] == {"type": "number", "maximum": 90, "minimum": -90}
    assert "500 km" in near["radius"]["description"]  # over it (in mi or km): a 400
    assert "anxiety" in near["issues"]["schema"]["items"]["enum"]
