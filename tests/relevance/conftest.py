"""A lab on the real small index (the committed fixtures), shared by the relevance tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search_core.relevance.judge import JUDGMENTS_FILE
from search_core.relevance.judgments import JudgmentList, load_judgments
from search_core.relevance.lab import Lab
from search_core.settings import Settings


@pytest.fixture(scope="session")
def lab(small_index: Settings) -> Iterator[Lab]:
    with Lab.open(small_index, "embedded") as opened:
        yield opened


@pytest.fixture(scope="session")
def judged() -> JudgmentList:
    return load_judgments(JUDGMENTS_FILE)
