"""``kerjasama brief``: a printable briefing pack (PDF or HTML) for the best or chosen clusters."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np

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
    p.add_argument("--boundaries", help="boundary file (.shp/.zip/.gpkg/.geojson)")
    p.add_argument("--layer", help="GeoPackage layer of the boundary file")
    p.add_argument("--indicators", help="indicator table (.csv/.xlsx)")
    p.add_argument("--boundary-key", help="code field of the boundary file to join on")
    p.add_argument("--indicator-key", help="code column of the indicator table to join on")
    p.add_argument("--data", help="data folder (default: KERJASAMA_DATA, then data/)")
    p.add_argument("--config", help="sector config TOML (default: the packaged sectors.toml)")
    p.add_argument(
        "--sector", required=True, help="sector id, e.g. water (see `kerjasama sectors`)"
    )
    p.add_argument("--province", help="province code of the scope (default: every region)")
    p.add_argument(
        "--cross-province",
        action="store_true",
        help="also use neighbours across the provincial line",
    )
    p.add_argument("--no-maritime", action="store_true", help="use land borders only")
    p.add_argument("--min-size", type=int, default=2, help="smallest cluster (2-5, default 2)")
    p.add_argument("--max-size", type=int, default=5, help="largest cluster (2-5, default 5)")
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


def _inputs(args, config) -> tuple[Path, Path]:
    from kerjasama import paths

    boundaries = (
        Path(args.boundaries)
        if args.boundaries
        else paths.default_boundaries(args.data, config.data.boundary_file)
    )
    indicators = (
        Path(args.indicators)
        if args.indicators
        else paths.default_indicators(args.data, config.data.indicator_file)
    )
    return boundaries, indicators


def _output(path: str, inputs: list[Path]) -> Path:
    out = Path(path)
    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise InputError(f"--out {out}: name the briefing pack FILE.pdf or FILE.html.")
    if any(out.resolve() == p.resolve() for p in inputs):
        raise InputError(f"--out {out} is one of the input files; choose another output path.")
    if not out.parent.exists():
        raise InputError(f"--out {out}: folder {out.parent} does not exist; create it first.")
    return out


def run(args: argparse.Namespace) -> int:
    """Run ``kerjasama brief``; return the exit status."""
    from analysis import pipeline
    from analysis.brief import build_brief, write_brief
    from analysis.config import load_config
    from kerjasama.i18n import text
    from kerjasama.mapview import province_options

    if args.cross_province and not args.province:
        raise InputError("--cross-province needs --province (the scope to extend).")
    if args.top is not None and args.top < 1:
        raise InputError(f"--top must be at least 1, got {args.top}.")
    config = load_config(args.config)
    if args.sector not in config.sectors:
        raise InputError(
            f"Unknown sector {args.sector!r}; sectors in {config.source}: "
            f"{', '.join(config.sectors)}."
        )
    boundaries, indicators = _inputs(args, config)
    out = _output(args.out, [boundaries, indicators])

    regions = pipeline.load_regions(boundaries, layer=args.layer)
    table, _report, _problems = pipeline.load_table(
        indicators, regions, args.boundary_key, args.indicator_key, config
    )
    edges = pipeline.build_adjacency(regions, maritime_km=0 if args.no_maritime else None)
    prepared = pipeline.prepare(
        regions,
        edges,
        province=args.province,
        cross_province=args.cross_province,
        maritime=not args.no_maritime,
        min_size=args.min_size,
        max_size=args.max_size,
    )
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
