"""The fixture generator: deterministic, valid against the models, and realistic enough for search
tests (people placed by population, offices at real ZIP codes, bios that agree with the fields).

Small sets are generated once per session into temporary folders.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from fixtures.articles import load_content
from fixtures.generate import generate, parse_args
from search_core.documents import Article, Location, Therapist
from search_core.slugs import city_slug, state_slug
from search_core.vocabulary import (
    CREDENTIALS_BY_PROFESSION,
    ISSUES,
    LANGUAGES,
    THERAPY_TYPES,
    US_STATES,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "fixtures" / "small"
REGENERATE = ".venv/bin/python -m fixtures.generate --size small --gzip"
KINDS = ("therapists", "locations", "articles")
MODELS: dict[str, type[BaseModel]] = {
    "therapists": Therapist,
    "locations": Location,
    "articles": Article,
}


def _raw(folder: Path, kind: str) -> bytes:
    plain = folder / f"{kind}.jsonl"
    if plain.exists():
        return plain.read_bytes()
    return gzip.decompress((folder / f"{kind}.jsonl.gz").read_bytes())


def _records(folder: Path, kind: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in _raw(folder, kind).splitlines()]


def _run(folder: Path, *args: str) -> Path:
    generate(parse_args(["--out", str(folder), "--quiet", *args]))
    return folder


@pytest.fixture(scope="session")
def small_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    a = _run(tmp_path_factory.mktemp("small-a"), "--size", "small", "--gzip")
    b = _run(tmp_path_factory.mktemp("small-b"), "--size", "small", "--gzip")
    return a, b


@pytest.fixture(scope="session")
def small(small_dirs: tuple[Path, Path]) -> dict[str, list[dict[str, Any]]]:
    return {kind: _records(small_dirs[0], kind) for kind in KINDS}


@pytest.fixture(scope="session")
def chunked_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Several therapist chunks and two bulk article chunks, by one and by two processes."""
    args = (
        "--size",
        "small",
        "--therapists",
        "2600",
        "--chunk-size",
        "500",
        "--bulk-articles",
        "1500",
    )
    one = _run(tmp_path_factory.mktemp("workers-1"), *args, "--workers", "1")
    two = _run(tmp_path_factory.mktemp("workers-2"), *args, "--workers", "2")
    return one, two


@pytest.fixture(scope="session")
def by_slug(small: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {loc["slug"]: loc for loc in small["locations"]}


def _therapists(small: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return small["therapists"]


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(small_dirs: tuple[Path, Path]) -> None:
    a, b = small_dirs
    for name in ("therapists.jsonl.gz", "locations.jsonl.gz", "articles.jsonl.gz", "manifest.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_committed_small_set_is_current(small_dirs: tuple[Path, Path]) -> None:
    fresh = small_dirs[0]
    stale = f"fixtures/small is out of date; regenerate it with: {REGENERATE}"
    assert COMMITTED.is_dir(), stale
    for kind in KINDS:
        assert (COMMITTED / f"{kind}.jsonl.gz").is_file(), stale
        assert _raw(COMMITTED, kind) == _raw(fresh, kind), f"{kind}: {stale}"
    committed = orjson.loads((COMMITTED / "manifest.json").read_bytes())
    current = orjson.loads((fresh / "manifest.json").read_bytes())
    for key in ("generator_version", "seed", "size", "counts", "command"):
        assert committed[key] == current[key], f"manifest {key}: {stale}"


def test_workers_do_not_change_the_output(chunked_dirs: tuple[Path, Path]) -> None:
    one, two = chunked_dirs
    for kind in KINDS:
        assert (one / f"{kind}.jsonl").read_bytes() == (two / f"{kind}.jsonl").read_bytes(), kind
    manifest = orjson.loads((two / "manifest.json").read_bytes())
    assert manifest["counts"]["therapists"] == 2600
    assert manifest["counts"]["bulk_articles"] == 1500


def test_manifest_counts_match_files(
    small_dirs: tuple[Path, Path], small: dict[str, list[dict[str, Any]]]
) -> None:
    manifest = orjson.loads((small_dirs[0] / "manifest.json").read_bytes())
    assert manifest["counts"]["therapists"] == len(small["therapists"]) == 4000
    assert manifest["counts"]["locations"] == len(small["locations"])
    assert manifest["counts"]["articles"] == len(small["articles"])
    assert manifest["seed"] == 20261101
    for kind in KINDS:
        assert manifest["files"][f"{kind}.jsonl.gz"]["records"] == len(small[kind])


# --- shape -----------------------------------------------------------------------------------


def _lines(folder: Path) -> Iterator[tuple[str, bytes]]:
    for kind in KINDS:
        for line in _raw(folder, kind).splitlines():
            yield kind, line


@pytest.mark.parametrize("which", ["small", "chunked"])
def test_every_record_is_exactly_a_model_dump(
    which: str, small_dirs: tuple[Path, Path], chunked_dirs: tuple[Path, Path]
) -> None:
    folder = small_dirs[0] if which == "small" else chunked_dirs[1]
    kinds: Counter[str] = Counter()
    for kind, line in _lines(folder):
        doc = MODELS[kind].model_validate_json(line)
        assert orjson.dumps(doc.model_dump(mode="json")) == line, line[:200]
        kinds[kind] += 1
    assert all(kinds[k] > 0 for k in KINDS)


def test_ids_and_slugs_are_unique(
    small: dict[str, list[dict[str, Any]]], chunked_dirs: tuple[Path, Path]
) -> None:
    bulk = _records(chunked_dirs[0], "articles")
    for records in (*small.values(), bulk, _records(chunked_dirs[0], "therapists")):
        assert len({r["id"] for r in records}) == len(records)
        assert len({r["slug"] for r in records}) == len(records)
    for articles in (small["articles"], bulk):
        comment_ids = [c["id"] for a in articles for c in a["comments"]]
        assert len(set(comment_ids)) == len(comment_ids)
    for t in small["therapists"]:
        offices = [o["id"] for o in t["offices"]]
        assert len(set(offices)) == len(offices)
    assert small["therapists"][0]["id"] == "t0000001"
    assert re.fullmatch(r"t\d{7}", small["therapists"][-1]["id"])


# --- geography -------------------------------------------------------------------------------


def test_fifty_states_and_dc(small: dict[str, list[dict[str, Any]]]) -> None:
    states = [loc for loc in small["locations"] if loc["kind"] == "state"]
    assert len(states) == 51
    assert {s["state"] for s in states} == set(US_STATES)
    oregon = next(s for s in states if s["state"] == "OR")
    assert (oregon["id"], oregon["slug"], oregon["name"]) == ("state-or", "oregon", "Oregon")
    assert oregon["population"] == 4_237_256
    assert 43 < oregon["location"]["lat"] < 46.5 and -124 < oregon["location"]["lon"] < -117
    for s in states:
        assert s["slug"] == state_slug(s["state"]) and s["parent"] is None


def test_zip_97214_is_in_portland_oregon(by_slug: dict[str, dict[str, Any]]) -> None:
    z = by_slug["97214"]
    assert (z["id"], z["kind"], z["zip"], z["city"], z["state"]) == (
        "zip-97214",
        "zip",
        "97214",
        "Portland",
        "OR",
    )
    assert z["county"] == "Multnomah County"
    city = by_slug[z["parent"]]
    assert (city["slug"], city["id"], city["kind"]) == ("portland-or", "city-portland-or", "city")
    assert city["parent"] == "oregon"
    assert by_slug[city["parent"]]["kind"] == "state"
    assert city["population"] and city["population"] > 500_000


@pytest.mark.parametrize(
    "slug",
    [
        "new-york-ny",
        "los-angeles-ca",
        "chicago-il",
        "houston-tx",
        "saint-louis-mo",
        "fort-worth-tx",
    ],
)
def test_big_cities_have_their_population(by_slug: dict[str, dict[str, Any]], slug: str) -> None:
    city = by_slug[slug]
    assert city["kind"] == "city"
    assert city["population"] and city["population"] > 250_000


def test_every_zip_and_city_has_its_parent(
    small: dict[str, list[dict[str, Any]]], by_slug: dict[str, dict[str, Any]]
) -> None:
    for loc in small["locations"]:
        if loc["kind"] == "zip":
            parent = by_slug[loc["parent"]]
            assert parent["kind"] == "city" and parent["state"] == loc["state"]
            assert parent["slug"] == city_slug(loc["city"], loc["state"])
        elif loc["kind"] == "city":
            assert by_slug[loc["parent"]]["kind"] == "state"


# --- therapists: placement -------------------------------------------------------------------


def _km(a: dict[str, float], b: dict[str, float]) -> float:
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dl = math.radians(b["lon"] - a["lon"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_therapists_live_where_people_live(
    small: dict[str, list[dict[str, Any]]], by_slug: dict[str, dict[str, Any]]
) -> None:
    per_city = Counter(
        city_slug(t["offices"][0]["city"], t["offices"][0]["state"])
        for t in small["therapists"]
        if t["offices"]
    )
    for slug in ("new-york-ny", "los-angeles-ca", "chicago-il"):
        assert per_city[slug] >= 25, (slug, per_city[slug])
    cities = [by_slug[s] for s in per_city]
    assert all(c["population"] for c in cities), "home cities are cities with a population"
    biggest = sorted(cities, key=lambda c: -c["population"])[:10]
    smallest = sorted(cities, key=lambda c: c["population"])[:10]
    in_biggest = sum(per_city[c["slug"]] for c in biggest)
    in_smallest = sum(per_city[c["slug"]] for c in smallest)
    assert in_biggest > 5 * in_smallest, (in_biggest, in_smallest)
    # Bigger places get more therapists per place.
    large = [c for c in cities if c["population"] > 500_000]
    towns = [c for c in cities if c["population"] < 20_000]
    assert sum(per_city[c["slug"]] for c in large) / len(large) > 10 * sum(
        per_city[c["slug"]] for c in towns
    ) / len(towns)


def test_offices_sit_at_their_zip_code(
    small: dict[str, list[dict[str, Any]]], by_slug: dict[str, dict[str, Any]]
) -> None:
    for t in small["therapists"]:
        home = t["offices"][0]["location"] if t["offices"] else None
        for o in t["offices"]:
            z = by_slug[o["zip"]]
            assert z["parent"] == city_slug(o["city"], o["state"]), o
            assert _km(o["location"], z["location"]) <= 2.0, o
            assert o["state"] in t["licensed_states"]
            assert home is not None and _km(home, o["location"]) <= 80.0, t["id"]
            assert re.fullmatch(r"o[1-5]", o["id"])
            assert o["location"] == {k: round(v, 6) for k, v in o["location"].items()}


def test_office_and_telehealth_shares(small: dict[str, list[dict[str, Any]]]) -> None:
    ts = small["therapists"]
    n = len(ts)
    offices = Counter(len(t["offices"]) for t in ts)
    assert 0.09 <= offices[0] / n <= 0.15
    assert 0.12 <= offices[2] / n <= 0.18
    assert 0.025 <= offices[3] / n <= 0.055
    assert 0.55 <= sum(t["telehealth"] for t in ts) / n <= 0.65
    for t in ts:
        if not t["offices"]:
            assert t["telehealth"] and 1 <= len(t["licensed_states"]) <= 3


# --- therapists: coherence -------------------------------------------------------------------


def test_attributes_are_coherent(small: dict[str, list[dict[str, Any]]]) -> None:
    ts = small["therapists"]
    couples_methods = {"gottman", "eft", "couples-counseling"}
    pain_methods = {"pain-reprocessing", "mindfulness", "somatic", "act"}
    for t in ts:
        issues, therapies = set(t["issues"]), set(t["therapy_types"])
        assert 3 <= len(t["issues"]) <= 10 and 2 <= len(t["therapy_types"]) <= 6
        assert len(t["populations"]) <= 3 and len(t["insurance"]) <= 6
        assert set(t["credentials"]) <= set(CREDENTIALS_BY_PROFESSION[t["profession"]]) | {
            "NCC",
            "CADC",
            "LPC",
            "APRN",
        }
        assert t["credentials"][0] in CREDENTIALS_BY_PROFESSION[t["profession"]]
        assert t["slug"].endswith(f"-{t['credentials'][0].lower()}-{int(t['id'][1:])}")
        assert (
            t["pronouns"]
            == {"female": "she/her", "male": "he/him", "non-binary": "they/them"}[t["gender"]]
        )
        assert t["fee_min"] <= t["fee_max"]
        assert "2024-11-01" <= t["last_confirmed"] <= "2026-10-31"
        assert 1 <= t["years_in_practice"] <= 40
        prescriber = t["profession"] in ("psychiatrist", "psychiatric-nurse-practitioner")
        assert ("medication-management" in therapies) == prescriber
        if "ocd" in issues:
            assert "erp" in therapies
        if issues & {"couples-conflict", "infidelity"}:
            assert therapies & couples_methods and "couples" in t["populations"]
        if "chronic-pain" in issues:
            assert therapies & pain_methods
        if {"children", "toddlers"} & set(t["age_groups"]):
            assert issues & {"parenting", "behavioral-issues"}
        if "trauma-ptsd" in t["issues"][:3]:
            assert therapies & {"emdr", "cpt", "prolonged-exposure", "tf-cbt"}
    professions = Counter(t["profession"] for t in ts)
    assert professions["professional-counselor"] > professions["psychiatrist"] * 4
    assert professions["clinical-social-worker"] > professions["psychologist"]

    def mean_fee(profession: str) -> float:
        fees = [t["fee_max"] for t in ts if t["profession"] == profession]
        return float(sum(fees)) / len(fees)

    assert mean_fee("psychiatrist") > mean_fee("psychologist") > mean_fee("professional-counselor")
    n = len(ts)
    assert 0.60 <= sum(t["gender"] == "female" for t in ts) / n <= 0.70
    assert 0.20 <= sum(not t["insurance"] for t in ts) / n <= 0.33
    assert 0.28 <= sum(t["sliding_scale"] for t in ts) / n <= 0.42
    assert 0.70 <= sum(t["accepting_new_clients"] for t in ts) / n <= 0.80


def test_languages_follow_the_state(small: dict[str, list[dict[str, Any]]]) -> None:
    ts = small["therapists"]
    assert sum(t["languages"][0] == "english" for t in ts) / len(ts) > 0.97
    assert any(t["languages"][0] != "english" for t in ts)
    southwest = {"TX", "CA", "FL", "AZ", "NM", "NV"}

    def spanish_share(inside: bool) -> float:
        group = [t for t in ts if (t["licensed_states"][0] in southwest) == inside]
        return sum("spanish" in t["languages"] for t in group) / len(group)

    assert spanish_share(True) > 2 * spanish_share(False)


# --- therapists: bios ------------------------------------------------------------------------

_ISSUE_LABELS = {t.slug: t.label.lower() for t in ISSUES}
_THERAPY_LABELS = {t.slug: t.label.lower() for t in THERAPY_TYPES}
_LANGUAGE_LABELS = {t.slug: t.label.lower() for t in LANGUAGES}


def _without(text: str, phrases: list[str]) -> str:
    for p in sorted(phrases, key=len, reverse=True):
        text = text.replace(p, " ")
    return text


def _any_label(labels: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(r"(?<![a-z])(?:" + alternatives + r")(?![a-z])")


_ALL_LABELS = _any_label(
    [*_ISSUE_LABELS.values(), *_THERAPY_LABELS.values(), *_LANGUAGE_LABELS.values()]
)


def test_bios_name_the_main_issues(small: dict[str, list[dict[str, Any]]]) -> None:
    for t in small["therapists"]:
        bio = t["bio"].lower()
        for slug in t["issues"][:3]:
            assert _ISSUE_LABELS[slug] in bio, (t["id"], slug)
        assert 600 <= len(t["bio"]) <= 1600, (t["id"], len(t["bio"]))
        assert 3 <= t["bio"].count("\n\n") + 1 <= 4
        for o in t["offices"]:
            assert o["city"] in t["bio"]


def test_bios_never_name_what_the_therapist_lacks(small: dict[str, list[dict[str, Any]]]) -> None:
    for t in small["therapists"]:
        bio = t["bio"].lower()
        # Place names can hold a label ("Spanish Fork", "Russian Mission"): leave them out.
        places = [o["city"].lower() for o in t["offices"]]
        places += [US_STATES[s].lower() for s in t["licensed_states"]]
        own = [_ISSUE_LABELS[i] for i in t["issues"]]
        own += [_THERAPY_LABELS[x] for x in t["therapy_types"]]
        own += [_LANGUAGE_LABELS[x] for x in t["languages"]]
        # With its own labels gone, no issue, therapy type or language label may be left.
        found = _ALL_LABELS.search(_without(bio, places + own))
        assert found is None, (t["id"], found and found.group(0))


def test_bios_mention_other_languages(small: dict[str, list[dict[str, Any]]]) -> None:
    for t in small["therapists"]:
        for lang in t["languages"]:
            if lang != "english":
                assert _LANGUAGE_LABELS[lang] in t["bio"].lower(), (t["id"], lang)


# --- articles --------------------------------------------------------------------------------


def test_article_authors(small: dict[str, list[dict[str, Any]]]) -> None:
    therapists = {t["id"]: t for t in small["therapists"]}
    articles = small["articles"]
    assert [a["id"] for a in articles] == [f"a{i:04d}" for i in range(1, len(articles) + 1)]
    assert [a["slug"] for a in articles] == [c["slug"] for c in load_content()]
    signed = [a for a in articles if a["author"]["therapist_id"] is not None]
    for a in signed:
        t = therapists[a["author"]["therapist_id"]]
        assert set(t["issues"]) & set(a["topics"]), a["slug"]
        assert a["author"]["name"] == f"{t['name']}, {t['credentials'][0]}"
    if len(articles) >= 10:
        assert 0.25 <= len(signed) / len(articles) <= 0.55


def test_comments_come_after_publication(
    small: dict[str, list[dict[str, Any]]], chunked_dirs: tuple[Path, Path]
) -> None:
    for a in small["articles"] + _records(chunked_dirs[0], "articles"):
        assert "2019-01-01" <= a["published"] <= "2026-10-31"
        dates = [c["date"] for c in a["comments"]]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        for d in dates:
            assert d.endswith("Z") and a["published"] < d[:10] <= "2026-11-01"


def test_bulk_articles(chunked_dirs: tuple[Path, Path]) -> None:
    therapists = {t["id"]: t for t in _records(chunked_dirs[0], "therapists")}
    articles = _records(chunked_dirs[0], "articles")
    n_content = orjson.loads((chunked_dirs[0] / "manifest.json").read_bytes())["counts"][
        "content_articles"
    ]
    bulk = articles[n_content:]
    assert len(bulk) == 1500
    assert bulk[0]["id"] == f"a{n_content + 1:04d}"
    for a in bulk:
        words = len(a["body"].split())
        assert 300 <= words <= 600, (a["id"], words)
        assert len(a["comments"]) <= 4
        tid = a["author"]["therapist_id"]
        if tid is not None:
            assert set(therapists[tid]["issues"]) & set(a["topics"])
    signed = sum(a["author"]["therapist_id"] is not None for a in bulk) / len(bulk)
    assert 0.3 <= signed <= 0.5


# --- contact fields --------------------------------------------------------------------------


def test_contact_fields_are_fictional_and_well_formed(
    small: dict[str, list[dict[str, Any]]],
) -> None:
    from urllib.parse import urlsplit

    from fixtures.contact import EXAMPLE_DOMAINS

    def reserved(host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS)

    therapists = _therapists(small)
    for t in therapists:
        if t["phone"] is not None:
            assert re.fullmatch(r"\+1[2-9]\d\d5550[1]\d\d", t["phone"]), t["phone"]
        if t["email"] is not None:
            assert reserved(t["email"].rpartition("@")[2]), t["email"]
        for key in ("website", "booking_url"):
            if t[key] is not None:
                assert reserved(urlsplit(t[key]).hostname or ""), t[key]
        assert t["photo_url"] is None  # the API shows the generated avatar
        assert t["phone"] or t["email"], t["id"]  # everybody can be reached somehow
    n = len(therapists)

    def share(key: str) -> float:
        return sum(bool(t[key]) for t in therapists) / n

    assert 0.88 <= share("phone") <= 0.97
    assert 0.8 <= share("email") <= 0.92
    assert 0.55 <= share("website") <= 0.65
    assert 0.3 <= share("booking_url") <= 0.5
    assert 0.35 <= share("free_consultation") <= 0.5
    # the area code is the first office's (Portland, Oregon: 503 or 971)
    portland = [
        t
        for t in therapists
        if t["offices"]
        and (t["offices"][0]["city"], t["offices"][0]["state"]) == ("Portland", "OR")
    ]
    assert portland and all(t["phone"][2:5] in ("503", "971") for t in portland if t["phone"])


def test_contact_fields_leave_every_other_field_as_it_was(
    monkeypatch: pytest.MonkeyPatch, small: dict[str, list[dict[str, Any]]]
) -> None:
    """They come from a random stream of their own: without them, the same records."""
    import fixtures.therapists as generator
    from fixtures.common import DEFAULT_SEED
    from fixtures.contact import CONTACT_KEYS
    from fixtures.geography import load_placement_tables

    monkeypatch.setattr(generator, "contact_fields", lambda record, seed, number: {})
    without = list(generator.generate_records(load_placement_tables(), DEFAULT_SEED, 0, 0, 500))
    with_contact = _therapists(small)[:500]
    assert without == [{k: v for k, v in t.items() if k not in CONTACT_KEYS} for t in with_contact]
    assert all(list(t)[-len(CONTACT_KEYS) :] == list(CONTACT_KEYS) for t in with_contact)
