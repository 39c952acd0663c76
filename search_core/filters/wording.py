"""Filters in words, from their :class:`~search_core.filters.spec.Wording`: the request the
relaxation message describes ("female Spanish-speaking psychologists for depression taking
Aetna") and what it says when it drops one ("Spanish not required")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from search_core.filters.spec import Filter, Style, entries, get
from search_core.vocabulary import US_STATES

Values = Callable[[str], object]
"""A filter's chosen value by name (``getattr`` of the typed filters)."""


def label(facet: str, slug: str) -> str:
    """A value's label as a phrase: before any "(...)", lower-cased unless it holds an
    abbreviation ("anxiety", "CBT")."""
    vocab = get(facet).vocabulary
    text = (vocab.label(slug) if vocab is not None else slug).split(" (")[0]
    return text if any(w.isupper() and len(w) > 1 for w in text.split()) else text.lower()


def _styled(entry: Filter, style: Style, value: object) -> str:
    vocab = entry.vocabulary
    if style == "lower":
        return label(entry.name, str(value))
    if style == "name" and vocab is not None:
        return vocab.label(str(value)).split(" (")[0]
    if style == "full" and vocab is not None:
        return vocab.label(str(value))
    if style == "state":
        return US_STATES.get(str(value), str(value))
    if style == "condition":
        facet, _, slug = str(value).partition(":")
        return label(facet, slug)
    return str(value)


def _chosen(value: object) -> bool:
    return not (value is None or value is False or value == [])  # 0 is a budget


def said(entry: Filter, value: object) -> str | None:
    """The filter's phrase in a described request, or None when it is not chosen."""
    if not _chosen(value):
        return None
    w = entry.wording
    if isinstance(value, list):
        phrase = " or ".join(w.each.format(_styled(entry, w.style, v)) for v in value)
        return w.text.format(phrase)
    if value is True:
        return w.text
    return w.text.format(_styled(entry, w.style, value))


def dropped(entry: Filter, value: object) -> str:
    """What the relaxation message says once the filter is dropped."""
    w = entry.wording
    values = value if isinstance(value, list) else [value]
    return w.dropped.format(" or ".join(_styled(entry, w.style, v) for v in values))


@dataclass
class Described:
    """A request's filters in words, by where they stand (see :data:`~.spec.Slot`)."""

    front: list[str] = field(default_factory=list)
    noun: str = "therapists"
    back: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)


def described(values: Values) -> Described:
    """Every chosen filter's phrase in its slot; the "for" group leads the back."""
    out = Described()
    whom: list[str] = []
    for entry in sorted(entries(), key=lambda e: e.wording.order):
        phrase = said(entry, values(entry.name))
        if phrase is None:
            continue
        slot = entry.wording.slot
        if slot == "noun":
            out.noun = phrase
        elif slot == "for":
            whom.append(phrase)
        else:
            getattr(out, slot).append(phrase)
    if whom:
        out.back.insert(0, "for " + " and ".join(whom))
    return out
