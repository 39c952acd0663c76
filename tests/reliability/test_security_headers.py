"""Headers a public API and site send, and error bodies that never leak a path or a trace."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.security import JSON_CSP
from search_core.settings import Settings

JSON_POLICY = JSON_CSP.decode()


def test_json_answers_carry_the_security_headers(client: TestClient) -> None:
    for path in ("/therapists/search?q=anxiety", "/suggest?q=anx", "/health", "/nowhere"):
        r = client.get(path, headers={"Accept": "application/json"})
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert r.headers["content-security-policy"] == JSON_POLICY, path


def test_a_page_keeps_its_own_policy(client: TestClient) -> None:
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    policy = r.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert r.headers["x-content-type-options"] == "nosniff"


def test_error_bodies_name_no_path_or_frame(client: TestClient) -> None:
    answers = [
        client.get("/therapists/t9999999"),
        client.post("/therapists/search"),
        client.get("/therapists/search", params={"size": "many"}),
        client.get("/articles/search", params={"published_from": "0310-01-29"}),
        client.get("/nowhere", headers={"Accept": "application/json"}),
    ]
    for r in answers:
        assert 400 <= r.status_code < 500 and r.headers["content-type"] == "application/json"
        text = r.text
        assert "Traceback" not in text and "/work/" not in text and ".py" not in text, text


def test_an_unexpected_failure_is_a_plain_json_500(tmp_path: Path) -> None:
    """A bug in a route (caused for real: a route of the real app that raises) answers a JSON
    500 that names nothing inside the server."""
    app = create_app(Settings(data_dir=tmp_path))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret at /srv/app/search_core/engine.py line 12")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert r.json()["error"] == "internal_error"
    assert "secret" not in r.text and ".py" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"] == JSON_POLICY
