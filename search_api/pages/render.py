"""Templates to HTML responses: one Jinja2 environment with autoescaping on, the filters the
templates need, and the page Content Security Policy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from search_api.pages import links, wording
from search_api.pages.api import Api
from search_core.contact import AVATAR_PREFIX, display_phone

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


def set_page_headers(response: HTMLResponse) -> None:
    """Scripts and styles only from this site, no inline script or style, no framing: bios,
    names and comments are user-supplied text, and this is the second line of defence after
    escaping. Images from this site, or over https from anywhere: a therapist's own photo
    (``photo_url``) may live on another host (an image runs nothing)."""
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"


def marked(fragment: str) -> Markup:
    """A highlight fragment from the API: already HTML-escaped, with matches in ``<mark>``.
    Shown as markup only when ``<mark>`` and ``</mark>`` are its only tags; anything else is
    escaped whole (the API would be broken, the page still safe)."""
    rest = fragment.replace("<mark>", "").replace("</mark>", "")
    if "<" in rest or ">" in rest:
        return escape(fragment)
    return Markup(fragment)


def json_ld(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>`` and ``&`` are
    written as JSON escapes so that no text can close the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def long_date(value: str) -> str:
    """``2026-09-05`` or ``2026-09-05T00:08:32Z`` as ``5 September 2026``."""
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(
    marked=marked,
    json_ld=json_ld,
    long_date=long_date,
    paragraphs=paragraphs,
    phone=display_phone,
    counted=wording.counted,
    distance=wording.distance,
)
ENV.globals["AVATAR_PREFIX"] = AVATAR_PREFIX
ENV.globals["links"] = links


def page(
    request: Request, template: str, context: dict[str, Any], api: Api | None, status: int = 200
) -> HTMLResponse:
    """``template`` rendered with ``context`` (plus the request and the API calls made)."""
    html = ENV.get_template(template).render(
        request=request, api_calls=api.calls if api else [], **context
    )
    response = HTMLResponse(html, status_code=status)
    set_page_headers(response)
    return response
