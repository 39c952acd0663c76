"""The result of understanding a search text: what was understood, shown back to the searcher.

Every :class:`Piece` quotes the words it came from as typed and the filter it sets in the API's
own query parameter names, so a page can show it as a removable chip (removing the chip =
repeating the search with that parameter off and ``understand=false`` for those words, or with
the words deleted from the box).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from search_core.queries import GeoFilter, TherapistFilters
from search_core.understanding.crisis_words import CrisisKind
from search_core.understanding.lexicon import Kind

FilterValue = str | int | float | bool | list[str]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Piece(_Frozen):
    kind: Kind
    text: str
    """The words it came from, as typed."""
    filter: dict[str, FilterValue] = {}
    """What it sets, as API query parameters (``{"languages": "spanish"}``, ``{"zip": "97214"}``);
    empty for filler and for boost-only pieces."""
    label: str = ""
    """Human name of what was understood ("Spanish", "Portland, OR")."""
    hard: bool = False
    """True: a filter; False: only a boost (its words stay in :attr:`Understanding.text`)."""
    corrected_from: str | None = None
    """The typed words when a typo was forgiven ("anxeity")."""
    hint: dict[str, FilterValue] = {}
    """A boost-only piece: the filter its words hint at (``{"issues": "self-harm"}`` for
    "cutting"); the relaxation tries it in place of the words when they find nothing."""


class Correction(_Frozen):
    typed: str
    corrected: str
    kind: Literal["vocabulary", "place"]


class FoundPlace(_Frozen):
    kind: Literal["zip", "city", "state", "near_me"]
    label: str
    state: str | None
    lat: float | None
    lon: float | None
    population: int | None = None
    text: str
    """The words it came from, as typed."""
    radius_mi: float | None = None
    """A neighbourhood's own radius (searched when no distance was typed); None: the default."""
    alternatives: list[str] = []
    """Other places the words could mean, most likely first ("Capitol Hill, Denver, CO" for
    "capitol hill", taken as Seattle's): type one with its city or state to search it."""


class CrisisSignal(_Frozen):
    """Words that say someone may be harmed now (see :mod:`.crisis`): help goes first."""

    kinds: list[CrisisKind]
    """What was recognised, the most serious first."""
    matched: list[str]
    """The words it was recognised in, as typed."""
    strong: bool
    """Risk language in the first person or about someone close now ("kill myself", "my son
    is cutting himself"), not only the name of the subject ("suicide")."""
    child: bool = False
    """A child or teen is involved (abuse: Childhelp)."""
    spanish: bool = False
    """Recognised in Spanish words (the Spanish line first)."""


class Understanding(_Frozen):
    original: str
    pieces: list[Piece]
    filters: TherapistFilters
    """Understood filters merged with the caller's explicit ones (explicit win per parameter)."""
    explicit: TherapistFilters
    """The caller's explicit filters alone (relaxation never drops these)."""
    place: FoundPlace | None
    near: GeoFilter | None
    """The area to search: a city, ZIP or "near me" with the default radius. None for a state,
    which filters by ``licensed_in`` instead."""
    text: str | None
    """Words left for full-text search (filler, places and filter words removed)."""
    rank_text: str | None = None
    """Words left over that only rank, never required: ordinary words ("daughter",
    "affordable", a stray letter) that would shrink the page to the bios using them."""
    boost_phrases: list[str] = []
    """Vocabulary labels of hard issue / therapy type / population pieces: an optional
    should-clause so bios that stress the asked-for issue rank first among the filtered."""
    corrections: list[Correction] = []
    corrected_query: str | None = None
    """The query as understood after typo correction ("showing results for ...")."""
    notes: list[str] = []
    crisis: CrisisSignal | None = None
    """Set when the text says someone may be harmed now: show crisis help before the results.
    Then the words not read as a filter or a place are not searched (no name is matched on
    them) and the crisis words filter by their issue ("kill myself": Suicidal Thoughts)."""

    def pieces_of(self, kind: Kind) -> list[Piece]:
        return [p for p in self.pieces if p.kind == kind]
