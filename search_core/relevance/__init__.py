"""The relevance lab: judgments, metrics, comparisons, tuning search, a regression gate and
explain, on either engine, through the SearchBackend protocol.

    from search_core.relevance import Lab, load_judgments, evaluate, compare
    from search_core.settings import Settings
    from search_core.tuning import Tuning

    with Lab.open(Settings()) as lab:
        judged = load_judgments("relevance/judgments.jsonl")
        a = evaluate(lab, judged, Tuning.load("tunings/default.json"))
        b = evaluate(lab, judged, Tuning.load("tunings/searched.json"))
        print(a.means, compare(a, b).to_dict()["randomization_test"])

See relevance/README.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time names load on first use
    from search_core.relevance.checks import UnsupportedTuning, caveats, check, problems
    from search_core.relevance.compare import Comparison, compare
    from search_core.relevance.docs import Corpus
    from search_core.relevance.evaluate import EvalReport, evaluate
    from search_core.relevance.explain import explain, explain_top, make_explainer
    from search_core.relevance.explanation import Explainer, Explanation
    from search_core.relevance.gate import Baseline, GateResult, gate
    from search_core.relevance.html_report import comparison_html
    from search_core.relevance.interchange import import_ratings, rank_eval_body
    from search_core.relevance.judge import generate, load_hand_grades, load_judged_queries
    from search_core.relevance.judgments import (
        JudgmentList,
        Location,
        QuerySpec,
        load_judgments,
        load_queries,
        save_judgments,
    )
    from search_core.relevance.knobs import knob_paths, parse_knob_spec, with_knobs
    from search_core.relevance.lab import Lab, Ranking
    from search_core.relevance.querying import split_place
    from search_core.relevance.search import SearchResult, grid_search, random_search
    from search_core.relevance.settings_diff import diff
    from search_core.relevance.sidebyside import SideBySide, side_by_side

_EXPORTS: dict[str, str] = {
    "Baseline": "gate",
    "Comparison": "compare",
    "Corpus": "docs",
    "EvalReport": "evaluate",
    "Explainer": "explanation",
    "Explanation": "explanation",
    "GateResult": "gate",
    "JudgmentList": "judgments",
    "Lab": "lab",
    "Location": "judgments",
    "QuerySpec": "judgments",
    "Ranking": "lab",
    "SearchResult": "search",
    "SideBySide": "sidebyside",
    "comparison_html": "html_report",
    "diff": "settings_diff",
    "import_ratings": "interchange",
    "rank_eval_body": "interchange",
    "side_by_side": "sidebyside",
    "UnsupportedTuning": "checks",
    "caveats": "checks",
    "check": "checks",
    "compare": "compare",
    "evaluate": "evaluate",
    "explain": "explain",
    "explain_top": "explain",
    "gate": "gate",
    "generate": "judge",
    "grid_search": "search",
    "knob_paths": "knobs",
    "load_hand_grades": "judge",
    "load_judged_queries": "judge",
    "load_judgments": "judgments",
    "load_queries": "judgments",
    "make_explainer": "explain",
    "parse_knob_spec": "knobs",
    "problems": "checks",
    "random_search": "search",
    "save_judgments": "judgments",
    "split_place": "querying",
    "with_knobs": "knobs",
}
"""Public name → module. Loaded on first use, so importing one part (``checks``, ``querying``)
does not pay for ir-measures, scipy or matplotlib."""

__all__ = [
    "Baseline",
    "Comparison",
    "Corpus",
    "EvalReport",
    "Explainer",
    "Explanation",
    "GateResult",
    "JudgmentList",
    "Lab",
    "Location",
    "QuerySpec",
    "Ranking",
    "SearchResult",
    "SideBySide",
    "UnsupportedTuning",
    "caveats",
    "check",
    "compare",
    "comparison_html",
    "diff",
    "evaluate",
    "explain",
    "explain_top",
    "gate",
    "generate",
    "grid_search",
    "import_ratings",
    "knob_paths",
    "load_hand_grades",
    "load_judged_queries",
    "load_judgments",
    "load_queries",
    "make_explainer",
    "parse_knob_spec",
    "problems",
    "random_search",
    "rank_eval_body",
    "save_judgments",
    "side_by_side",
    "split_place",
    "with_knobs",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
