"""Knobs by dotted path: ``phrase_boost``, ``distance.scale_km``, ``therapist_fields.bio``.

A tuning is a frozen pydantic model; :func:`with_knobs` returns a validated copy with some knobs
changed, so a search over knobs can never produce a tuning the engines would not accept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from search_core.errors import InvalidQuery
from search_core.tuning import Tuning

KnobValue = float | int | bool | str | None
NOT_KNOBS = frozenset({"name"})
"""Fields of :class:`Tuning` that label a tuning rather than change a ranking."""


def knob_paths(tuning: Tuning | None = None) -> list[str]:
    """Every knob of ``tuning`` (default: the model's defaults) as a dotted path."""
    data = (tuning or Tuning()).model_dump()
    return [path for path, _ in leaves(data) if path.split(".")[0] not in NOT_KNOBS]


def leaves(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every non-object value under ``data``."""
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from leaves(value, path + ".")
        else:
            yield path, value


def _split(path: str) -> tuple[str, str | None]:
    """``therapist_fields.author.name`` → (``therapist_fields``, ``author.name``): field maps
    have dotted keys of their own, so only the first dot separates."""
    head, _, rest = path.partition(".")
    return head, rest or None


def get_knob(tuning: Tuning, path: str) -> Any:
    head, rest = _split(path)
    if head not in Tuning.model_fields or head in NOT_KNOBS:
        raise InvalidQuery(f"unknown knob {path!r}; knobs: {', '.join(knob_paths())}")
    value = getattr(tuning, head)
    if rest is None:
        return value.model_dump() if isinstance(value, BaseModel) else value
    if isinstance(value, BaseModel):
        if rest not in type(value).model_fields:
            raise InvalidQuery(f"unknown knob {path!r}")
        return getattr(value, rest)
    if isinstance(value, dict):
        return value.get(rest)
    raise InvalidQuery(f"knob {head!r} has no part {rest!r}")


def with_knobs(tuning: Tuning, changes: Mapping[str, Any], name: str | None = None) -> Tuning:
    """A validated copy of ``tuning`` with the knobs at the given paths set.

    A field-map path (``therapist_fields.bio``) sets that field's boost and adds the field if
    the map lacks it; a value of ``None`` removes the field from the map.
    """
    data = tuning.model_dump()
    for path, value in changes.items():
        head, rest = _split(path)
        if head not in Tuning.model_fields or head in NOT_KNOBS:
            raise InvalidQuery(f"unknown knob {path!r}; knobs: {', '.join(knob_paths())}")
        if rest is None:
            data[head] = value
            continue
        part = data[head]
        if not isinstance(part, dict):
            raise InvalidQuery(f"knob {head!r} has no part {rest!r}")
        if head.endswith("_fields"):
            if value is None:
                part.pop(rest, None)
            else:
                part[rest] = value
        else:
            if rest not in part:
                raise InvalidQuery(f"unknown knob {path!r}; {head} has {', '.join(sorted(part))}")
            part[rest] = value
    if name is not None:
        data["name"] = name
    try:
        return Tuning.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InvalidQuery(f"invalid tuning: {problems}") from exc


def parse_value(text: str) -> KnobValue:
    """A knob value as typed on a command line: ``2``, ``0.5``, ``true``, ``null`` (removes a
    field from a field map)."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        value: KnobValue = json.loads(text)
    except json.JSONDecodeError:
        return text.strip()
    if value is None or isinstance(value, float | int | bool | str):
        return value
    raise InvalidQuery(f"a knob value must be a number, true/false or text, got {text!r}")


def parse_knob_spec(spec: str) -> tuple[str, list[KnobValue]]:
    """``"therapist_fields.bio=0.5,1,2"`` → (``"therapist_fields.bio"``, ``[0.5, 1, 2]``)."""
    path, sep, values = spec.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise InvalidQuery(f"a knob is PATH=V1,V2,...; got {spec!r}")
    parsed = [parse_value(v) for v in values.split(",") if v.strip()]
    get_knob(Tuning(), path.strip())  # unknown paths fail here, before any search runs
    return path.strip(), parsed


def diff(a: Tuning, b: Tuning) -> dict[str, tuple[Any, Any]]:
    """Knobs whose values differ: path → (value in ``a``, value in ``b``)."""
    left = dict(leaves(a.model_dump()))
    right = dict(leaves(b.model_dump()))
    out: dict[str, tuple[Any, Any]] = {}
    for path in sorted(set(left) | set(right)):
        if path.split(".")[0] in NOT_KNOBS:
            continue
        if left.get(path) != right.get(path):
            out[path] = (left.get(path), right.get(path))
    return out
