"""Typeahead: therapist names, issues, therapy types, insurance plans, languages, cities, ZIP
codes and article titles.

Clients fire several requests a second and may get the answers out of order, so every answer
echoes the prefix it answers, exactly as sent.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from search_api.deps import Services, services
from search_api.errors import ERROR_RESPONSES
from search_api.rendering import rendered
from search_core.queries import SuggestQuery
from search_core.results import SuggestPage
from search_core.suggesting import suggest as suggest_for

router = APIRouter(tags=["typeahead"])

MAX_PREFIX = 50
MAX_SIZE = 20


@router.get(
    "/suggest",
    response_model=SuggestPage,
    responses=ERROR_RESPONSES,
    summary="Typeahead suggestions for what has been typed so far",
)
async def suggest(
    q: Annotated[
        str,
        Query(
            max_length=MAX_PREFIX,
            description="What has been typed so far; echoed back as `prefix`, exactly. Empty "
            "(or only spaces): no suggestions, so a client need not guard an empty box",
        ),
    ],
    size: Annotated[int, Query(ge=1, le=MAX_SIZE, description="At most this many")] = 8,
    svc: Services = Depends(services),
) -> Response:
    """Each suggestion has a `type` and a `target`: the API path to follow when it is chosen.
    Issues, therapy types, insurance plans (`blue` → Blue Cross Blue Shield, type `insurance`)
    and languages (`span` → Spanish, type `language`) are filter values: their target searches
    with that filter. A typo in the last word (4 letters or more) is forgiven: the corrected
    prefix's suggestions follow, said in `corrected_prefix`. Words that say someone may be
    harmed now set `crisis`, as a search's do."""
    started = time.perf_counter()
    if not q.strip():
        return rendered(SuggestPage(prefix=q, suggestions=[], took_ms=0.0))
    SuggestQuery(prefix=q, size=size)  # the limits, checked before the geocoder loads
    geocoder = await svc.geocoder()
    page = await suggest_for(svc.backend, geocoder, q, size)
    took = round((time.perf_counter() - started) * 1000, 2)
    return rendered(page.model_copy(update={"took_ms": took}))
