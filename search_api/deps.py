"""What routes share: the backend, the settings and the offline geocoder, held for the life of
the application."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import anyio.to_thread
from fastapi import Request, Response

from search_api.rendering import RenderedOnce
from search_core.backend import SearchBackend
from search_core.geocode import Geocoder
from search_core.locating import load_geocoder
from search_core.settings import Settings
from search_core.suggesting import corrector_for


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
        when a new locations version starts serving: by the first request that sees the new
        version, with the dictionaries of the search box and the typeahead (about 1.2 s for
        the small set's 70,000 locations). Requests that come while it is being built answer
        with the geocoder that served until then rather than wait for it."""
        version = await self.backend.version("locations")
        if self._geocoder is not None and version == self._geocoder_version:
            return self._geocoder
        if self._geocoder is not None and self._lock.locked():
            return self._geocoder
        async with self._lock:
            if self._geocoder is None or version != self._geocoder_version:
                geocoder = await load_geocoder(self.backend)
                # in a worker thread, not on the event loop, which goes on answering
                await anyio.to_thread.run_sync(corrector_for, geocoder)
                self._geocoder, self._geocoder_version = geocoder, version
        assert self._geocoder is not None
        return self._geocoder


async def services(request: Request) -> Services:
    svc: Services = request.app.state.services
    return svc


def cacheable(response: Response, svc: Services) -> None:
    """Mark a response that only changes when the index does (browse pages, details)."""
    if svc.settings.cache_seconds:
        response.headers["Cache-Control"] = f"public, max-age={svc.settings.cache_seconds}"
