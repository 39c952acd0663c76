"""Run in a fresh process by :mod:`tests.filters.test_throwaway_filter`: register one
throwaway filter (a therapist's credentials), then import the product, build a small index
over a folder of fixtures and answer the HTTP requests given as JSON on stdin.

``python -m tests.filters.throwaway SOURCE DATA_DIR MAPPINGS_DIR < requests.json``: each
request is ``[path, params]``; the answers (status and JSON body or page text) go to stdout.
Registering comes first because the product reads the registry when its modules are imported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from search_core.filters import Filter, Wording, register
from search_core.vocabulary import CREDENTIALS, Term, Vocabulary

LABELS = {"PsyD": "Doctor of Psychology (PsyD)"}

CREDENTIAL = Filter(
    "credentials",
    "facet",
    "Credentials held",
    Wording("back", 70, "holding {}", style="name"),
    Vocabulary("credentials", tuple(Term(c, LABELS.get(c, c)) for c in CREDENTIALS)),
    "PsyD",
    piece="credential",
    softness=0,
    profile="Credentials",
)
"""The one entry the throwaway filter takes; softest of all, so relaxation drops it first."""


def main(argv: list[str]) -> int:
    register(CREDENTIAL)
    from fastapi.testclient import TestClient

    from cli.main import main as cli
    from search_api.app import create_app
    from search_core.settings import Settings

    source, data, mappings = (Path(a) for a in argv[1:4])
    settings = Settings(engine="embedded", data_dir=data, mappings_dir=mappings, index_workers=0)
    built = cli(["index", "--from", str(source), "--quiet"], settings)
    if built != 0:
        return built
    answers: list[dict[str, Any]] = []
    with TestClient(create_app(settings)) as client:
        openapi = client.get("/openapi.json").json()
        answers.append({"status": 200, "body": openapi["paths"]["/therapists/search"]})
        for path, params in json.loads(sys.stdin.read()):
            r = client.get(path, params=params)
            json_body = r.headers.get("content-type", "").startswith("application/json")
            answers.append({"status": r.status_code, "body": r.json() if json_body else r.text})
    json.dump(answers, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
