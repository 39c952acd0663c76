"""The local node is a real OpenSearch with the modules our mappings and queries need."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from localnode import VERSION

pytestmark = pytest.mark.opensearch


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def test_node_answers_with_its_version(opensearch_url: str) -> None:
    info = _get(opensearch_url)
    assert info["version"]["distribution"] == "opensearch"
    assert info["version"]["number"] == VERSION


def test_node_has_the_modules_the_mappings_need(opensearch_url: str) -> None:
    nodes = _get(f"{opensearch_url}/_nodes/plugins")["nodes"]
    (node,) = nodes.values()
    modules = {m["name"] for m in node["modules"]}
    assert {"analysis-common", "lang-painless", "transport-netty4"} <= modules
