"""Explain a ranking: the rendered engine query, a document's rank and score broken down by
clause, and, when it does not match, which required word, filter or area excludes it.

The engine-neutral interface and the result types are in
:mod:`search_core.relevance.explanation`; :func:`make_explainer` picks the engine's
implementation. The embedded engine's is in :mod:`search_core.relevance.explain_embedded`. An
Elasticsearch implementation renders ``search_core.elastic`` bodies as the query, gets the
breakdown from ``_explain`` (its tree has the same ``value``/``description``/``details`` shape
as Tantivy's) and tests each clause with ``_explain`` on that clause alone.
"""

from __future__ import annotations

from search_core.errors import InvalidQuery
from search_core.relevance.explanation import DEFAULT_DEPTH, Explainer, Explanation
from search_core.relevance.judgments import QuerySpec
from search_core.relevance.lab import Lab
from search_core.tuning import Tuning


def make_explainer(lab: Lab) -> Explainer:
    if lab.engine == "embedded":
        from search_core.relevance.explain_embedded import EmbeddedExplainer

        return EmbeddedExplainer(lab)
    raise InvalidQuery(
        f"explain is not implemented for the {lab.engine} engine yet "
        "(see search_core.relevance.explanation.Explainer); use --engine embedded"
    )


def explain(
    lab: Lab, spec: QuerySpec, doc_id: str, tuning: Tuning | None = None, depth: int = DEFAULT_DEPTH
) -> Explanation:
    return make_explainer(lab).explain(spec, doc_id, tuning or Tuning.load(), depth)


def explain_top(
    lab: Lab, spec: QuerySpec, tuning: Tuning | None = None, n: int = 3
) -> list[Explanation]:
    """Explanations of the top ``n`` hits."""
    t = tuning or Tuning.load()
    ex = make_explainer(lab)
    ranking = lab.ranking(spec, t, depth=n)
    return [ex.explain(spec, d, t, depth=n) for d in ranking.docs]
