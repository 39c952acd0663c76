"""``relevance import`` (CSV such as Quepid's, TREC qrels), the judged-set formats of
``relevance export --format``, and the run history (``relevance history``; ``eval`` appends)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK, print_json, write_json
from cli.lab import judgments, lab_command, open_lab
from search_core.elastic.names import alias_name
from search_core.relevance import history
from search_core.relevance.docs import DEFAULT_FIXTURES, Corpus
from search_core.relevance.evaluate import EvalReport
from search_core.relevance.interchange import (
    import_ratings,
    parse_columns,
    rank_eval_body,
    read_csv,
    read_trec,
    write_csv,
    write_trec,
)
from search_core.relevance.judge import QUERIES_FILE
from search_core.relevance.judgments import load_queries, save_judgments
from search_core.settings import Settings
from search_core.tuning import Tuning

FORMATS = ("grading", "rank-eval", "csv", "trec")


def history_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--history",
        type=Path,
        metavar="FILE",
        help=f"run history to append to (default: <SEARCH_DATA_DIR>/{history.HISTORY_NAME})",
    )
    p.add_argument("--no-history", action="store_true", help="do not append to the run history")


def history_file(args: argparse.Namespace, settings: Settings) -> Path:
    return args.history or settings.data_dir / history.HISTORY_NAME


def record_history(args: argparse.Namespace, settings: Settings, report: EvalReport) -> None:
    if args.no_history:
        return
    path = history.append(history_file(args, settings), history.entry(report, args.judgments))
    print(f"appended to the run history {path}", file=sys.stderr)


def register(sub: Any, common: argparse.ArgumentParser, judged: argparse.ArgumentParser) -> None:
    """Add ``import`` and ``history`` to the ``relevance`` subcommands."""
    im = sub.add_parser(
        "import",
        help="judgments from a CSV (query,doc,rating; Quepid) or TREC qrels file",
        description="Unknown queries, unknown documents and bad ratings are listed, never "
        "dropped silently; with any of them the exit status is 1 (the rest is written).",
    )
    im.add_argument("file", type=Path, help="the ratings file (.csv, or qrels with --format trec)")
    im.add_argument(
        "--format",
        choices=("csv", "trec"),
        help="csv or trec (default: from the file name: .csv is csv, anything else trec)",
    )
    im.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="ROLE=NAME",
        help="CSV column of a role (query, doc, rating): e.g. doc=docid (repeat)",
    )
    im.add_argument(
        "--queries",
        type=Path,
        default=QUERIES_FILE,
        help="the query set the ratings' queries (ids or texts) are looked up in "
        "(default: relevance/queries.jsonl)",
    )
    im.add_argument(
        "--add-queries",
        action="store_true",
        help="a query text not in the query set becomes a new plain query (imp-<slug>)",
    )
    im.add_argument(
        "--fixtures",
        type=Path,
        default=DEFAULT_FIXTURES,
        help="the data documents are checked against (default: fixtures/small)",
    )
    im.add_argument("--out", type=Path, required=True, help="the judgment list to write (JSONL)")
    im.set_defaults(handler=lab_command(cmd_import))

    hi = sub.add_parser("history", help="the run history of eval: table and trend plot")
    history_options(hi)
    hi.add_argument("--metric", default="ndcg@10", help="the figure to follow (ndcg@10)")
    hi.add_argument("--last", type=int, default=20, help="how many runs to print (20)")
    hi.add_argument("--plot", type=Path, metavar="FILE.png", help="write the trend as a PNG")
    hi.add_argument("--json", action="store_true", help="print the history lines as JSON")
    hi.set_defaults(handler=lab_command(cmd_history))


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    fmt = args.format or ("csv" if args.file.suffix.lower() == ".csv" else "trec")
    if fmt == "csv":
        ratings = read_csv(args.file, parse_columns(args.column))
    else:
        ratings = read_trec(args.file)
    result = import_ratings(
        ratings,
        load_queries(args.queries),
        Corpus.load(args.fixtures),
        add_queries=args.add_queries,
    )
    for problem in result.problems:
        print(f"left out: {problem}", file=sys.stderr)
    save_judgments(result.judgments, args.out)
    kept = len(result.judgments)
    print(
        f"imported {kept} of {result.rows} ratings for {len(result.judgments.queries)} queries "
        f"into {args.out}; left out {len(result.problems)}"
        + (f"; new queries: {', '.join(result.added_queries)}" if result.added_queries else "")
    )
    return EXIT_FAILED if result.problems else EXIT_OK


def export_judged(args: argparse.Namespace, settings: Settings) -> int:
    """``export --format rank-eval|csv|trec``: the judged set in another tool's format."""
    j = judgments(args)
    if args.format == "csv":
        out = write_csv(j, args.out)
    elif args.format == "trec":
        out = write_trec(j, args.out)
    else:
        target = args.target or "therapists"
        index = alias_name(settings.elasticsearch_index_prefix, target)
        with open_lab(settings, args.engine) as lab:
            body = rank_eval_body(lab, j, Tuning.load(args.tuning), target, index, args.k)
        write_json(args.out, body)
        ratings = sum(len(r["ratings"]) for r in body["requests"])
        print(
            f"wrote {ratings} judgments of {len(body['requests'])} {target} queries to "
            f"{args.out}: POST /{index}/_rank_eval with it as the body"
        )
        return EXIT_OK
    print(f"wrote {len(j)} judgments of {len(j.queries)} queries to {out} ({args.format})")
    return EXIT_OK


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    path = history_file(args, settings)
    lines = history.load(path)
    if args.json:
        print_json(lines)
    else:
        print(f"{len(lines)} runs in {path}")
        print(history.format_history(lines, args.metric, args.last))
    if args.plot:
        from search_core.relevance.plots import plot_history

        plot_history(history.series(lines, args.metric), args.metric, args.plot)
        print(f"wrote {args.plot}")
    return EXIT_OK
