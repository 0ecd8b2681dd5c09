"""The sector configuration (``analysis/sectors.toml``).

One editable file holds the sector definitions (gap and capacity terms), indicator metadata
(labels, units, years, sources, valid ranges) and data defaults (file names, join keys, the
app's default province). :func:`load_config` reads and validates it into frozen dataclasses;
:func:`check_columns` checks the terms against an actual indicator table.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from analysis import expr
from analysis.clusters import ClusterSettings
from analysis.schema import Flag, Integer, Number, Raw, Table, Text, invalid, merged
from common.errors import InputError
from common.text import Listing, Msg

DEFAULT_CONFIG = Path(__file__).with_name("sectors.toml")
DIRECTIONS = ("higher_is_more", "lower_is_more")
FORMS = ("joint", "contract")
ROLES = ("gap", "capacity")
#: catalogue words for the roles, as written inside messages ("gap term", "suku kesenjangan")
ROLE_KEYS = {"gap": "common.role_gap", "capacity": "common.role_capacity"}
REQUIRED_SECTORS = ("water", "sanitation", "waste", "health", "economy")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Labelled:
    """Label and unit in the output language (fields ``label_id``/``label_en``, ``unit``/
    ``unit_en`` of the dataclasses below)."""

    label_id: str
    label_en: str
    unit: str
    unit_en: str

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def unit_label(self, lang: str = "id") -> str:
        """The unit in the language (``unit_en`` when given, else ``unit``)."""
        return (self.unit_en or self.unit) if lang == "en" else self.unit


@dataclass(frozen=True)
class IndicatorMeta(_Labelled):
    """Metadata of one indicator column."""

    column: str
    label_id: str
    label_en: str
    unit: str
    year: int | None
    source: str = ""
    min: float | None = None
    max: float | None = None
    unit_en: str = ""


@dataclass(frozen=True)
class Term(_Labelled):
    """One gap or capacity term of a sector.

    ``expr`` is the formula as written, ``expression`` the formula parsed and checked once at
    load (:func:`analysis.expr.parse`); ``key`` (``"<role>_<id>"``) names the term's column in
    :func:`analysis.scores.sector_scores`.
    """

    id: str
    role: str
    expr: str
    direction: str
    unit: str
    year: int | None
    weight: float
    expression: expr.Expression
    label_id: str
    label_en: str
    unit_en: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """The indicator columns the formula reads, sorted."""
        return self.expression.columns

    @property
    def key(self) -> str:
        return f"{self.role}_{self.id}"


@dataclass(frozen=True)
class Potential(_Labelled):
    """One potential parameter of a sector (``[sectors.<id>.<name>]``, see ``docs/model.md``).

    ``value`` is the number (service radius or sea limit in km, reference size in people, or the
    orders of magnitude of the complementarity ratio); ``expression`` the parsed column formula
    of the complementarity term (None for the others); ``source`` and ``note_*`` say where the
    number comes from and why (assumptions say so).
    """

    name: str
    value: float
    unit: str
    year: int | None
    source: str
    note_id: str
    note_en: str
    expression: expr.Expression | None = None
    label_id: str = ""
    label_en: str = ""
    unit_en: str = ""

    def note(self, lang: str = "id") -> str:
        return self.note_en if lang == "en" else self.note_id


#: Potential parameters of a sector: table name -> (value key, unit, unit_en).
POTENTIAL_UNITS = {
    "reach": ("km", "km", "km"),
    "sea": ("km", "km", "km"),
    "scale": ("people", "jiwa", "people"),
    "complementarity": ("orders", "orde besaran", "orders of magnitude"),
}


@dataclass(frozen=True)
class Sector:
    """A sector: its labels, gap and capacity terms, cooperation forms and externality flag, and
    its potential parameters (``reach``, ``sea``, ``scale``, ``complementarity``; None when the
    file leaves one out: the term is then neutral and its rule off)."""

    id: str
    label_id: str
    label_en: str
    gap: tuple[Term, ...]
    capacity: tuple[Term, ...]
    forms: tuple[str, ...]
    externality: bool
    description_id: str = ""
    description_en: str = ""
    note_id: str = ""
    note_en: str = ""
    reach: Potential | None = None
    sea: Potential | None = None
    scale: Potential | None = None
    complementarity: Potential | None = None

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.gap + self.capacity

    @property
    def potential(self) -> tuple[Potential, ...]:
        """The potential parameters the file gives, in a fixed order."""
        return tuple(
            p for p in (self.reach, self.sea, self.scale, self.complementarity) if p is not None
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """Every indicator column the sector reads, sorted."""
        extra = self.complementarity.expression.columns if self.complementarity else ()
        return tuple(sorted({c for t in self.terms for c in t.columns} | set(extra)))

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def description(self, lang: str = "id") -> str:
        return self.description_en if lang == "en" else self.description_id

    def note(self, lang: str = "id") -> str:
        return self.note_en if lang == "en" else self.note_id


@dataclass(frozen=True)
class DataDefaults:
    """The ``[data]`` table: default file names, join keys, province and column names."""

    boundary_file: str = "idn_adm2.gpkg"
    indicator_file: str = "idn_kabkota_indicators.csv"
    boundary_key: str | None = "code_dot"
    indicator_key: str | None = "kemendagri_code_2025"
    province: str | None = "64"
    boundary_name: str = "name"
    indicator_name: str = "name"
    population: str = "population_bps_2024"
    seats_file: str = "idn_adm2_seats.csv"


@dataclass(frozen=True)
class Config:
    """A validated sector configuration."""

    sectors: Mapping[str, Sector]
    indicators: Mapping[str, IndicatorMeta]
    data: DataDefaults
    clusters: ClusterSettings | None = None
    registry: Mapping[str, Any] = field(default_factory=dict)
    export: Mapping[str, Any] = field(default_factory=dict)
    source: Path = DEFAULT_CONFIG

    def sector(self, sector_id: str) -> Sector:
        """The sector ``sector_id``; InputError listing the known ids otherwise."""
        try:
            return self.sectors[sector_id]
        except KeyError:
            raise InputError(
                "errors.config.unknown_sector",
                sector=repr(sector_id),
                file=self.source,
                sectors=", ".join(self.sectors),
            ) from None


#: ``[indicators.<column>]``: metadata of one indicator column.
INDICATOR = Table(
    {
        "label_id": Text(),
        "label_en": Text(required=False),
        "unit": Text(),
        "unit_en": Text(required=False),
        "year": Integer(1900, 2100, required=False),
        "source": Text(required=False),
        "min": Number(required=False),
        "max": Number(required=False),
    }
)
#: ``[[sectors.<id>.gap]]`` / ``[[sectors.<id>.capacity]]``: one term.
TERM = Table(
    {
        "id": Text(required=False),
        "expr": Text(),
        "direction": Text(choices=DIRECTIONS),
        "unit": Text(required=False),
        "unit_en": Text(required=False),
        "year": Integer(1900, 2100, required=False),
        "weight": Number(0, 1e6, above=True, required=False),
        "label_id": Text(required=False),
        "label_en": Text(required=False),
    }
)


def _potential_table(value_key: str, lo: float, hi: float, *, above: bool) -> Table:
    fields = {
        value_key: Number(lo, hi, above=above),
        "year": Integer(1900, 2100, required=False),
        "source": Text(nonempty=True),
        "note_id": Text(nonempty=True),
        "note_en": Text(nonempty=True),
    }
    if value_key == "orders":
        fields["expr"] = Text(nonempty=True)
    return Table(fields, required=False)


#: ``[sectors.<id>.reach|sea|scale|complementarity]``: the potential parameters (docs/model.md).
POTENTIAL = {
    "reach": _potential_table("km", 0, 10_000, above=True),
    "sea": _potential_table("km", 0, 10_000, above=False),
    "scale": _potential_table("people", 0, 1e10, above=True),
    "complementarity": _potential_table("orders", 0, 10, above=True),
}
#: ``[sectors.<id>]``; the term lists and ``forms`` are checked by :func:`_sector`.
SECTOR = Table(
    {
        "label_id": Text(),
        "label_en": Text(required=False),
        "description_id": Text(required=False),
        "description_en": Text(required=False),
        "gap": Raw(),
        "capacity": Raw(),
        "forms": Raw(required=False),
        "externality": Flag(required=False),
        "note_id": Text(required=False),
        "note_en": Text(required=False),
        **POTENTIAL,
    }
)
#: ``[data]``: default file names, join keys, province and column names.
DATA = Table(
    {
        name: Text(nonempty=True, required=False)
        for name in DataDefaults.__dataclass_fields__  # type: ignore[attr-defined]
    }
)
#: ``[export]``: map exports (the number of candidates a GeoJSON/Shapefile may hold).
EXPORT = Table({"max_features": Integer(1, 100_000)})
#: ``[registry]``: follow-up alert thresholds and login settings of the agreements registry
#: (every key optional; the defaults are in ``registry/settings.py``).
REGISTRY = Table(
    {
        "alerts": Table(
            {
                "kb_without_pks_months": Integer(1, 120, required=False),
                "pks_ending_days": Integer(1, 3650, required=False),
                "monitoring_interval_months": Integer(1, 24, required=False),
                "monitoring_grace_days": Integer(0, 120, required=False),
                "budget_from_month": Integer(1, 12, required=False),
                "overlap_min_shared": Integer(1, 5, required=False),
            },
            required=False,
        ),
        "auth": Table(
            {
                "session_hours": Integer(1, 24 * 30, required=False),
                "min_password_length": Integer(8, 128, required=False),
            },
            required=False,
        ),
    },
    required=False,
)
#: The whole file. ``[clusters]`` follows :data:`analysis.clusters.SCHEMA`; keys that a user's
#: file leaves out take the packaged value.
CONFIG = Table(
    {
        "data": Table(DATA.fields, required=False),
        "indicators": Table(extra=INDICATOR, required=False),
        "sectors": Table(extra=SECTOR),
        "clusters": Raw(required=False),  # checked over the packaged defaults by _clusters
        "registry": REGISTRY,
        "export": Raw(required=False),  # checked over the packaged defaults by _export
    }
)


def _err(path: Path, where: object, problem: object) -> InputError:
    return invalid(path, where, problem)


def _indicator(column: str, table: dict, path: Path) -> IndicatorMeta:
    lo, hi = table.get("min"), table.get("max")
    if lo is not None and hi is not None and lo > hi:
        raise _err(path, f"[indicators.{column}]", Msg("errors.config.min_max", min=lo, max=hi))
    label_id = table["label_id"]
    return IndicatorMeta(
        column=column,
        label_id=label_id,
        label_en=table.get("label_en") or label_id,
        unit=table["unit"],
        unit_en=table.get("unit_en", ""),
        year=table.get("year"),
        source=table.get("source", ""),
        min=lo,
        max=hi,
    )


def _term(
    table: Any, role: str, sector_id: str, index: int, indicators: Mapping, path: Path
) -> Term:
    where: object = Msg(
        "errors.config.where_term", table=f"[[sectors.{sector_id}.{role}]]", n=index + 1
    )
    table = TERM.check(table, where, path)
    text = table["expr"]
    where = Msg("errors.config.where_expr", where=where, expr=repr(text))
    try:
        parsed = expr.parse(text)
    except InputError as err:
        raise _err(path, where, err) from None
    if not parsed.columns:
        raise _err(path, where, Msg("errors.config.no_column"))
    weight = table.get("weight", 1.0)
    term_id = table.get("id") or "_".join(parsed.columns)
    if not _ID.match(term_id):
        raise _err(path, where, Msg("errors.config.term_id", value=repr(term_id)))
    metas = [indicators[c] for c in parsed.columns if c in indicators]
    single = metas[0] if len(parsed.columns) == 1 and metas else None
    own_unit = table.get("unit", "")
    unit = own_unit or (single.unit if single else "")
    if not unit:
        raise _err(path, where, Msg("errors.config.no_unit"))
    unit_en = table.get("unit_en") or (single.unit_en if single and not own_unit else "")
    year = table.get("year")
    if year is None:
        years = {m.year for m in metas if m.year is not None}
        year = max(years) if years else None
    label_id = table.get("label_id") or (single.label_id if single else text)
    label_en = table.get("label_en") or (single.label_en if single else label_id)
    return Term(
        id=term_id,
        role=role,
        expr=text,
        direction=table["direction"],
        unit=unit,
        unit_en=unit_en,
        year=year,
        weight=weight,
        expression=parsed,
        label_id=label_id,
        label_en=label_en,
    )


def _sector(sector_id: str, table: dict, indicators: Mapping, path: Path) -> Sector:
    where = f"[sectors.{sector_id}]"
    if not _ID.match(sector_id):
        raise _err(path, where, Msg("errors.config.sector_id"))
    terms: dict[str, tuple[Term, ...]] = {}
    for role in ROLES:
        raw = table.get(role)
        if not isinstance(raw, list) or not raw:
            raise _err(
                path,
                where,
                Msg("errors.config.no_terms", table=f"[[sectors.{sector_id}.{role}]]"),
            )
        terms[role] = tuple(
            _term(t, role, sector_id, i, indicators, path) for i, t in enumerate(raw)
        )
        ids = [t.id for t in terms[role]]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise _err(
                path,
                where,
                Msg("errors.config.term_twice", role=Msg(ROLE_KEYS[role]), ids=", ".join(dupes)),
            )
    forms = table.get("forms", list(FORMS))
    if (
        not isinstance(forms, list)
        or not forms
        or any(f not in FORMS for f in forms)
        or len(set(forms)) != len(forms)
    ):
        raise _err(
            path, where, Msg("errors.config.forms", value=repr(forms), allowed=", ".join(FORMS))
        )
    potential = {
        name: _potential(name, table[name], sector_id, indicators, path)
        for name in POTENTIAL
        if name in table
    }
    label_id = table["label_id"]
    return Sector(
        id=sector_id,
        label_id=label_id,
        label_en=table.get("label_en") or label_id,
        gap=terms["gap"],
        capacity=terms["capacity"],
        forms=tuple(forms),
        externality=table.get("externality", False),
        description_id=table.get("description_id", ""),
        description_en=table.get("description_en", ""),
        note_id=table.get("note_id", ""),
        note_en=table.get("note_en", ""),
        **potential,
    )


def _potential(name: str, table: dict, sector_id: str, indicators: Mapping, path: Path):
    """One validated potential parameter of a sector."""
    key, unit, unit_en = POTENTIAL_UNITS[name]
    expression = None
    if "expr" in table:
        where = f"[sectors.{sector_id}.{name}]"
        try:
            expression = expr.parse(table["expr"])
        except InputError as err:
            raise _err(path, where, err) from None
        if not expression.columns:
            raise _err(path, where, Msg("errors.config.no_column"))
    return Potential(
        name=name,
        value=float(table[key]),
        unit=unit,
        unit_en=unit_en,
        year=table.get("year"),
        source=table["source"],
        note_id=table["note_id"],
        note_en=table["note_en"],
        expression=expression,
    )


@lru_cache(maxsize=1)
def _packaged() -> dict:
    """The packaged config as read: the documented default of every ``[clusters]`` and
    ``[export]`` key."""
    return tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))


def _over_packaged(name: str, table: object, path: Path) -> dict:
    """The user's ``[name]`` table over the packaged one (keys left out take packaged values)."""
    if table is not None and not isinstance(table, Mapping):
        raise _err(path, f"[{name}]", Msg("errors.config.not_table"))
    return merged(_packaged()[name], table or {})


def _clusters(table: object, path: Path) -> ClusterSettings:
    """``[clusters]`` over the packaged defaults, validated (types, ranges, weights) once."""
    return ClusterSettings.from_mapping(_over_packaged("clusters", table, path), source=str(path))


def _export(table: object, path: Path) -> dict:
    """``[export]`` over the packaged defaults, validated."""
    return EXPORT.check(_over_packaged("export", table, path), "[export]", path)


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate a sector configuration, every table at once.

    Parameters
    ----------
    path
        A TOML file; ``None`` = the packaged ``analysis/sectors.toml``.

    Returns
    -------
    Config
        Frozen: ``sectors`` (ordered as in the file), ``indicators``, ``data``, ``clusters``
        (the validated ``[clusters]`` settings, :class:`analysis.clusters.ClusterSettings`; keys
        the file leaves out take the packaged value), ``registry`` (the validated ``[registry]``
        table; the defaults of the keys it leaves out are in :mod:`registry.settings`),
        ``export`` (the validated ``[export]`` table over the packaged values:
        ``max_features``).

    Raises
    ------
    InputError
        Naming the file, the table or sector/term, the key and the problem (wrong type, not
        finite, out of range, not a whole number, unknown or missing key).
    """
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("errors.config.not_found", file=path) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError("errors.config.unreadable", file=path, error=err) from None
    except tomllib.TOMLDecodeError as err:
        raise InputError("errors.config.toml", file=path, error=err) from None
    if not isinstance(raw.get("sectors"), Mapping) or not raw["sectors"]:
        raise _err(path, "[sectors]", Msg("errors.config.no_sectors"))
    raw = CONFIG.check(raw, Msg("errors.config.where_top"), path)
    indicators = {c: _indicator(c, t, path) for c, t in raw.get("indicators", {}).items()}
    sectors = {s: _sector(s, t, indicators, path) for s, t in raw["sectors"].items()}
    data = DataDefaults(**raw.get("data", {}))
    return Config(
        sectors=MappingProxyType(sectors),
        indicators=MappingProxyType(indicators),
        data=data,
        clusters=_clusters(raw.get("clusters"), path),
        registry=raw.get("registry", {}),
        export=_export(raw.get("export"), path),
        source=path,
    )


def check_columns(
    config: Config, table: pd.DataFrame, sectors: str | list[str] | None = None
) -> None:
    """Check that every term of ``sectors`` (default: all) reads columns ``table`` has.

    Raises
    ------
    InputError
        Listing each sector/term and missing column, with the closest column names.
    """
    if isinstance(sectors, str):
        sectors = [sectors]
    chosen = [config.sector(s) for s in sectors] if sectors is not None else config.sectors.values()
    lines = []
    available = [str(c) for c in table.columns]
    for sector in chosen:
        for term in sector.terms:
            for column in term.columns:
                if column not in table.columns:
                    close = difflib.get_close_matches(column, available, n=2, cutoff=0.6)
                    lines.append(
                        Msg(
                            "errors.config.missing_column_hint"
                            if close
                            else "errors.config.missing_column",
                            sector=sector.id,
                            role=Msg(ROLE_KEYS[term.role]),
                            term=repr(term.id),
                            expr=term.expr,
                            column=repr(column),
                            close=Listing(close, last="or"),
                        )
                    )
    if lines:
        raise InputError(
            "errors.config.missing_columns", file=config.source, lines=Listing(lines, sep="\n")
        )


def indicator_meta(config: Config, column: str) -> IndicatorMeta:
    """Metadata for ``column``: from the config, else parsed from the column name."""
    if column in config.indicators:
        return config.indicators[column]
    from analysis.indicators import unit_year_from_name

    unit, year = unit_year_from_name(column)
    return IndicatorMeta(column=column, label_id=column, label_en=column, unit=unit, year=year)
