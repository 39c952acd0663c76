"""A filter takes one registry entry: a throwaway one (a therapist's credentials), registered in
a fresh process before the product is imported, works end to end on the embedded engine — the
API parameter and its documentation, the engine's filter and facet counts, the search box's
chip, the relaxation message and the profile page — with nothing else changed but an index
mapping that lets the field be counted."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import PROJECT_ROOT

TINY = 400
"""Therapists of the small fixture set in the throwaway index."""
PLACES = 2000
"""Locations of the small set in it (the search box looks words up as places)."""
PSYD = "PsyD"


def _tiny_source(small_dir: Path, out: Path) -> list[dict[str, Any]]:
    lines = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes()).splitlines()[:TINY]
    out.mkdir()
    (out / "therapists.jsonl.gz").write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    places = gzip.decompress((small_dir / "locations.jsonl.gz").read_bytes()).splitlines()
    (out / "locations.jsonl.gz").write_bytes(gzip.compress(b"\n".join(places[:PLACES]) + b"\n"))
    return [orjson.loads(line) for line in lines]


def _countable_mappings(out: Path) -> Path:
    """The product's mappings, with doc values on ``credentials`` so that it can be counted."""
    out.mkdir()
    for path in (PROJECT_ROOT / "mappings").glob("*.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        if path.stem == "therapists":
            del body["mappings"]["properties"]["credentials"]["doc_values"]
        (out / path.name).write_text(json.dumps(body), encoding="utf-8")
    return out


def _run(tmp_path: Path, small_dir: Path, requests: list[list[Any]]) -> list[dict[str, Any]]:
    source = tmp_path / "source"
    _tiny_source(small_dir, source)
    mappings = _countable_mappings(tmp_path / "mappings")
    command = [sys.executable, "-m", "tests.filters.throwaway", str(source)]
    done = subprocess.run(
        [*command, str(tmp_path / "data"), str(mappings)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers: list[dict[str, Any]] = json.loads(done.stdout.splitlines()[-1])  # after the build
    return answers


@pytest.fixture(scope="module")
def tiny(small_dir: Path) -> list[dict[str, Any]]:
    lines = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes()).splitlines()
    return [orjson.loads(line) for line in lines[:TINY]]


def test_a_throwaway_filter_takes_one_entry(
    tmp_path: Path, small_dir: Path, tiny: list[dict[str, Any]]
) -> None:
    with_psyd = [t for t in tiny if PSYD in t["credentials"]]
    assert 0 < len(with_psyd) < len(tiny)
    # An issue some tiny-set therapists treat and none with a PsyD: the search box's
    # "<issue> doctor of psychology" finds nobody until relaxation drops the credential.
    from search_core.vocabulary import ISSUES

    issue = next(
        term for term in ISSUES
        if any(term.slug in t["issues"] for t in tiny)
        and not any(term.slug in t["issues"] for t in with_psyd)
    )  # fmt: skip
    someone = with_psyd[0]
    requests = [
        ["/therapists/search", {"credentials": PSYD, "size": 50, "facets": "true"}],
        ["/therapists/search", {"size": 0}],
        ["/therapists/search", {"q": "doctor of psychology", "size": 50}],
        ["/therapists/search", {"q": f"{issue.label} doctor of psychology", "size": 50}],
        ["/therapists/search", {"credentials": "no-such-degree"}],
        ["/vocabularies", {}],
        [f"/profile/{someone['id']}", {}],
        ["/", {"q": "doctor of psychology"}],
    ]
    doc, chosen, counts, read, relaxed, bad, vocabularies, profile, page = _run(
        tmp_path, small_dir, requests
    )

    # The API parameter, documented with its vocabulary.
    param = {p["name"]: p for p in doc["body"]["get"]["parameters"]}["credentials"]
    assert PSYD in param["schema"]["items"]["enum"]
    assert "Credentials held" in param["description"]
    # The engine's filter: exactly the therapists with the credential.
    assert chosen["status"] == 200
    body = chosen["body"]
    assert body["total"] == len(with_psyd)
    assert {h["therapist"]["id"] for h in body["items"]} == {t["id"] for t in with_psyd}
    # Facet counts: every credential counted over the whole set, the chosen one marked.
    buckets = {b["value"]: b for b in counts["body"]["facets"]["credentials"]}
    for value, bucket in buckets.items():
        assert bucket["count"] == sum(value in t["credentials"] for t in tiny), value
    assert buckets[PSYD]["label"] == "Doctor of Psychology (PsyD)"
    assert {b["value"]: b["selected"] for b in body["facets"]["credentials"]}[PSYD] is True
    # The search box reads it as a chip, and filters by it.
    assert read["status"] == 200, read
    pieces = read["body"]["understanding"]["pieces"]
    chip = next(p for p in pieces if p["kind"] == "credential")
    assert chip["label"] == "Doctor of Psychology (PsyD)"
    assert chip["filter"] == {"credentials": PSYD} and chip["hard"] is True
    assert read["body"]["total"] == len(with_psyd)
    # Relaxation: softest of all, dropped first, and said so in its own words.
    message = relaxed["body"]["relaxed"]["message"]
    assert "holding Doctor of Psychology" in message
    assert "Doctor of Psychology not required" in message
    assert relaxed["body"]["total"] == sum(issue.slug in t["issues"] for t in tiny)
    # A value outside its vocabulary is a clear 422.
    assert bad["status"] == 422 and "no-such-degree" in json.dumps(bad["body"])
    # Its vocabulary is listed, the profile shows it, the results page shows the chip.
    assert PSYD in json.dumps(vocabularies["body"])
    assert profile["status"] == 200 and "<dt>Credentials</dt>" in profile["body"]
    assert "Doctor of Psychology (PsyD)" in profile["body"]
    assert page["status"] == 200 and "Doctor of Psychology (PsyD)" in page["body"]
