"""Every option of the lab's commands (``relevance ...`` and ``explain``) says what it is for."""

from __future__ import annotations

import argparse

from cli.main import build_parser, commands


def test_every_lab_option_has_help() -> None:
    missing = []
    checked = 0
    for path, parser in commands(build_parser()):
        if path[0] not in ("relevance", "explain"):
            continue
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            checked += 1
            if not (action.help or "").strip():
                missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}")
    assert checked > 80
    assert not missing, "options without help: " + ", ".join(missing)
