"""``kerjasama brief``: a printable briefing pack (PDF or HTML) for the best or chosen clusters."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import numpy as np

from kerjasama.commands._common import add_input_args, add_scope_args, load_scope, output_path
from kerjasama.errors import InputError


def register(subparsers) -> None:
    """Add the ``brief`` sub-command."""
    p = subparsers.add_parser(
        "brief",
        help="write a briefing pack (PDF or HTML) for TKKSD discussion",
        description=(
            "Run the same analysis as `kerjasama suggest` and write a briefing pack for the best "
            "N candidates or the named cluster ids: maps, rationale, key indicators and a "
            "checklist of the minimum PKS contents, marked as a draft for TKKSD discussion. "
            "Boundaries and indicators default to the data folder (KERJASAMA_DATA or --data)."
        ),
    )
    add_input_args(p)
    add_scope_args(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--top", type=int, default=None, help="the best N candidates (default 3)")
    group.add_argument(
        "--cluster-id",
        nargs="+",
        metavar="ID",
        help="cluster ids as printed by `kerjasama suggest` (e.g. water-joint-6401-6409)",
    )
    p.add_argument("--lang", choices=("id", "en"), default="id", help="document language")
    p.add_argument("--out", required=True, help="output FILE.pdf or FILE.html")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``kerjasama brief``; return the exit status."""
    from analysis import pipeline
    from analysis.brief import build_brief, write_brief
    from kerjasama.i18n import text
    from kerjasama.mapview import province_options

    scope_data = load_scope(args, outputs={"--out": (args.out, (".pdf", ".html", ".htm"))})
    config, regions, table = scope_data.config, scope_data.regions, scope_data.table
    prepared = scope_data.prepared
    boundaries, indicators = scope_data.boundaries, scope_data.indicators
    out = output_path(args.out, [boundaries, indicators], "--out")
    ranked = pipeline.score(prepared, table, args.sector, config=config)
    if args.cluster_id:
        wanted = list(dict.fromkeys(args.cluster_id))
        known = set(ranked["cluster_id"])
        unknown = [c for c in wanted if c not in known]
        if unknown:
            examples = ", ".join(ranked["cluster_id"].head(3))
            raise InputError(
                f"Unknown cluster id(s) {', '.join(unknown)} for sector {args.sector} in this "
                f"scope. Ids look like {examples}; list them with `kerjasama suggest ... --out`."
            )
        positions = np.flatnonzero(ranked["cluster_id"].isin(wanted).to_numpy())
        chosen = ranked.iloc[positions].copy()
        chosen["explanation"] = pipeline.explain(
            prepared, table, chosen, config=config, sector=args.sector, lang=args.lang
        ).to_numpy()
    else:
        chosen, _ = pipeline.finalize(
            prepared,
            table,
            ranked,
            config=config,
            sector=args.sector,
            top=args.top or 3,
            lang=args.lang,
        )
    if len(chosen) == 0:
        print("No cluster qualifies: nothing to put in a briefing pack.", file=sys.stderr)
        return 1
    provinces = province_options(regions)
    scope = (
        provinces.get(str(prepared.province_code), str(prepared.province_code))
        if prepared.province_code
        else text("scope_all", args.lang)
    )
    brief = build_brief(
        chosen,
        regions,
        table,
        config=config,
        sector=args.sector,
        lang=args.lang,
        scope=scope,
        boundary_source=boundaries.name,
        indicator_source=indicators.name,
        date=dt.date.today(),
    )
    write_brief(brief, out)
    print(text("brief_cli_written", args.lang, path=out, n=len(chosen)), file=sys.stderr)
    return 0
