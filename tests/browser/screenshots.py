"""Screenshots of the site's main pages, desktop and phone, into docs/screenshots/.

``make screenshots`` (or ``python -m tests.browser.screenshots``): serves the index of the
settings (``make index`` builds it from fixtures/small) with uvicorn on a free port and drives
the system Chromium with Playwright.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import uvicorn

from search_api.app import create_app
from search_core.settings import PROJECT_ROOT, Settings
from tests.browser.conftest import DESKTOP, PHONE, bound_socket, find_chromium

PAGES = {
    "home": "/",
    "search": "/?q=anxiety&near=97214",
    "crisis": "/?q=i+want+to+kill+myself+portland",
    "nomatch": "/?q=xyzzy+plugh",
    "place": "/?q=anxiety&near=Portlnd",
    "profile": "/profile/t0002155?lat=45.5142&lon=-122.6364&unit=mi&place=97214",
    "city": "/cities/portland-or",
    "articles": "/blog?q=anxiety",
    "article": "/blog/generalized-anxiety-and-cbt",
}


def _shrink(path: Path) -> None:
    """256 colours, optimised: a page's flat colours survive, the file is a third the size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    executable = find_chromium()
    if executable is None:
        print("no Chromium found: apt-get install chromium (or set CHROMIUM)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    sock = bound_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings()), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            return 1
        time.sleep(0.05)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            for device, viewport, scale in (("desktop", DESKTOP, 1), ("phone", PHONE, 1)):
                context = browser.new_context(
                    base_url=f"http://127.0.0.1:{port}",
                    viewport=viewport,
                    device_scale_factor=scale,
                    is_mobile=device == "phone",
                )
                page = context.new_page()
                for name, url in PAGES.items():
                    page.goto(url)
                    path = args.out / f"{name}-{device}.png"
                    page.screenshot(path=str(path))
                    _shrink(path)
                    print(f"{path.relative_to(PROJECT_ROOT)}  {path.stat().st_size:,} bytes")
                context.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
