"""Writing OpenSearch indexes behind :class:`search_core.backend.IndexWriter`: the Elasticsearch
engine's versioned loads, edits, versions and rollback over the OpenSearch product."""

from __future__ import annotations

from search_core.elastic.product import ClusterProduct
from search_core.elastic.writer import ElasticWriter
from search_core.opensearch.product import OPENSEARCH


class OpenSearchWriter(ElasticWriter):
    product: ClusterProduct = OPENSEARCH
