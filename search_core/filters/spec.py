"""What a therapist filter is: one :class:`Filter` names everything the product needs to know
about it, and :func:`register` refuses an entry that misses a part, before anything is built
from it.

The rest of the product reads the registry (:func:`entries` and the views below) instead of
keeping its own list of filters: the typed filters and the API parameters
(:mod:`search_core.queries`, ``search_api/routes/therapists.py``), the index documents
(:mod:`search_core.index_docs`), facet counting and filtering on both engines (they loop over
:func:`facets` and :func:`flags`), the search box (:mod:`search_core.understanding`), the
relaxation order and its words (:mod:`search_core.understanding.relax`), the ranking words
(:mod:`search_core.understood_ranking`) and the profile page.

Modules read the registry when they are imported: an entry registered later reaches only the
modules imported after it (the test that adds a filter registers it first, in a fresh process).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from search_core.vocabulary.terms import Vocabulary

FilterKind = Literal["facet", "flag", "fee", "state", "conditions"]
"""``facet``: any of some values of a vocabulary (a list parameter, counted as a facet);
``flag``: yes/no; ``fee``: a budget (an amount); ``state``: a two-letter state code;
``conditions``: ``facet:slug`` conditions across facets (``none_of``, ``all_of``, ``any_of``)."""

Slot = Literal["front", "noun", "for", "back", "late"]
"""Where a filter's words stand in a request described in words (:func:`describe`):
``front`` before the noun ("female Spanish-speaking"), ``noun`` the noun itself
("psychologists"), ``for`` in the "for ..." group ("for teens and anxiety"), ``back`` after
it ("taking Aetna"), ``late`` after the searched words ("licensed in Texas")."""

Style = Literal["lower", "name", "full", "state", "condition", "amount"]
"""How a value is written: ``lower`` its label before any "(...)", lower-cased unless it holds
an abbreviation ("anxiety", "CBT"); ``name`` that label as written ("Spanish"); ``full`` the
whole label ("Blue Cross Blue Shield"); ``state`` the state's name; ``condition`` the label of
a ``facet:slug`` condition; ``amount`` the number as is."""

WordingOrder = int


@dataclass(frozen=True, slots=True)
class Wording:
    """How a chosen filter is said in words: the relaxation message ("No female therapists
    for anxiety ...; showing 3 ... Spanish not required") and the chips built from it."""

    slot: Slot
    order: WordingOrder
    """Position among all filters' words (lower first)."""
    text: str = "{}"
    """The phrase; ``{}`` is the values joined by " or " (a yes/no filter: said when true)."""
    each: str = "{}"
    """One value within the phrase ("{}s": "psychologists or social workers")."""
    style: Style = "lower"
    dropped: str = "{} not required"
    """Said when relaxation drops it; ``{}`` the values (in ``style``, without ``each``)."""


@dataclass(frozen=True, slots=True)
class Filter:
    """One therapist filter, declared once."""

    name: str
    """The API query parameter, the field of the typed filters, and (for a facet) the key of
    its facet counts and of its vocabulary in GET /vocabularies."""
    kind: FilterKind
    help: str
    """What it filters, for the API documentation ("Languages spoken")."""
    wording: Wording
    vocabulary: Vocabulary | None = None
    """A facet's allowed values, with labels, synonyms and lay words."""
    example: str | None = None
    """A facet: one slug of its vocabulary, shown in the API documentation."""
    field: str | None = None
    """The index field it filters on, when not ``name`` (a budget, a state). A facet or a flag
    filters and counts on the field of its own name in ``mappings/therapists.json``, which
    stays the source of truth for fields (see :func:`mapping_problems`)."""
    label_field: str | None = None
    """A facet: the text field of the index document holding its values' labels, so that
    "Chronic Pain" is found by words (and weighted by the tuning's ``therapist_fields``)."""
    many: bool = True
    """A facet: the therapist holds a list of values (False: exactly one, like ``gender``)."""
    piece: str | None = None
    """The search box: the kind of piece a word of this filter is read as ("language"); None
    when the search box does not read it."""
    reads_terms: bool = True
    """The search box reads the vocabulary's labels and synonyms as this filter (False when
    :mod:`search_core.understanding.lexicon` reads it its own way, like gender words)."""
    negatable: bool = False
    """"no X" in the search box excludes X (a ``none_of`` condition)."""
    softness: int | None = None
    """The order relaxation drops it in when it was read from the text, softest (lowest)
    first; None: never dropped."""
    boosts: bool = False
    """When read from the text, its label is also searched as words that only rank."""
    profile: str | None = None
    """The row title on a therapist's profile page; None: not shown there."""
    bounds: tuple[int, int] | None = None
    """A ``fee``: the smallest and largest amount accepted."""

    @property
    def index_field(self) -> str:
        return self.field or self.name


class FilterError(ValueError):
    """A registry entry that misses a part or contradicts another: raised when it is
    registered, never left to fail quietly later."""


_REGISTRY: dict[str, Filter] = {}


def _need(ok: object, entry: Filter, what: str) -> None:
    if not ok:
        raise FilterError(f"filter {entry.name!r}: {what}")


def check(entry: Filter) -> Filter:
    """``entry``, or a :class:`FilterError` naming the part it misses."""
    _need(entry.name.isidentifier(), entry, "the name must be a Python identifier")
    _need(entry.help.strip(), entry, "no help text for the API documentation")
    w = entry.wording
    placed = "{}" in w.text or entry.kind in ("flag", "conditions")
    _need(placed, entry, f"wording text {w.text!r} does not show the values ({{}})")
    if entry.kind in ("facet", "flag"):
        _need(entry.field in (None, entry.name), entry, "a facet or flag is its own index field")
    if entry.kind == "facet":
        v = entry.vocabulary
        _need(v is not None and len(v) > 0, entry, "a facet needs a non-empty vocabulary")
        _need(v is not None and entry.example in v, entry, "example must be a vocabulary slug")
        _need(w.style in ("lower", "name", "full"), entry, f"a facet is not written {w.style}")
        _need(entry.piece or not entry.reads_terms, entry, "reads_terms needs a piece kind")
        _need(entry.piece or not entry.negatable, entry, "negatable needs a piece kind")
    else:
        _need(entry.vocabulary is None, entry, f"a {entry.kind} has no vocabulary")
        _need(not entry.boosts and not entry.negatable, entry, "only a facet boosts or negates")
        _need(entry.label_field is None, entry, "only a facet has a label field")
    if entry.kind == "fee":
        _need(entry.bounds is not None, entry, "a fee needs its bounds")
    if entry.softness is not None:
        clash = [e.name for e in _REGISTRY.values() if e.softness == entry.softness]
        _need(not clash, entry, f"softness {entry.softness} is already {clash}'s")
    clash = [e.name for e in _REGISTRY.values() if e.wording.order == w.order]
    _need(not clash, entry, f"wording order {w.order} is already {clash}'s")
    _need(entry.name not in _REGISTRY, entry, "registered twice")
    return entry


TYPE_OF_KIND = {"facet": "keyword", "flag": "boolean"}
"""The mapping type a facet's or a flag's index field must have."""


def mapping_problems(properties: Mapping[str, Any]) -> list[str]:
    """What the therapists' mapping (its ``properties``) lacks for the registered filters: a
    facet needs a keyword field with doc values (both engines filter and count on it), a flag
    a boolean, a label field a text field."""
    problems: list[str] = []
    for e in _REGISTRY.values():
        want = TYPE_OF_KIND.get(e.kind)
        if want is not None:
            spec = properties.get(e.index_field) or {}
            if spec.get("type") != want:
                got = spec.get("type", "missing")
                problems.append(f"filter {e.name!r}: field {e.index_field!r} is {got}, not {want}")
            elif e.kind == "facet" and spec.get("doc_values") is False:
                problems.append(f"filter {e.name!r}: field {e.name!r} has no doc values to count")
        if e.label_field is not None:
            got = (properties.get(e.label_field) or {}).get("type", "missing")
            if got != "text":
                problems.append(f"filter {e.name!r}: label field {e.label_field!r} is {got}")
    return problems


def register(entry: Filter) -> Filter:
    """Add ``entry`` to the registry (after :func:`check`)."""
    _REGISTRY[entry.name] = check(entry)
    if entry.vocabulary is not None:
        _VOCABULARIES[entry.name] = entry.vocabulary
    return entry


def unregister(name: str) -> None:
    """Take an entry out again (a test's throwaway filter)."""
    _REGISTRY.pop(name, None)
    _VOCABULARIES.pop(name, None)


def entries() -> tuple[Filter, ...]:
    """Every filter, in the order of the API parameters."""
    return tuple(_REGISTRY.values())


def get(name: str) -> Filter:
    return _REGISTRY[name]


def facets() -> tuple[str, ...]:
    """The filters with a vocabulary: counted as facets, in the order pages show them."""
    return tuple(e.name for e in _REGISTRY.values() if e.kind == "facet")


def flags() -> tuple[str, ...]:
    """The yes/no filters."""
    return tuple(e.name for e in _REGISTRY.values() if e.kind == "flag")


def lists() -> tuple[str, ...]:
    """The filters whose value is a list (facets and conditions)."""
    return tuple(e.name for e in _REGISTRY.values() if e.kind in ("facet", "conditions"))


def softness() -> tuple[str, ...]:
    """The filters relaxation may drop, softest first."""
    soft = [e for e in _REGISTRY.values() if e.softness is not None]
    return tuple(e.name for e in sorted(soft, key=lambda e: e.softness or 0))


def boosted() -> tuple[str, ...]:
    """The facets whose labels rank when read from the text."""
    return tuple(e.name for e in _REGISTRY.values() if e.boosts)


def pieces() -> dict[str, str]:
    """Facet → the kind of search-box piece it is read as."""
    return {e.name: e.piece for e in _REGISTRY.values() if e.kind == "facet" and e.piece}


_VOCABULARIES: dict[str, Vocabulary] = {}
FILTER_VOCABULARIES: Mapping[str, Vocabulary] = _VOCABULARIES
"""The vocabulary of every facet, in the registry's order (GET /vocabularies lists them, with
the article topics): a plain dict kept by :func:`register`, read on every search."""
