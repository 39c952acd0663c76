"""Controlled vocabularies and clinical synonyms: the one place both engines read them from.

Documents store slugs (``"chronic-pain"``); people read labels (``"Chronic Pain"``); searchers type
abbreviations and lay terms (``"cbt"``, ``"ptsd"``). Each :class:`Term` carries all three.

The synonym groups (:mod:`~search_core.vocabulary.synonyms`) feed every engine's query-time
expansion (the mappings carry no synonym filter). :mod:`~search_core.vocabulary.terms` holds the
types,
:mod:`~search_core.vocabulary.controlled` the vocabularies, :mod:`~search_core.vocabulary.states`
the states; this module re-exports them all.
"""

from search_core.vocabulary.controlled import (
    AGE_GROUPS,
    ARTICLE_TOPICS,
    CREDENTIALS,
    CREDENTIALS_BY_PROFESSION,
    GENDERS,
    INSURANCE,
    ISSUES,
    LANGUAGES,
    POPULATIONS,
    PROFESSIONS,
    THERAPY_TYPES,
    T,
)
from search_core.vocabulary.states import US_STATES
from search_core.vocabulary.synonyms import (
    GENERAL_SYNONYMS,
    lay_rules,
    synonym_groups,
)
from search_core.vocabulary.terms import Term, Vocabulary

__all__ = [
    "AGE_GROUPS",
    "ARTICLE_TOPICS",
    "CREDENTIALS",
    "CREDENTIALS_BY_PROFESSION",
    "GENDERS",
    "GENERAL_SYNONYMS",
    "INSURANCE",
    "ISSUES",
    "LANGUAGES",
    "POPULATIONS",
    "PROFESSIONS",
    "THERAPY_TYPES",
    "US_STATES",
    "T",
    "Term",
    "Vocabulary",
    "lay_rules",
    "synonym_groups",
]
