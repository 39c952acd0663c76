"""The engine interfaces: what reads (:class:`SearchBackend`) and what writes
(:class:`IndexWriter`). Routes and the CLI talk to these protocols only; they never import
``tantivy`` or ``elasticsearch``. The engines implement them; :mod:`search_core.engines`
picks one from settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from search_core.documents import Article, Location, Therapist
from search_core.geocode import Geocoder, Place
from search_core.queries import ArticleQuery, SuggestQuery, TherapistQuery
from search_core.results import (
    ArticleHit,
    CommentHit,
    PlaceCount,
    SearchPage,
    Suggestion,
    TherapistHit,
)
from search_core.tuning import Tuning

IndexDoc = Mapping[str, Any]


class VersionView(Protocol):
    """One index version as an engine reports it (read-only)."""

    @property
    def kind(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def doc_count(self) -> int | None: ...
    @property
    def created(self) -> str | None: ...
    @property
    def current(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...


class IndexBuild(Protocol):
    """One full load of one kind into a fresh, not yet visible, index version."""

    @property
    def kind(self) -> str: ...
    @property
    def version(self) -> str: ...

    encoder: Callable[[IndexDoc, int], str]
    """``encoder(doc, seq)``: an index document as the engine's payload; ``seq`` is unique in
    the load (the source line number). Picklable, for worker processes."""

    order_key: Callable[[dict[str, Any]], str] | None
    """``order_key(record)`` (the source record as parsed, before validation): a full load
    adds documents sorted by it, then by line; ``None`` keeps line order. Picklable."""

    def add(self, doc: IndexDoc) -> None: ...

    def add_encoded(self, payload: str, seq: int) -> None:
        """Add a document already passed through :attr:`encoder`."""
        ...

    def finish(self, expected: int) -> VersionView:
        """Commit, check that the new version holds ``expected`` documents, then make it the
        serving version in one atomic step. Raises IndexingError and leaves the serving version
        untouched if anything is off."""
        ...

    def abort(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """One document the engine refused: ``seq`` as given to ``add_encoded`` (the source line
    number in a load), its id, the HTTP status of the item and the engine's reason."""

    seq: int | None
    doc_id: str
    status: int
    reason: str


@runtime_checkable
class ReportsItemFailures(Protocol):
    """What a build offers on top of :class:`IndexBuild` when the engine
    can refuse single documents after accepting them for writing."""

    def take_failures(self) -> list[ItemFailure]:
        """Failures known so far that were not taken yet (does not wait)."""
        ...

    def flush(self) -> list[ItemFailure]:
        """Send everything buffered, wait for every answer, and return the failures not taken
        yet. Call before ``finish``; ``finish(expected)`` expects the indexed count without
        them."""
        ...


class IndexWriter(Protocol):
    """Everything that writes: full loads, single-record edits, version management."""

    def build(self, kind: str) -> IndexBuild: ...

    def upsert(self, kind: str, doc: IndexDoc) -> None:
        """Insert or replace one document (by ``id``) in the serving version, visible to
        searches within a second."""
        ...

    def upsert_many(self, kind: str, docs: Sequence[IndexDoc]) -> None:
        """Insert or replace several documents (a later one with the same id wins). The
        embedded engine writes them all or none (one commit, whatever fails or is killed);
        Elasticsearch writes them one by one, and an error names those that landed."""
        ...

    def delete(self, kind: str, doc_id: str) -> bool: ...

    def versions(self, kind: str) -> Sequence[VersionView]: ...

    def rollback(self, kind: str, to: str | None = None) -> VersionView: ...

    def close(self) -> None: ...


class SearchBackend(Protocol):
    """Everything that reads. Methods are async: the embedded engine runs its synchronous
    calls in worker threads, Elasticsearch uses the async client."""

    name: str

    async def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]: ...

    async def get_therapist(self, therapist_id: str) -> Therapist: ...

    async def get_article(self, slug: str) -> Article: ...

    async def get_location(self, slug: str) -> Location: ...

    async def build_geocoder(self) -> Geocoder:
        """The offline geocoder over the serving locations index, built from the stored
        records without a second validation (and, on the embedded engine, without holding
        them all at once)."""
        ...

    async def search_articles(self, q: ArticleQuery) -> SearchPage[ArticleHit]: ...

    async def recent_comments(self, size: int) -> list[CommentHit]: ...

    async def browse_states(self) -> Sequence[PlaceCount]:
        """States with therapists, by name. While the data is unchanged a backend may return
        the same object each time: the API then sends the JSON it rendered for it before."""
        ...

    async def browse_cities(self, state: str) -> Sequence[PlaceCount]:
        """A state's cities with therapists, most first (same object while unchanged, as
        :meth:`browse_states`)."""
        ...

    async def browse_city(
        self,
        city_slug: str,
        radius_km: float | None = None,
        unit: str = "mi",
        offset: int = 0,
        size: int = 10,
    ) -> tuple[Location, SearchPage[TherapistHit]]:
        """A city page: the city and the therapists in and near it, nearest first."""
        ...

    async def suggest(
        self, q: SuggestQuery, places: Sequence[Place] | None = None
    ) -> list[Suggestion]:
        """Typeahead; ``places`` are the geocoder's city and ZIP matches for the prefix."""
        ...

    async def health(self) -> dict[str, Any]: ...

    async def version(self, kind: str) -> str | None:
        """The serving index version of ``kind`` (cheap: called per request by caches)."""
        ...

    async def warm(self) -> None:
        """Build what the first searches would otherwise wait for (called at start-up)."""
        ...

    async def close(self) -> None: ...
