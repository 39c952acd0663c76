"""The tuning of one API request: the default, unless an analyst (holding the analyst key) sends
one, as a JSON body or as the name of a file under ``tunings/``.

An API rule (a header, a 403), so it lives with the API; the tuning is checked with
:func:`search_core.tuning_checks.check` like every other search's."""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from pydantic import SecretStr, ValidationError

from search_core.errors import InvalidQuery, NotFound, SearchError
from search_core.settings import PROJECT_ROOT
from search_core.tuning import Tuning
from search_core.tuning_checks import check

TUNINGS_DIR = PROJECT_ROOT / "tunings"
HEADER = "X-Analyst-Key"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class AnalystOnly(SearchError):
    """A tuning was sent without a valid analyst key (HTTP 403)."""


def _secret(value: str | SecretStr | None) -> str | None:
    if isinstance(value, SecretStr):
        return value.get_secret_value() or None
    return value or None


def _from_file(name: str, tunings_dir: Path) -> Tuning:
    stem = name.removesuffix(".json")
    if not _NAME.match(stem) or ".." in stem:
        raise InvalidQuery(
            f"tuning must name a file under tunings/ (letters, digits, - _ .), got {name!r}"
        )
    path = tunings_dir / f"{stem}.json"
    if path.is_symlink() and not path.resolve().is_relative_to(tunings_dir.resolve()):
        raise InvalidQuery(f"tuning {stem!r} is a link out of tunings/: refused")
    if not path.is_file():
        known = sorted(p.stem for p in tunings_dir.glob("*.json"))
        raise NotFound(f"no tuning {stem!r} under tunings/; there are: {', '.join(known)}")
    try:
        return Tuning.load(path, tunings_dir)
    except (ValidationError, ValueError) as exc:
        raise InvalidQuery(f"tunings/{stem}.json is not a valid tuning: {exc}") from exc


def _from_json(data: Mapping[str, Any] | str | bytes, tunings_dir: Path) -> Tuning:
    try:
        obj = orjson.loads(data) if isinstance(data, str | bytes) else dict(data)
        if not isinstance(obj, dict):
            raise InvalidQuery("a tuning is a JSON object")
        return Tuning.from_data(obj, tunings_dir)
    except orjson.JSONDecodeError as exc:
        raise InvalidQuery(f"tuning is not JSON: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InvalidQuery(f"invalid tuning: {problems}") from exc


def resolve_request_tuning(
    *,
    default: Tuning | None,
    engine: str,
    analyst_key: str | SecretStr | None,
    header_key: str | None,
    tuning_json: Mapping[str, Any] | str | bytes | None = None,
    tuning_name: str | None = None,
    tunings_dir: Path = TUNINGS_DIR,
) -> Tuning | None:
    """The tuning to search with (``default``, possibly None: the engine's own, when the
    request asks for none).

    ``analyst_key`` is the configured key (``SEARCH_ANALYST_KEY``; unset: nobody may send a
    tuning), ``header_key`` the ``X-Analyst-Key`` header. ``tuning_json`` (a body) or
    ``tuning_name`` (a query parameter naming ``tunings/<name>.json``) chooses a tuning; without
    either the default is used and no key is needed. Raises :class:`AnalystOnly` (403) for a
    missing or wrong key, InvalidQuery (422) for an invalid tuning or one the engine cannot
    honour, NotFound (404) for an unknown file.
    """
    if tuning_json is None and not tuning_name:
        return default
    if tuning_json is not None and tuning_name:
        raise InvalidQuery("send a tuning as a body or name a file, not both")
    expected = _secret(analyst_key)
    if expected is None:
        raise AnalystOnly("custom tunings are switched off: no analyst key is configured")
    if not header_key or not hmac.compare_digest(header_key.encode(), expected.encode()):
        raise AnalystOnly(f"a custom tuning needs a valid {HEADER} header")
    if tuning_name:
        tuning = _from_file(tuning_name, tunings_dir)
    else:
        assert tuning_json is not None  # one of the two was given (checked above)
        tuning = _from_json(tuning_json, tunings_dir)
    return check(tuning, engine)
