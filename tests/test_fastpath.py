"""The fast path of therapist validation (indexer/fastpath.py) against the document model: on
every committed fixture record and on records broken on purpose, field by field, the fast path
either leaves the record to the model or gives exactly the model's index document (the same
JSON, byte for byte), and ``validate`` gives what the model alone gives, reasons included."""

from __future__ import annotations

import copy
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from indexer.fastpath import therapist_index_doc
from indexer.validation import validate, validate_model


def _fixture_lines(small_dir: Path) -> list[bytes]:
    text = gzip.decompress((small_dir / "therapists.jsonl.gz").read_bytes())
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def fixture_lines(small_dir: Path) -> list[bytes]:
    return _fixture_lines(small_dir)


def _agree(line: bytes) -> tuple[bool, bool]:
    """Asserts the two paths agree on ``line``; (the model accepts it, the fast path took it)."""
    reference, reason = validate_model("therapists", line)
    fast = therapist_index_doc(line)
    if fast is not None:
        assert reference is not None, f"fast path accepted what the model refuses ({reason})"
        assert orjson.dumps(fast) == orjson.dumps(reference)
    assert validate("therapists", line) == (reference, reason)
    return reference is not None, fast is not None


def test_every_fixture_record_takes_the_fast_path_with_the_models_document(
    fixture_lines: list[bytes],
) -> None:
    outcomes = [_agree(line) for line in fixture_lines]
    assert len(outcomes) >= 4000
    assert all(fast for _, fast in outcomes)  # the committed records are all well formed


BAD_VALUES: list[Any] = [None, "", " ", 0, -1, 1.5, True, [], {}, ["x"], "x" * 301]
TEXT_VARIANTS = [
    " padded",
    "padded ",
    "tab\there",
    "line\nbreak",
    "nul\x00",
    "del\x7f",
    "c1\x85",
    "bidi\u202eflip",
    "Jos\u00e9 Mu\u00f1oz",
    "\u3000ideographic space",
    "file\x1csep",
    "x" * 200,
    "x" * 201,
]
FIELD_VALUES: dict[str, list[Any]] = {
    "id": ["T1", "-t1", "t" * 64, "t" * 65, "t_1-a", "t1 ", "\u0661"],
    "slug": ["a--b", "A-b", "a" * 120, "a" * 121, "-a", "a-"],
    "credentials": [[], ["PhD"] * 7, ["PhD", "PhD"], ["phd"], [" PhD"]],
    "profession": ["psychologist", "Psychologist", "nurse", " psychologist"],
    "gender": ["female", "other-thing"],
    "pronouns": ["", "x" * 30, "x" * 31, "they\tthem"],
    "bio": [
        "ok",
        "ends with a line break\n",
        "two\n\nparagraphs",
        "cr\rhere",
        "ff\x0c",
        "x" * 20_001,
    ],
    "issues": [["anxiety"] * 2, ["anxiety", "unknown-issue"], [f"i{i}" for i in range(26)]],
    "therapy_types": [[], ["cbt", "cbt"], ["cbt", "dbt"]],
    "age_groups": [[], ["adults"], ["adults", "adults"]],
    "populations": [[], ["lgbtq"], ["nobody"]],
    "languages": [[], ["english", "spanish"], ["klingon"]],
    "insurance": [[], ["aetna"], ["aetna", "aetna"]],
    "fee_min": [0, 2000, 2001, -1, 100.0, "100", 50.5],
    "fee_max": [0, 2000, 2001, 100.0, "100"],
    "sliding_scale": ["true", 1, 0, "false", False],
    "telehealth": [False, "yes", 1],
    "licensed_states": [[], ["XX"], ["ny"], ["NY", "NY"], ["NY", "CA"], [" NY"]],
    "accepting_new_clients": [1, "no"],
    "last_confirmed": [
        "2026-7-28",
        "2026-02-30",
        "2024-02-29",
        "0001-01-01",
        "0000-01-01",
        "2026-07-28T00:00:00",
        "2026-07-28T10:00:00",
        20260728,
        1785196800,
        "2026-07-28 ",
        "\uff12\uff10\uff12\uff16-07-28",
    ],
    "years_in_practice": [0, 70, 71, -1, 5.0, "5"],
    "phone": [
        "503-555-0123",
        "(503) 555-0123",
        "+1 503.555.0123",
        "911",
        " 5035550123",
        "",
        "1235550123",
        12345,
    ],
    "email": ["A.B@Example.COM", "bad", "a@b", " a@example.com", "", "x@@example.com"],
    "website": [
        "http://x.example.com",
        "HTTPS://X.example.com/a",
        "javascript:alert(1)",
        "ftp://x.org",
        "",
    ],
    "booking_url": [
        "https://book.example.com/x?y=1",
        "https://user:pw@example.com",
        "https://x.example.com:99999",
    ],
    "free_consultation": [True, None, "no"],
    "photo_url": [
        "/avatars/t0000001.svg",
        "/avatars/other.svg",
        "http://x.example.com/a.jpg",
        "https://x.example.com/a.jpg",
        "",
    ],
}
OFFICE_VALUES: dict[str, list[Any]] = {
    "id": ["O1", "o 1", "", "o" * 64],
    "street": ["1 Main St", " 1 Main St", "", "x" * 201, "a\tb"],
    "city": ["Coeur d'Alene", "San Jos\u00e9", "  ", "x\x00"],
    "state": ["XX", "ny", "CA", None],
    "zip": ["1234", "123456", "\u0661\u0662\u0663\u0664\u0665", 12345, "02134"],
    "location": [
        {"lat": 45, "lon": -122},
        {"lat": 90, "lon": 180},
        {"lat": -90.0, "lon": -180.0},
        {"lat": 90.0001, "lon": 0},
        {"lat": 0, "lon": 180.5},
        {"lat": "45", "lon": 0},
        {"lat": True, "lon": 0},
        {"lat": 1, "lon": 2, "alt": 3},
        {"lat": 1},
        [45, -122],
    ],
}


def _variants(base: dict[str, Any]) -> Iterator[bytes]:
    """Records that differ from ``base`` in one way each (some still valid)."""
    for key in base:
        out = dict(base)
        del out[key]
        yield orjson.dumps(out)
        for value in [*BAD_VALUES, *TEXT_VARIANTS, *FIELD_VALUES.get(key, [])]:
            yield orjson.dumps({**base, key: value})
    yield orjson.dumps({**base, "extra": 1})
    offices = base["offices"]
    if offices:
        office = offices[0]
        for key in office:
            yield orjson.dumps({**base, "offices": [{k: v for k, v in office.items() if k != key}]})
            for value in [*BAD_VALUES, *OFFICE_VALUES.get(key, [])]:
                yield orjson.dumps({**base, "offices": [{**office, key: value}]})
        yield orjson.dumps({**base, "offices": [{**office, "extra": 1}]})
        yield orjson.dumps({**base, "offices": [office, office]})
        yield orjson.dumps({**base, "offices": [office, {**office, "id": "o2"}]})
        many = [{**office, "id": f"o{i}"} for i in range(6)]
        yield orjson.dumps({**base, "offices": many})
        yield orjson.dumps({**base, "offices": many[:5]})
        yield orjson.dumps({**base, "offices": [], "telehealth": False})
        yield orjson.dumps({**base, "offices": [], "telehealth": True})
    yield orjson.dumps({**base, "fee_min": 300, "fee_max": 200})
    yield orjson.dumps({**base, "fee_min": 200, "fee_max": 200})
    # JSON the fast path's parser and the model's may read differently.
    text = orjson.dumps(base)
    yield b'{"id":"BAD ID",' + text[1:]
    yield text[:-1] + b',"id":"BAD ID"}'
    yield text[:-1] + b',"name":"Second Name"}'
    yield text.replace(b'"name":"', b'"name":"\\ud800', 1)
    yield text.replace(b'"name":"', b'"name":"\\u00e9\\t', 1)
    yield text.replace(b'"fee_min":', b'"fee_min":1e400,"x":', 1)
    yield text.replace(b'"fee_min":', b'"fee_min":NaN,"x":', 1)
    yield text + b" trailing"
    yield b"[" + text + b"]"
    yield b"{not json"
    yield b""
    yield b"null"


def test_records_broken_on_purpose_get_the_models_outcome_and_reasons(
    fixture_lines: list[bytes],
) -> None:
    """Same accept or reject and the same reason as the model alone, for every variant of a
    record with an office and one without (one at a time: what the fast path accepts, it
    accepts with the model's document)."""
    records = [orjson.loads(line) for line in fixture_lines]
    with_office = next(r for r in records if r["offices"] and r.get("phone"))
    online = next(r for r in records if not r["offices"])
    accepted = refused = fast = 0
    for base in (with_office, online):
        for line in _variants(copy.deepcopy(base)):
            ok, took = _agree(line)
            accepted += ok
            refused += not ok
            fast += took
    assert refused > 300 and accepted > 50 and fast > 50  # both outcomes were exercised
