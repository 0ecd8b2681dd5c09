"""``kerjasama sectors``: list the sectors of the config with their terms, units and years."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the ``sectors`` sub-command."""
    p = subparsers.add_parser(
        "sectors",
        help="list sectors with their gap/capacity indicators, units and years",
        description="List the sectors defined in the sector config (sectors.toml or --config).",
    )
    p.add_argument("--config", help="sector config TOML (default: the packaged sectors.toml)")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="label language")
    p.set_defaults(func=run)


_WORDS = {
    "id": {
        "gap": "Kesenjangan",
        "capacity": "Kapasitas",
        "forms": "Bentuk",
        "joint": "pelayanan bersama",
        "contract": "kontrak pelayanan",
        "ext": "eksternalitas/efisiensi lintas batas: ya (indikasi kerja sama wajib)",
        "noext": "eksternalitas lintas batas: tidak",
        "higher_is_more": "makin tinggi makin besar",
        "lower_is_more": "makin rendah makin besar",
        "weight": "bobot",
        "note": "Catatan",
        "config": "Konfigurasi",
    },
    "en": {
        "gap": "Gap",
        "capacity": "Capacity",
        "forms": "Forms",
        "joint": "joint service",
        "contract": "contract service",
        "ext": "cross-boundary externality/scale: yes (mandatory-cooperation indication)",
        "noext": "cross-boundary externality: no",
        "higher_is_more": "higher means more",
        "lower_is_more": "lower means more",
        "weight": "weight",
        "note": "Note",
        "config": "Config",
    },
}


def format_sectors(config, lang: str = "id") -> str:
    """The sector listing as text."""
    w = _WORDS["en" if lang == "en" else "id"]
    lines = [f"{w['config']}: {config.source}", ""]
    for sector in config.sectors.values():
        lines.append(f"{sector.id}: {sector.label(lang)}")
        if sector.description(lang):
            lines.append(f"  {sector.description(lang)}")
        lines.append(f"  {w['forms']}: {', '.join(w[f] for f in sector.forms)}")
        lines.append(f"  {w['ext'] if sector.externality else w['noext']}")
        for role in ("gap", "capacity"):
            lines.append(f"  {w[role]}:")
            for term in getattr(sector, role):
                year = f", {term.year}" if term.year else ""
                lines.append(
                    f"    - {term.label(lang)}: {term.expr} [{term.unit_label(lang)}{year}] "
                    f"({w[term.direction]}, {w['weight']} {term.weight:g})"
                )
        if sector.note(lang):
            lines.append(f"  {w['note']}: {sector.note(lang)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def run(args) -> int:
    """Print the sectors; return 0."""
    from analysis.config import load_config

    print(format_sectors(load_config(args.config), args.lang), end="")
    return 0
