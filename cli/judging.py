"""``relevance export`` and ``relevance judge``: the hits to grade by hand, and the judgment
list regenerated from the rules, the pool of tunings and the hand grades."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK, print_json
from cli.interchange import FORMATS, export_judged
from cli.lab import TUNING_HELP, lab_command, open_lab, tuning_file
from search_core.relevance.docs import DEFAULT_FIXTURES, Corpus
from search_core.relevance.export import candidates, write_rows
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
    load_judgments,
    load_queries,
    save_judgments,
)
from search_core.settings import Settings
from search_core.tuning import DEFAULT_TUNING_PATH, Tuning


def register(sub: Any, common: argparse.ArgumentParser, judged: argparse.ArgumentParser) -> None:
    """Add ``export`` and ``judge`` to the ``relevance`` subcommands."""
    ex = sub.add_parser(
        "export",
        parents=[common, judged],
        help="top hits nobody graded yet (for grading), or the judged set in another format",
    )
    ex.add_argument(
        "--format",
        choices=FORMATS,
        default="grading",
        help="grading: the ungraded top hits with what a grader needs (.csv or .jsonl by "
        "--out's name); rank-eval: an Elasticsearch/OpenSearch _rank_eval request body of the "
        "--judgments (one --target, default therapists); csv: query,doc,rating; trec: qrels",
    )
    ex.add_argument(
        "--queries",
        type=Path,
        help="queries to run (query file or judgment list; default: the judged queries)",
    )
    ex.add_argument(
        "--tuning",
        type=tuning_file,
        default=DEFAULT_TUNING_PATH,
        help=f"{TUNING_HELP} (grading: whose hits; rank-eval: the queries' rendering)",
    )
    ex.add_argument("--all", action="store_true", help="export judged hits too")
    ex.add_argument("--out", type=Path, required=True, help="the file to write")
    ex.set_defaults(handler=lab_command(cmd_export))

    ju = sub.add_parser("judge", parents=[common], help="(re)generate the judgments from the rules")
    ju.add_argument(
        "--queries",
        type=Path,
        default=QUERIES_FILE,
        help="the queries with their needs (default: relevance/queries.jsonl)",
    )
    ju.add_argument(
        "--fixtures",
        type=Path,
        default=DEFAULT_FIXTURES,
        help="the data the rules grade (default: fixtures/small, what the index holds)",
    )
    ju.add_argument("--pool", type=Path, default=POOL_DIR, help="folder of pool tunings")
    ju.add_argument(
        "--pool-tuning",
        type=tuning_file,
        action="append",
        default=[],
        help="one more tuning whose hits are pooled for grading (repeat)",
    )
    ju.add_argument(
        "--pool-depth", type=int, default=20, help="hits pooled per query and tuning (20)"
    )
    ju.add_argument(
        "--rule-cap",
        type=int,
        default=40,
        help="at most this many documents a query, found by the rules alone (40)",
    )
    ju.add_argument("--hand", type=Path, default=HAND_FILE, help="hand grades (JSONL)")
    ju.add_argument("--add-hand", type=Path, help="merge graded rows (CSV/JSONL) first")
    ju.add_argument(
        "--out",
        type=Path,
        default=JUDGMENTS_FILE,
        help="the judgment list to write (default: relevance/judgments.jsonl)",
    )
    ju.add_argument("--check", action="store_true", help="fail if --out is not up to date")
    ju.set_defaults(handler=lab_command(cmd_judge))


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    if args.format != "grading":
        return export_judged(args, settings)
    judged = load_judgments(args.judgments) if args.judgments.exists() else JudgmentList()
    specs = load_queries(args.queries) if args.queries else list(judged.queries.values())
    if args.target:
        specs = [s for s in specs if s.target == args.target]
    with open_lab(settings, args.engine) as lab:
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
    with open_lab(settings, args.engine) as lab:
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
        print_json(counts)
    else:
        print(
            f"wrote {counts['judgments']} judgments of {counts['queries']} queries to {args.out} "
            f"(grades 3/2/1/0: {counts['grade_3']}/{counts['grade_2']}/{counts['grade_1']}/"
            f"{counts['grade_0']}; {counts['by_hand']} by hand; pool: {len(pool)} tunings)"
        )
    return EXIT_OK
