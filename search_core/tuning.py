"""Every relevance knob in one model, read from a JSON file analysts copy and edit.

Both engines honour every knob: the Elasticsearch query builder renders them into the request
body, the embedded engine into Tantivy queries plus the distance and freshness blend it computes
itself. ``tunings/default.json`` is the API's default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from search_core.errors import InvalidQuery
from search_core.settings import PROJECT_ROOT

TUNINGS_DIR = PROJECT_ROOT / "tunings"
DEFAULT_TUNING_PATH = TUNINGS_DIR / "default.json"
BASE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
"""What ``extends`` may hold: a tuning's name, the stem of a file in a tunings folder."""
MSM_PATTERN = r"^(?:[1-9][0-9]?<)?-?[0-9]{1,3}%?$"
"""``minimum_should_match``: a count or percentage, optionally after ``N<``."""


class _Knobs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DistanceDecay(_Knobs):
    """Gaussian decay of relevance with distance to the nearest office (when a location is
    given and results sort by relevance): 1.0 within ``offset_km``, ``decay`` at
    ``offset_km + scale_km``."""

    scale_km: float = Field(15.0, gt=0, le=1000)
    offset_km: float = Field(2.0, ge=0, le=500)
    decay: float = Field(0.5, gt=0, lt=1)
    weight: float = Field(1.0, ge=0, le=1, description="0 turns the blend off.")


class Freshness(_Knobs):
    """Gaussian decay of relevance with the age of the listing's last confirmation."""

    scale_days: float = Field(365.0, gt=0)
    offset_days: float = Field(30.0, ge=0)
    decay: float = Field(0.5, gt=0, lt=1)
    weight: float = Field(0.15, ge=0, le=1, description="Share of the score it can take away.")


class Tuning(_Knobs):
    name: str = "default"
    therapist_fields: dict[str, float] = Field(
        default_factory=lambda: {
            "name": 3.0,
            "issue_labels": 4.0,
            "therapy_type_labels": 3.0,
            "profession_label": 1.5,
            "population_labels": 1.5,
            "age_group_labels": 1.0,
            "language_labels": 2.0,
            "insurance_labels": 2.0,
            "bio": 1.0,
        }
    )
    article_fields: dict[str, float] = Field(
        default_factory=lambda: {
            "title": 3.0,
            "summary": 2.0,
            "topic_labels": 2.0,
            "body": 1.0,
            "author.name": 2.0,
        }
    )
    phrase_boost: float = Field(2.0, ge=0, description="Extra weight of an exact phrase match.")
    phrase_slop: int = Field(1, ge=0, le=10)
    minimum_should_match: str = Field(
        "100%",
        pattern=MSM_PATTERN,
        description="How many of the search words (filler words aside) a match needs, in "
        "Elasticsearch's notation: '100%' all, '2' two, '-1' all but one, '75%' three in "
        "four (rounded down), '-25%', or 'N<spec': all of up to N words, spec above.",
    )
    fuzziness: Literal[0, 1, 2, "auto"] = Field(
        0,
        description="Edits (a transposition counts one) a word may differ by and still "
        "match: 0, 1 or 2 for words of fuzzy_min_length letters or more; 'auto': none under "
        "4 letters, 1 for 4 to 7, 2 from 8. Never for a word with a digit (ZIP codes).",
    )
    fuzzy_min_length: int = Field(5, ge=3, le=20)
    fuzzy_scope: list[str] | None = Field(
        None,
        description="The fields (of therapist_fields and article_fields) where a word may be "
        "corrected; null: all of them. Vocabulary words and places are corrected before the "
        "search (understanding); this knob is for what is left, such as names.",
    )
    fuzzy_boost: float = Field(
        0.2,
        ge=0,
        le=1,
        description="A corrected word's match: a constant, this share of its field's boost; "
        "an exact match of the word scores by BM25 on top, so it ranks above a corrected one.",
    )
    synonyms: bool = True
    tie_breaker: float = Field(0.3, ge=0, le=1, description="dis_max tie breaker across fields.")
    distance: DistanceDecay = DistanceDecay()
    freshness: Freshness = Freshness()
    accepting_new_clients_boost: float = Field(1.1, ge=1, le=10)

    @model_validator(mode="after")
    def _fuzzy_scope_is_searched(self) -> Tuning:
        searched = set(self.therapist_fields) | set(self.article_fields)
        unknown = sorted(set(self.fuzzy_scope or ()) - searched)
        if unknown:
            raise ValueError(f"fuzzy_scope {unknown} are not in therapist_fields or article_fields")
        return self

    def corrects(self, field: str) -> bool:
        """Whether a word searched in ``field`` may be corrected (see ``fuzzy_scope``)."""
        return bool(self.fuzziness) and (self.fuzzy_scope is None or field in self.fuzzy_scope)

    @field_validator("minimum_should_match")
    @classmethod
    def _percent_at_most_100(cls, value: str) -> str:
        spec = value.split("<")[-1]
        if spec.endswith("%") and int(spec.strip("-%")) > 100:
            raise ValueError("a percentage of the words is at most 100%")
        return value

    @classmethod
    def load(
        cls, path: Path | str = DEFAULT_TUNING_PATH, tunings_dir: Path = TUNINGS_DIR
    ) -> Tuning:
        """The tuning in ``path``, its ``extends`` chain resolved (see :func:`resolve_data`).
        Without a ``name`` of its own, a file extending another is named after the file."""
        return cls.model_validate(resolved_file(Path(path), tunings_dir))

    @classmethod
    def from_data(cls, data: Mapping[str, Any], tunings_dir: Path = TUNINGS_DIR) -> Tuning:
        """A tuning from a JSON object (an API body), its ``extends`` resolved in
        ``tunings_dir``."""
        resolved = resolve_data(data, [tunings_dir])
        if "extends" in data and "name" not in data:
            resolved["name"] = f"{data['extends']}+changes"
        return cls.model_validate(resolved)

    def dump(self, path: Path | str) -> None:
        Path(path).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


class TuningFileError(InvalidQuery, ValueError):
    """A tuning file cannot be read or resolved: an unknown base, a circle of ``extends``."""


def merge_patch(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``patch`` applied to ``base`` as a JSON Merge Patch (RFC 7396): objects merge key by key,
    ``null`` removes a key (the knob then takes the model's default), anything else replaces."""
    out = dict(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_patch(out[key], value)
        else:
            out[key] = value
    return out


def read_tuning_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TuningFileError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise TuningFileError(f"{path}: a tuning is a JSON object")
    return data


def _base_file(name: Any, folders: list[Path], child: str) -> Path:
    if not isinstance(name, str) or not BASE_NAME.match(name):
        raise TuningFileError(
            f"{child}: extends must name a tuning (a file stem: letters, digits, - _), got {name!r}"
        )
    for folder in dict.fromkeys(folders):
        if (folder / f"{name}.json").is_file():
            return folder / f"{name}.json"
    known = sorted({p.stem for f in folders if f.is_dir() for p in f.glob("*.json")})
    where = " or ".join(str(f) for f in dict.fromkeys(folders))
    raise TuningFileError(
        f"{child} extends {name!r}, but there is no {name}.json in {where} "
        f"(there are: {', '.join(known) or 'none'})"
    )


def resolve_data(
    data: Mapping[str, Any],
    folders: list[Path],
    chain: tuple[Path, ...] = (),
    child: str = "tuning",
) -> dict[str, Any]:
    """``data`` with its ``extends`` chain applied: the base (a name, looked up as
    ``<name>.json`` in ``folders``, first found wins), resolved the same way, patched with
    ``data``'s own keys (:func:`merge_patch`). A circle of bases is an error naming it."""
    own = {k: v for k, v in data.items() if k != "extends"}
    if "extends" not in data:
        return own
    path = _base_file(data["extends"], folders, child)
    key = path.resolve()
    if key in chain:
        names = [p.stem for p in (*chain, key)]
        raise TuningFileError("tunings extend each other in a circle: " + " -> ".join(names))
    base = resolve_data(
        read_tuning_json(path), [path.parent, *folders[1:]], (*chain, key), path.name
    )
    base.pop("name", None)
    return merge_patch(base, own)


def resolved_file(path: Path, tunings_dir: Path = TUNINGS_DIR) -> dict[str, Any]:
    """The JSON object of the tuning file ``path`` with its bases applied. A bare base name is
    looked up next to the file, then in ``tunings_dir``."""
    data = read_tuning_json(path)
    out = resolve_data(data, [path.parent, tunings_dir], (path.resolve(),), path.name)
    if "extends" in data and "name" not in data:
        out["name"] = path.stem
    return out
