"""The controlled vocabularies: the slugs each filter field allows, their labels, synonyms and
lay words, and the credentials of each profession."""

from __future__ import annotations

from search_core.vocabulary.terms import Term, Vocabulary


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
