"""Answers a use case keeps per version of the indexes they come from.

On an engine whose version follows every edit
(:attr:`~search_core.backend.SearchBackend.versions_see_edits`), an answer asked for far more
often than its indexes change is made once per version and handed out again: the browse lists
and city pages (:mod:`search_core.browsing`), the typeahead of short prefixes and the city
counts it filters places with (:mod:`search_core.typeahead`). A memo is forgotten as a whole as
soon as the version of any of its indexes moves; on other engines nothing is kept.

One :class:`Remembered` per engine object and set of indexes (:func:`remembered`), gone with
the engine.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from search_core.backend import SearchBackend

T = TypeVar("T")


class Remembered:
    """Answers of one engine kept while the versions of ``kinds`` stay the same: any number of
    answers, and up to ``cap`` of those asked for with ``capped=True`` (the kinds of answer
    with many keys: city pages, short prefixes)."""

    def __init__(self, kinds: tuple[str, ...], cap: int) -> None:
        self.kinds = kinds
        self.cap = cap
        self._lock = threading.Lock()
        self._versions: tuple[str | None, ...] | None = None
        self._lists: dict[Hashable, Any] = {}
        self._many: dict[Hashable, Any] = {}

    async def get(
        self,
        backend: SearchBackend,
        key: Hashable,
        make: Callable[[], Awaitable[T]],
        capped: bool = False,
    ) -> T:
        """The answer under ``key`` for the serving versions, made by ``make`` when missing.
        The versions are read before the answer is made, so an answer is never older than the
        versions it is kept under. When the capped answers reach the cap, they start again."""
        if not backend.versions_see_edits:
            return await make()
        versions = tuple([await backend.version(kind) for kind in self.kinds])
        with self._lock:
            if versions != self._versions:
                self._versions, self._lists, self._many = versions, {}, {}
            kept = self._many if capped else self._lists
            if key in kept:
                found: T = kept[key]
                return found
        made = await make()
        with self._lock:
            if versions != self._versions:
                return made
            if capped and len(self._many) >= self.cap:
                self._many = {}
            kept = self._many if capped else self._lists
            found = kept.setdefault(key, made)
            return found

    def __len__(self) -> int:
        """Answers kept now."""
        with self._lock:
            return len(self._lists) + len(self._many)


_REMEMBERED: weakref.WeakKeyDictionary[SearchBackend, dict[tuple[str, ...], Remembered]] = (
    weakref.WeakKeyDictionary()
)
_REGISTRY_LOCK = threading.Lock()


def remembered(backend: SearchBackend, kinds: tuple[str, ...], cap: int) -> Remembered:
    """The memo of this engine over the versions of ``kinds`` (made on first use with
    ``cap``)."""
    with _REGISTRY_LOCK:
        memos = _REMEMBERED.get(backend)
        if memos is None:
            memos = _REMEMBERED.setdefault(backend, {})
        memo = memos.get(kinds)
        if memo is None:
            memo = memos.setdefault(kinds, Remembered(kinds, cap))
        return memo
