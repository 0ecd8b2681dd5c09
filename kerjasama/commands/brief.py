"""``kerjasama brief``: a printable briefing pack (PDF or HTML) for the best or chosen clusters."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from common.errors import InputError
from common.text import t
from kerjasama.commands._common import (
    add_input_args,
    add_scope_args,
    add_top_arg,
    load_scope,
)


def register(subparsers, tr, parents: list) -> None:
    """Add the ``brief`` sub-command."""
    p = subparsers.add_parser(
        "brief",
        help=tr("cli.brief.help"),
        description=tr("cli.brief.description"),
        add_help=False,
        parents=parents,
    )
    add_input_args(p, tr)
    add_scope_args(p, tr)
    group = p.add_mutually_exclusive_group()
    add_top_arg(group, tr, tr("cli.brief.top"))
    group.add_argument("--cluster-id", nargs="+", metavar="ID", help=tr("cli.brief.cluster_id"))
    group.add_argument("--portfolio", action="store_true", help=tr("cli.brief.portfolio"))
    p.add_argument("--out", required=True, help=tr("cli.brief.out"))
    p.add_argument("--db", help=tr("cli.brief.db"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``kerjasama brief``; return the exit status."""
    from analysis import pipeline
    from kerjasama.present.brief import build_brief, write_brief
    from kerjasama.present.words import explain_rows, province_options

    scope_data = load_scope(args, outputs={"--out": (args.out, (".pdf", ".html", ".htm"))})
    config, regions, table = scope_data.config, scope_data.regions, scope_data.table
    prepared = scope_data.prepared
    for line in scope_data.warnings(args.lang):
        print(line, file=sys.stderr)
    boundaries, indicators = scope_data.boundaries, scope_data.indicators
    out = scope_data.outputs["--out"]
    ranked = pipeline.score(prepared, table, args.sector, config=config)
    if args.cluster_id:
        wanted = list(dict.fromkeys(args.cluster_id))
        found = ranked.positions(wanted)
        unknown = [c for c in wanted if c not in found]
        if unknown:
            raise InputError(
                "errors.cli.unknown_cluster",
                ids=", ".join(unknown),
                sector=args.sector,
                examples=", ".join(ranked.frame(range(min(3, len(ranked))))["cluster_id"]),
            )
        chosen = ranked.frame(sorted(found.values()))
    elif args.portfolio:
        chosen, _ = pipeline.finalize(ranked, portfolio=True)
    else:
        chosen, _ = pipeline.finalize(ranked, top=args.top or 3)
    chosen = explain_rows(ranked, chosen, args.lang)
    if len(chosen) == 0:
        print(t("cli.brief.none", args.lang), file=sys.stderr)
        return 1
    provinces = province_options(regions, args.lang)
    scope = (
        provinces.get(str(prepared.province_code), str(prepared.province_code))
        if prepared.province_code
        else t("ui.scope_all", args.lang)
    )
    agreements = registry_section(
        args.db,
        config=config,
        sector=args.sector,
        province=str(prepared.province_code) if prepared.province_code else None,
        scope=scope,
        lang=args.lang,
        candidates=chosen,
        names=regions["name"].astype(str).to_dict(),
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
        edges=pipeline.scope_links(scope_data.edges, prepared),
        agreements=agreements,
    )
    write_brief(brief, out)
    print(t("ui.brief_cli_written", args.lang, path=out, n=len(chosen)), file=sys.stderr)
    return 0


def registry_section(
    db_url: str | None, *, config, sector, province, scope, lang, candidates, names
):
    """The pack's registry section from ``--db`` (else ``KERJASAMA_DB_URL``, else the default
    registry file). The brief only reads: it never creates a registry; without one the section
    says that none was consulted."""
    from kerjasama.present.brief.agreements import agreements_section, unavailable_section
    from registry import Registry, db

    if db.new_default(db_url):
        return unavailable_section(lang)
    with Registry.open(db_url, config=config) as reg:
        return agreements_section(
            reg,
            sector=sector,
            province=province,
            scope=scope,
            lang=lang,
            today=dt.date.today(),
            candidates=candidates,
            names=names,
            config=config,
        )
