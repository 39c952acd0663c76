"""A local single-node OpenSearch resolved from Maven Central: ``python -m localnode``."""

from localnode.node import (
    VERSION,
    LocalNode,
    NodeError,
    ensure_distribution,
    missing_tools,
    running_node,
)

__all__ = [
    "VERSION",
    "LocalNode",
    "NodeError",
    "ensure_distribution",
    "missing_tools",
    "running_node",
]
