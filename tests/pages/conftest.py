"""Fixtures of the page tests: the real app over the session's small index, asked as a browser
asks (``Accept: text/html``), and an index of its own holding records with hostile markup."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.settings import Settings
from tests.conftest import copy_of

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

SCRIPT = "<script>alert('x')</script>"
NAME = '<img src=x onerror="alert(1)"> Eve Kxqz'
BIO = f"Kxqzhostile care for anxiety {SCRIPT} & <b>bold</b> claims > 5 < 7 </script> end."
COMMENT = f'Great read <a href="javascript:alert(2)">kxqzhostile</a> {SCRIPT}'
AUTHOR = "<b>Mallory</b>"


@pytest.fixture(scope="session")
def site(small_index: Settings) -> Iterator[TestClient]:
    """The app with its lifespan started; 500s come back as responses (what a user sees)."""
    with TestClient(create_app(small_index), raise_server_exceptions=False, headers=BROWSER) as c:
        yield c


@pytest.fixture(scope="module")
def hostile_site(
    tmp_path_factory: pytest.TempPathFactory, small_dir: Path, small_index: Settings
) -> Iterator[TestClient]:
    """The small set plus a therapist, an article and a comment holding HTML and script."""
    from cli.main import main

    settings = copy_of(small_index, tmp_path_factory.mktemp("hostile-pages") / "data")
    with gzip.open(small_dir / "therapists.jsonl.gz") as f:
        therapist = json.loads(f.readline())
    therapist.update(id="t9999999", slug="eve-kxqz-9999999", name=NAME, bio=BIO)
    with gzip.open(small_dir / "articles.jsonl.gz") as f:
        article = json.loads(f.readline())
    article.update(
        id="a9999",
        slug="kxqzhostile-article",
        title=f"Kxqzhostile {SCRIPT} title",
        summary=f"Kxqzhostile summary <i>x</i> {SCRIPT}",
        body=f"Kxqzhostile body & more {SCRIPT}",
        author={"name": AUTHOR, "therapist_id": "t9999999"},
        comments=[
            {"id": "c9", "author_name": AUTHOR, "date": "2030-01-01T00:00:00Z", "text": COMMENT}
        ],
    )
    folder = tmp_path_factory.mktemp("hostile-records")
    for kind, record in (("therapists", therapist), ("articles", article)):
        path = folder / f"{kind}.json"
        path.write_text(json.dumps(record))
        assert main(["upsert", "--kind", kind, str(path)], settings) == 0
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=BROWSER) as c:
        yield c
