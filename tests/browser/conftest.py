"""Browser fixtures: a real uvicorn server over the session's small index on a free port, and
Debian's Chromium driven by Playwright (the system browser: nothing is downloaded).

The Chromium is ``$CHROMIUM`` or the first of /usr/bin/chromium, /usr/bin/chromium-browser
(``make install`` installs Debian's ``chromium`` when it is missing and it can); without one,
these tests are skipped with that reason. axe-core comes from npm (tests/browser/package.json,
installed by ``make install``).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from search_api.app import create_app
from search_core.settings import Settings

HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
PHONE: Any = {"width": 360, "height": 740}
DESKTOP: Any = {"width": 1280, "height": 900}
WAIT_MS = 30_000
"""How long an action or an expectation waits for its condition: a bound for a page that never
gets there, not a speed target (on a busy machine a page can take seconds)."""


def find_chromium() -> str | None:
    candidates = [os.environ.get("CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


def bound_socket() -> socket.socket:
    """A socket bound to a port the kernel picks on 127.0.0.1, kept open for the server: a port
    chosen first and bound later could be taken by another program in between."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def start_server(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, str]:
    """The site served by uvicorn in a thread of this process, as ``make run`` serves it; waits
    until it has started (generously: the machine may be busy)."""
    sock = bound_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            sock.close()
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="package")
def base_url(small_index: Settings) -> Iterator[str]:
    """The site served by uvicorn in a thread of this process, as ``make run`` serves it."""
    server, thread, url = start_server(small_index)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Playwright's sync API runs an event loop in this thread while it is started: stopped
    after the last browser test, so that the tests after them can run their own loops (one
    Chromium for them all)."""
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium found (install Debian's `chromium`, or set CHROMIUM=/path)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield b
        b.close()


class Watched:
    """A page with the console errors (CSP refusals among them) and failed requests it met."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def _context(browser: Any, base_url: str, **options: Any) -> Iterator[Watched]:
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(WAIT_MS)
    watched = Watched(context.new_page())
    try:
        yield watched
    finally:
        context.close()


@pytest.fixture
def desktop(browser: Any, base_url: str) -> Iterator[Watched]:
    yield from _context(browser, base_url, viewport=DESKTOP)


@pytest.fixture
def phone(browser: Any, base_url: str) -> Iterator[Watched]:
    yield from _context(
        browser, base_url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )


@pytest.fixture
def no_js(browser: Any, base_url: str) -> Iterator[Watched]:
    yield from _context(browser, base_url, viewport=DESKTOP, java_script_enabled=False)


@pytest.fixture
def axe_page(browser: Any, base_url: str) -> Iterator[Watched]:
    """A page that lets the test inject axe-core (an inline script the page CSP refuses)."""
    if not AXE.is_file():
        pytest.skip(f"{AXE} is missing: run `make install` (npm ci in tests/browser)")
    yield from _context(browser, base_url, viewport=DESKTOP, bypass_csp=True)
