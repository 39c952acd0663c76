"""What routes share: the backend, the settings and the offline geocoder, held for the life of
the application."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from fastapi import Request, Response

from search_core.backend import SearchBackend
from search_core.geocode import Geocoder
from search_core.settings import Settings


@dataclass
class Services:
    settings: Settings
    backend: SearchBackend
    _geocoder: Geocoder | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def geocoder(self) -> Geocoder:
        """Built from the locations index on first use, then kept."""
        if self._geocoder is None:
            async with self._lock:
                if self._geocoder is None:
                    self._geocoder = Geocoder.from_locations(await self.backend.locations())
        return self._geocoder


def services(request: Request) -> Services:
    svc: Services = request.app.state.services
    return svc


def cacheable(response: Response, svc: Services) -> None:
    """Mark a response that only changes when the index does (browse pages, details)."""
    if svc.settings.cache_seconds:
        response.headers["Cache-Control"] = f"public, max-age={svc.settings.cache_seconds}"
