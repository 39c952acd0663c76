"""Counted nouns for the sentences the product writes ("1 therapist", "2 therapists")."""

from __future__ import annotations

__all__ = ["counted", "plural"]

IRREGULAR = {"person": "people", "therapy": "therapies", "city": "cities"}


def plural(noun: str) -> str:
    """The plural of ``noun``'s last word ("online therapist" → "online therapists")."""
    head, _, last = noun.rpartition(" ")
    many = IRREGULAR.get(last)
    if many is None:
        many = last + ("es" if last.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return f"{head} {many}" if head else many


def counted(n: int, noun: str) -> str:
    """``n`` with ``noun`` agreeing: "1 therapist", "0 therapists", "1,234 therapists"."""
    return f"{n:,} {noun if n == 1 else plural(noun)}"
