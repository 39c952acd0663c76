"""The pages' only way to the data: the public JSON API, called in-process over HTTP.

Each page asks the same URLs a front-end developer's own site would (an ``httpx`` client on the
app's ASGI interface: no socket, but the real routing, validation, error bodies and
middleware), so the pages are a working reference of how to use the API. The URLs a page used
are kept and listed at the foot of the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from fastapi import FastAPI, Request

Params = Mapping[str, str | int] | Sequence[tuple[str, str]]
Pair = tuple[str, str | int | float | bool | None]


class ApiError(Exception):
    """A JSON error body of the API (``{"error", "message", "details"}``) and its status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[str],
        fields: list[str] | None = None,
        suggestions: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.fields = fields or []
        """The parameters at fault, as the error body names them."""
        self.suggestions = suggestions or []
        """What the API suggests sending instead (close place names)."""


def _error(response: httpx.Response) -> ApiError:
    try:
        body = orjson.loads(response.content)
        entries = body.get("details") or []
        details = [str(d.get("message", "")) for d in entries]
        fields = [str(d["field"]) for d in entries if d.get("field")]
        suggestions = [str(s) for d in entries for s in d.get("suggestions") or []]
        return ApiError(
            response.status_code,
            str(body["error"]),
            str(body["message"]),
            details,
            fields,
            suggestions,
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return ApiError(response.status_code, "http_error", response.reason_phrase, [])


class Api:
    """One page's view of the API: ``await api.get("/therapists/search", params)``."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self._app = app
        self._client = client
        self.calls: list[str] = []
        """The API URLs this page asked, path and query string (shown in the footer)."""

    async def get_one(
        self, template: str, keys: Mapping[str, str], params: Params | None = None
    ) -> Any:
        """One record by its key (``"/therapists/{therapist_id}"``): 404 for a key the API
        refuses as malformed (no such record can exist) or that another route would answer."""
        path = api_path(self._app, template, **keys)
        try:
            return await self.get(path, params)
        except ApiError as exc:
            if exc.status == 422:
                raise ApiError(404, "not_found", NOT_FOUND, []) from exc
            raise

    async def get(self, path: str, params: Params | None = None) -> Any:
        pairs: list[Pair] = []
        if params:
            pairs.extend(params.items() if isinstance(params, Mapping) else params)
        response = await self._client.get(path, params=pairs)
        url = response.request.url
        self.calls.append(url.path + (f"?{url.query.decode()}" if url.query else ""))
        if response.status_code >= 400:
            raise _error(response)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise ApiError(502, "bad_answer", f"{path} did not answer with JSON", []) from exc


def segment(value: str) -> str:
    """``value`` as one path segment of an API URL (a page's path parameter goes into the
    API's path: it must not climb out of it)."""
    if value in (".", ".."):
        raise ApiError(404, "not_found", NOT_FOUND, [])
    return quote(value, safe="")


NOT_FOUND = "There is no page at this address."


def api_path(app: FastAPI, template: str, **params: str) -> str:
    """The path of the API route ``template`` (``"/therapists/{therapist_id}"``) with each
    parameter as one path segment, or a 404 :class:`ApiError` when the app would answer that
    path with another route: a page's ``/profile/search`` must not reach
    ``GET /therapists/search``, whatever routes the API has beside its ``{parameter}``."""
    path = template.format(**{name: segment(value) for name, value in params.items()})
    if _first_match(app, template.format(**params)) != template:
        raise ApiError(404, "not_found", NOT_FOUND, [])
    return path


_PARAM = re.compile(r"\\\{[^}]*\\\}")
"""A ``{parameter}`` of a path template, once escaped by :func:`re.escape`."""


def _first_match(app: FastAPI, path: str) -> str | None:
    """The template of the first API path (in the order the app matches them: the order of its
    OpenAPI paths, which is the order the routes were added) that ``GET path`` matches."""
    templates: list[tuple[str, re.Pattern[str]]] | None = getattr(
        app.state, "pages_api_templates", None
    )
    if templates is None:
        templates = [
            (t, re.compile(_PARAM.sub("[^/]+", re.escape(t)) + "$"))
            for t, operations in app.openapi().get("paths", {}).items()
            if "get" in operations
        ]
        app.state.pages_api_templates = templates
    return next((t for t, pattern in templates if pattern.match(path)), None)


def _client(app: FastAPI) -> httpx.AsyncClient:
    client: httpx.AsyncClient | None = getattr(app.state, "pages_client", None)
    if client is None:
        transport = httpx.ASGITransport(app=app)
        client = httpx.AsyncClient(transport=transport, base_url="http://api.internal")
        app.state.pages_client = client
    return client


def api_for(request: Request) -> Api:
    """The API as seen by the page being served (FastAPI dependency)."""
    return Api(request.app, _client(request.app))


async def state_names(request: Request, api: Api) -> dict[str, str]:
    """State names by code (``"OR"`` → ``"Oregon"``), from ``GET /browse/states`` once for the
    life of the app."""
    names: dict[str, str] | None = getattr(request.app.state, "pages_states", None)
    if names is None:
        states = await api.get("/browse/states")
        names = {s["state"]: s["name"] for s in states["items"]}
        request.app.state.pages_states = names
    return names


async def vocabulary_labels(request: Request, api: Api) -> dict[str, dict[str, str]]:
    """Labels of every filter value (``labels["issues"]["anxiety"] == "Anxiety"``), asked of
    ``GET /vocabularies`` once for the life of the app: a site would cache it too."""
    labels: dict[str, dict[str, str]] | None = getattr(request.app.state, "pages_labels", None)
    if labels is None:
        vocabularies = await api.get("/vocabularies")
        labels = {
            name: {term["value"]: term["label"] for term in terms}
            for name, terms in vocabularies.items()
        }
        request.app.state.pages_labels = labels
    return labels
