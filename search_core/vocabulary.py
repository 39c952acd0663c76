"""Controlled vocabularies and clinical synonyms: the one place both engines read them from.

Documents store slugs (``"chronic-pain"``); people read labels (``"Chronic Pain"``); searchers type
abbreviations and lay terms (``"cbt"``, ``"ptsd"``). Each :class:`Term` carries all three.

The synonym groups below feed the Elasticsearch ``synonym_graph`` filter in ``mappings/*.json``
(a test keeps the two equal) and the embedded engine's query-time expansion.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Term:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    """Phrases that mean the same: each finds the others."""
    lay: tuple[str, ...] = ()
    """Everyday words that should also find the term, but not the other way round: a search
    for "worry" looks for anxiety too, while a search for anxiety does not match every bio
    that mentions a worry."""


@dataclass(frozen=True)
class Vocabulary:
    """An ordered, closed set of terms, looked up by slug."""

    name: str
    terms: tuple[Term, ...]
    _by_slug: dict[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_slug = {t.slug: t for t in self.terms}
        if len(by_slug) != len(self.terms):
            raise ValueError(f"duplicate slug in vocabulary {self.name}")
        object.__setattr__(self, "_by_slug", by_slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, slug: str) -> Term:
        return self._by_slug[slug]

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.terms]

    def label(self, slug: str) -> str:
        return self._by_slug[slug].label

    def labels(self, slugs: Iterable[str]) -> list[str]:
        return [self._by_slug[s].label for s in slugs]


def _v(name: str, *terms: Term) -> Vocabulary:
    return Vocabulary(name, tuple(terms))


T = Term

ISSUES = _v(
    "issues",
    T("anxiety", "Anxiety", ("generalized anxiety", "gad"), lay=("worry", "worries", "nervous")),
    T("depression", "Depression", ("depressive disorder",), lay=("low mood", "sad", "sadness")),
    T("trauma-ptsd", "Trauma and PTSD", ("ptsd", "post-traumatic stress", "posttraumatic stress")),
    T("grief-loss", "Grief and Loss", ("bereavement", "mourning")),
    T("relationship-issues", "Relationship Issues", ()),
    T("couples-conflict", "Couples Conflict", ("marital problems", "marriage problems")),
    T("infidelity", "Infidelity", ("affair recovery",)),
    T("divorce", "Divorce and Separation", ()),
    T("family-conflict", "Family Conflict", ()),
    T("parenting", "Parenting", ()),
    T("substance-use", "Substance Use", ("addiction", "sud", "substance abuse")),
    T("alcohol-use", "Alcohol Use", ("alcoholism", "drinking problem")),
    T("gambling", "Gambling", ("compulsive gambling",)),
    T("eating-disorders", "Eating Disorders", ("anorexia", "bulimia", "binge eating")),
    T("body-image", "Body Image", ()),
    T("ocd", "OCD", ("obsessive compulsive disorder", "obsessive-compulsive disorder")),
    T("adhd", "ADHD", ("attention deficit", "attention deficit hyperactivity disorder")),
    T("bipolar-disorder", "Bipolar Disorder", ("manic depression",)),
    T("psychosis", "Psychosis and Schizophrenia", ("schizophrenia",)),
    T("personality-disorders", "Personality Disorders", ("bpd", "borderline personality")),
    T("chronic-pain", "Chronic Pain", ("persistent pain", "fibromyalgia")),
    T("chronic-illness", "Chronic Illness", ()),
    T("stress", "Stress", (), lay=("burnout", "overwhelmed")),
    T("work-stress", "Workplace Stress", ("job stress",)),
    T("career", "Career Concerns", ()),
    T("self-esteem", "Self-Esteem", (), lay=("confidence", "self worth")),
    T("life-transitions", "Life Transitions", ()),
    T("anger-management", "Anger Management", (), lay=("anger", "angry", "temper")),
    T("insomnia", "Insomnia and Sleep", ("sleep problems",)),
    T("panic", "Panic Attacks", ("panic disorder",)),
    T("phobias", "Phobias", ()),
    T(
        "perinatal",
        "Pregnancy and Postpartum",
        ("postpartum", "perinatal", "postpartum depression"),
    ),
    T("infertility", "Infertility", ()),
    T("gender-identity", "Gender Identity", ("transgender",)),
    T("sexuality", "Sexuality", ()),
    T("autism", "Autism", ("asd", "autism spectrum")),
    T("domestic-violence", "Domestic Violence", ("intimate partner violence", "partner abuse")),
    T("sexual-abuse", "Sexual Abuse", ()),
    T("suicidal-thoughts", "Suicidal Thoughts", ("suicidal ideation",)),
    T("self-harm", "Self-Harm", ("self-injury",), lay=("cutting",)),
    T("loneliness", "Loneliness", (), lay=("isolation", "lonely")),
    T("caregiver-stress", "Caregiver Stress", ()),
    T("dementia", "Aging and Dementia", ("memory loss", "alzheimers")),
    T("school-issues", "School and Academic Issues", ()),
    T("behavioral-issues", "Behavioral Issues", ("behavior problems",)),
    T("racial-trauma", "Racial Identity and Racial Trauma", ()),
    T("spirituality", "Spirituality and Religion", (), lay=("faith", "religion")),
    T("codependency", "Codependency", ()),
)

THERAPY_TYPES = _v(
    "therapy_types",
    T(
        "cbt",
        "Cognitive Behavioral Therapy (CBT)",
        ("cbt", "cognitive behavioral therapy", "cognitive behavioural therapy"),
    ),
    T(
        "dbt",
        "Dialectical Behavior Therapy (DBT)",
        ("dbt", "dialectical behavior therapy", "dialectical behavioural therapy"),
    ),
    T("emdr", "EMDR", ("emdr", "eye movement desensitization and reprocessing")),
    T("act", "Acceptance and Commitment Therapy (ACT)", ("act therapy",)),
    T("psychodynamic", "Psychodynamic Therapy", ("psychoanalytic",)),
    T("person-centered", "Person-Centered Therapy", ("client centered", "rogerian")),
    T("family-systems", "Family Systems Therapy", ("family therapy",)),
    T("gottman", "Gottman Method", ("gottman method",)),
    T("eft", "Emotionally Focused Therapy (EFT)", ("eft", "emotionally focused therapy")),
    T(
        "solution-focused",
        "Solution-Focused Brief Therapy",
        ("sfbt", "solution focused brief therapy"),
    ),
    T("narrative", "Narrative Therapy", ()),
    T("mindfulness", "Mindfulness-Based Therapy", ("mbct", "mindfulness based cognitive therapy")),
    T("erp", "Exposure and Response Prevention (ERP)", ("erp", "exposure and response prevention")),
    T("tf-cbt", "Trauma-Focused CBT", ("tf-cbt", "trauma focused cognitive behavioral therapy")),
    T("cpt", "Cognitive Processing Therapy (CPT)", ("cognitive processing therapy",)),
    T("prolonged-exposure", "Prolonged Exposure Therapy", ("prolonged exposure",)),
    T("play-therapy", "Play Therapy", ()),
    T("art-therapy", "Art Therapy", ("expressive arts therapy",)),
    T("somatic", "Somatic Therapy", ("somatic experiencing", "body-centered therapy")),
    T("ifs", "Internal Family Systems (IFS)", ("ifs", "internal family systems", "parts work")),
    T("motivational-interviewing", "Motivational Interviewing", ("motivational interviewing",)),
    T("interpersonal", "Interpersonal Psychotherapy (IPT)", ("ipt", "interpersonal psychotherapy")),
    T("hypnotherapy", "Hypnotherapy", ("hypnosis", "clinical hypnosis")),
    T("schema-therapy", "Schema Therapy", ()),
    T(
        "couples-counseling",
        "Couples Counseling",
        ("couples therapy", "marriage counseling", "marital therapy", "couples counselling"),
    ),
    T("group-therapy", "Group Therapy", ()),
    T("medication-management", "Medication Management", ("psychopharmacology",)),
    T("pain-reprocessing", "Pain Reprocessing Therapy", ("prt",)),
)

AGE_GROUPS = _v(
    "age_groups",
    T("toddlers", "Toddlers (0 to 5)"),
    T("children", "Children (6 to 12)", ("kids", "child")),
    T("teens", "Teens (13 to 17)", ("teenagers", "adolescents", "teen")),
    T("adults", "Adults (18 to 64)"),
    T("elders", "Older Adults (65+)", ("seniors", "elderly")),
)

POPULATIONS = _v(
    "populations",
    T("lgbtq", "LGBTQ+", ("lgbt", "lgbtqia", "queer")),
    T("veterans", "Veterans and Military", (), lay=("military", "veteran")),
    T("first-responders", "First Responders"),
    T("bipoc", "BIPOC Clients", ("people of color",)),
    T("immigrants", "Immigrants and Refugees"),
    T("college-students", "College Students"),
    T("athletes", "Athletes"),
    T("healthcare-workers", "Healthcare Workers"),
    T("couples", "Couples"),
    T("families", "Families"),
    T("faith-based", "Faith-Based Clients"),
)

LANGUAGES = _v(
    "languages",
    T("english", "English"),
    T("spanish", "Spanish", ("espanol", "español")),
    T("mandarin", "Mandarin"),
    T("cantonese", "Cantonese"),
    T("vietnamese", "Vietnamese"),
    T("tagalog", "Tagalog", ("filipino",)),
    T("korean", "Korean"),
    T("arabic", "Arabic"),
    T("russian", "Russian"),
    T("french", "French"),
    T("haitian-creole", "Haitian Creole", ("kreyol",)),
    T("portuguese", "Portuguese"),
    T("german", "German"),
    T("hindi", "Hindi"),
    T("urdu", "Urdu"),
    T("polish", "Polish"),
    T("italian", "Italian"),
    T("japanese", "Japanese"),
    T("farsi", "Farsi", ("persian",)),
    T("hebrew", "Hebrew"),
    T("asl", "American Sign Language (ASL)", ("asl", "sign language")),
    T("somali", "Somali"),
    T("amharic", "Amharic"),
)

INSURANCE = _v(
    "insurance",
    T("aetna", "Aetna"),
    T("anthem", "Anthem"),
    T("bcbs", "Blue Cross Blue Shield", ("bcbs", "blue cross")),
    T("cigna", "Cigna", ("evernorth",)),
    T("humana", "Humana"),
    T("kaiser", "Kaiser Permanente", ("kaiser",)),
    T("medicaid", "Medicaid"),
    T("medicare", "Medicare"),
    T("optum", "Optum"),
    T("united-healthcare", "UnitedHealthcare", ("uhc", "united healthcare")),
    T("tricare", "TRICARE"),
    T("magellan", "Magellan Health"),
    T("oscar", "Oscar Health"),
    T("ambetter", "Ambetter"),
    T("molina", "Molina Healthcare"),
    T("emblemhealth", "EmblemHealth"),
    T("oxford", "Oxford Health Plans"),
    T("harvard-pilgrim", "Harvard Pilgrim"),
    T("regence", "Regence"),
    T("premera", "Premera Blue Cross"),
    T("highmark", "Highmark"),
    T("carelon", "Carelon Behavioral Health"),
)

PROFESSIONS = _v(
    "professions",
    T("psychologist", "Psychologist"),
    T("psychiatrist", "Psychiatrist"),
    T("clinical-social-worker", "Clinical Social Worker", ("social worker",)),
    T("marriage-family-therapist", "Marriage and Family Therapist", ("mft",)),
    T("professional-counselor", "Professional Counselor", ("counselor", "mental health counselor")),
    T("psychiatric-nurse-practitioner", "Psychiatric Nurse Practitioner", ("pmhnp",)),
    T("addiction-counselor", "Addiction Counselor", ("substance abuse counselor",)),
    T("creative-arts-therapist", "Creative Arts Therapist", ("art therapist", "music therapist")),
)

# Credentials by the profession that holds them; every credential appears once.
CREDENTIALS_BY_PROFESSION: dict[str, tuple[str, ...]] = {
    "psychologist": ("PhD", "PsyD", "EdD"),
    "psychiatrist": ("MD", "DO"),
    "clinical-social-worker": ("LCSW", "LICSW", "LMSW"),
    "marriage-family-therapist": ("LMFT", "AMFT"),
    "professional-counselor": ("LPC", "LMHC", "LPCC", "LCPC", "NCC"),
    "psychiatric-nurse-practitioner": ("PMHNP-BC", "APRN"),
    "addiction-counselor": ("LADC", "CADC", "LCADC"),
    "creative-arts-therapist": ("ATR-BC", "LCAT", "MT-BC"),
}
CREDENTIALS: tuple[str, ...] = tuple(c for cs in CREDENTIALS_BY_PROFESSION.values() for c in cs)

GENDERS = _v(
    "genders",
    T("female", "Female", ("woman",)),
    T("male", "Male", ("man",)),
    T("non-binary", "Non-binary", ("nonbinary", "genderqueer")),
)

ARTICLE_TOPICS = _v(
    "article_topics",
    *(Term(t.slug, t.label) for t in ISSUES),
    T("exercise", "Exercise and Movement"),
    T("mindfulness", "Mindfulness"),
    T("self-care", "Self-Care"),
    T("finding-a-therapist", "Finding a Therapist"),
    T("therapy-basics", "How Therapy Works"),
    T("couples", "Couples"),
    T("children-teens", "Children and Teens"),
    T("telehealth", "Online Therapy"),
    T("cost-insurance", "Cost and Insurance"),
)

US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

# Search-side words that mean the same thing whatever the field: "grief counselor" should find
# therapists, and "teen" the teens age group.
GENERAL_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("therapist", "counselor", "counsellor", "psychotherapist"),
    ("counseling", "counselling", "therapy", "psychotherapy"),
    ("teen", "teenager", "adolescent"),
    ("kid", "child"),
    ("online", "virtual", "telehealth", "telemedicine"),
)

FILTER_VOCABULARIES: dict[str, Vocabulary] = {
    "issues": ISSUES,
    "therapy_types": THERAPY_TYPES,
    "age_groups": AGE_GROUPS,
    "populations": POPULATIONS,
    "languages": LANGUAGES,
    "insurance": INSURANCE,
    "profession": PROFESSIONS,
    "gender": GENDERS,
}


def synonym_groups() -> list[tuple[str, ...]]:
    """Every group of equivalent search phrases, lower case, first the term's own label.

    A group is the term's label (without a trailing abbreviation in parentheses) plus its
    synonyms; only terms that have synonyms form a group. Groups are deduplicated and ordered.
    """
    groups: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for vocab in (
        ISSUES,
        THERAPY_TYPES,
        AGE_GROUPS,
        POPULATIONS,
        LANGUAGES,
        INSURANCE,
        PROFESSIONS,
        GENDERS,
    ):
        for term in vocab:
            if not term.synonyms:
                continue
            base = term.label.split(" (")[0].lower()
            phrases: list[str] = []
            for p in (base, *term.synonyms):
                p = p.lower().strip()
                if p and p not in phrases:
                    phrases.append(p)
            key = tuple(phrases)
            if len(key) > 1 and key not in seen:
                seen.add(key)
                groups.append(key)
    for g in GENERAL_SYNONYMS:
        if g not in seen:
            seen.add(g)
            groups.append(g)
    return groups


def lay_rules() -> list[tuple[str, tuple[str, ...]]]:
    """One-way expansions: (everyday phrase, what it also searches for)."""
    rules: list[tuple[str, tuple[str, ...]]] = []
    for vocab in (
        ISSUES,
        THERAPY_TYPES,
        AGE_GROUPS,
        POPULATIONS,
        LANGUAGES,
        INSURANCE,
        PROFESSIONS,
        GENDERS,
    ):
        for term in vocab:
            targets = tuple(
                dict.fromkeys(p.lower() for p in (term.label.split(" (")[0], *term.synonyms))
            )
            for phrase in term.lay:
                rules.append((phrase.lower(), targets))
    return rules


def elasticsearch_synonym_rules() -> list[str]:
    """The synonym groups as Solr-format rules for ``synonym_graph``: equivalences, then the
    one-way expansions of everyday words (``worry => worry, anxiety, ...``)."""
    rules = [", ".join(g) for g in synonym_groups()]
    rules += [
        f"{lay} => {lay}, {', '.join(t for t in targets if t != lay)}"
        for lay, targets in lay_rules()
    ]
    return rules
