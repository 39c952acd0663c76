from __future__ import annotations

import pytest

from search_core.errors import InvalidQuery
from search_core.relevance.knobs import (
    diff,
    get_knob,
    knob_paths,
    parse_knob_spec,
    parse_value,
    with_knobs,
)
from search_core.tuning import Tuning


def test_knob_paths_cover_every_leaf_but_the_name() -> None:
    paths = knob_paths()
    assert "therapist_fields.bio" in paths
    assert "article_fields.author.name" in paths  # a dotted field name stays one knob
    assert "distance.scale_km" in paths and "fuzziness" in paths
    assert "name" not in paths


def test_with_knobs_returns_a_validated_copy() -> None:
    base = Tuning()
    t = with_knobs(base, {"therapist_fields.bio": 2.5, "distance.scale_km": 5}, name="x")
    assert t.therapist_fields["bio"] == 2.5 and t.distance.scale_km == 5 and t.name == "x"
    assert base.therapist_fields["bio"] == 1.0
    assert get_knob(t, "article_fields.author.name") == 2.0
    assert diff(base, t) == {
        "distance.scale_km": (15.0, 5.0),
        "therapist_fields.bio": (1.0, 2.5),
    }


def test_a_field_map_knob_can_add_and_remove_fields() -> None:
    t = with_knobs(Tuning(), {"therapist_fields.credentials": 1.0, "therapist_fields.bio": None})
    assert "credentials" in t.therapist_fields and "bio" not in t.therapist_fields


def test_invalid_values_are_refused_with_the_reason() -> None:
    with pytest.raises(InvalidQuery, match=r"distance\.decay"):
        with_knobs(Tuning(), {"distance.decay": 2})
    with pytest.raises(InvalidQuery, match="unknown knob"):
        with_knobs(Tuning(), {"distance.nope": 1})
    with pytest.raises(InvalidQuery, match="unknown knob"):
        with_knobs(Tuning(), {"boost_everything": 1})


def test_parse_knob_spec() -> None:
    assert parse_knob_spec("therapist_fields.bio=0.5,1,2") == ("therapist_fields.bio", [0.5, 1, 2])
    assert parse_knob_spec("synonyms=true,false") == ("synonyms", [True, False])
    assert parse_value("none") == "none" and parse_value("null") is None
    with pytest.raises(InvalidQuery, match="PATH=V1"):
        parse_knob_spec("phrase_boost")
    with pytest.raises(InvalidQuery, match="unknown knob"):
        parse_knob_spec("nope=1,2")
