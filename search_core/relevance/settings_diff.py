"""What two tunings set differently, knob by knob, and which knobs a tuning file leaves to the
model's built-in defaults where those differ from ``tunings/default.json`` (the trap of a file
written before a knob existed: it silently takes the built-in value, not the API's)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search_core.relevance.knobs import NOT_KNOBS, leaves
from search_core.tuning import DEFAULT_TUNING_PATH, Tuning, resolved_file


def settings(tuning: Tuning) -> dict[str, Any]:
    """Every knob of ``tuning`` by dotted path (``distance.scale_km``), its name left out."""
    return {
        path: value
        for path, value in leaves(tuning.model_dump())
        if path.split(".")[0] not in NOT_KNOBS
    }


def fingerprint(tuning: Tuning) -> str:
    """A short hash of the knobs (not the name): equal for tunings that rank alike."""
    text = repr(sorted(settings(tuning).items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class KnobDiff:
    knob: str
    a: Any
    b: Any


def diff(a: Tuning, b: Tuning) -> list[KnobDiff]:
    """The knobs ``a`` and ``b`` set differently (a field only one of them searches shows as
    ``None`` on the other side), in knob order."""
    sa, sb = settings(a), settings(b)
    keys = list(dict.fromkeys([*sa, *sb]))
    return [KnobDiff(k, sa.get(k), sb.get(k)) for k in keys if sa.get(k) != sb.get(k)]


def implicit_defaults(path: Path, reference: Path = DEFAULT_TUNING_PATH) -> list[KnobDiff]:
    """Knobs the file ``path`` (with its bases) does not set, whose built-in default (``a``)
    differs from the value in ``reference`` (``b``, default: ``tunings/default.json``)."""
    if path.resolve() == reference.resolve():
        return []
    data = resolved_file(path)
    given = {p for p, _ in leaves(data)}
    built_in = settings(Tuning.model_validate(data))
    ref = settings(Tuning.load(reference))
    out = []
    for knob, value in built_in.items():
        if knob not in given and value != ref.get(knob):
            out.append(KnobDiff(knob, value, ref.get(knob)))
    return out


FIELD_MAPS = ("therapist_fields.", "article_fields.")


def show(knob: str, value: Any) -> str:
    """A knob's value as printed: a field a map does not hold is ``(not searched)``."""
    if value is None:
        return "(not searched)" if knob.startswith(FIELD_MAPS) else "null"
    return str(value)


def format_diff(a: Tuning, b: Tuning) -> list[str]:
    """Lines: ``settings that differ (A = ..., B = ...)`` and a table, or that none do."""
    found = diff(a, b)
    if not found:
        return [f"settings: A ({a.name}) and B ({b.name}) set every knob alike"]
    width = max(len(d.knob) for d in found)
    wa = max(len(show(d.knob, d.a)) for d in found)
    lines = [f"settings that differ (A = {a.name}, B = {b.name}):"]
    lines += [
        f"  {d.knob.ljust(width)}  {show(d.knob, d.a).rjust(wa)} -> {show(d.knob, d.b)}"
        for d in found
    ]
    return lines


def format_implicit(path: Path, label: str) -> list[str]:
    """A warning line per knob ``path`` leaves to a built-in default unlike default.json's."""
    return [
        f"note: {label} ({path}) does not set {d.knob}: it takes the built-in {d.a!r}, "
        f'not default.json\'s {d.b!r} (add "extends": "default" to inherit the API\'s)'
        for d in implicit_defaults(path)
    ]


def _patch(base: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The JSON Merge Patch that turns ``base`` into ``new``."""
    out: dict[str, Any] = {k: None for k in base if k not in new}
    for key, value in new.items():
        old = base.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            sub = _patch(old, value)
            if sub:
                out[key] = sub
        elif value != old or key not in base:
            out[key] = value
    return out


def write_changes(tuning: Tuning, base: Tuning, base_path: Path, out: Path) -> Path:
    """Write ``tuning`` as ``{"extends": <base>, <what it changes>}`` when the base is a
    tuning ``out`` can name (next to ``out`` or in ``tunings/``), else in full."""
    out.parent.mkdir(parents=True, exist_ok=True)
    folders = {out.parent.resolve(), DEFAULT_TUNING_PATH.parent.resolve()}
    if base_path.parent.resolve() in folders:
        data = {"extends": base_path.stem, "name": tuning.name}
        data |= _patch(base.model_dump(exclude={"name"}), tuning.model_dump(exclude={"name"}))
        out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        if settings(Tuning.load(out)) == settings(tuning):
            return out
    tuning.dump(out)
    return out
