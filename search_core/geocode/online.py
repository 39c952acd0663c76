"""Street addresses through OpenStreetMap's Nominatim (geopy): off unless configured."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_core.errors import BackendTimeout, BackendUnavailable, InvalidQuery, NotFound
from search_core.geocode.names import STATE_KEYS, check_text, name_key
from search_core.geocode.place import Place
from search_core.slugs import slugify
from search_core.vocabulary import US_STATES

ONLINE_DISABLED = "street addresses need the online geocoder; set SEARCH_ONLINE_GEOCODER=true"


def require_online(enabled: bool) -> None:
    """Raise :class:`InvalidQuery` unless the online geocoder is switched on."""
    if not enabled:
        raise InvalidQuery(ONLINE_DISABLED)


class OnlineGeocoder:
    """Street addresses through OpenStreetMap's Nominatim (geopy). Never used by default.

    Nominatim's usage policy asks for an identifying user agent and at most one request a second;
    callers should cache results.
    """

    def __init__(
        self,
        user_agent: str,
        timeout: float = 5.0,
        *,
        domain: str = "nominatim.openstreetmap.org",
    ) -> None:
        from geopy.geocoders import Nominatim

        if not user_agent.strip():
            raise ValueError("Nominatim needs an identifying user agent")
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.user_agent = user_agent
        self.timeout = timeout
        self._client = Nominatim(user_agent=user_agent, timeout=timeout, domain=domain)

    def resolve(self, address: str) -> Place:
        """The US address ``address``; NotFound when Nominatim knows none in the 50 states + DC."""
        from geopy.exc import GeocoderTimedOut, GeopyError

        text = check_text(address)
        try:
            found = self._client.geocode(
                text, exactly_one=True, addressdetails=True, country_codes="us"
            )
        except GeocoderTimedOut as exc:
            raise BackendTimeout(f"the online geocoder did not answer in time: {exc}") from exc
        except GeopyError as exc:
            raise BackendUnavailable(f"the online geocoder failed: {exc}") from exc
        if found is None:
            raise NotFound(f"no address {text!r}")
        return _address_place(text, found.raw, float(found.latitude), float(found.longitude))


def _address_place(text: str, raw: Mapping[str, Any], lat: float, lon: float) -> Place:
    details = raw.get("address") or {}
    iso = str(details.get("ISO3166-2-lvl4", ""))
    state = iso[3:] if iso.startswith("US-") else STATE_KEYS.get(name_key(details.get("state", "")))
    if state is None or state not in US_STATES:
        raise NotFound(f"no address {text!r} in the 50 states and DC")
    label = str(raw.get("display_name") or text)
    return Place(
        kind="address",
        name=text,
        slug=slugify(label)[:120].strip("-") or "address",
        state=state,
        label=label,
        lat=lat,
        lon=lon,
    )
