"""One declaration per therapist filter (:mod:`.table`), what an entry is and the checks it
must pass (:mod:`.spec`), and filters in words (:mod:`.wording`).

Everything else about a filter derives from its entry: see :mod:`.spec` for who reads what.
"""

from search_core.filters import table
from search_core.filters.spec import (
    FILTER_VOCABULARIES,
    Filter,
    FilterError,
    FilterKind,
    Wording,
    boosted,
    check,
    entries,
    facets,
    flags,
    get,
    lists,
    mapping_problems,
    pieces,
    register,
    softness,
    unregister,
)

__all__ = [
    "FILTER_VOCABULARIES",
    "Filter",
    "FilterError",
    "FilterKind",
    "Wording",
    "boosted",
    "check",
    "entries",
    "facets",
    "flags",
    "get",
    "lists",
    "mapping_problems",
    "pieces",
    "register",
    "softness",
    "table",
    "unregister",
]
