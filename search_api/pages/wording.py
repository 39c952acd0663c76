"""The sentences the result pages write, in one place so that a test can read them over any
counts: "1 therapist", "20 therapists within 25 mi of 97214 (Portland, OR) · 19 more offer
online sessions in Oregon"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_core.wording import counted

__all__ = ["counted", "distance", "results_heading"]


def distance(value: float | int | None) -> str:
    """A distance or radius to one decimal, a whole number without it: 16.832 → "16.8",
    25.0 → "25"."""
    if value is None:
        return ""
    text = f"{float(value):,.1f}"
    return text.removesuffix(".0")


def _where(location: Mapping[str, Any]) -> str:
    label = location.get("label") or "your location"
    return f"within {distance(location.get('radius'))} {location.get('unit', 'mi')} of {label}"


def results_heading(results: Mapping[str, Any], q: str, states: Mapping[str, str]) -> str:
    """What a results page says it lists: in-person hits within the radius apart from the
    therapists who see clients online and are licensed in the state (``states``: state names
    by code)."""
    total = int(results.get("total", 0))
    location = results.get("location")
    online = int(results.get("total_online") or 0)
    in_person = int(results.get("total_in_person", total - online))
    if location is None:
        if total == 0:
            return f"No therapists match “{q}”" if q.strip() else "No therapists match"
        return counted(total, "therapist")
    where = _where(location)
    first = f"{counted(in_person, 'therapist')} {where}" if in_person else f"No therapists {where}"
    if not online:
        return first
    code = str(results.get("online_state") or "")
    state = states.get(code, code) or "your state"
    offer = "offers" if online == 1 else "offer"
    if in_person:
        return f"{first} · {online:,} more {offer} online sessions in {state}"
    return f"{first} · {counted(online, 'therapist')} licensed in {state} {offer} online sessions"
