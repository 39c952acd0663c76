"""The relaxation planner: its documented order, monotone steps, messages, and on the real data
an understood request with no hits that a step answers."""

from __future__ import annotations

import itertools

import pytest

from search_core.documents import Therapist
from search_core.queries import MAX_RADIUS_KM, GeoFilter, TherapistFilters
from search_core.understanding import SOFTNESS, Request, Understander, plan, plan_request
from search_core.units import KM_PER_MILE
from tests.understanding.conftest import satisfies


def found(therapists: list[Therapist], req: Request) -> set[str]:
    """What the engine is asked to return for a step (text aside): the tests' own reading."""
    out = set()
    for t in therapists:
        if satisfies(t, req.filters, req.near) or (
            req.telehealth_state
            and t.telehealth
            and req.telehealth_state in t.licensed_states
            and satisfies(t, req.filters.model_copy(update={"telehealth": True}), None)
        ):
            out.add(t.id)
    return out


def test_the_order_of_steps(u: Understander) -> None:
    r = u.understand("cheap female spanish speaking psychologist for teens with anxiety "
                     "taking aetna accepting new clients 97214 grounding")  # fmt: skip
    kinds = [(s.kind, s.request.near.radius_km if s.request.near else None) for s in plan(r)]
    assert kinds[:5] == [
        ("drop_text", pytest.approx(25 * KM_PER_MILE)),
        ("widen_radius", pytest.approx(50 * KM_PER_MILE)),
        ("widen_radius", pytest.approx(100 * KM_PER_MILE)),
        ("add_telehealth_in_state", pytest.approx(100 * KM_PER_MILE)),
        ("widen_radius", MAX_RADIUS_KM),
    ]
    dropped = []
    steps = plan(r)
    for before, after in itertools.pairwise(steps):
        if after.kind == "drop_filter":
            b, a = before.request.filters.model_dump(), after.request.filters.model_dump()
            dropped += [k for k in b if b[k] != a[k]]
    absent = ("therapy_types", "populations", "sliding_scale", "all_of", "any_of")
    assert dropped == [f for f in SOFTNESS if f not in absent]
    assert [s.kind for s in steps[-2:]] == ["drop_filter", "drop_filter"]
    assert steps[0].request.text is None, "words not understood go before radius and filters"


def test_words_not_understood_go_before_the_filters_understood(u: Understander) -> None:
    steps = plan(u.understand("lgbt affirming therapist for teens"))
    assert [s.kind for s in steps] == ["drop_text", "drop_filter", "drop_filter"]
    assert steps[0].request.filters.populations == ["lgbtq"]
    loose = plan(u.understand("anxiety counselor grounding perfectionism"))
    assert [s.kind for s in loose][:2] == ["loosen_text", "drop_text"]


def test_steps_are_cumulative_and_keep_explicit_filters(u: Understander) -> None:
    explicit = TherapistFilters(languages=["spanish"])
    r = u.understand("female therapist for depression", explicit_filters=explicit)
    steps = plan(r)
    assert all(s.request.filters.languages == ["spanish"] for s in steps)
    assert steps[-1].request.filters.gender == [] and steps[-1].request.filters.issues == []
    assert [s.kind for s in steps] == ["drop_filter", "drop_filter"]


def test_multi_word_text_is_loosened_before_it_is_dropped() -> None:
    steps = plan_request(TherapistFilters(), None, "grounding perfectionism")
    assert [(s.kind, s.request.text, s.request.text_match) for s in steps] == [
        ("loosen_text", "grounding perfectionism", "any"),
        ("drop_text", None, "all"),
    ]


def test_the_radius_only_widens() -> None:
    near = GeoFilter(lat=45.5, lon=-122.6, radius_km=120 * KM_PER_MILE, label="Portland, OR")
    steps = plan_request(TherapistFilters(), near, None, state="OR")
    assert [s.kind for s in steps] == ["add_telehealth_in_state", "widen_radius"]


def test_no_telehealth_step_when_in_person_is_asked(u: Understander) -> None:
    r = u.understand("in person anxiety portland")
    assert "add_telehealth_in_state" not in [s.kind for s in plan(r)]


def test_message_says_what_was_asked_and_what_is_shown(u: Understander) -> None:
    r = u.understand("spanish speaking couples therapist austin tx")
    first = plan(r)[0]
    assert first.message(3) == (
        "No Spanish-speaking therapists for couples within 25 mi of Austin, TX; "
        "showing 3 within 50 mi"
    )
    drop = next(s for s in plan(r) if s.kind == "drop_filter")
    assert drop.message(7).endswith("with online therapists licensed in Texas, "
                                    "couples not required")  # fmt: skip


@pytest.mark.parametrize(
    "typed",
    [
        "male psychiatrist for eating disorders who speaks korean in missoula mt",
        "somali speaking child therapist for ocd 59801",
        "female psychologist for gambling taking tricare dobbs ferry ny",
        "hebrew speaking play therapy for toddlers with autism near boston",
    ],
)
def test_an_empty_request_is_answered_by_a_step(
    u: Understander, therapists: list[Therapist], typed: str
) -> None:
    r = u.understand(typed)
    first = Request(filters=r.filters, near=r.near, text=None)
    assert not found(therapists, first), "the example should start empty"
    steps = plan(r)
    sizes = [len(found(therapists, s.request)) for s in steps]
    assert sizes == sorted(sizes), "each step keeps what the previous found"
    answering = next(i for i, n in enumerate(sizes) if n)
    assert steps[answering].message(sizes[answering]).startswith("No ")
