"""The site: server-rendered pages over the public JSON API (see ``api.py``), progressively
enhanced by a little JavaScript, with their static files under ``/static``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from search_api.pages import errors, places, reading, search
from search_api.pages.render import STATIC


def install(app: FastAPI) -> None:
    """Add the pages, ``/static`` and the HTML 404 page to ``app`` (after its JSON routes)."""
    for module in (search, places, reading):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
