"""The phrases that mean therapy for a couple, and the group of conditions they filter by
(see :mod:`.whom`)."""

from __future__ import annotations

COUPLES = (
    "populations:couples|therapy_types:couples-counseling|issues:couples-conflict"
    "|issues:infidelity|therapy_types:gottman|profession:marriage-family-therapist"
)
COUPLES_LABEL = "Couples"
_PARTNERS = ("wife", "husband", "partner", "spouse", "boyfriend", "girlfriend", "fiance",
             "fiancee", "bf", "gf")  # fmt: skip
COUPLES_PHRASES: tuple[str, ...] = (
    "marriage counselor",
    "marriage counseling",
    "marriage therapist",
    "marriage therapy",
    "marriage help",
    "marriage issue",
    "marital counseling",
    "marital therapy",
    "couples counselor",
    "couple counselor",
    "couples therapist",
    "couple therapist",
    "relationship counselor",
    "relationship counseling",
    "relationship therapist",
    "couple",
    "married couple",
    "marriage",
    "marital",
    "our marriage",
    "our relationship",
    "save our marriage",
    "save my marriage",
    "premarital",
    "pre marital",
    "engaged couple",
    *(f"my {p} and me" for p in _PARTNERS),
    *(f"my {p} and i" for p in _PARTNERS),
    *(f"me and my {p}" for p in _PARTNERS),
    *(f"with my {p}" for p in _PARTNERS),
    *(f"me and {p}" for p in ("wife", "husband", "partner")),
)
"""Phrases read as therapy for a couple (the :data:`COUPLES` group)."""
