"""Which ``Host`` headers the site answers, and the site's own address for links that leave it.

A request's ``Host`` header is whatever the client wrote. Nothing the site sends out is built
from it: canonical links and JSON-LD URLs come from :meth:`HostPolicy.base_url` (the
configured ``public_base_url``, else the address the server was reached on, as the socket
says), and a redirect's ``Location`` is made relative. On top of that, a request whose
``Host`` is not trusted is refused with a 400 (JSON, or a page for a browser), so no cache
keyed on the host can be filled with answers to a forged one.

Trusted: the host of ``public_base_url``; each of ``trusted_hosts`` (``"example.org"``,
``"example.org:8443"``, ``"*.example.org"``; ``"*"`` trusts any); and the address the server
listens on, as ``scope["server"]`` gives it (host and port; a loopback address also as
``localhost``), which is what ``make run``, the tests' client and the pages' in-process API
client all use, so the default needs no setting.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

import orjson

from search_core.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _parts(value: str) -> tuple[str, str]:
    """``"Example.org:8080"`` → ``("example.org", "8080")``; ``"[::1]"`` → ``("::1", "")``."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end], value[end + 1 :].removeprefix(":")
    if value.count(":") == 1:
        host, port = value.split(":")
        return host, port
    return value, ""  # a name, or a bare IPv6 address


def split_host(value: str, scheme: str) -> tuple[str, int | None]:
    """``"Example.org:8080"`` → ``("example.org", 8080)``; ``"[::1]"`` → ``("::1", 80)``.
    The port is None when it is not a number."""
    host, port = _parts(value)
    if not port:
        return host, DEFAULT_PORTS.get(scheme, 80)
    return host, int(port) if port.isdecimal() else None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(scheme: str, host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{shown}"
    return f"{scheme}://{shown}:{port}"


class HostPolicy:
    """The trusted hosts and the public address, from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.public_base_url = (
            settings.public_base_url.rstrip("/") if settings.public_base_url else None
        )
        self.any = "*" in settings.trusted_hosts
        self.exact: set[tuple[str, int | None]] = set()
        self.names: set[str] = set()
        self.suffixes: list[str] = []
        for pattern in settings.trusted_hosts:
            host, port = _parts(pattern)
            if host.startswith("*."):
                self.suffixes.append(host[1:])  # ".example.org"
            elif port:
                self.exact.add(split_host(pattern, "http"))
            elif host:
                self.names.add(host)  # any port
        if self.public_base_url:
            # a proxy in front may speak plain HTTP to the server: the scheme of the request
            # says nothing of the public one, so the name is trusted on any port unless the
            # base URL names its port
            netloc = urlsplit(self.public_base_url).netloc
            host, port = _parts(netloc)
            if port:
                self.exact.add(split_host(netloc, "http"))
            else:
                self.names.add(host)

    def trusted(self, host_header: str, scope: Scope) -> bool:
        """Is ``host_header`` a name this site answers to?"""
        if self.any:
            return True
        scheme = str(scope.get("scheme", "http"))
        host, port = split_host(host_header, scheme)
        if port is None or not host:
            return False
        if host in self.names or (host, port) in self.exact:
            return True
        if any(host.endswith(s) for s in self.suffixes):
            return True
        server = scope.get("server")
        if not server:
            return False
        served_host = str(server[0]).lower()
        served_port = server[1] if server[1] is not None else DEFAULT_PORTS.get(scheme, 80)
        if port != served_port:
            return False
        return host == served_host or (_loopback(served_host) and host in LOOPBACK_NAMES)

    def base_url(self, scope: Scope) -> str:
        """The site's address for links that leave the site (canonical, JSON-LD), without a
        trailing slash: ``public_base_url``, else the address the server was reached on (the
        socket's, never the ``Host`` header), else empty (links stay relative)."""
        if self.public_base_url:
            return self.public_base_url
        server = scope.get("server")
        if not server:
            return ""
        scheme = str(scope.get("scheme", "http"))
        return _origin(scheme, str(server[0]), server[1])


def _bad_host(host: str) -> str:
    shown = host if len(host) <= 100 else host[:100] + "…"
    return (
        f"the Host header {shown!r} is not a name this site answers to "
        "(see SEARCH_TRUSTED_HOSTS and SEARCH_PUBLIC_BASE_URL)"
    )


class TrustedHosts:
    """Refuses requests with an untrusted ``Host`` (400) and makes redirects relative."""

    def __init__(self, app: ASGIApp, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"host")
        host = raw.decode("latin-1") if raw is not None else None
        if host is not None and not self.policy.trusted(host, scope):
            await self._refuse(scope, receive, send, host, headers.get(b"accept", b""))
            return

        async def send_relative(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                message["headers"] = [
                    (k, _relative(v, host) if k.lower() == b"location" else v)
                    for k, v in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, send_relative)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, host: str, accept: bytes
    ) -> None:
        message = _bad_host(host)
        if b"text/html" in accept.split(b",")[0]:
            from fastapi import Request

            from search_api.pages.errors import error_page

            said = "This site does not answer to the host name in the address."
            title = "Unknown host name"
            response: Any = error_page(Request(scope, receive), 400, said, [], title)
            await response(scope, receive, send)
            return
        body = orjson.dumps(
            {
                "error": "invalid_host",
                "message": message,
                "details": [{"field": "Host", "message": message}],
            }
        )
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _relative(location: bytes, host: str | None) -> bytes:
    """An absolute ``Location`` on the request's own host, as a path (``/a?b``); any other
    left as it is."""
    try:
        url = urlsplit(location.decode("latin-1"))
    except ValueError:
        return location
    if not url.netloc or host is None or url.netloc.lower() != host.strip().lower():
        return location
    path = url.path or "/"
    query = f"?{url.query}" if url.query else ""
    fragment = f"#{url.fragment}" if url.fragment else ""
    return f"{path}{query}{fragment}".encode("latin-1")
