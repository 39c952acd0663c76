"""The regression gate CI runs (``make test``): the default tuning on the shipped judgments."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from search_core.relevance.gate import BASELINE_FILE, Baseline, gate
from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab
from search_core.settings import Settings
from tests.conftest import ENGINES

SMALL_INDEX = {
    "embedded": "small_index",
    "opensearch": "opensearch_small_index",
    "elasticsearch": "elastic_small_index",
}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_default_tuning_holds_the_baseline(
    engine: str, lab: Lab, judged: JudgmentList, request: pytest.FixtureRequest
) -> None:
    """On every engine: the same judged queries, the same floor."""
    if engine == "embedded":
        result = gate(lab, judged, Baseline.load(BASELINE_FILE))
    else:
        settings: Settings = request.getfixturevalue(SMALL_INDEX[engine])
        with Lab.open(settings, engine) as cluster_lab:
            result = gate(cluster_lab, judged, Baseline.load(BASELINE_FILE))
    assert result.passed, result.message


def test_the_gate_fails_when_the_baseline_is_raised(
    small_index: Settings, tmp_path: Path, capsys: object
) -> None:
    baseline = Baseline.load(BASELINE_FILE)
    raised = tmp_path / "baseline.json"
    baseline.model_copy(update={"value": min(1.0, baseline.value + 0.1)}).dump(raised)
    assert main(["relevance", "gate", "--baseline", str(raised)], settings=small_index) == 1
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.startswith("FAIL: ndcg@10 = ")

    measured = float(out.split(" = ")[1].split(" ")[0])
    assert measured < baseline.value + 0.1 - baseline.tolerance

    assert main(["relevance", "gate", "--baseline", str(raised), "--update"], small_index) == 0
    assert Baseline.load(raised).value == round(measured, 4)
