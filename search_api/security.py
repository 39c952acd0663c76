"""Headers every response sends, and the last line of defence for errors.

A pure ASGI middleware (no request object built, nothing buffered) that

* adds ``X-Content-Type-Options: nosniff`` (no browser guesses a JSON body to be HTML or
  script) and ``Referrer-Policy: strict-origin-when-cross-origin`` (a link followed from a
  page leaks no search words in the URL to another site);
* gives JSON responses a strict ``Content-Security-Policy`` (``default-src 'none';
  frame-ancestors 'none'``: a JSON body opened as a page runs nothing and cannot be framed),
  unless the response set a policy of its own (HTML pages set theirs);
* turns an exception no handler knew into a JSON 500 whose body names no path, module or
  stack frame (the traceback goes to the log only), with the same headers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("search_api.errors")

ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
JSON_CSP = b"default-src 'none'; frame-ancestors 'none'"

INTERNAL_ERROR = orjson.dumps(
    {
        "error": "internal_error",
        "message": "the server failed to answer this request; it has been logged",
        "details": [],
    }
)


def secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with the security headers added where the response did not set them."""
    names = {name.lower() for name, _ in headers}
    out = list(headers)
    out.extend(h for h in ALWAYS if h[0] not in names)
    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    if content_type.startswith(b"application/json") and b"content-security-policy" not in names:
        out.append((b"content-security-policy", JSON_CSP))
    return out


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = secured(list(message.get("headers", [])))
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # the status line is out: nothing to do but end the connection
                raise
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(INTERNAL_ERROR)).encode()),
            ]
            await send({"type": "http.response.start", "status": 500, "headers": secured(headers)})
            await send({"type": "http.response.body", "body": INTERNAL_ERROR})
