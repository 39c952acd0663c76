from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from search_api.analyst import AnalystOnly, resolve_request_tuning
from search_core.errors import InvalidQuery, NotFound
from search_core.tuning import Tuning
from search_core.tuning_checks import UnsupportedTuning

DEFAULT = Tuning(name="default")


def _resolve(**kw: object) -> Tuning:
    args: dict[str, object] = {
        "default": DEFAULT,
        "engine": "embedded",
        "analyst_key": SecretStr("s3cret"),
        "header_key": "s3cret",
    }
    return resolve_request_tuning(**(args | kw))  # type: ignore[arg-type]


def test_no_tuning_asked_for_is_the_default_without_a_key() -> None:
    assert _resolve(analyst_key=None, header_key=None) is DEFAULT


def test_a_tuning_body_with_the_key() -> None:
    t = _resolve(tuning_json={"name": "mine", "phrase_boost": 0})
    assert t.name == "mine" and t.phrase_boost == 0
    assert _resolve(tuning_json='{"fuzziness": 1}').fuzziness == 1


def test_a_named_tuning_file(tmp_path: Path) -> None:
    Tuning(name="bio-heavy").dump(tmp_path / "bio-heavy.json")
    assert _resolve(tuning_name="bio-heavy", tunings_dir=tmp_path).name == "bio-heavy"
    with pytest.raises(NotFound, match="there are: bio-heavy"):
        _resolve(tuning_name="nope", tunings_dir=tmp_path)
    with pytest.raises(InvalidQuery, match="must name a file"):
        _resolve(tuning_name="../secrets", tunings_dir=tmp_path)


@pytest.mark.parametrize(
    "name",
    [
        "../secrets",
        "/etc/passwd",
        "..%2Fsecrets",
        "%2e%2e",
        "a/../../b",
        "tun\x00ing",
        "",
        ".hidden",
    ],
)
def test_a_tuning_name_never_leaves_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidQuery, match="must name a file"):
        _resolve(tuning_name=name or " ", tunings_dir=tmp_path)


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    Tuning(name="outside").dump(outside)
    folder = tmp_path / "tunings"
    folder.mkdir()
    (folder / "sneaky.json").symlink_to(outside)
    with pytest.raises(InvalidQuery, match="link out of tunings"):
        _resolve(tuning_name="sneaky", tunings_dir=folder)
    Tuning(name="inside").dump(folder / "inside.json")
    (folder / "alias.json").symlink_to(folder / "inside.json")
    assert _resolve(tuning_name="alias", tunings_dir=folder).name == "inside"


def test_the_key_is_required() -> None:
    with pytest.raises(AnalystOnly, match="X-Analyst-Key"):
        _resolve(header_key="wrong", tuning_json={})
    with pytest.raises(AnalystOnly, match="X-Analyst-Key"):
        _resolve(header_key=None, tuning_name="default")
    with pytest.raises(AnalystOnly, match="switched off"):
        _resolve(analyst_key=None, tuning_json={})


def test_invalid_or_unsupported_tunings_are_refused() -> None:
    with pytest.raises(InvalidQuery, match="fuzziness"):
        _resolve(tuning_json={"fuzziness": 7})
    with pytest.raises(InvalidQuery, match="not JSON"):
        _resolve(tuning_json="{")
    with pytest.raises(UnsupportedTuning, match="nested"):
        _resolve(tuning_json={"article_fields": {"comments.text": 1}}, engine="elasticsearch")
    with pytest.raises(InvalidQuery, match="not both"):
        _resolve(tuning_json={}, tuning_name="default")


def test_no_default_leaves_the_choice_to_the_engine() -> None:
    assert _resolve(default=None) is None
