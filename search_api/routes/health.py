"""Health: which engine and which index versions are serving."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from search_api.deps import Services, services

router = APIRouter(tags=["health"])


@router.get("/health", summary="Engine, index versions and document counts")
async def health(svc: Services = Depends(services)) -> JSONResponse:
    body: dict[str, Any] = await svc.backend.health()
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)
