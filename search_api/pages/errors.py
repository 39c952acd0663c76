"""Errors as pages: the API's message on a readable page, a "try again" page when the engine is
down, never a stack trace.

Page routes use :class:`PageRoute`, so an :class:`ApiError` (or any failure) inside one becomes
an HTML page; the JSON routes keep their JSON error bodies. An unknown URL asked for by a
browser (``Accept: text/html``) gets the HTML 404 page; any other client still gets JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from search_api.pages.api import ApiError
from search_api.pages.render import page

log = logging.getLogger(__name__)

TITLES = {
    400: "That search could not be run",
    404: "Page not found",
    422: "That search could not be run",
    503: "The directory is unavailable right now",
    504: "The directory took too long to answer",
}


def error_page(
    request: Request, status: int, message: str, details: list[str], title: str | None = None
) -> Response:
    retry = status in (503, 504)
    context = {
        "status": status,
        "title": title or TITLES.get(status, "Something went wrong"),
        "message": message,
        "details": [d for d in details if d and d != message],
        "retry": retry,
    }
    response = page(request, "error.html", context, None, status=status)
    if retry:
        response.headers["Retry-After"] = "5"
    return response


class PageRoute(APIRoute):
    """A route whose failures are rendered as error pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as exc:
                return error_page(request, exc.status, exc.message, exc.details)
            except Exception:
                log.exception("page %s failed", request.url.path)
                return error_page(
                    request, 500, "The page could not be built. Please try again later.", []
                )

        return handle


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept.split(",")[0]


def install(app: FastAPI) -> None:
    """Unknown URLs asked for by a browser get the HTML 404 page."""
    json_handler: Any = app.exception_handlers.get(StarletteHTTPException)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404 and _wants_html(request):
            return error_page(request, 404, "There is no page at this address.", [])
        response: Response = await json_handler(request, exc)
        return response

    app.add_exception_handler(StarletteHTTPException, http_error)
