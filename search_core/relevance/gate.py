"""The regression gate: the default tuning's score on the shipped judgments must not fall below
the stored baseline (``relevance/baseline.json``) by more than its tolerance.

A baseline may guard one query set (``"set": "lab"``): the search-box queries of issue 16 were
added to measure a search that does not exist yet, so they score low today and would only
dilute the guard on the lab's first 86 queries; they are measured by ``relevance eval``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from search_core.errors import InvalidQuery
from search_core.relevance.evaluate import EvalReport, evaluate
from search_core.relevance.judge import JUDGMENTS_FILE, RELEVANCE_DIR
from search_core.relevance.judgments import JudgmentList
from search_core.relevance.lab import Lab
from search_core.relevance.sets import load_sets
from search_core.tuning import Tuning

BASELINE_FILE = RELEVANCE_DIR / "baseline.json"


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str = "ndcg@10"
    value: float = Field(ge=0, le=1)
    tolerance: float = Field(0.01, ge=0, le=1)
    """How far below ``value`` a measurement may fall and still pass (absolute)."""
    engine: str = "embedded"
    judgments: str = "relevance/judgments.jsonl"
    tuning: str = "tunings/default.json"
    set: str | None = None
    """The query set guarded (:mod:`search_core.relevance.sets`); None: every query."""
    measured_on: str | None = None
    note: str = ""

    @property
    def floor(self) -> float:
        return self.value - self.tolerance

    @classmethod
    def load(cls, path: Path | str = BASELINE_FILE) -> Baseline:
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))

    def dump(self, path: Path | str = BASELINE_FILE) -> None:
        Path(path).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


@dataclass
class GateResult:
    baseline: Baseline
    measured: float
    report: EvalReport

    @property
    def passed(self) -> bool:
        return self.measured >= self.baseline.floor - 1e-12

    @property
    def message(self) -> str:
        b = self.baseline
        verdict = "PASS" if self.passed else "FAIL"
        text = (
            f"{verdict}: {b.metric} = {self.measured:.4f} on {self.report.engine} "
            f"(baseline {b.value:.4f}, tolerance {b.tolerance:.4f}, floor {b.floor:.4f}; "
            f"{len(self.report.per_query)} queries"
            + (f" of set {b.set}" if b.set else "")
            + f", tuning {self.report.tuning.name})"
        )
        if not self.passed:
            text += ". Find the queries that dropped with `therapist-search relevance compare`."
        elif self.measured > b.value + b.tolerance:
            text += ". Better than the baseline: raise it with `relevance gate --update`."
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "metric": self.baseline.metric,
            "measured": self.measured,
            "baseline": self.baseline.value,
            "tolerance": self.baseline.tolerance,
            "floor": self.baseline.floor,
        }


def gate(
    lab: Lab,
    judgments: JudgmentList,
    baseline: Baseline,
    tuning: Tuning | None = None,
) -> GateResult:
    """Measure ``tuning`` (default: tunings/default.json) on the queries of the baseline's set
    and hold it against ``baseline``."""
    if baseline.set is not None:
        sets = load_sets()
        judgments = judgments.subset(q for q in judgments.queries if sets.get(q) == baseline.set)
        if not judgments.queries:
            raise InvalidQuery(f"no query of set {baseline.set!r} in the judgments")
    report = evaluate(lab, judgments, tuning or Tuning.load(), metrics=[baseline.metric])
    return GateResult(baseline, report.mean(baseline.metric), report)


def updated(result: GateResult) -> Baseline:
    """The baseline moved to the value just measured."""
    return result.baseline.model_copy(
        update={
            "value": round(result.measured, 4),
            "engine": result.report.engine,
            "measured_on": dt.date.today().isoformat(),
        }
    )


__all__ = ["BASELINE_FILE", "JUDGMENTS_FILE", "Baseline", "GateResult", "gate", "updated"]
