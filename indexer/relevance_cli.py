"""``therapist-search relevance ...`` and ``therapist-search explain``: the relevance lab on the
command line, thin over :mod:`search_core.relevance`.

Exit status: 0 success; 1 the gate failed (or ``judge --check`` found the file stale); 2 bad
usage (an unreadable file, an invalid tuning, a knob the engine cannot honour).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from search_core.errors import SearchError
from search_core.relevance import checks, knobs
from search_core.relevance.compare import compare
from search_core.relevance.docs import DEFAULT_FIXTURES, Corpus
from search_core.relevance.evaluate import EvalReport, evaluate
from search_core.relevance.explain import DEFAULT_DEPTH, explain, explain_top, make_explainer
from search_core.relevance.export import candidates, write_rows
from search_core.relevance.gate import BASELINE_FILE, Baseline, gate, updated
from search_core.relevance.judge import (
    HAND_FILE,
    JUDGMENTS_FILE,
    POOL_DIR,
    QUERIES_FILE,
    add_hand_grades,
    generate,
    load_hand_grades,
    load_judged_queries,
    load_pool_tunings,
)
from search_core.relevance.judgments import (
    JudgmentList,
    Location,
    QuerySpec,
    load_judgments,
    load_queries,
    save_judgments,
)
from search_core.relevance.lab import Lab
from search_core.relevance.metrics import DEFAULT_REL
from search_core.relevance.report import format_comparison, format_eval, format_search
from search_core.relevance.search import grid as make_grid
from search_core.relevance.search import random_search, search
from search_core.settings import Settings
from search_core.tuning import DEFAULT_TUNING_PATH, Tuning

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace, Settings], int]
ENGINES = ("embedded", "elasticsearch")


# ---------------------------------------------------------------------------- parsers


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--engine", choices=ENGINES, help="default: SEARCH_ENGINE")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    return p


def _judged() -> argparse.ArgumentParser:
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


def register(subparsers: Any) -> None:
    """Add ``relevance`` (with its own subcommands) and ``explain`` to the main CLI."""
    common, judged = _common(), _judged()
    rel = subparsers.add_parser(
        "relevance",
        help="measure, compare and tune ranking on the judged queries",
        description="The relevance lab. See relevance/README.md.",
    )
    sub = rel.add_subparsers(dest="relevance_command", required=True, metavar="ACTION")

    ev = sub.add_parser("eval", parents=[common, judged], help="measure one tuning")
    ev.add_argument("--tuning", type=Path, default=DEFAULT_TUNING_PATH)
    ev.add_argument("--metric", action="append", help="ndcg@10, mrr@10, p@10, r@10 ... (repeat)")
    ev.add_argument("--per-query", action="store_true", help="a line per query")
    ev.add_argument("--out", type=Path, help="also write the report as JSON")
    ev.set_defaults(handler=cmd_eval)

    cp = sub.add_parser(
        "compare", parents=[common, judged], help="two tunings or two engines side by side"
    )
    cp.add_argument("--a", type=Path, default=DEFAULT_TUNING_PATH, help="tuning A (default)")
    cp.add_argument("--b", type=Path, required=True, help="tuning B")
    cp.add_argument("--engine-a", choices=ENGINES, help="engine of A (default: --engine)")
    cp.add_argument("--engine-b", choices=ENGINES, help="engine of B (default: --engine)")
    cp.add_argument("--metric", help="default: ndcg@K")
    cp.add_argument("--permutations", type=int, default=10_000)
    cp.add_argument("--seed", type=int, default=0)
    cp.add_argument("--plots", type=Path, help="folder for distribution and movers PNGs")
    cp.add_argument("--out", type=Path, help="also write the comparison as JSON")
    cp.set_defaults(handler=cmd_compare)

    se = sub.add_parser("search", parents=[common, judged], help="grid or random search over knobs")
    se.add_argument(
        "--knob",
        action="append",
        required=True,
        metavar="PATH=V1,V2,...",
        help="e.g. therapist_fields.bio=0.5,1,2 or distance.scale_km=5,15,30 (repeat)",
    )
    se.add_argument("--tuning", type=Path, default=DEFAULT_TUNING_PATH, help="base tuning")
    se.add_argument("--metric", help="what to maximise (default: ndcg@K)")
    se.add_argument("--random", type=int, metavar="N", help="N random combinations, not all")
    se.add_argument("--seed", type=int, default=0)
    se.add_argument("--holdout", type=float, default=0.0, help="share of queries held out")
    se.add_argument("--name", help="name of the tuning written out")
    se.add_argument("--out", type=Path, help="write the best tuning here (a tuning file)")
    se.add_argument("--report", type=Path, help="write every trial as JSON")
    se.set_defaults(handler=cmd_search)

    ga = sub.add_parser(
        "gate", parents=[common, judged], help="fail when the score drops below the baseline"
    )
    ga.add_argument("--baseline", type=Path, default=BASELINE_FILE)
    ga.add_argument("--tuning", type=Path, default=DEFAULT_TUNING_PATH)
    ga.add_argument("--update", action="store_true", help="store the measured value")
    ga.set_defaults(handler=cmd_gate)

    ex = sub.add_parser(
        "export", parents=[common, judged], help="top hits nobody graded yet, for grading"
    )
    ex.add_argument(
        "--queries",
        type=Path,
        help="queries to run (query file or judgment list; default: the judged queries)",
    )
    ex.add_argument("--tuning", type=Path, default=DEFAULT_TUNING_PATH)
    ex.add_argument("--all", action="store_true", help="export judged hits too")
    ex.add_argument("--out", type=Path, required=True, help="a .csv or .jsonl file")
    ex.set_defaults(handler=cmd_export)

    ju = sub.add_parser("judge", parents=[common], help="(re)generate the judgments from the rules")
    ju.add_argument("--queries", type=Path, default=QUERIES_FILE)
    ju.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    ju.add_argument("--pool", type=Path, default=POOL_DIR, help="folder of pool tunings")
    ju.add_argument("--pool-tuning", type=Path, action="append", default=[])
    ju.add_argument("--pool-depth", type=int, default=20)
    ju.add_argument("--rule-cap", type=int, default=40)
    ju.add_argument("--hand", type=Path, default=HAND_FILE, help="hand grades (JSONL)")
    ju.add_argument("--add-hand", type=Path, help="merge graded rows (CSV/JSONL) first")
    ju.add_argument("--out", type=Path, default=JUDGMENTS_FILE)
    ju.add_argument("--check", action="store_true", help="fail if --out is not up to date")
    ju.set_defaults(handler=cmd_judge)

    ck = sub.add_parser("check", help="can each engine honour a tuning? list its knobs")
    ck.add_argument("--tuning", type=Path, default=DEFAULT_TUNING_PATH)
    ck.add_argument("--engine", choices=ENGINES, action="append")
    ck.set_defaults(handler=cmd_check)

    xp = subparsers.add_parser(
        "explain",
        parents=[common],
        help="the engine query, a document's rank, score breakdown, or why it does not match",
    )
    xp.add_argument("query", nargs="?", default="", help="search text as typed")
    xp.add_argument("--qid", help="explain a judged query instead (from --judgments)")
    xp.add_argument("--judgments", type=Path, default=JUDGMENTS_FILE)
    xp.add_argument("--doc", action="append", help="document id (repeat; default: top hits)")
    xp.add_argument("--top", type=int, default=3, help="without --doc: explain this many")
    xp.add_argument("--target", choices=("therapists", "articles"), default="therapists")
    xp.add_argument("--zip")
    xp.add_argument("--city")
    xp.add_argument("--lat", type=float)
    xp.add_argument("--lon", type=float)
    xp.add_argument("--radius", type=float)
    xp.add_argument("--unit", choices=("mi", "km"), default="mi")
    xp.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="languages=spanish, telehealth=true, field=title ... (repeat)",
    )
    xp.add_argument("--no-place", action="store_true", help="do not read a place from the text")
    xp.add_argument("--tuning", type=Path, default=DEFAULT_TUNING_PATH)
    xp.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="how deep to look for rank")
    xp.add_argument("--raw", action="store_true", help="also print the engine's query object")
    xp.add_argument("--query-only", action="store_true", help="only the rendered query")
    xp.set_defaults(handler=cmd_explain)


# ---------------------------------------------------------------------------- helpers


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, default=str))


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, default=str) + "\n", encoding="utf-8")


def _judgments(args: argparse.Namespace) -> JudgmentList:
    j = load_judgments(args.judgments)
    return j.by_target(args.target) if getattr(args, "target", None) else j


def _open(settings: Settings, engine: str | None) -> Lab:
    return Lab.open(settings, engine)


def _eval(lab: Lab, j: JudgmentList, tuning: Tuning, args: argparse.Namespace) -> EvalReport:
    metrics = getattr(args, "metric", None)
    if isinstance(metrics, str):
        metrics = [metrics, *(m for m in _default_metrics(args.k) if m != metrics)]
    return evaluate(lab, j, tuning, k=args.k, metrics=metrics, rel=args.rel)


def _default_metrics(k: int) -> list[str]:
    from search_core.relevance.metrics import default_metrics

    return default_metrics(k)


def _progress(i: int, n: int, trial: Any) -> None:
    changes = ", ".join(f"{k}={v}" for k, v in trial.changes.items())
    print(f"  [{i}/{n}] {trial.score:.4f}  {changes}", file=sys.stderr)


# ---------------------------------------------------------------------------- handlers


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    tuning = Tuning.load(args.tuning)
    with _open(settings, args.engine) as lab:
        report = _eval(lab, _judgments(args), tuning, args)
    if args.out:
        _write_json(args.out, report.to_dict())
    if args.json:
        _print_json(report.to_dict())
    else:
        print(format_eval(report, per_query=args.per_query))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    from search_core.relevance.plots import plot_distributions, plot_movers

    j = _judgments(args)
    ta, tb = Tuning.load(args.a), Tuning.load(args.b)
    engine_a = args.engine_a or args.engine or settings.engine
    engine_b = args.engine_b or args.engine or settings.engine
    metric = args.metric or f"ndcg@{args.k}"
    metrics = [metric, *(m for m in _default_metrics(args.k) if m != metric)]
    with _open(settings, engine_a) as lab:
        a = evaluate(lab, j, ta, k=args.k, metrics=metrics, rel=args.rel)
        if engine_b == engine_a:
            b = evaluate(lab, j, tb, k=args.k, metrics=metrics, rel=args.rel)
    if engine_b != engine_a:
        with _open(settings, engine_b) as lab_b:
            b = evaluate(lab_b, j, tb, k=args.k, metrics=metrics, rel=args.rel)
    c = compare(a, b, metric, permutations=args.permutations, seed=args.seed)
    written: list[Path] = []
    if args.plots:
        written.append(plot_distributions(c, args.plots / "distribution.png"))
        written.append(plot_movers(c, args.plots / "movers.png"))
    if args.out:
        _write_json(args.out, c.to_dict())
    if args.json:
        _print_json(c.to_dict() | {"plots": [str(p) for p in written]})
    else:
        print(format_comparison(c))
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
    with _open(settings, args.engine) as lab:
        j = _judgments(args)
        if args.random:
            result = random_search(lab, j, base, space, n=args.random, seed=args.seed, **kw)
        else:
            result = search(lab, j, base, make_grid(space), **kw)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        result.best.tuning.dump(args.out)
    if args.report:
        _write_json(args.report, result.to_dict())
    if args.json:
        _print_json(result.to_dict() | {"written": str(args.out) if args.out else None})
    else:
        print(format_search(result))
        if args.out:
            print(f"wrote the best tuning to {args.out}")
    return EXIT_OK


def cmd_gate(args: argparse.Namespace, settings: Settings) -> int:
    baseline = Baseline.load(args.baseline)
    with _open(settings, args.engine or baseline.engine) as lab:
        result = gate(lab, _judgments(args), baseline, Tuning.load(args.tuning))
    if args.update:
        updated(result).dump(args.baseline)
        print(f"baseline {baseline.metric} set to {result.measured:.4f} in {args.baseline}")
        return EXIT_OK
    if args.json:
        _print_json(result.to_dict())
    else:
        print(result.message)
    return EXIT_OK if result.passed else EXIT_FAILED


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    judged = load_judgments(args.judgments) if args.judgments.exists() else JudgmentList()
    specs = load_queries(args.queries) if args.queries else list(judged.queries.values())
    if args.target:
        specs = [s for s in specs if s.target == args.target]
    with _open(settings, args.engine) as lab:
        rows = candidates(lab, specs, judged, Tuning.load(args.tuning), args.k, args.all)
    out = write_rows(rows, args.out)
    queries = len({r["qid"] for r in rows})
    print(f"wrote {len(rows)} hits of {queries} queries to {out}: fill in grade (0-3) and note,")
    print(f"then: therapist-search relevance judge --add-hand {out}")
    return EXIT_OK


def cmd_judge(args: argparse.Namespace, settings: Settings) -> int:
    if args.add_hand:
        n = add_hand_grades(args.add_hand, args.hand)
        print(f"merged {n} hand grade(s) into {args.hand}")
    queries = load_judged_queries(args.queries)
    pool = load_pool_tunings(args.pool) + [Tuning.load(p) for p in args.pool_tuning]
    with _open(settings, args.engine) as lab:
        report = generate(
            lab,
            queries,
            Corpus.load(args.fixtures),
            pool,
            hand=load_hand_grades(args.hand),
            pool_depth=args.pool_depth,
            rule_cap=args.rule_cap,
        )
    for qid, doc in report.unknown_hand:
        print(f"warning: hand grade for unknown query or document {qid}/{doc}", file=sys.stderr)
    counts = report.judgments.counts()
    if args.check:
        current = load_judgments(args.out) if args.out.exists() else JudgmentList()
        new = report.judgments
        same = current.queries == new.queries and current.grades == new.grades
        print(f"{args.out} is {'up to date' if same else 'STALE: run relevance judge'}")
        return EXIT_OK if same else EXIT_FAILED
    save_judgments(report.judgments, args.out)
    if args.json:
        _print_json(counts)
    else:
        print(
            f"wrote {counts['judgments']} judgments of {counts['queries']} queries to {args.out} "
            f"(grades 3/2/1/0: {counts['grade_3']}/{counts['grade_2']}/{counts['grade_1']}/"
            f"{counts['grade_0']}; {counts['by_hand']} by hand; pool: {len(pool)} tunings)"
        )
    return EXIT_OK


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
    print("knobs:")
    for path in knobs.knob_paths(tuning):
        print(f"  {path} = {knobs.get_knob(tuning, path)}")
    return worst


def _parse_filters(items: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    list_filters = {"issues", "therapy_types", "age_groups", "populations", "languages"}
    list_filters |= {"insurance", "gender", "profession", "topics"}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SearchError(f"a filter is NAME=VALUE, got {item!r}")
        if name in list_filters:
            out.setdefault(name, []).extend(v for v in value.split(",") if v)
        else:
            out[name] = knobs.parse_value(value)
    return out


def _explain_spec(args: argparse.Namespace) -> QuerySpec:
    if args.qid:
        j = load_judgments(args.judgments)
        if args.qid not in j.queries:
            raise SearchError(f"no query {args.qid!r} in {args.judgments}")
        return j.queries[args.qid]
    location = None
    if args.zip or args.city or args.lat is not None:
        location = Location(
            zip=args.zip,
            city=args.city,
            lat=args.lat,
            lon=args.lon,
            radius=args.radius,
            unit=args.unit,
        )
    return QuerySpec(
        qid="cli",
        query=args.query,
        target=args.target,
        location=location,
        filters=_parse_filters(args.filter),
        place_in_text=not args.no_place,
    )


def cmd_explain(args: argparse.Namespace, settings: Settings) -> int:
    spec = _explain_spec(args)
    tuning = Tuning.load(args.tuning)
    with _open(settings, args.engine) as lab:
        if args.query_only:
            print(make_explainer(lab).render(spec, tuning))
            return EXIT_OK
        if args.doc:
            found = [explain(lab, spec, d, tuning, args.depth) for d in args.doc]
        else:
            found = explain_top(lab, spec, tuning, args.top)
    if args.json:
        _print_json([e.to_dict() for e in found])
        return EXIT_OK
    if not found:
        print("no hits")
    for i, e in enumerate(found):
        text = e.to_text(raw=args.raw)
        if i:  # the query is the same for every document: print it once
            text = text[text.index(f"document {e.doc}:") :]
        print(text + "\n")
    return EXIT_OK


# ---------------------------------------------------------------------------- dispatch


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the handler ``register`` attached, turning library errors into messages."""
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except checks.UnsupportedTuning as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """Stand-alone entry (``python -m indexer.relevance_cli relevance eval``), until the main
    CLI dispatches to :func:`run`."""
    parser = argparse.ArgumentParser(prog="therapist-search")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return run(args, settings or Settings())


if __name__ == "__main__":
    raise SystemExit(main())
