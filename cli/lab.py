"""What the relevance lab's commands share (``relevance ...`` and ``explain``): the common
options, opening the lab, reading judgments, and turning errors into exit statuses: the engine
failing (unreachable, no index, timed out) is 1, bad input is 2."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from cli.common import EXIT_FAILED, EXIT_USAGE, Handler
from search_core.errors import BackendTimeout, BackendUnavailable, SearchError
from search_core.relevance import checks
from search_core.relevance.evaluate import EvalReport, evaluate
from search_core.relevance.judge import JUDGMENTS_FILE
from search_core.relevance.judgments import JudgmentList, load_judgments
from search_core.relevance.lab import Lab
from search_core.relevance.metrics import DEFAULT_REL, default_metrics
from search_core.settings import Settings
from search_core.tuning import BASE_NAME, TUNINGS_DIR, Tuning

ENGINES = ("embedded", "elasticsearch", "opensearch")
TUNING_HELP = "a tuning: a name in tunings/ (default, searched ...) or a JSON file"


def tuning_file(value: str) -> Path:
    """``--tuning`` and friends: a bare name (``searched``) is ``tunings/<name>.json``; anything
    else is a path."""
    if BASE_NAME.match(value) and (TUNINGS_DIR / f"{value}.json").is_file():
        return TUNINGS_DIR / f"{value}.json"
    return Path(value)


def common_options() -> argparse.ArgumentParser:
    """``--engine`` and ``--json``, a parent of every lab command."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--engine", choices=ENGINES, help="default: SEARCH_ENGINE")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    return p


def judged_options() -> argparse.ArgumentParser:
    """The judgment list and how it is scored, a parent of the commands that measure."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--judgments",
        type=Path,
        default=JUDGMENTS_FILE,
        help="judgment list (JSONL; default: relevance/judgments.jsonl)",
    )
    p.add_argument("--k", type=int, default=10, help="cutoff of the default metrics (10)")
    p.add_argument("--rel", type=int, default=DEFAULT_REL, help="grade that counts as relevant (2)")
    p.add_argument("--target", choices=("therapists", "articles"), help="only queries of this kind")
    return p


def lab_command(command: Handler) -> Handler:
    """The command with its errors turned into a message and an exit status: 1 when the engine
    failed (unreachable, no index built yet, timed out: what the API answers 503 or 504), 2 for
    bad input (an unreadable file, an invalid tuning, a knob the engine cannot honour)."""

    @functools.wraps(command)
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        try:
            return command(args, settings)
        except (BackendUnavailable, BackendTimeout) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except (checks.UnsupportedTuning, SearchError, OSError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE

    return handler


def open_lab(settings: Settings, engine: str | None) -> Lab:
    return Lab.open(settings, engine)


def judgments(args: argparse.Namespace) -> JudgmentList:
    """The ``--judgments`` list, only the ``--target`` kind when given."""
    j = load_judgments(args.judgments)
    return j.by_target(args.target) if getattr(args, "target", None) else j


def metrics_led_by(metric: str, k: int) -> list[str]:
    """``metric`` first (the one reported and compared), then the other default metrics."""
    return [metric, *(m for m in default_metrics(k) if m != metric)]


def run_eval(lab: Lab, j: JudgmentList, tuning: Tuning, args: argparse.Namespace) -> EvalReport:
    metrics = getattr(args, "metric", None)
    if isinstance(metrics, str):
        metrics = metrics_led_by(metrics, args.k)
    return evaluate(lab, j, tuning, k=args.k, metrics=metrics, rel=args.rel)
