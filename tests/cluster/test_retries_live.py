"""Retries only where a call is idempotent, on the live node with a real lost answer (a relay
that lets the request through and cuts the connection before the node's answer): creating the
load's index is recognised as done when the resent creation answers "already exists" (it used
to fail the load and leave the index behind), and a delete whose answer was lost still says the
document was there (it used to say "was not there")."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from search_core.engines import make_writer
from tests.cluster.live import (
    cluster_settings,
    drop,
    http,
    indices,
    new_prefix,
    therapist_lines,
    write_therapists,
)
from tests.cluster.lossy import lossy

pytestmark = pytest.mark.opensearch

COUNT = 20


def load(url: str, data_dir: Path, prefix: str, source: Path) -> int:
    settings = cluster_settings(url, data_dir, prefix)
    return main(
        ["index", "--from", str(source), "--kind", "therapists", "--quiet"], settings=settings
    )


def test_a_lost_answer_to_the_index_creation_is_recognised(
    opensearch_url: str, tmp_path: Path
) -> None:
    prefix = new_prefix()
    source = write_therapists(tmp_path / "source", therapist_lines()[:COUNT])
    try:
        with lossy(opensearch_url, "PUT", rf"/{prefix}-therapists-v\S+ ") as relay:
            done = load(relay.url, tmp_path, prefix, source)
        assert relay.lost, "the creation's answer was lost on the way"
        assert done == 0
        (index,) = [i for i in indices(opensearch_url, prefix) if "-therapists-" in i]
        status, counted = http(f"{opensearch_url}/{prefix}-therapists/_count")
        assert status == 200 and counted["count"] == COUNT
        assert index in str(http(f"{opensearch_url}/_alias/{prefix}-therapists")[1])
    finally:
        drop(opensearch_url, prefix)


def test_a_delete_whose_answer_was_lost_says_it_deleted(
    opensearch_url: str, tmp_path: Path
) -> None:

    prefix = new_prefix()
    lines = therapist_lines()[:COUNT]
    doomed = str(lines[0]["id"])
    try:
        assert load(opensearch_url, tmp_path, prefix, write_therapists(tmp_path / "s", lines)) == 0
        with lossy(opensearch_url, "DELETE", rf"/{prefix}-therapists-v\S+/_doc/{doomed}") as relay:
            writer = make_writer(cluster_settings(relay.url, tmp_path, prefix))
            try:
                deleted = writer.delete("therapists", doomed)
            finally:
                writer.close()
        assert relay.lost, "the delete's answer was lost on the way"
        assert deleted is True
        status, _ = http(f"{opensearch_url}/{prefix}-therapists/_doc/{doomed}")
        assert status == 404
    finally:
        drop(opensearch_url, prefix)
