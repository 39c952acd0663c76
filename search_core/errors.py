"""The error hierarchy. Engines translate their own exceptions into these; the API maps them to
HTTP in one place and the CLI to exit codes."""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error this product raises on purpose."""

    def __init__(
        self, *args: object, field: str | None = None, suggestions: tuple[str, ...] = ()
    ) -> None:
        super().__init__(*args)
        self.field = field
        """The request parameter the error is about, when one is (``zip``, ``radius``)."""
        self.suggestions = suggestions
        """What to try instead, when something is known (close place names)."""


class InvalidQuery(SearchError):
    """The request is malformed or asks for something out of bounds (HTTP 422)."""


class NotFound(SearchError):
    """No document, location or index version with that key (HTTP 404)."""


class BackendUnavailable(SearchError):
    """The engine cannot be reached or no index has been built yet (HTTP 503)."""


class EngineFailed(BackendUnavailable):
    """The engine refused or failed a well-formed request for a reason of its own: one of its
    settings forbids the query, a script failed there, a limit of its configuration was hit
    (HTTP 503; the message names the setting or the failure, never the caller)."""


class PartialResults(EngineFailed):
    """Some shards of the cluster failed: the answer would be incomplete (wrong totals, facets
    and pages), so it is not served (HTTP 503)."""


class BackendTimeout(SearchError):
    """The engine did not answer in time (HTTP 504)."""


class IndexingError(SearchError):
    """A load could not be completed; the serving index was left as it was."""


class MappingError(SearchError):
    """A mapping file uses something the engine cannot honour and does not list as unsupported."""
