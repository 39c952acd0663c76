"""Everyday words people type for the controlled vocabularies, written for this product.

Each row: phrases, the facet, its slug(s), and whether the phrase is *sure* (it can only mean
that term: a hard filter) or *loose* (it hints at the term: a boost, the words stay in the text).
Plurals, possessives, case and accents are tolerated by the matcher, so only one form is listed.
"""

from __future__ import annotations

from typing import Final

LayRow = tuple[tuple[str, ...], str, tuple[str, ...], bool]

SURE: Final = True
LOOSE: Final = False

ISSUE_WORDS: tuple[LayRow, ...] = (
    (
        ("anxious", "anxiousness", "anxiety disorder", "social anxiety"),
        "issues",
        ("anxiety",),
        SURE,
    ),
    (
        ("depressed", "depressive", "feeling down", "hopeless", "hopelessness"),
        "issues",
        ("depression",),
        SURE,
    ),
    (("panic attack", "panicking", "panic"), "issues", ("panic",), SURE),
    (
        ("trauma", "traumatized", "traumatic", "ptsd", "c-ptsd", "cptsd"),
        "issues",
        ("trauma-ptsd",),
        SURE,
    ),
    (
        ("grief", "grieving", "bereaved", "loss of a loved one", "death of a loved one"),
        "issues",
        ("grief-loss",),
        SURE,
    ),
    (
        ("relationship problems", "relationship issues", "breakup", "break up"),
        "issues",
        ("relationship-issues",),
        SURE,
    ),
    (("relationship",), "issues", ("relationship-issues",), LOOSE),
    (("cheating", "affair", "unfaithful"), "issues", ("infidelity",), SURE),
    (("divorce", "divorcing", "separation", "separating"), "issues", ("divorce",), SURE),
    (("parenting", "co-parenting", "coparenting"), "issues", ("parenting",), SURE),
    (
        ("addiction", "addicted", "drug use", "drugs", "opioid", "substance"),
        "issues",
        ("substance-use",),
        SURE,
    ),
    (("alcohol", "alcoholic", "drinking", "sobriety"), "issues", ("alcohol-use",), SURE),
    (("gambling addiction", "gambler"), "issues", ("gambling",), SURE),
    (
        ("eating disorder", "anorexic", "bulimic", "binge eating disorder", "arfid"),
        "issues",
        ("eating-disorders",),
        SURE,
    ),
    (("obsessive", "intrusive thoughts"), "issues", ("ocd",), SURE),
    (("adhd", "add/adhd", "attention deficit disorder"), "issues", ("adhd",), SURE),
    (("bipolar", "manic", "mania"), "issues", ("bipolar-disorder",), SURE),
    (("schizophrenic", "hearing voices", "psychotic"), "issues", ("psychosis",), SURE),
    (("borderline", "narcissism", "narcissistic"), "issues", ("personality-disorders",), SURE),
    (("pain",), "issues", ("chronic-pain",), LOOSE),
    (("stressed", "stress"), "issues", ("stress",), SURE),
    (
        ("work stress", "workplace stress", "stress at work", "work burnout"),
        "issues",
        ("work-stress",),
        SURE,
    ),
    (("career change", "career", "job loss"), "issues", ("career",), SURE),
    (
        ("low self esteem", "self esteem", "self worth", "self confidence"),
        "issues",
        ("self-esteem",),
        SURE,
    ),
    (("life transition", "big change", "midlife crisis"), "issues", ("life-transitions",), SURE),
    (("anger issues", "anger problems", "rage"), "issues", ("anger-management",), SURE),
    (
        ("insomnia", "can't sleep", "cant sleep", "trouble sleeping", "sleep"),
        "issues",
        ("insomnia",),
        SURE,
    ),
    (("phobia", "fear of flying", "fears"), "issues", ("phobias",), SURE),
    (
        ("pregnancy", "pregnant", "postpartum", "new mom", "new mother", "maternal mental health"),
        "issues",
        ("perinatal",),
        SURE,
    ),
    (("infertility", "ivf", "fertility"), "issues", ("infertility",), SURE),
    (
        ("trans", "gender dysphoria", "gender identity", "transitioning"),
        "issues",
        ("gender-identity",),
        SURE,
    ),
    (("sex", "sexual", "intimacy"), "issues", ("sexuality",), LOOSE),
    (("autistic", "asperger", "aspergers", "neurodivergent"), "issues", ("autism",), SURE),
    (
        ("abusive relationship", "domestic abuse", "abusive partner"),
        "issues",
        ("domestic-violence",),
        SURE,
    ),
    (
        ("sexual assault", "rape", "molestation", "childhood sexual abuse"),
        "issues",
        ("sexual-abuse",),
        SURE,
    ),
    (("suicidal", "suicide", "want to die"), "issues", ("suicidal-thoughts",), SURE),
    (("self harm", "self injury", "self harming"), "issues", ("self-harm",), SURE),
    (("caregiver", "caregiving", "caring for a parent"), "issues", ("caregiver-stress",), SURE),
    (("alzheimer", "alzheimers", "memory problems", "dementia"), "issues", ("dementia",), SURE),
    (
        ("school", "academic", "school refusal", "college stress"),
        "issues",
        ("school-issues",),
        LOOSE,
    ),
    (("behavior", "behaviour", "acting out", "tantrums"), "issues", ("behavioral-issues",), LOOSE),
    (("racism", "racial trauma", "discrimination"), "issues", ("racial-trauma",), SURE),
    (("codependent",), "issues", ("codependency",), SURE),
    # Spanish, for the searchers a Spanish-speaking therapist is for.
    (("ansiedad",), "issues", ("anxiety",), SURE),
    (("duelo",), "issues", ("grief-loss",), SURE),
    (("pareja", "terapia de pareja"), "therapy_types", ("couples-counseling",), SURE),
    (("ninos", "nino"), "age_groups", ("children",), SURE),
)

THERAPY_WORDS: tuple[LayRow, ...] = (
    (
        ("cognitive therapy", "cognitive behavioral", "cognitive behavior therapy"),
        "therapy_types",
        ("cbt",),
        SURE,
    ),
    (("dialectical behavioral therapy", "dialectical"), "therapy_types", ("dbt",), SURE),
    (("eye movement therapy",), "therapy_types", ("emdr",), SURE),
    (("exposure therapy", "exposure"), "therapy_types", ("erp", "prolonged-exposure"), SURE),
    (
        ("psychoanalysis", "psychoanalyst", "insight oriented"),
        "therapy_types",
        ("psychodynamic",),
        SURE,
    ),
    (("mindfulness", "meditation"), "therapy_types", ("mindfulness",), SURE),
    (
        ("support group", "group counseling", "group session"),
        "therapy_types",
        ("group-therapy",),
        SURE,
    ),
    (("medication", "meds", "medicine"), "therapy_types", ("medication-management",), SURE),
    (
        ("somatic experiencing", "body based therapy", "somatic"),
        "therapy_types",
        ("somatic",),
        SURE,
    ),
    (("gottman",), "therapy_types", ("gottman",), SURE),
    (("play based",), "therapy_types", ("play-therapy",), SURE),
    (("art therapy", "music therapy"), "therapy_types", ("art-therapy",), SURE),
    (("hypnotist",), "therapy_types", ("hypnotherapy",), SURE),
    (
        (
            "couples counseling",
            "marriage therapy",
            "couples session",
            "couples therapist",
            "couples counselor",
            "couple counseling",
        ),
        "therapy_types",
        ("couples-counseling",),
        SURE,
    ),
)

AGE_WORDS: tuple[LayRow, ...] = (
    (
        ("toddler", "preschooler", "preschool", "little one", "young child", "infant"),
        "age_groups",
        ("toddlers",),
        SURE,
    ),
    (
        (
            "kid",
            "child",
            "children",
            "my son",
            "my daughter",
            "elementary school",
            "tween",
            "pediatric",
            "childhood",
        ),
        "age_groups",
        ("children",),
        SURE,
    ),
    (
        (
            "teen",
            "teenager",
            "my teenager",
            "adolescent",
            "adolescence",
            "high school",
            "high schooler",
            "youth",
        ),
        "age_groups",
        ("teens",),
        SURE,
    ),
    (("adult", "grown up", "young adult"), "age_groups", ("adults",), SURE),
    (
        (
            "elderly",
            "senior",
            "older adult",
            "older people",
            "retiree",
            "geriatric",
            "aging",
            "elder",
        ),
        "age_groups",
        ("elders",),
        SURE,
    ),
)

POPULATION_WORDS: tuple[LayRow, ...] = (
    (
        ("gay", "lesbian", "bisexual", "lgbtq+", "lgbt+", "queer friendly", "lgbtq friendly"),
        "populations",
        ("lgbtq",),
        SURE,
    ),
    (
        ("veteran", "military", "army", "navy", "marine", "air force", "service member"),
        "populations",
        ("veterans",),
        SURE,
    ),
    (
        ("first responder", "police", "police officer", "firefighter", "paramedic", "emt"),
        "populations",
        ("first-responders",),
        SURE,
    ),
    (
        ("black", "latino", "latina", "latinx", "hispanic", "asian american", "poc"),
        "populations",
        ("bipoc",),
        LOOSE,
    ),
    (("immigrant", "refugee", "asylum seeker"), "populations", ("immigrants",), SURE),
    (
        ("college student", "college", "university student", "grad student"),
        "populations",
        ("college-students",),
        SURE,
    ),
    (("athlete", "sports", "sport psychology"), "populations", ("athletes",), SURE),
    (
        ("nurse", "healthcare worker", "health care worker", "medical professional"),
        "populations",
        ("healthcare-workers",),
        SURE,
    ),
    (
        ("couple", "married couple", "marriage", "partner", "spouse"),
        "populations",
        ("couples",),
        SURE,
    ),
    (("family", "whole family"), "populations", ("families",), SURE),
    (
        ("christian", "faith based", "religious", "catholic", "jewish", "muslim", "church"),
        "populations",
        ("faith-based",),
        SURE,
    ),
)

INSURANCE_WORDS: tuple[LayRow, ...] = (
    (
        (
            "blue cross blue shield",
            "blue shield",
            "bluecross",
            "blue cross of",
            "anthem blue cross",
        ),
        "insurance",
        ("bcbs",),
        SURE,
    ),
    (
        ("unitedhealth", "united health care", "united health"),
        "insurance",
        ("united-healthcare",),
        SURE,
    ),
    (("medi cal", "masshealth", "apple health"), "insurance", ("medicaid",), SURE),
    (("kaiser permanente", "kp"), "insurance", ("kaiser",), SURE),
    (("emblem",), "insurance", ("emblemhealth",), SURE),
    (("magellan",), "insurance", ("magellan",), SURE),
    (("oscar",), "insurance", ("oscar",), SURE),
    (("molina",), "insurance", ("molina",), SURE),
    (("oxford",), "insurance", ("oxford",), SURE),
    (("beacon", "beacon health"), "insurance", ("carelon",), SURE),
    (("harvard pilgrim health care",), "insurance", ("harvard-pilgrim",), SURE),
)

LANGUAGE_WORDS: tuple[LayRow, ...] = (
    (("chinese",), "languages", ("mandarin", "cantonese"), SURE),
    (("espanol", "castellano"), "languages", ("spanish",), SURE),
    (("creole", "haitian"), "languages", ("haitian-creole",), SURE),
    (("signing", "deaf"), "languages", ("asl",), SURE),
    (("brazilian",), "languages", ("portuguese",), SURE),
    (("iranian",), "languages", ("farsi",), SURE),
)

PROFESSION_WORDS: tuple[LayRow, ...] = (
    (("clinical psychologist", "psychology"), "profession", ("psychologist",), SURE),
    (("psychiatry", "psychiatric doctor", "shrink"), "profession", ("psychiatrist",), SURE),
    (
        ("prescriber", "someone who can prescribe", "prescribe"),
        "profession",
        ("psychiatrist", "psychiatric-nurse-practitioner"),
        SURE,
    ),
    (
        ("clinical social worker", "licensed clinical social worker", "social work"),
        "profession",
        ("clinical-social-worker",),
        SURE,
    ),
    (
        (
            "marriage counselor",
            "marriage and family therapist",
            "family therapist",
            "marriage therapist",
        ),
        "profession",
        ("marriage-family-therapist",),
        SURE,
    ),
    (
        (
            "licensed professional counselor",
            "licensed counselor",
            "mental health counselor",
            "professional counselor",
            "licensed mental health counselor",
        ),
        "profession",
        ("professional-counselor",),
        SURE,
    ),
    (
        ("nurse practitioner", "psychiatric nurse", "psychiatric np", "np"),
        "profession",
        ("psychiatric-nurse-practitioner",),
        SURE,
    ),
    (
        (
            "addiction counselor",
            "drug counselor",
            "alcohol counselor",
            "substance abuse counselor",
            "addiction specialist",
        ),
        "profession",
        ("addiction-counselor",),
        SURE,
    ),
    (
        ("art therapist", "music therapist", "drama therapist", "dance therapist"),
        "profession",
        ("creative-arts-therapist",),
        SURE,
    ),
)

# Flags: phrases → (param, value).
TELEHEALTH_PHRASES = (
    "online",
    "virtual",
    "video",
    "telehealth",
    "telemedicine",
    "teletherapy",
    "remote",
    "zoom",
    "video call",
    "over video",
    "from home",
    "e therapy",
    "virtually",
    "tele health",
    "over the phone",
)
IN_PERSON_PHRASES = ("in person", "face to face", "in office", "office visit", "in-person")
ACCEPTING_PHRASES = (
    "accepting new clients",
    "accepting new patients",
    "taking new clients",
    "taking new patients",
    "accepting clients",
    "accepting patients",
    "new clients",
    "new patients",
    "accepting",
    "availability",
    "available",
    "openings",
    "open slots",
    "not on a waitlist",
    "no waitlist",
)
SLIDING_PHRASES = (
    "sliding scale",
    "sliding fee",
    "income based",
    "reduced fee",
    "low fee",
    "pay what you can",
)
AFFORDABLE_PHRASES = (
    "cheap",
    "affordable",
    "inexpensive",
    "low cost",
    "budget",
    "cheaper",
    "not expensive",
    "low price",
    "reasonable price",
    "reasonably priced",
)

GENDER_WORDS: dict[str, str] = {
    "female": "female",
    "woman": "female",
    "lady": "female",
    "feminine": "female",
    "male": "male",
    "masculine": "male",
    "nonbinary": "non-binary",
    "non binary": "non-binary",
    "genderqueer": "non-binary",
    "enby": "non-binary",
}
"""Words that name the therapist's gender on their own (unless they follow "for": "therapist
for women" names the client)."""
GENDER_NOUNS: dict[str, str] = {
    "man": "male",
    "guy": "male",
    "gentleman": "male",
    "woman": "female",
    "lady": "female",
    "gal": "female",
}
"""Nouns that name the therapist's gender only before a therapist word ("man therapist")."""
