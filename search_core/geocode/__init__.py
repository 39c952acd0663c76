"""Offline geocoding of what people type in a "near" box, from the Location records.

:class:`Geocoder` is built once from every state, city and ZIP code location (about 72k records,
well under a second) into dict indexes, so :meth:`Geocoder.resolve` is a few dict lookups. It
accepts::

    97214   97214-1234   Portland, OR 97214          ZIP codes (ZIP+4 and a leading address too)
    Portland, OR   Portland OR   Portland, Oregon    a city in a state
    portland       PORTLAND                          the most populous city of that name
    Oregon   OR                                      a state, when the text is exactly one

Matching ignores case, accents, punctuation and spacing, and treats "St."/"Saint",
"Ste."/"Sainte", "Ft."/"Fort" and "Mt."/"Mount" alike. Unknown places raise
:class:`~search_core.errors.NotFound` with up to three close names to try.

:class:`OnlineGeocoder` resolves street addresses through Nominatim; it is off unless configured.

The parts: :mod:`~search_core.geocode.place` (the result), :mod:`~search_core.geocode.names`
(folding names into keys), :mod:`~search_core.geocode.records` (Location records read into
places), :mod:`~search_core.geocode.offline` (:class:`Geocoder`) and
:mod:`~search_core.geocode.online`; this module re-exports their public names.
"""

from search_core.geocode.names import MAX_TEXT, STATE_KEYS, name_key, tokens
from search_core.geocode.names import long_key as _long_key
from search_core.geocode.offline import (
    MAX_SUGGESTIONS,
    SHORT_PREFIX,
    SUGGESTED_NAMES,
    SUGGESTION_CUTOFF,
    Geocoder,
)
from search_core.geocode.online import ONLINE_DISABLED, OnlineGeocoder, require_online
from search_core.geocode.place import Place, PlaceKind

__all__ = [
    "MAX_SUGGESTIONS",
    "MAX_TEXT",
    "ONLINE_DISABLED",
    "SHORT_PREFIX",
    "STATE_KEYS",
    "SUGGESTED_NAMES",
    "SUGGESTION_CUTOFF",
    "Geocoder",
    "OnlineGeocoder",
    "Place",
    "PlaceKind",
    "_long_key",
    "name_key",
    "require_online",
    "tokens",
]
