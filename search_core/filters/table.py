"""The therapist filters, one entry each (see :class:`~search_core.filters.spec.Filter`).

The order is the order of the API parameters and, among the facets, the order pages and facet
counts show them in. Adding a filter over a field the therapists already have
(``mappings/therapists.json`` and :class:`~search_core.documents.Therapist`) is one entry here.
"""

from __future__ import annotations

from search_core.filters.spec import Filter, Wording, register
from search_core.vocabulary import (
    AGE_GROUPS,
    GENDERS,
    INSURANCE,
    ISSUES,
    LANGUAGES,
    POPULATIONS,
    PROFESSIONS,
    THERAPY_TYPES,
)

W = Wording

THERAPIST_FILTERS: tuple[Filter, ...] = (
    Filter(
        "issues", "facet", "Issues treated", W("for", 52), ISSUES, "anxiety",
        label_field="issue_labels", piece="issue", softness=8, boosts=True,
        profile="Issues",
    ),
    Filter(
        "therapy_types", "facet", "Therapy types", W("back", 62, "offering {}"), THERAPY_TYPES,
        "emdr", label_field="therapy_type_labels", piece="therapy_type", negatable=True,
        softness=4, boosts=True, profile="Therapy types",
    ),
    Filter(
        "age_groups", "facet", "Age groups served", W("for", 50), AGE_GROUPS, "teens",
        label_field="age_group_labels", piece="age_group", softness=9, boosts=True,
        profile="Age groups",
    ),
    Filter(
        "populations", "facet", "Populations served", W("for", 51), POPULATIONS, "lgbtq",
        label_field="population_labels", piece="population", negatable=True, softness=5,
        boosts=True, profile="Populations",
    ),
    Filter(
        "languages", "facet", "Languages spoken", W("front", 20, "{}-speaking", style="name"),
        LANGUAGES, "spanish", label_field="language_labels", piece="language", softness=13,
        boosts=True, profile="Languages",
    ),
    Filter(
        "insurance", "facet", "Insurance accepted", W("back", 63, "taking {}", style="full"),
        INSURANCE, "aetna", label_field="insurance_labels", piece="insurance", softness=12,
        boosts=True, profile="Insurance",
    ),
    Filter(
        "profession", "facet", "Profession", W("noun", 40, each="{}s"), PROFESSIONS,
        "psychologist", label_field="profession_label", many=False, piece="profession",
        negatable=True, softness=10, boosts=True,
    ),
    Filter(
        "gender", "facet", "Therapist's gender", W("front", 10), GENDERS, "female", many=False,
        piece="gender", reads_terms=False, negatable=True, softness=11, profile="Gender",
    ),
    Filter(
        "max_fee", "fee",
        "Budget per session (USD): the therapist's lowest fee is at most this.",
        W("back", 66, "up to ${}", style="amount", dropped="over ${} too"),
        field="fee_min", softness=2, bounds=(0, 2000),
    ),
    Filter(
        "sliding_scale", "flag", "therapists offering a sliding scale",
        W("back", 65, "with a sliding scale", dropped="without a sliding scale too"),
        softness=7,
    ),
    Filter("telehealth", "flag", "therapists offering online sessions", W("front", 30, "online")),
    Filter(
        "in_person", "flag", "therapists with an office",
        W("back", 67, "seeing clients in person"),
    ),
    Filter(
        "licensed_in", "state",
        "Licensed in this state (two-letter code, e.g. `OR`): what matters for online sessions.",
        W("late", 80, "licensed in {}", style="state"), field="licensed_states",
    ),
    Filter(
        "accepting_new_clients", "flag", "therapists accepting new clients",
        W("back", 64, "accepting new clients", dropped="including those with a waitlist"),
        softness=3,
    ),
    Filter(
        "none_of", "conditions",
        "Exclusions as `facet:slug` (e.g. `therapy_types:dbt`): a therapist with any of them is "
        "left out (the search box reads 'no DBT', 'non-religious' so).",
        W("back", 61, "not {}", style="condition"),
    ),
    Filter(
        "all_of", "conditions",
        "Conditions as `facet:slug` a therapist must all meet (e.g. `issues:anxiety` and "
        "`issues:insomnia`), where a repeated facet parameter means any.",
        W("back", 60, "treating all of them", dropped="treating any of them"), softness=1,
    ),
    Filter(
        "any_of", "conditions",
        "Groups of `facet:slug` joined by `|`, at least one of each group met, across facets "
        "(e.g. `populations:couples|therapy_types:couples-counseling`).",
        W("for", 53, "couples", dropped="couples not required"), softness=6,
    ),
)  # fmt: skip

for _entry in THERAPIST_FILTERS:
    register(_entry)
