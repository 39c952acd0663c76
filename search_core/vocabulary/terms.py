"""A term of a controlled vocabulary (slug, label, synonyms, lay words) and the closed,
ordered set of terms a field allows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Term:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    """Phrases that mean the same: each finds the others."""
    lay: tuple[str, ...] = ()
    """Everyday words that should also find the term, but not the other way round: a search
    for "worry" looks for anxiety too, while a search for anxiety does not match every bio
    that mentions a worry."""


@dataclass(frozen=True)
class Vocabulary:
    """An ordered, closed set of terms, looked up by slug."""

    name: str
    terms: tuple[Term, ...]
    _by_slug: dict[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_slug = {t.slug: t for t in self.terms}
        if len(by_slug) != len(self.terms):
            raise ValueError(f"duplicate slug in vocabulary {self.name}")
        object.__setattr__(self, "_by_slug", by_slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, slug: str) -> Term:
        return self._by_slug[slug]

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.terms]

    def label(self, slug: str) -> str:
        return self._by_slug[slug].label

    def labels(self, slugs: Iterable[str]) -> list[str]:
        return [self._by_slug[s].label for s in slugs]
