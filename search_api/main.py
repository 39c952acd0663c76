"""ASGI entry point for servers that import an app object: ``uvicorn search_api.main:app``.
Settings come from the environment when the server imports this module."""

from search_api.app import create_app

app = create_app()
