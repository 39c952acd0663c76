"""The embedded engine's synchronous core: every primitive of
:class:`search_core.backend.SearchBackend`, as plain calls over Tantivy. The async engine
(:class:`~search_core.embedded.backend.EmbeddedBackend`) runs them in a worker thread.

The core holds its parts, each given what it needs: article search and recent comments
(:class:`EmbeddedArticles`), place counts and records (:class:`EmbeddedPlaces`) and typeahead
candidates (:class:`EmbeddedPrefixes`); therapist search is :class:`EmbeddedTherapistSearch`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from search_core.backend import CandidateKind
from search_core.documents import Article, Location, Therapist
from search_core.embedded.articles import EmbeddedArticles
from search_core.embedded.online_memo import is_online_hits, remembered
from search_core.embedded.places import EmbeddedPlaces
from search_core.embedded.prefixes import EmbeddedPrefixes
from search_core.embedded.reader import IndexReader
from search_core.embedded.store import VersionStore, file_stamp, pointer_path
from search_core.embedded.therapist_search import EmbeddedTherapistSearch
from search_core.errors import BackendUnavailable, NotFound
from search_core.index_docs import article_from_doc, location_from_doc, therapist_from_doc
from search_core.mappings import KINDS
from search_core.online_plan import listing, run_sync
from search_core.queries import ArticleQuery, TherapistQuery
from search_core.results import ArticleHit, CommentHit, SearchPage, TherapistHit
from search_core.settings import Settings
from search_core.tuning import Tuning
from search_core.tuning_checks import check

MAX_COUNTS = 512
"""Count answers remembered per version (then the memo starts again)."""


def is_count(q: TherapistQuery) -> bool:
    """A search that only counts (the online list's two per search): at most one hit, most
    recent first (no scores, no date-dependent ranking), no highlighting. Its answer only
    changes with the index, so it is remembered per version (:attr:`OpenIndex.counts`)."""
    return (
        q.sort == "recent"
        and q.offset == 0
        and q.size <= 1
        and not q.highlight
        and q.cursor is None
    )


class EmbeddedCore:
    """The engine's primitives, synchronous (see the module's docstring)."""

    name = "embedded"

    def __init__(self, settings: Settings, tuning: Tuning) -> None:
        self.settings = settings
        self._index_dir = settings.index_dir  # made once: checked per request
        self.tuning = tuning
        self.reader = IndexReader(settings)
        self.articles = EmbeddedArticles(self.reader)
        self.places = EmbeddedPlaces(self.reader)
        self.prefixes = EmbeddedPrefixes(self.reader)
        self._pointers: dict[str, tuple[int | None, str | None, str | None]] = {}
        """kind -> (the pointer's stamp, the version it named, that version's ``meta.json``)"""

    # ---------------------------------------------------------------- search

    def search_therapists(
        self, q: TherapistQuery, unit: str = "mi", tuning: Tuning | None = None
    ) -> SearchPage[TherapistHit]:
        if q.online is not None:  # with the online list: all its searches in this one call
            return run_sync(
                listing(q, unit),  # type: ignore[arg-type]
                lambda plain: self.search_therapists(plain, unit, tuning),
            )
        opened = self.reader.get("therapists")
        if tuning is not None:
            check(tuning, self.name, self.settings.mappings_dir)
            return EmbeddedTherapistSearch(opened, tuning).search(q, unit)
        ts = EmbeddedTherapistSearch(opened, self.tuning, remember_words=True)
        if is_online_hits(q):
            return remembered(opened, self.tuning, q, unit, lambda: ts.search(q, unit))
        if not is_count(q):
            return ts.search(q, unit)
        # A count (the online list asks two per search): remembered for this version and this
        # tuning (the lab swaps it). The models are frozen; their lists and dicts are copied,
        # so that no caller changes the remembered answer.
        key = (q.model_dump_json(), unit)
        cached = opened.counts.get(key)
        if cached is not None and cached[0] is self.tuning:
            page: SearchPage[TherapistHit] = cached[1]
        else:
            page = ts.search(q, unit)
            if len(opened.counts) >= MAX_COUNTS:
                opened.counts.clear()
            opened.counts[key] = (self.tuning, page)
        return page.model_copy(
            update={
                "items": list(page.items),
                "facets": {k: list(v) for k, v in page.facets.items()},
                "warnings": list(page.warnings),
            }
        )

    def search_articles(self, q: ArticleQuery, tuning: Tuning) -> SearchPage[ArticleHit]:
        return self.articles.search_articles(q, tuning)

    # ---------------------------------------------------------------- look-ups

    def _by_term(self, kind: str, field: str, value: str) -> dict[str, Any]:
        import tantivy

        opened = self.reader.get(kind)
        searcher = opened.searcher()
        query = tantivy.Query.term_query(opened.schema.schema, field, value)
        hits = searcher.search(query, limit=1).hits
        if not hits:
            raise NotFound(f"no {kind[:-1]} with {field} {value!r}")
        return opened.source(searcher, hits[0][1])

    def get_therapist(self, therapist_id: str) -> Therapist:
        return therapist_from_doc(self._by_term("therapists", "id", therapist_id))

    def get_article(self, slug: str) -> Article:
        return article_from_doc(self._by_term("articles", "slug", slug))

    def get_location(self, slug: str) -> Location:
        return location_from_doc(self._by_term("locations", "slug", slug))

    def location_records(
        self, kind: str | None = None, slugs: Sequence[str] | None = None
    ) -> Iterable[dict[str, Any]]:
        return self.places.location_records(kind, slugs)

    # ---------------------------------------------------------------- counts and candidates

    def place_counts(
        self, field: str, state: str | None = None, slugs: Sequence[str] | None = None
    ) -> dict[str, int]:
        return self.places.place_counts(field, state, slugs)

    def reach_km(self, city_slug: str, lat: float, lon: float) -> float:
        return self.places.reach_km(city_slug, lat, lon)

    def prefix_candidates(
        self, prefix: str, limits: Mapping[CandidateKind, int]
    ) -> dict[CandidateKind, list[tuple[float, dict[str, Any]]]]:
        return {kind: self.prefixes.candidates(kind, prefix, n) for kind, n in limits.items()}

    def recent_comments(self, size: int) -> list[CommentHit]:
        return self.articles.recent_comments(size)

    # ---------------------------------------------------------------- versions and health

    def version(self, kind: str) -> str | None:
        """A ``stat`` of the version pointer and one of the serving version's ``meta.json``
        (which an edit committed in place rewrites); the pointer is read again only when it
        moved. (It is read after its stamp, so an answer is never older than its stamp.)"""
        pointer = file_stamp(pointer_path(self._index_dir, kind))
        known = self._pointers.get(kind)
        if known is None or known[0] != pointer:
            store = VersionStore(self.settings.index_dir, kind)
            version = store.current_version()
            meta = str(store.path(version) / "meta.json") if version is not None else None
            known = (pointer, version, meta)
            self._pointers[kind] = known
        edited = file_stamp(known[2]) if known[2] is not None else None
        return f"{known[1]}@{pointer}:{edited}"

    def health(self) -> dict[str, Any]:
        indexes: dict[str, Any] = {}
        ok = True
        for kind in KINDS:
            current = VersionStore(self.settings.index_dir, kind).current()
            if current is None:
                ok = False
                indexes[kind] = None
                continue
            try:
                count = self.reader.count(kind)
            except BackendUnavailable:
                ok = False
                count = None
            indexes[kind] = {"version": current.version, "documents": count}
        return {
            "status": "ok" if ok else "unavailable",
            "engine": self.name,
            "indexes": indexes,
            "tuning": self.tuning.name,
        }

    def warm(self) -> None:
        """Read the therapists' per-hit columns (seconds at a million therapists) now rather
        than in the first location search."""
        opened = self.reader.get("therapists")
        if opened.columns is not None:
            opened.columns.get(opened.index)
