"""Does an engine honour every knob of a tuning? ``check`` refuses what it cannot, with a reason.

Engines call :func:`check` before searching with a tuning they did not start with (and the CLI
and the API's analyst tuning do the same), so a knob is never silently ignored:

* both engines: every field in ``therapist_fields``/``article_fields`` must be a searchable
  (text or keyword) field of that index's mapping, with a finite boost >= 0;
* engine-specific limits are listed in :data:`ENGINE_LIMITS` (a predicate and the reason).

:func:`caveats` lists knobs an engine honours, but not the way the other one does (the numbers
of the two engines then differ more than BM25 implementations do).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from search_core.errors import InvalidQuery
from search_core.mappings import load_mapping
from search_core.settings import PROJECT_ROOT
from search_core.tuning import Tuning

ENGINES = ("embedded", "elasticsearch", "opensearch")
SEARCHABLE_TYPES = frozenset({"text", "keyword", "search_as_you_type"})
FIELD_MAPS = {"therapist_fields": "therapists", "article_fields": "articles"}


class UnsupportedTuning(InvalidQuery):
    """A tuning asks for something the engine cannot honour (HTTP 422; CLI exit 2)."""

    def __init__(self, engine: str, problems: list[str]) -> None:
        self.engine = engine
        self.problems = problems
        super().__init__(f"the {engine} engine cannot honour this tuning: " + "; ".join(problems))


@dataclass(frozen=True)
class EngineLimit:
    knob: str
    applies: Callable[[Tuning], bool]
    reason: str


def _nested_fields(t: Tuning) -> list[str]:
    out = []
    for attr, kind in FIELD_MAPS.items():
        nested = _fields(None, kind)[1]
        out += [f"{attr}.{f}" for f in getattr(t, attr) if f in nested]
    return out


_CLUSTER_LIMITS = [
    EngineLimit(
        "*_fields (nested)",
        lambda t: bool(_nested_fields(t)),
        "fields inside nested objects (offices.*, comments.*) need a nested query, which "
        "the Elasticsearch query builder does not send: a match on them finds nothing",
    ),
]
ENGINE_LIMITS: dict[str, list[EngineLimit]] = {
    "embedded": [],
    "elasticsearch": _CLUSTER_LIMITS,
    "opensearch": _CLUSTER_LIMITS,  # the same query builders
}
"""Knobs an engine refuses, with the reason. Empty for the embedded engine: it honours every
knob (see :func:`caveats` for where it honours one differently)."""


@cache
def _fields(mappings_dir: Path | None, kind: str) -> tuple[frozenset[str], frozenset[str]]:
    """(searchable field paths, those inside a nested object) of one index kind."""
    mapping = load_mapping(mappings_dir or PROJECT_ROOT / "mappings", kind)
    fields = [f for f in mapping.fields() if f.type in SEARCHABLE_TYPES and f.indexed]
    return (
        frozenset(f.path for f in fields),
        frozenset(f.path for f in fields if f.nested),
    )


def searchable_fields(kind: str, mappings_dir: Path | None = None) -> list[str]:
    return sorted(_fields(mappings_dir, kind)[0])


def problems(tuning: Tuning, engine: str, mappings_dir: Path | None = None) -> list[str]:
    """Everything ``engine`` cannot honour in ``tuning`` (empty: all good)."""
    if engine not in ENGINES:
        return [f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}"]
    out: list[str] = []
    for attr, kind in FIELD_MAPS.items():
        fields: dict[str, float] = getattr(tuning, attr)
        if not fields:
            out.append(f"{attr}: at least one field is needed")
        known = _fields(mappings_dir, kind)[0]
        for field, boost in fields.items():
            if field not in known:
                out.append(
                    f"{attr}.{field}: not a searchable field of the {kind} index "
                    f"(searchable: {', '.join(sorted(known))})"
                )
            elif not math.isfinite(boost) or boost < 0:
                out.append(f"{attr}.{field}: boost must be a finite number >= 0, got {boost}")
    for limit in ENGINE_LIMITS[engine]:
        if limit.applies(tuning):
            detail = ", ".join(_nested_fields(tuning)) if "nested" in limit.knob else limit.knob
            out.append(f"{detail}: {limit.reason}")
    return out


def check(tuning: Tuning, engine_name: str, mappings_dir: Path | None = None) -> Tuning:
    """``tuning`` itself if ``engine_name`` honours every knob; else :class:`UnsupportedTuning`
    naming each knob it cannot honour and why."""
    found = problems(tuning, engine_name, mappings_dir)
    if found:
        raise UnsupportedTuning(engine_name, found)
    return tuning


def caveats(tuning: Tuning, engine: str) -> list[str]:
    """Knobs ``engine`` honours, but differently from the other engine (for reports)."""
    out: list[str] = []
    reranked = tuning.freshness.weight > 0 or tuning.accepting_new_clients_boost != 1.0
    if engine == "embedded" and reranked:
        out.append(
            "freshness / accepting_new_clients_boost without a location: the embedded "
            "engine re-ranks only the best 400 hits by BM25 (Elasticsearch: every hit)"
        )
    return out
