"""Generated initials avatars, the picture of every therapist without a photo of their own
(``photo_url`` in the API points here then)."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from search_api.avatars import avatar_svg
from search_api.deps import Services, services
from search_api.errors import ERROR_RESPONSES

router = APIRouter(prefix="/avatars", tags=["therapists"])

SVG_CSP = "default-src 'none'; frame-ancestors 'none'"
"""An SVG opened as a page of its own runs nothing and loads nothing."""


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


@router.get(
    "/{therapist_id}.svg",
    response_class=Response,
    responses={
        200: {
            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
            "description": "The avatar: the therapist's initials on a colour of their id.",
        },
        304: {"description": "Unchanged since the ETag sent in If-None-Match."},
        **ERROR_RESPONSES,
    },
    summary="A therapist's generated initials avatar (SVG)",
)
async def avatar(
    request: Request,
    therapist_id: Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")],
    svc: Services = Depends(services),
) -> Response:
    """The picture `photo_url` names for a therapist without a photo. Cached like therapist
    details (`Cache-Control`), with an `ETag`; 404 for an unknown id."""
    therapist = await svc.backend.get_therapist(therapist_id)
    body = avatar_svg(therapist.id, therapist.name)
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Content-Security-Policy": SVG_CSP}
    if svc.settings.cache_seconds:
        headers["Cache-Control"] = f"public, max-age={svc.settings.cache_seconds}"
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="image/svg+xml", headers=headers)
