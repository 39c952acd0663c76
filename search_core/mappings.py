"""Reading ``mappings/*.json``: the one source of truth for fields and analyzers.

Both engines start here: Elasticsearch sends the files as they are; the embedded engine derives
its schema from the flattened field list this module produces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from search_core.errors import MappingError
from search_core.filters import mapping_problems

KINDS: tuple[str, ...] = ("therapists", "locations", "articles")


@dataclass(frozen=True, slots=True)
class MappedField:
    """One leaf field of a mapping, multi-fields included as their own entries.

    ``path`` is the dotted path in the index document (``offices.location``); ``source_path``
    is where the value comes from (a multi-field ``name.keyword`` reads ``name``).
    """

    path: str
    source_path: str
    type: str
    analyzer: str | None = None
    search_analyzer: str | None = None
    normalizer: str | None = None
    indexed: bool = True
    doc_values: bool = True
    """Columnar values for sorting and aggregations (Elasticsearch ``doc_values``; Tantivy
    fast fields). Off for keywords only ever matched exactly, which makes indexing cheaper."""
    nested: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class IndexMapping:
    kind: str
    body: dict[str, Any]

    @property
    def settings(self) -> dict[str, Any]:
        return dict(self.body.get("settings", {}))

    @property
    def analysis(self) -> dict[str, Any]:
        return dict(self.settings.get("analysis", {}))

    @property
    def properties(self) -> dict[str, Any]:
        return dict(self.body["mappings"]["properties"])

    def fields(self) -> list[MappedField]:
        out: list[MappedField] = []
        _walk(self.properties, prefix="", nested=None, out=out)
        return out

    def nested_paths(self) -> list[str]:
        return sorted({f.nested for f in self.fields() if f.nested})


_KNOWN_PARAMS = {
    "type",
    "doc_values",
    "analyzer",
    "search_analyzer",
    "normalizer",
    "index",
    "fields",
    "format",
    "properties",
    "include_in_parent",
    "dynamic",
}


def _walk(props: dict[str, Any], prefix: str, nested: str | None, out: list[MappedField]) -> None:
    for name, spec in props.items():
        path = f"{prefix}{name}"
        unknown = set(spec) - _KNOWN_PARAMS
        if unknown:
            raise MappingError(f"{path}: mapping parameter(s) not understood: {sorted(unknown)}")
        ftype = spec.get("type", "object" if "properties" in spec else None)
        if ftype in ("object", "nested"):
            _walk(
                spec["properties"],
                prefix=f"{path}.",
                nested=path if ftype == "nested" else nested,
                out=out,
            )
            continue
        if ftype is None:
            raise MappingError(f"{path}: no type")
        out.append(_leaf(path, path, ftype, spec, nested))
        for sub, sub_spec in spec.get("fields", {}).items():
            out.append(_leaf(f"{path}.{sub}", path, sub_spec["type"], sub_spec, nested))


def _leaf(
    path: str, source: str, ftype: str, spec: dict[str, Any], nested: str | None
) -> MappedField:
    return MappedField(
        path=path,
        source_path=source,
        type=ftype,
        analyzer=spec.get("analyzer"),
        search_analyzer=spec.get("search_analyzer"),
        normalizer=spec.get("normalizer"),
        indexed=spec.get("index", True),
        doc_values=spec.get("doc_values", True),
        nested=nested,
        params={k: v for k, v in spec.items() if k not in ("fields", "properties")},
    )


@cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        body: dict[str, Any] = json.load(fh)
    return body


def load_mapping(mappings_dir: Path, kind: str) -> IndexMapping:
    if kind not in KINDS:
        raise MappingError(f"unknown index kind {kind!r}; expected one of {', '.join(KINDS)}")
    path = mappings_dir / f"{kind}.json"
    if not path.is_file():
        raise MappingError(f"mapping file {path} is missing")
    mapping = IndexMapping(kind, _load(path.resolve()))
    if kind == "therapists" and (problems := mapping_problems(mapping.properties)):
        raise MappingError(f"{path} does not fit the filters: {'; '.join(problems)}")
    return mapping
