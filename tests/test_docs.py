"""The README documents every route, command and setting (fails when one is added silently)."""

from __future__ import annotations

import re

import pytest

from cli.main import build_parser, commands
from search_api.app import create_app
from search_core.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _routes() -> list[str]:
    return sorted(create_app(Settings()).openapi()["paths"])


@pytest.mark.parametrize("route", _routes())
def test_every_route_is_in_the_readme(route: str) -> None:
    assert f"`GET {route}`" in README, f"document {route} in README.md"


def _commands() -> list[str]:
    return sorted(path[0] for path, _ in commands(build_parser()) if len(path) == 1)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`therapist-search {command}" in README


def _env_names() -> list[str]:
    names = []
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        names.append(str(choices[0]) if choices else f"SEARCH_{name.upper()}")
    return sorted(names)


@pytest.mark.parametrize("env", _env_names())
def test_every_setting_is_in_the_readme(env: str) -> None:
    assert f"`{env}`" in README, f"document {env} in the README's settings table"


def test_exactly_two_setup_commands() -> None:
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", README, re.S)
    assert block is not None
    lines = [ln for ln in block.group(1).splitlines() if ln.strip()]
    assert [ln.split("#")[0].strip() for ln in lines] == ["make run", "make test"]
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def _readme_command_lines() -> list[str]:
    """Every ``therapist-search ...`` line of the README's shell blocks, comments removed."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            line = re.sub(r"^(?:\.venv/bin/)", "", line)
            if line.startswith("therapist-search "):
                lines.append(line)
    return lines


@pytest.mark.parametrize("line", _readme_command_lines())
def test_readme_examples_parse(line: str) -> None:
    """A newcomer can paste each example: the command line accepts its words and options."""
    import shlex

    try:
        build_parser().parse_args(shlex.split(line)[1:])
    except SystemExit as exc:  # argparse's way of refusing
        pytest.fail(f"README example does not parse (exit {exc.code}): {line}")


def test_readme_has_command_examples() -> None:
    assert len(_readme_command_lines()) >= 5


def test_compose_offers_opensearch_for_local_use() -> None:
    """docker-compose.yml's OpenSearch: the official 2.19 image, security off, loopback only,
    the same version as the local node the tests run on."""
    import yaml

    from localnode import VERSION

    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["opensearch"]
    image = service["image"].replace("${OPENSEARCH_VERSION:-", "").rstrip("}")
    assert image == f"opensearchproject/opensearch:{VERSION}" and VERSION.startswith("2.19.")
    assert service["environment"]["DISABLE_SECURITY_PLUGIN"] == "true"
    assert all(str(p).startswith("127.0.0.1:") for p in service["ports"])
    assert "opensearch" in compose["volumes"] or "osdata" in compose["volumes"]


def _layout_names() -> list[tuple[str, str]]:
    """(top-level entry, name) for every file or folder the README's layout names: the entries
    themselves, and each ``x.py`` or ``x/`` in their descriptions (under the entry, or from the
    root when it has a slash inside, like ``tests/test_imports.py``)."""
    block = README.split("## Layout\n", 1)[1].split("```", 2)[1]
    names: list[tuple[str, str]] = []
    entry = ""
    for line in block.splitlines():
        if line[:1].strip():
            entry, line = line.split(maxsplit=1)[0], line.split(maxsplit=1)[1]
            names.append(("", entry))
        names += [(entry, n) for n in re.findall(r"(?<![\w./`])([\w/]+\.py|\w+/)(?![\w.])", line)]
    return names


@pytest.mark.parametrize(("entry", "name"), _layout_names())
def test_the_layout_names_only_what_exists(entry: str, name: str) -> None:
    here = [PROJECT_ROOT / entry / name, PROJECT_ROOT / name]
    assert any(p.exists() for p in here), f"README layout: {entry}{name} does not exist"


def test_the_layout_is_read() -> None:
    names = _layout_names()
    assert ("tests/", "tests/test_imports.py") in names and ("search_core/", "engines.py") in names
    assert ("search_core/", "opensearch/") in names and ("", "localnode/") in names
