"""The OpenSearch engine: the Elasticsearch engine's pure builders and parsers and its backend,
writer and version code, over the official ``opensearch-py`` async client. What differs from
Elasticsearch lives here: the client (:mod:`.client`), its errors (:mod:`.errors`), the mapping
dialect (:mod:`.dialect`), gathered in one :class:`~search_core.elastic.product.ClusterProduct`
(:mod:`.product`)."""
