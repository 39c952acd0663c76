"""Every request body the engine sends is pinned (golden file) and valid (Elastic's spec).

Two tests per case: the golden comparison always runs; the spec check skips, saying why, where
the shared OpenAPI document is absent.
"""

from __future__ import annotations

import pytest

from search_core.tuning import Tuning
from tests.elastic.cases import CASES, Case
from tests.elastic.golden import GOLDEN_DIR, check_golden, updating
from tests.es_spec import ElasticSpec

IDS = [c.name for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_body_matches_golden(
    case: Case, tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    check_golden(case.name, case.build(tuning, analyzers))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_body_is_valid_for_elasticsearch(
    case: Case, tuning: Tuning, analyzers: dict[str, dict[str, str]], spec: ElasticSpec
) -> None:
    body = case.build(tuning, analyzers)
    if case.ndjson:
        spec.validate_ndjson_bulk(body)
    else:
        spec.validate_request(case.method, case.path, body)


def test_every_golden_file_has_a_case() -> None:
    if updating():
        pytest.skip("golden files are being rewritten")
    stale = sorted(p.stem for p in GOLDEN_DIR.glob("*.json"))
    assert [n for n in stale if n not in IDS] == [], "delete golden files no case produces"


def test_the_spec_check_can_fail(
    spec: ElasticSpec, tuning: Tuning, analyzers: dict[str, dict[str, str]]
) -> None:
    """A typo in one of our bodies is caught (so a green run above means something)."""
    body = next(c for c in CASES if c.name == "therapists_no_text_facets").build(tuning, analyzers)
    body["aggs"] = body.pop("aggregations")
    with pytest.raises(AssertionError, match="aggs"):
        spec.validate_request("post", "/{index}/_search", body)
