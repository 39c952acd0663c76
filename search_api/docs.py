"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served whole by
the app: their scripts and styles come from the ``fastapi-offline`` package the install brings
(under ``/static-docs``), not from a CDN, so they work on a machine with no internet.

The pages hold no inline script (each starts its viewer from a file under ``/static``) and send
a Content Security Policy that allows only this site's files; the two viewers do need inline
styles (they set element styles as they draw), data: images and, for ReDoc's search, a
``blob:`` worker.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape

DOCS_ASSETS = Path(str(files("fastapi_offline") / "static"))
"""swagger-ui-bundle.js, swagger-ui.css and redoc.standalone.js, as the package ships them."""
ASSETS_URL = "/static-docs"
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
"""The one thing ReDoc's bundle would fetch from the internet (its "powered by" logo, which
no option turns off): served with this site's icon in its place."""

DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)

SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API documentation</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
</head>
<body>
<div id="swagger-ui" data-openapi="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""

REDOC = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API reference</title>
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
</head>
<body>
<redoc spec-url="{openapi}"></redoc>
<script src="{assets}/redoc.standalone.js"></script>
</body>
</html>
"""


def _page(template: str, app: FastAPI) -> HTMLResponse:
    html = template.format(
        title=escape(app.title), assets=ASSETS_URL, openapi=escape(app.openapi_url or "")
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCS_CSP})


@cache
def redoc_bundle() -> bytes:
    """ReDoc's standalone bundle with its logo taken from this site."""
    return (
        (DOCS_ASSETS / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO, b"/static/icon.svg")
    )


def install(app: FastAPI) -> None:
    """``/docs``, ``/redoc`` and their files on ``app`` (created with ``docs_url=None`` and
    ``redoc_url=None``, so FastAPI's CDN pages are not there)."""

    @app.get(f"{ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    async def redoc_js() -> Response:
        return Response(
            redoc_bundle(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount(ASSETS_URL, StaticFiles(directory=DOCS_ASSETS), name="static-docs")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _page(SWAGGER, app)

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _page(REDOC, app)
