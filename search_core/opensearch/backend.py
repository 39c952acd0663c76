"""The OpenSearch engine behind :class:`search_core.backend.SearchBackend`: the Elasticsearch
engine's backend (same request bodies, same parsers) over the OpenSearch product."""

from __future__ import annotations

from search_core.elastic.backend import ElasticBackend
from search_core.elastic.product import ClusterProduct
from search_core.opensearch.product import OPENSEARCH


class OpenSearchBackend(ElasticBackend):
    product: ClusterProduct = OPENSEARCH
    name = OPENSEARCH.name
