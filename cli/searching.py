"""``therapist-search search``: the search box from the command line, as the API answers it
(thin over :func:`search_core.searching.search_therapists`)."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import EXIT_OK, print_json
from cli.explain import parse_filters
from cli.lab import common_options, lab_command, open_lab
from search_core.contact import SHOW_AVATARS
from search_core.geocode import Geocoder
from search_core.locating import PlaceRequest
from search_core.queries import MAX_PAGE_SIZE, TherapistFilters
from search_core.results import TherapistPage
from search_core.searching import TherapistSearch, search_therapists
from search_core.settings import Settings
from search_core.wording import counted


def register(subparsers: Any) -> None:
    se = subparsers.add_parser(
        "search",
        parents=[common_options()],
        help="search therapists as the site's search box does: what was understood, what was "
        "relaxed, the hits",
    )
    se.add_argument("query", nargs="?", default="", help='as typed: "female therapist 97214"')
    se.add_argument("--zip")
    se.add_argument("--city", help='"Portland, OR"')
    se.add_argument("--lat", type=float)
    se.add_argument("--lon", type=float)
    se.add_argument("--radius", type=float)
    se.add_argument("--unit", choices=("mi", "km"), default="mi")
    se.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="languages=spanish, telehealth=true, max_fee=120 ... (repeat): the form's filters",
    )
    se.add_argument("--sort", choices=("relevance", "distance", "recent"), default="relevance")
    se.add_argument("--size", type=int, default=10, help=f"hits to show (at most {MAX_PAGE_SIZE})")
    se.add_argument("--page", type=int, default=1)
    se.add_argument(
        "--no-understand", action="store_true", help="search the text as typed (understand=false)"
    )
    se.add_argument(
        "--no-online", action="store_true", help="no online therapists licensed in the state"
    )
    se.set_defaults(handler=lab_command(cmd_search))


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    search = TherapistSearch(
        text=args.query or None,
        filters=TherapistFilters.model_validate(parse_filters(args.filter)),
        place=PlaceRequest(
            lat=args.lat,
            lon=args.lon,
            zip=args.zip,
            city=args.city,
            radius=args.radius,
            unit=args.unit,
        ),
        sort=args.sort,
        offset=(args.page - 1) * args.size,
        size=args.size,
        facets=False,
        understand=not args.no_understand,
        online_in_state=not args.no_online,
    )
    with open_lab(settings, args.engine) as lab:
        geo = lab.geocoder()

        async def geocoder() -> Geocoder:
            return geo

        page = lab.call(search_therapists(lab.backend, search, geocoder, args.unit))
    if args.json:
        print_json(page.model_dump(mode="json", context={SHOW_AVATARS: True}))
        return EXIT_OK
    print(format_page(page))
    return EXIT_OK


def _one_decimal(value: float) -> str:
    """16.832 → "16.8", 25.0 → "25"."""
    return f"{value:,.1f}".removesuffix(".0")


def format_page(page: TherapistPage) -> str:
    """The answer as a person reads it: crisis help first, the chips, the notices, then one line
    per hit."""
    lines: list[str] = []
    if page.crisis is not None:
        lines.append(f"HELP NOW: {page.crisis.message}")
        lines += [f"  {r.name}: {r.description}" for r in page.crisis.resources]
    u = page.understanding
    if u is not None:
        chips = [f"[{p.kind}: {p.label or p.text}]" for p in u.pieces if p.kind != "filler"]
        lines.append("understood: " + (" ".join(chips) or "nothing"))
        if u.text:
            lines.append(f"words searched: {u.text}")
        if u.corrected_query:
            lines.append(f'showing results for "{u.corrected_query}" (typed "{u.original}")')
        lines += [f"note: {n}" for n in u.notes if not n.startswith("Showing results for")]
    if page.location is not None:
        loc = page.location
        where = loc.label or f"{loc.lat}, {loc.lon}"
        lines.append(f"around: {where} ({_one_decimal(loc.radius)} {loc.unit})")
        if loc.alternatives:
            lines.append(f"other places of that name: {'; '.join(loc.alternatives)}")
    if page.relaxed is not None:
        lines.append(page.relaxed.message)
    if page.did_you_mean:
        lines.append(f'did you mean "{page.did_you_mean}"?')
    total = counted(page.total, "therapist")
    if page.total_online:
        total += (
            f" ({page.total_in_person:,} in person, {page.total_online:,} online, licensed in "
            f"{page.online_state})"
        )
    lines.append(total)
    for i, hit in enumerate(page.items, start=page.offset + 1):
        t = hit.therapist
        where = ""
        if hit.nearest_office is not None:
            o = hit.nearest_office
            where = f"  {o.office.city}, {o.office.state} {_one_decimal(o.distance)} {o.unit}"
        badge = "  [online]" if hit.online else ""
        lines.append(f"{i:>3}. {t.name}, {', '.join(t.credentials)} ({t.id}){where}{badge}")
    return "\n".join(lines)
