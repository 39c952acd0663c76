"""What routes share: the backend, the settings and the offline geocoder, held for the life of
the application."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from fastapi import Request, Response

from search_api.rendering import RenderedOnce
from search_core.backend import SearchBackend
from search_core.geocode import Geocoder
from search_core.settings import Settings


@dataclass
class Services:
    settings: Settings
    backend: SearchBackend
    _geocoder: Geocoder | None = None
    _geocoder_version: str | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    rendered: RenderedOnce = field(default_factory=RenderedOnce)
    """Browse lists as JSON, rendered once per list the backend hands out."""

    async def geocoder(self) -> Geocoder:
        """Built from the locations index (at start-up, see ``create_app``) and built again
        when a new locations version starts serving."""
        version = await self.backend.version("locations")
        if self._geocoder is None or version != self._geocoder_version:
            async with self._lock:
                if self._geocoder is None or version != self._geocoder_version:
                    self._geocoder = await self.backend.build_geocoder()
                    self._geocoder_version = version
        assert self._geocoder is not None
        return self._geocoder


async def services(request: Request) -> Services:
    svc: Services = request.app.state.services
    return svc


def cacheable(response: Response, svc: Services) -> None:
    """Mark a response that only changes when the index does (browse pages, details)."""
    if svc.settings.cache_seconds:
        response.headers["Cache-Control"] = f"public, max-age={svc.settings.cache_seconds}"
