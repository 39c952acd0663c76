"""The index mappings in the dialect of the OpenSearch cluster we run against. Pure.

``mappings/*.json`` are written for Elasticsearch. OpenSearch reads them as they are except for
one field type: ``search_as_you_type`` lives in the ``mapper-extras`` module, which not every
OpenSearch serves (the local node assembled from Maven Central has no such module: creating the
index fails with ``mapper_parsing_exception: No handler for type [search_as_you_type]``).

Typeahead queries the root of such a field with ``match_phrase_prefix`` (see
:mod:`search_core.elastic.suggest_query`). What ``search_as_you_type`` adds to a plain ``text``
field for that query is an edge n-gram index of the terms (the prefix of the last word is one
term lookup instead of an expansion capped at ``max_expansions`` terms) and word shingles (the
words before it match as pairs). Core ``text`` fields have both, built in: ``index_prefixes``
(edge n-grams of every term, ``<field>._index_prefix``) and ``index_phrases`` (two-word shingles,
``<field>._index_phrase``). So each ``search_as_you_type`` field becomes a ``text`` field with
the same analyzer and both options, and the same prefixes find the same documents.
"""

from __future__ import annotations

import copy
from typing import Any

Body = dict[str, Any]

REPLACED_TYPE = "search_as_you_type"
PREFIX_MIN_CHARS = 1
PREFIX_MAX_CHARS = 19
"""The largest ``index_prefixes.max_chars`` allowed; a longer typed word is expanded instead."""
_DROPPED = ("max_shingle_size",)


def typeahead_field(field: Body) -> Body:
    """A ``search_as_you_type`` field definition → the ``text`` field that replaces it."""
    out = {k: v for k, v in field.items() if k not in _DROPPED}
    out["type"] = "text"
    out["index_prefixes"] = {"min_chars": PREFIX_MIN_CHARS, "max_chars": PREFIX_MAX_CHARS}
    out["index_phrases"] = True
    return out


def _fields(props: Body) -> Body:
    out: Body = {}
    for name, field in props.items():
        if not isinstance(field, dict):
            out[name] = field
            continue
        f = typeahead_field(field) if field.get("type") == REPLACED_TYPE else dict(field)
        for key in ("properties", "fields"):
            if isinstance(f.get(key), dict):
                f[key] = _fields(f[key])
        out[name] = f
    return out


def opensearch_index_body(body: Body, have_types: frozenset[str] = frozenset()) -> Body:
    """``PUT /<index>`` for OpenSearch: ``body`` with every ``search_as_you_type`` field
    replaced, unless the cluster serves that type (``have_types``)."""
    if REPLACED_TYPE in have_types:
        return copy.deepcopy(body)
    out = copy.deepcopy(body)
    mappings = out.get("mappings")
    if isinstance(mappings, dict) and isinstance(mappings.get("properties"), dict):
        mappings["properties"] = _fields(mappings["properties"])
    return out


def replaced_fields(body: Body) -> list[str]:
    """Paths of the fields :func:`opensearch_index_body` replaces (for messages and tests)."""
    found: list[str] = []

    def walk(prefix: str, props: Body) -> None:
        for name, field in props.items():
            if not isinstance(field, dict):
                continue
            if field.get("type") == REPLACED_TYPE:
                found.append(prefix + name)
            for key in ("properties", "fields"):
                if isinstance(field.get(key), dict):
                    walk(f"{prefix}{name}.", field[key])

    walk("", (body.get("mappings") or {}).get("properties") or {})
    return found
