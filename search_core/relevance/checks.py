"""The lab's name for :mod:`search_core.tuning_checks` (the checks every search runs live in
search_core, so the engines need not import the lab)."""

from search_core.tuning_checks import (
    ENGINE_LIMITS,
    ENGINES,
    EngineLimit,
    UnsupportedTuning,
    caveats,
    check,
    problems,
    searchable_fields,
)

__all__ = [
    "ENGINES",
    "ENGINE_LIMITS",
    "EngineLimit",
    "UnsupportedTuning",
    "caveats",
    "check",
    "problems",
    "searchable_fields",
]
