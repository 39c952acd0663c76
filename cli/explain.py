"""``therapist-search explain``: the engine query, a document's rank and score breakdown, or why
it does not match, on either engine (thin over :mod:`search_core.relevance.explain`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cli.common import EXIT_OK, print_json
from cli.lab import TUNING_HELP, common_options, lab_command, open_lab, tuning_file
from search_core.errors import SearchError
from search_core.filters import facets
from search_core.relevance import knobs
from search_core.relevance.explain import explain, explain_top, make_explainer
from search_core.relevance.explanation import DEFAULT_DEPTH
from search_core.relevance.judge import JUDGMENTS_FILE
from search_core.relevance.judgments import Location, QuerySpec, load_judgments
from search_core.settings import Settings
from search_core.tuning import DEFAULT_TUNING_PATH, Tuning

LIST_FILTERS = frozenset({*facets(), "topics"})
"""``--filter`` names whose value is a comma-separated list (and that may repeat)."""


def register(subparsers: Any) -> None:
    xp = subparsers.add_parser(
        "explain",
        parents=[common_options()],
        help="the engine query, a document's rank, score breakdown, or why it does not match",
    )
    xp.add_argument("query", nargs="?", default="", help="search text as typed")
    xp.add_argument("--qid", help="explain a judged query instead (from --judgments)")
    xp.add_argument(
        "--judgments",
        type=Path,
        default=JUDGMENTS_FILE,
        help="where --qid is looked up (default: relevance/judgments.jsonl)",
    )
    xp.add_argument("--doc", action="append", help="document id (repeat; default: top hits)")
    xp.add_argument("--top", type=int, default=3, help="without --doc: explain this many")
    xp.add_argument(
        "--target",
        choices=("therapists", "articles"),
        default="therapists",
        help="which index the text searches (therapists)",
    )
    xp.add_argument("--zip", help="search around this ZIP code")
    xp.add_argument("--city", help='search around this city ("Portland, OR")')
    xp.add_argument("--lat", type=float, help="search around this point (with --lon)")
    xp.add_argument("--lon", type=float, help="search around this point (with --lat)")
    xp.add_argument("--radius", type=float, help="how far around the place (default: 25 mi)")
    xp.add_argument("--unit", choices=("mi", "km"), default="mi", help="unit of --radius (mi)")
    xp.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="languages=spanish, telehealth=true, field=title ... (repeat)",
    )
    xp.add_argument("--no-place", action="store_true", help="do not read a place from the text")
    xp.add_argument("--tuning", type=tuning_file, default=DEFAULT_TUNING_PATH, help=TUNING_HELP)
    xp.add_argument("--depth", type=int, default=DEFAULT_DEPTH, help="how deep to look for rank")
    xp.add_argument("--raw", action="store_true", help="also print the engine's query object")
    xp.add_argument("--query-only", action="store_true", help="only the rendered query")
    xp.set_defaults(handler=lab_command(cmd_explain))


def parse_filters(items: Sequence[str]) -> dict[str, Any]:
    """``["languages=spanish,french", "telehealth=true"]`` → the query spec's filters."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SearchError(f"a filter is NAME=VALUE, got {item!r}")
        if name in LIST_FILTERS:
            out.setdefault(name, []).extend(v for v in value.split(",") if v)
        else:
            out[name] = knobs.parse_value(value)
    return out


def query_spec(args: argparse.Namespace) -> QuerySpec:
    """The judged query ``--qid``, or one built from the text, place and filter options."""
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
        filters=parse_filters(args.filter),
        place_in_text=not args.no_place,
    )


def cmd_explain(args: argparse.Namespace, settings: Settings) -> int:
    spec = query_spec(args)
    tuning = Tuning.load(args.tuning)
    with open_lab(settings, args.engine) as lab:
        if args.query_only:
            print(make_explainer(lab).render(spec, tuning))
            return EXIT_OK
        if args.doc:
            found = [explain(lab, spec, d, tuning, args.depth) for d in args.doc]
        else:
            found = explain_top(lab, spec, tuning, args.top)
    if args.json:
        print_json([e.to_dict() for e in found])
        return EXIT_OK
    if not found:
        print("no hits")
    for i, e in enumerate(found):
        text = e.to_text(raw=args.raw)
        if i:  # the query is the same for every document: print it once
            text = text[text.index(f"document {e.doc}:") :]
        print(text + "\n")
    return EXIT_OK
