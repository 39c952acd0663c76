"""Sending a result model as the response body, serialised once.

A route that returns a model lets FastAPI dump it to Python objects, validate those against
the route's ``response_model`` again, serialise them and encode them with the standard
library's ``json``: 0.43 ms for a page of ten therapists, against 0.14 ms for pydantic's own
``model_dump_json`` of the same page (the same JSON; measured in-process over the benchmark
workload's full searches). The routes that serve search pages return :func:`rendered`; their
``response_model`` still documents the body in the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from fastapi import Response
from pydantic import BaseModel

from search_core.contact import SHOW_AVATARS

API_CONTEXT = {SHOW_AVATARS: True}
"""How answers are serialised: a therapist without a photo names the generated avatar."""


def rendered(model: BaseModel, headers_from: Response | None = None) -> Response:
    """``model`` as a JSON response; headers set on ``headers_from`` (the route's injected
    ``Response``, e.g. ``Cache-Control``) are kept, as FastAPI keeps them for a model."""
    return json_response(
        model.model_dump_json(by_alias=True, context=API_CONTEXT).encode(), headers_from
    )


def json_response(body: bytes, headers_from: Response | None = None) -> Response:
    """JSON already rendered as a response, with the headers of ``headers_from`` (see
    :func:`rendered`)."""
    out = Response(body, media_type="application/json")
    if headers_from is not None:
        out.headers.raw.extend(
            (k, v) for k, v in headers_from.headers.raw if k.lower() != b"content-length"
        )
    return out


class RenderedOnce:
    """The JSON of answers a backend hands out as the same object while their data is
    unchanged (browse lists: see :func:`search_core.browsing.states`), rendered once per object.
    A state's list of cities is up to 863 entries, 86 KB: 0.4 ms to serialise each time.

    Kept per ``key`` (one entry for the states, one per state), each with the object it was
    rendered from: a new object (a new index version, an edit, or a backend that builds its
    lists afresh each time) is rendered again and replaces it."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[object, bytes]] = {}

    def get(self, key: Hashable, data: object, make: Callable[[], BaseModel]) -> bytes:
        kept = self._kept.get(key)
        if kept is not None and kept[0] is data:
            return kept[1]
        body = make().model_dump_json(by_alias=True, context=API_CONTEXT).encode()
        self._kept[key] = (data, body)
        return body
