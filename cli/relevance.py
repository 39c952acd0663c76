"""``therapist-search relevance eval|compare|search|gate|export|judge|check``: the relevance lab
on the command line, thin over :mod:`search_core.relevance` (see relevance/README.md).

Exit status: 0 success; 1 the gate failed (or ``judge --check`` found the file stale); 2 bad
usage (an unreadable file, an invalid tuning, a knob the engine cannot honour).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from cli import interchange, judging
from cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_json, write_json
from cli.interchange import history_options, record_history
from cli.lab import (
    ENGINES,
    TUNING_HELP,
    common_options,
    judged_options,
    judgments,
    lab_command,
    metrics_led_by,
    open_lab,
    run_eval,
    tuning_file,
)
from search_core.relevance import checks, knobs
from search_core.relevance.compare import compare
from search_core.relevance.evaluate import evaluate
from search_core.relevance.gate import BASELINE_FILE, Baseline, gate, updated
from search_core.relevance.report import format_comparison, format_eval, format_search
from search_core.relevance.search import grid as make_grid
from search_core.relevance.search import random_search, search
from search_core.relevance.settings_diff import (
    diff,
    format_diff,
    format_implicit,
    write_changes,
)
from search_core.relevance.settings_diff import settings as settings_of
from search_core.settings import Settings
from search_core.tuning import DEFAULT_TUNING_PATH, Tuning


def register(subparsers: Any) -> None:
    """Add ``relevance`` with its own subcommands (ACTION) to the main parser."""
    common, judged = common_options(), judged_options()
    rel = subparsers.add_parser(
        "relevance",
        help="measure, compare and tune ranking on the judged queries",
        description="The relevance lab. See relevance/README.md.",
    )
    sub = rel.add_subparsers(dest="relevance_command", required=True, metavar="ACTION")

    ev = sub.add_parser("eval", parents=[common, judged], help="measure one tuning")
    ev.add_argument("--tuning", type=tuning_file, default=DEFAULT_TUNING_PATH, help=TUNING_HELP)
    ev.add_argument("--metric", action="append", help="ndcg@10, mrr@10, p@10, r@10 ... (repeat)")
    ev.add_argument("--per-query", action="store_true", help="a line per query")
    ev.add_argument("--out", type=Path, help="also write the report as JSON")
    history_options(ev)
    ev.set_defaults(handler=lab_command(cmd_eval))

    cp = sub.add_parser(
        "compare", parents=[common, judged], help="two tunings or two engines side by side"
    )
    cp.add_argument(
        "--a", type=tuning_file, default=DEFAULT_TUNING_PATH, help="tuning A (default: default)"
    )
    cp.add_argument("--b", type=tuning_file, required=True, help=f"tuning B: {TUNING_HELP}")
    cp.add_argument("--engine-a", choices=ENGINES, help="engine of A (default: --engine)")
    cp.add_argument("--engine-b", choices=ENGINES, help="engine of B (default: --engine)")
    cp.add_argument("--metric", help="default: ndcg@K")
    cp.add_argument(
        "--permutations",
        type=int,
        default=10_000,
        help="random swaps of the randomization test (10000)",
    )
    cp.add_argument("--seed", type=int, default=0, help="seed of the randomization test (0)")
    cp.add_argument("--plots", type=Path, help="folder for distribution and movers PNGs")
    cp.add_argument("--out", type=Path, help="also write the comparison as JSON")
    cp.add_argument(
        "--query",
        action="append",
        default=[],
        metavar="QID",
        help="show this query's two top-k lists side by side, with grades, moves and the "
        "movers' score breakdown (repeat)",
    )
    cp.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="write an HTML report: verdict, settings diff, movers, and side by side the "
        "--query queries (default: the 5 biggest movers)",
    )
    cp.set_defaults(handler=lab_command(cmd_compare))

    se = sub.add_parser("search", parents=[common, judged], help="grid or random search over knobs")
    se.add_argument(
        "--knob",
        action="append",
        required=True,
        metavar="PATH=V1,V2,...",
        help="e.g. therapist_fields.bio=0.5,1,2 or distance.scale_km=5,15,30 (repeat)",
    )
    se.add_argument(
        "--tuning", type=tuning_file, default=DEFAULT_TUNING_PATH, help=f"base {TUNING_HELP}"
    )
    se.add_argument("--metric", help="what to maximise (default: ndcg@K)")
    se.add_argument("--random", type=int, metavar="N", help="N random combinations, not all")
    se.add_argument("--seed", type=int, default=0, help="seed of --random and --holdout (0)")
    se.add_argument("--holdout", type=float, default=0.0, help="share of queries held out")
    se.add_argument("--name", help="name of the tuning written out")
    se.add_argument(
        "--out",
        type=Path,
        help="write the best tuning here: a tuning file extending the base (its changes only)",
    )
    se.add_argument("--report", type=Path, help="write every trial as JSON")
    se.set_defaults(handler=lab_command(cmd_search))

    ga = sub.add_parser(
        "gate", parents=[common, judged], help="fail when the score drops below the baseline"
    )
    ga.add_argument(
        "--baseline",
        type=Path,
        default=BASELINE_FILE,
        help="stored score, tolerance and query set (default: relevance/baseline.json)",
    )
    ga.add_argument("--tuning", type=tuning_file, default=DEFAULT_TUNING_PATH, help=TUNING_HELP)
    ga.add_argument("--update", action="store_true", help="store the measured value")
    ga.set_defaults(handler=lab_command(cmd_gate))

    judging.register(sub, common, judged)
    interchange.register(sub, common, judged)

    ck = sub.add_parser("check", help="can each engine honour a tuning? list its knobs")
    ck.add_argument("--tuning", type=tuning_file, default=DEFAULT_TUNING_PATH, help=TUNING_HELP)
    ck.add_argument("--engine", choices=ENGINES, action="append", help="only this engine (repeat)")
    ck.set_defaults(handler=lab_command(cmd_check))


def _progress(i: int, n: int, trial: Any) -> None:
    changes = ", ".join(f"{k}={v}" for k, v in trial.changes.items())
    print(f"  [{i}/{n}] {trial.score:.4f}  {changes}", file=sys.stderr)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    tuning = Tuning.load(args.tuning)
    with open_lab(settings, args.engine) as lab:
        report = run_eval(lab, judgments(args), tuning, args)
    if args.out:
        write_json(args.out, report.to_dict())
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_eval(report, per_query=args.per_query))
    record_history(args, settings, report)
    return EXIT_OK


def _settings_header(a: Path, b: Path, ta: Tuning, tb: Tuning) -> list[str]:
    """What differs between A and B, and the knobs either file leaves to a built-in default
    unlike default.json's: printed before any figure."""
    lines = format_diff(ta, tb)
    lines += format_implicit(a, "A") + format_implicit(b, "B")
    return lines


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    from search_core.relevance.html_report import comparison_html
    from search_core.relevance.plots import plot_distributions, plot_movers
    from search_core.relevance.sidebyside import format_side_by_side, side_by_side

    j = judgments(args)
    ta, tb = Tuning.load(args.a), Tuning.load(args.b)
    header = _settings_header(args.a, args.b, ta, tb)
    if not args.json:
        print("\n".join(header) + "\n")
    unknown = [q for q in args.query if q not in j.queries]
    if unknown:
        raise ValueError(f"no query {', '.join(unknown)} in {args.judgments}")
    engine_a = args.engine_a or args.engine or settings.engine
    engine_b = args.engine_b or args.engine or settings.engine
    metric = args.metric or f"ndcg@{args.k}"
    metrics = metrics_led_by(metric, args.k)
    with ExitStack() as stack:
        lab_a = stack.enter_context(open_lab(settings, engine_a))
        lab_b = lab_a if engine_b == engine_a else stack.enter_context(open_lab(settings, engine_b))
        a = evaluate(lab_a, j, ta, k=args.k, metrics=metrics, rel=args.rel)
        b = evaluate(lab_b, j, tb, k=args.k, metrics=metrics, rel=args.rel)
        c = compare(a, b, metric, permutations=args.permutations, seed=args.seed)
        chosen = args.query or ([d.qid for d in c.movers(5)] if args.html else [])
        sides = [side_by_side(c, j, q, args.k, lab_a, lab_b) for q in chosen]
    written: list[Path] = []
    if args.plots:
        written.append(plot_distributions(c, args.plots / "distribution.png"))
        written.append(plot_movers(c, args.plots / "movers.png"))
    if args.out:
        write_json(args.out, c.to_dict())
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(comparison_html(c, sides, written), encoding="utf-8")
        written.append(args.html)
    if args.json:
        extra = {
            "settings": {"a": settings_of(ta), "b": settings_of(tb)},
            "settings_differ": [vars(d) for d in diff(ta, tb)],
        }
        print_json(c.to_dict() | extra | {"plots": [str(p) for p in written]})
    else:
        print(format_comparison(c))
        for side in sides if args.query else []:
            print("\n" + format_side_by_side(side, c.label_a, c.label_b))
        for p in written:
            print(f"wrote {p}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    space = dict(knobs.parse_knob_spec(s) for s in args.knob)
    base = Tuning.load(args.tuning)
    metric = args.metric or f"ndcg@{args.k}"
    kw: dict[str, Any] = {
        "metric": metric,
        "k": args.k,
        "rel": args.rel,
        "holdout": args.holdout,
        "name": args.name,
        "progress": None if args.json else _progress,
    }
    with open_lab(settings, args.engine) as lab:
        j = judgments(args)
        if args.random:
            result = random_search(lab, j, base, space, n=args.random, seed=args.seed, **kw)
        else:
            result = search(lab, j, base, make_grid(space), **kw)
    if args.out:
        write_changes(result.best.tuning, base, args.tuning, args.out)
    if args.report:
        write_json(args.report, result.to_dict())
    if args.json:
        print_json(result.to_dict() | {"written": str(args.out) if args.out else None})
    else:
        print(format_search(result))
        if args.out:
            print(f"wrote the best tuning to {args.out}")
    return EXIT_OK


def cmd_gate(args: argparse.Namespace, settings: Settings) -> int:
    baseline = Baseline.load(args.baseline)
    with open_lab(settings, args.engine or baseline.engine) as lab:
        result = gate(lab, judgments(args), baseline, Tuning.load(args.tuning))
    if args.update:
        updated(result).dump(args.baseline)
        print(f"baseline {baseline.metric} set to {result.measured:.4f} in {args.baseline}")
        return EXIT_OK
    if args.json:
        print_json(result.to_dict())
    else:
        print(result.message)
    return EXIT_OK if result.passed else EXIT_FAILED


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    tuning = Tuning.load(args.tuning)
    worst = EXIT_OK
    for engine in args.engine or ENGINES:
        found = checks.problems(tuning, engine)
        print(f"{engine}: " + ("honours every knob" if not found else "REFUSES this tuning"))
        for p in found:
            print(f"  - {p}")
        for c in checks.caveats(tuning, engine):
            print(f"  note: {c}")
        worst = worst if not found else EXIT_USAGE
    default = Tuning.load(DEFAULT_TUNING_PATH)
    for line in format_diff(default, tuning) + format_implicit(args.tuning, "this tuning"):
        print(line)
    print(f"knobs of {tuning.name} (resolved):")
    for path in knobs.knob_paths(tuning):
        print(f"  {path} = {knobs.get_knob(tuning, path)}")
    return worst
