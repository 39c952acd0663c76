"""The session's live OpenSearch node: ``OPENSEARCH_URL`` when set, else a local single node
started once for the whole session (``localnode``), stopped at the end.

Where Java or Maven is missing the live tests skip and say why; where they are present a node
that fails to start is an error, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from localnode import missing_tools, running_node


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    external = os.environ.get("OPENSEARCH_URL")
    if external:
        yield external
        return
    reason = missing_tools()
    if reason:
        pytest.skip(f"no local OpenSearch node: {reason}")
    with running_node() as node:
        yield node.url
