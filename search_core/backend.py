"""The engine interfaces: what reads (:class:`SearchBackend`) and what writes
(:class:`IndexWriter`). Routes and the CLI talk to these protocols only; they never import
``tantivy`` or ``elasticsearch``. The engines implement them; :mod:`search_core.engines`
picks one from settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from search_core.documents import Article, Location, Therapist
from search_core.queries import ArticleQuery, TherapistQuery
from search_core.results import (
    ArticleHit,
    CommentHit,
    SearchPage,
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

    def to_dict(self) -> dict[str, Any]:
        """The record the CLI and the API show (:func:`version_record`)."""
        ...


def version_record(v: VersionView) -> dict[str, Any]:
    """One version as every engine shows it (``versions``, ``rollback``, a load's report)."""
    return {
        "kind": v.kind,
        "version": v.version,
        "doc_count": v.doc_count,
        "created": v.created,
        "current": v.current,
    }


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


PlaceField = Literal["state", "city"]
"""The office fields :meth:`SearchBackend.place_counts` counts: a state code or a city slug."""
CandidateKind = Literal["therapists", "articles"]
"""The kinds :meth:`SearchBackend.prefix_candidates` reads: names, article titles."""


class SearchBackend(Protocol):
    """Everything that reads: engine primitives only. Methods are async: the embedded engine
    runs its synchronous core in a worker thread, Elasticsearch uses the async client.

    What a page shows is composed once above this interface: browse lists and city pages in
    :mod:`search_core.browsing`, typeahead in :mod:`search_core.typeahead`, article previews
    in :mod:`search_core.article_searching`, the geocoder in :mod:`search_core.locating`."""

    name: str

    versions_see_edits: bool
    """True when :meth:`version` also changes with an edit committed into the serving version
    (the embedded engine): use cases may then remember answers per version. A cluster's
    version is its index name, which an edit keeps, so nothing is remembered above it."""

    async def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]: ...

    async def search_articles(self, q: ArticleQuery) -> SearchPage[ArticleHit]:
        """Article hits with the whole stored article (its comments left out); the preview a
        page shows is cut above the engine."""
        ...

    async def get_therapist(self, therapist_id: str) -> Therapist: ...

    async def get_article(self, slug: str) -> Article: ...

    async def get_location(self, slug: str) -> Location: ...

    async def location_records(
        self, kind: str | None = None, slugs: Sequence[str] | None = None
    ) -> Iterable[dict[str, Any]]:
        """Stored location records: of ``kind`` (``state``, ``city``), those of ``slugs``
        among them, or (no argument) every one. Every record may be read lazily, as it is
        iterated (in a worker thread: the geocoder is built from them there)."""
        ...

    async def place_counts(
        self, field: PlaceField, state: str | None = None, slugs: Sequence[str] | None = None
    ) -> Mapping[str, int]:
        """Therapists with an office per state code or city slug (a therapist with two offices
        in one place counts once), only places with at least one: every state, the cities of
        ``state`` (a code), or the cities of ``slugs``."""
        ...

    async def reach_km(self, city_slug: str, lat: float, lon: float) -> float:
        """How far from ``(lat, lon)`` the nearest office of the farthest therapist with an
        office in the city lies (0 when none has)."""
        ...

    async def prefix_candidates(
        self, prefix: str, limits: Mapping[CandidateKind, int]
    ) -> dict[CandidateKind, list[tuple[float, dict[str, Any]]]]:
        """For each kind of ``limits``, up to its limit of therapists by name or articles by
        title whose words in a row start with ``prefix`` (the last one possibly unfinished),
        best first: (score, stored fields). Therapists carry ``id``, ``name`` and
        ``credentials``; articles ``slug`` and ``title``. Both kinds in one call: a search box
        asks for both at every keystroke."""
        ...

    async def recent_comments(self, size: int) -> list[CommentHit]: ...

    async def health(self) -> dict[str, Any]: ...

    async def version(self, kind: str) -> str | None:
        """The serving index version of ``kind`` (cheap: called per request by caches)."""
        ...

    async def warm(self) -> None:
        """Build what the first searches would otherwise wait for (called at start-up)."""
        ...

    async def close(self) -> None: ...
