"""The OpenSearch dialect of the mappings: where the cluster lacks ``mapper-extras`` (the local
node does), each ``search_as_you_type`` field becomes a ``text`` field with edge n-grams
(``index_prefixes``) and shingles (``index_phrases``), and typeahead finds what it would find on
``search_as_you_type``: every name with a word starting with the typed prefix, not only those
among the first 50 terms a plain prefix expansion would stop at."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

import orjson
import pytest
from opensearchpy import AsyncOpenSearch

from search_core.elastic.index_bodies import create_index_body
from search_core.elastic.suggest_query import NAME_FIELD, prefix_query
from search_core.errors import MappingError
from search_core.mappings import load_mapping
from search_core.opensearch.backend import OpenSearchBackend
from search_core.opensearch.dialect import opensearch_index_body, replaced_fields
from search_core.opensearch.errors import translated
from search_core.opensearch.product import served_types
from search_core.settings import PROJECT_ROOT, Settings
from search_core.text_query import words

pytestmark = pytest.mark.opensearch

MAPPINGS = PROJECT_ROOT / "mappings"


def _body(kind: str) -> dict[str, Any]:
    return create_index_body(load_mapping(MAPPINGS, kind), 1, 0)


def test_only_search_as_you_type_fields_change() -> None:
    body = _body("therapists")
    assert replaced_fields(body) == ["name.suggest"]
    out = opensearch_index_body(body)
    assert replaced_fields(out) == []
    name = out["mappings"]["properties"]["name"]
    assert name["fields"]["suggest"] == {
        "type": "text",
        "analyzer": "name_text",
        "index_prefixes": {"min_chars": 1, "max_chars": 19},
        "index_phrases": True,
    }
    name["fields"]["suggest"] = body["mappings"]["properties"]["name"]["fields"]["suggest"]
    assert out == body  # nothing else differs
    assert replaced_fields(_body("articles")) == ["title.suggest"]
    assert replaced_fields(_body("locations")) == ["name.suggest"]


def test_a_cluster_with_mapper_extras_gets_the_mapping_as_it_is() -> None:
    body = _body("articles")
    node = {"modules": [{"name": "mapper-extras"}, {"name": "lang-painless"}], "plugins": []}
    have = served_types({"nodes": {"a": node, "b": node}})
    assert opensearch_index_body(body, have) == body
    lacking = {"nodes": {"a": node, "b": {"modules": [{"name": "lang-painless"}]}}}
    assert served_types(lacking) == frozenset()  # every node must serve it


def _call(url: str, make: Any) -> Any:
    async def go() -> Any:
        client = AsyncOpenSearch(hosts=[url])
        try:
            return await make(client)
        finally:
            await client.close()

    return asyncio.run(go())


def test_the_node_lacks_search_as_you_type_and_says_so_clearly(opensearch_url: str) -> None:
    """What happens without the dialect: the product's error names the missing type."""
    modules = _call(opensearch_url, lambda c: c.nodes.info(metric="plugins"))
    assert served_types(modules) == frozenset()

    async def create(client: AsyncOpenSearch) -> None:
        with translated("create the index dialect-probe"):
            await client.indices.create(index="dialect-probe", body=_body("locations"))

    with pytest.raises(MappingError, match=r"no field type search_as_you_type"):
        _call(opensearch_url, create)


def _names(small_dir: Path) -> dict[str, str]:
    lines = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes()).splitlines()
    return {r["id"]: r["name"] for r in map(orjson.loads, lines) if r}


def _expected(names: dict[str, str], prefix: str) -> set[str]:
    """Names holding the typed words in a row, the last one as a prefix (brute force)."""
    typed = words(prefix)
    out = set()
    for tid, name in names.items():
        w = words(name)
        for i in range(len(w) - len(typed) + 1):
            window = w[i : i + len(typed)]
            if window[:-1] == typed[:-1] and window[-1].startswith(typed[-1]):
                out.add(tid)
                break
    return out


@pytest.mark.parametrize("prefix", ["m", "s", "ma", "mar", "maria g", "jo"])
def test_typeahead_prefixes_find_every_name_they_start(
    prefix: str, opensearch_small_index: Settings, small_dir: Path
) -> None:
    expected = _expected(_names(small_dir), prefix)
    assert len(expected) > 50 or " " in prefix  # more than a capped expansion would reach
    query = prefix_query(NAME_FIELD, prefix)
    assert query is not None
    body = {"query": query, "size": 4_000, "_source": ["id"], "track_total_hits": True}

    async def go() -> dict[str, Any]:
        backend = OpenSearchBackend(opensearch_small_index)
        try:
            return await backend.cluster.search_raw("therapists", body, "typeahead probe")
        finally:
            await backend.close()

    resp = asyncio.run(go())
    assert {h["_source"]["id"] for h in resp["hits"]["hits"]} == expected
