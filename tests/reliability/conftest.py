"""Fixtures of the reliability tests: the real app over the session's small index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_core.settings import Settings


@pytest.fixture(scope="session")
def served(small_index: Settings) -> Iterator[tuple[FastAPI, TestClient]]:
    """The app with its lifespan started, and a client that reports 500s as responses (so a
    test sees what a user would get)."""
    app = create_app(small_index)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client


@pytest.fixture(scope="session")
def client(served: tuple[FastAPI, TestClient]) -> TestClient:
    return served[1]
