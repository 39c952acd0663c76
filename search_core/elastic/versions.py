"""Index versions on Elasticsearch: which exist, which are complete, which one the alias serves,
and moving the alias. Async, over one client; every call's errors are translated.

A *complete* version is an index named ``<prefix>-<kind>-v…`` whose mapping carries
``_meta.complete`` (set by a full load after its count check, before the alias moves); anything
else under the pattern is a load still running or one that died.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from search_core.backend import version_record
from search_core.elastic import names
from search_core.elastic.errors import require_complete
from search_core.elastic.index_bodies import alias_move_body
from search_core.elastic.once import once
from search_core.elastic.product import ELASTICSEARCH, ClusterProduct, body_of
from search_core.errors import BackendUnavailable, IndexingError, NotFound


@dataclass(slots=True)
class ElasticVersion:
    """One complete version (satisfies :class:`search_core.backend.VersionView`, whose
    attributes are plain, settable ones: hence not frozen)."""

    kind: str
    version: str
    index: str
    doc_count: int | None
    created: str | None
    current: bool = False

    def to_dict(self) -> dict[str, Any]:
        return version_record(self)


@dataclass(frozen=True)
class Inventory:
    """Every index of one kind: complete versions oldest first, unfinished index names, and the
    indices that hold the alias (one, unless someone edited the aliases by hand)."""

    complete: list[ElasticVersion]
    unfinished: list[str]
    serving: list[str] = field(default_factory=list)

    @property
    def current(self) -> ElasticVersion | None:
        return next((v for v in self.complete if v.current), None)


class VersionAdmin:
    """``client`` retries (reads, idempotent writes); ``once_client`` (default: ``client``)
    does not, for the alias move, retried by :func:`~search_core.elastic.once.once`."""

    def __init__(
        self,
        client: Any,
        prefix: str,
        product: ClusterProduct = ELASTICSEARCH,
        once_client: Any | None = None,
        retries: int = 3,
    ) -> None:
        self.client = client
        self.retries = retries
        self.once_client = once_client if once_client is not None else client
        self.prefix = prefix
        self.product = product
        self.translated = product.translated

    def alias(self, kind: str) -> str:
        return names.alias_name(self.prefix, kind)

    async def serving(self, kind: str) -> list[str]:
        """The indices the alias points to (none before the first load)."""
        with self.translated(f"read the {kind} alias"):
            try:
                resp = await self.client.indices.get_alias(name=self.alias(kind))
            except Exception as exc:
                if self.product.is_not_found(exc):
                    return []
                raise
        return sorted(body_of(resp))

    async def inventory(self, kind: str, with_counts: bool = True) -> Inventory:
        pattern = names.index_pattern(self.prefix, kind)
        with self.translated(f"list the {kind} indices"):
            resp = await self.client.indices.get_mapping(
                index=pattern, allow_no_indices=True, expand_wildcards="open"
            )
        inv = classify(self.prefix, kind, body_of(resp), await self.serving(kind))
        if with_counts:
            for v in inv.complete:
                v.doc_count = await self.count(v.index)
        return inv

    async def count(self, index: str) -> int:
        with self.translated(f"count {index}"):
            resp = await self.client.count(index=index)
        require_complete(body_of(resp), f"count {index}")
        return int(resp["count"])

    async def move_alias(self, kind: str, index: str) -> None:
        """Point the alias at ``index`` and away from every other index, atomically. Sent
        again after a timeout, the move's ``remove`` of an index that no longer holds the alias
        is refused: then the alias is read, and if it points to ``index`` alone, it moved."""
        alias = self.alias(kind)
        old = await self.serving(kind)

        async def move() -> None:
            await self.once_client.indices.update_aliases(body=alias_move_body(alias, index, old))

        async def moved(exc: BaseException) -> None:
            if await self.serving(kind) != [index]:
                raise exc

        with self.translated(f"move the {kind} alias to {index}"):
            await once(move, moved, self.retries, self.product.unsure)

    async def delete_index(self, index: str) -> None:
        with self.translated(f"delete {index}"):
            try:
                await self.client.indices.delete(index=index)
            except Exception as exc:
                if self.product.is_not_found(exc):
                    return
                raise

    async def next_version(self, kind: str) -> str:
        inv = await self.inventory(kind, with_counts=False)
        taken = [v.version for v in inv.complete] + [
            v for i in inv.unfinished if (v := names.version_of(self.prefix, kind, i))
        ]
        return names.next_version(taken, dt.datetime.now(dt.UTC))

    async def prune(self, kind: str, keep: int) -> list[str]:
        """Delete what :func:`prune_plan` says; the names of the deleted indices."""
        doomed = prune_plan(await self.inventory(kind, with_counts=False), keep)
        for index in doomed:
            await self.delete_index(index)
        return doomed

    async def rollback(self, kind: str, to: str | None) -> ElasticVersion:
        inv = await self.inventory(kind)
        target = rollback_target(kind, inv, to)
        await self.move_alias(kind, target.index)
        return ElasticVersion(
            kind, target.version, target.index, target.doc_count, target.created, True
        )

    async def require_serving(self, kind: str) -> str:
        """The one index the alias points to (BackendUnavailable before the first load)."""
        serving = await self.serving(kind)
        if not serving:
            raise BackendUnavailable(
                f"no {kind} index has been built yet: run `therapist-search index`"
            )
        if len(serving) > 1:
            raise IndexingError(
                f"the alias {self.alias(kind)} points to {len(serving)} indices "
                f"({', '.join(serving)}); run `therapist-search rollback --kind {kind}` to fix it"
            )
        return serving[0]


# ---------------------------------------------------------------------------- pure decisions


def classify(
    prefix: str, kind: str, mappings: Mapping[str, Any], serving: Sequence[str]
) -> Inventory:
    """A ``GET /<pattern>/_mapping`` answer → complete versions (oldest first, counts from
    their seal) and unfinished indices; other indices under the pattern are ignored."""
    complete: list[ElasticVersion] = []
    unfinished: list[str] = []
    for index, body in sorted(mappings.items()):
        version = names.version_of(prefix, kind, index)
        if version is None:
            continue
        meta = (body.get("mappings") or {}).get("_meta") or {}
        if not meta.get("complete"):
            unfinished.append(index)
            continue
        count = meta.get("doc_count")
        complete.append(
            ElasticVersion(
                kind,
                version,
                index,
                int(count) if count is not None else None,
                meta.get("created"),
                index in serving,
            )
        )
    complete.sort(key=lambda v: v.version)
    return Inventory(complete, unfinished, sorted(serving))


def prune_plan(inv: Inventory, keep: int) -> list[str]:
    """The oldest complete versions beyond ``keep`` (never a serving one) and every unfinished
    index older than the newest complete version (a load that died; a running one is newer)."""
    doomed: list[str] = []
    excess = len(inv.complete) - keep
    for v in inv.complete:
        if excess <= 0:
            break
        if v.index not in inv.serving:
            doomed.append(v.index)
            excess -= 1
    newest = inv.complete[-1].index if inv.complete else None
    doomed += [
        i for i in inv.unfinished if newest is not None and i < newest and i not in inv.serving
    ]
    return doomed


def rollback_target(kind: str, inv: Inventory, to: str | None) -> ElasticVersion:
    """Version ``to``, or the newest complete version older than the serving one."""
    if to is not None:
        target = next((v for v in inv.complete if v.version == to), None)
        if target is None:
            have = ", ".join(v.version for v in inv.complete) or "none"
            raise NotFound(f"{kind}: no complete version {to!r}; have {have}")
        return target
    current = inv.current
    older = [v for v in inv.complete if current is None or v.version < current.version]
    if not older:
        raise NotFound(f"{kind}: no earlier version to roll back to")
    return older[-1]
