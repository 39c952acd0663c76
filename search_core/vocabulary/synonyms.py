"""The synonym groups and one-way lay expansions derived from the vocabularies: every engine
expands queries with them at search time (:mod:`search_core.text_query`); the mappings carry no
synonym filter, so there is one mechanism."""

from __future__ import annotations

from search_core.vocabulary.controlled import (
    AGE_GROUPS,
    GENDERS,
    INSURANCE,
    ISSUES,
    LANGUAGES,
    POPULATIONS,
    PROFESSIONS,
    THERAPY_TYPES,
)

# Search-side words that mean the same thing whatever the field: "grief counselor" should find
# therapists, and "teen" the teens age group.
GENERAL_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("therapist", "counselor", "counsellor", "psychotherapist"),
    ("counseling", "counselling", "therapy", "psychotherapy"),
    ("teen", "teenager", "adolescent"),
    ("kid", "child"),
    ("online", "virtual", "telehealth", "telemedicine"),
)


def synonym_groups() -> list[tuple[str, ...]]:
    """Every group of equivalent search phrases, lower case, first the term's own label.

    A group is the term's label (without a trailing abbreviation in parentheses) plus its
    synonyms; only terms that have synonyms form a group. Groups are deduplicated and ordered.
    """
    groups: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for vocab in (
        ISSUES,
        THERAPY_TYPES,
        AGE_GROUPS,
        POPULATIONS,
        LANGUAGES,
        INSURANCE,
        PROFESSIONS,
        GENDERS,
    ):
        for term in vocab:
            if not term.synonyms:
                continue
            base = term.label.split(" (")[0].lower()
            phrases: list[str] = []
            for p in (base, *term.synonyms):
                p = p.lower().strip()
                if p and p not in phrases:
                    phrases.append(p)
            key = tuple(phrases)
            if len(key) > 1 and key not in seen:
                seen.add(key)
                groups.append(key)
    for g in GENERAL_SYNONYMS:
        if g not in seen:
            seen.add(g)
            groups.append(g)
    return groups


def lay_rules() -> list[tuple[str, tuple[str, ...]]]:
    """One-way expansions: (everyday phrase, what it also searches for)."""
    rules: list[tuple[str, tuple[str, ...]]] = []
    for vocab in (
        ISSUES,
        THERAPY_TYPES,
        AGE_GROUPS,
        POPULATIONS,
        LANGUAGES,
        INSURANCE,
        PROFESSIONS,
        GENDERS,
    ):
        for term in vocab:
            targets = tuple(
                dict.fromkeys(p.lower() for p in (term.label.split(" (")[0], *term.synonyms))
            )
            for phrase in term.lay:
                rules.append((phrase.lower(), targets))
    return rules
