"""One place where errors become HTTP: every error body says what was wrong.

Body: ``{"error": "<code>", "message": "<sentence>", "details": [{"field": ..., "message": ...,
"suggestions": [...]}]}``. One status per kind of error: 422 ``invalid_parameters`` for any
parameter that is missing, malformed, out of range or contradicts another (whether pydantic or
the use case found it), 404 ``not_found`` for an unknown id, slug, ZIP code or city, 403
``analyst_only``, 503 ``engine_unavailable``, 504 ``engine_timeout``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from search_api.analyst import AnalystOnly
from search_core.errors import (
    BackendTimeout,
    BackendUnavailable,
    EngineFailed,
    InvalidQuery,
    NotFound,
    PartialResults,
    SearchError,
)

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    field: str | None = Field(
        None, description="The parameter at fault (`size`, `zip`); null when it is the request."
    )
    message: str = Field(description="What is wrong with it.")
    suggestions: list[str] = Field(
        default_factory=list,
        description='What to send instead, when something close is known ("Portland, OR" for '
        "`near=Portlnd`).",
    )


class ErrorBody(BaseModel):
    error: str = Field(
        description="The kind: invalid_parameters (422), not_found (404), analyst_only (403), "
        "method_not_allowed (405), engine_unavailable (503), engine_timeout (504), "
        "internal_error (500)."
    )
    message: str = Field(description="What was wrong, in one sentence.")
    details: list[ErrorDetail] = Field(
        default_factory=list, description="One entry per parameter at fault."
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "A tuning was asked for without the analyst key."},
    404: {"model": ErrorBody, "description": "Nothing with that key."},
    422: {
        "model": ErrorBody,
        "description": "A parameter is missing, malformed, out of range or contradicts another.",
    },
    503: {
        "model": ErrorBody,
        "description": "The engine is unreachable, has no index yet, failed the request for a "
        "reason of its own (engine_failed: the message names the cluster setting or failure) "
        "or could answer only in part (partial_results: never served as complete).",
    },
    504: {
        "model": ErrorBody,
        "description": "The engine did not answer in time (or timed out part-way: a partial "
        "answer is not served).",
    },
}

_STATUS: list[tuple[type[SearchError], int, str]] = [
    (AnalystOnly, 403, "analyst_only"),
    (InvalidQuery, 422, "invalid_parameters"),
    (NotFound, 404, "not_found"),
    (PartialResults, 503, "partial_results"),
    (EngineFailed, 503, "engine_failed"),
    (BackendUnavailable, 503, "engine_unavailable"),
    (BackendTimeout, 504, "engine_timeout"),
]


def error_response(
    status: int, code: str, message: str, details: list[ErrorDetail] | None = None
) -> JSONResponse:
    body = ErrorBody(error=code, message=message, details=details or [])
    return JSONResponse(status_code=status, content=body.model_dump())


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("query", "path", "body")]
    return ".".join(parts) or None


def validation_details(errors: list[Any]) -> list[ErrorDetail]:
    out = []
    for e in errors:
        msg = str(e.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        out.append(ErrorDetail(field=_field(e.get("loc", ())), message=msg))
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = validation_details(list(exc.errors()))
        summary = "; ".join(f"{d.field}: {d.message}" if d.field else d.message for d in details)
        return error_response(422, "invalid_parameters", summary, details)

    @app.exception_handler(ValidationError)
    async def _model_invalid(_: Request, exc: ValidationError) -> JSONResponse:
        details = validation_details(list(exc.errors(include_url=False)))
        summary = "; ".join(f"{d.field}: {d.message}" if d.field else d.message for d in details)
        return error_response(422, "invalid_parameters", summary, details)

    @app.exception_handler(SearchError)
    async def _search_error(_: Request, exc: SearchError) -> JSONResponse:
        for cls, status, code in _STATUS:
            if isinstance(exc, cls):
                details = []
                if exc.field is not None or exc.suggestions:
                    details = [
                        ErrorDetail(
                            field=exc.field, message=str(exc), suggestions=list(exc.suggestions)
                        )
                    ]
                return error_response(status, code, str(exc), details)
        # An engine error with no status of its own: its text may name files or hosts.
        log.error("unmapped engine error: %r", exc)
        return error_response(500, "internal_error", "the engine failed to answer this request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))
