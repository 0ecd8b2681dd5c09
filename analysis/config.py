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
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from analysis import expr
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

    ``key`` (``"<role>_<id>"``) names the term's column in :func:`analysis.scores.sector_scores`.
    """

    id: str
    role: str
    expr: str
    direction: str
    unit: str
    year: int | None
    weight: float
    columns: tuple[str, ...]
    label_id: str
    label_en: str
    unit_en: str = ""

    @property
    def key(self) -> str:
        return f"{self.role}_{self.id}"


@dataclass(frozen=True)
class Sector:
    """A sector: its labels, gap and capacity terms, cooperation forms and externality flag."""

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

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.gap + self.capacity

    @property
    def columns(self) -> tuple[str, ...]:
        """Every indicator column the sector reads, sorted."""
        return tuple(sorted({c for t in self.terms for c in t.columns}))

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


@dataclass(frozen=True)
class Config:
    """A validated sector configuration."""

    sectors: Mapping[str, Sector]
    indicators: Mapping[str, IndicatorMeta]
    data: DataDefaults
    clusters: Mapping[str, Any] = field(default_factory=dict)
    registry: Mapping[str, Any] = field(default_factory=dict)
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


def _err(path: Path, where: object, problem: object) -> InputError:
    return InputError("errors.config.invalid", file=path, where=where, problem=problem)


def _text(table: Mapping, key: str, path: Path, where: object, *, required: bool = True) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise _err(path, where, Msg("errors.config.missing_key", key=key))
        return ""
    if not isinstance(value, str):
        raise _err(path, where, Msg("errors.config.not_text", key=key, value=repr(value)))
    return value.strip()


def _number(table: Mapping, key: str, path: Path, where: object) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _err(path, where, Msg("errors.config.not_number", key=key, value=repr(value)))
    return float(value)


def _year(table: Mapping, path: Path, where: object) -> int | None:
    value = table.get("year")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise _err(path, where, Msg("errors.config.not_year", value=repr(value)))
    return int(value)


def _check_keys(table: Mapping, allowed: set[str], path: Path, where: object) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise _err(
            path, where, Msg("errors.config.unknown_keys", keys=", ".join(unknown), allowed=known)
        )


def _indicator(column: str, table: Any, path: Path) -> IndicatorMeta:
    where = f"[indicators.{column}]"
    if not isinstance(table, Mapping):
        raise _err(path, where, Msg("errors.config.not_table"))
    allowed = {"label_id", "label_en", "unit", "unit_en", "year", "source", "min", "max"}
    _check_keys(table, allowed, path, where)
    lo, hi = _number(table, "min", path, where), _number(table, "max", path, where)
    if lo is not None and hi is not None and lo > hi:
        raise _err(path, where, Msg("errors.config.min_max", min=lo, max=hi))
    label_id = _text(table, "label_id", path, where)
    return IndicatorMeta(
        column=column,
        label_id=label_id,
        label_en=_text(table, "label_en", path, where, required=False) or label_id,
        unit=_text(table, "unit", path, where),
        unit_en=_text(table, "unit_en", path, where, required=False),
        year=_year(table, path, where),
        source=_text(table, "source", path, where, required=False),
        min=lo,
        max=hi,
    )


_TERM_KEYS = {
    "id",
    "expr",
    "direction",
    "unit",
    "unit_en",
    "year",
    "weight",
    "label_id",
    "label_en",
}


def _term(
    table: Any, role: str, sector_id: str, index: int, indicators: Mapping, path: Path
) -> Term:
    where: object = Msg(
        "errors.config.where_term", table=f"[[sectors.{sector_id}.{role}]]", n=index + 1
    )
    if not isinstance(table, Mapping):
        raise _err(path, where, Msg("errors.config.not_table"))
    _check_keys(table, _TERM_KEYS, path, where)
    text = _text(table, "expr", path, where)
    where = Msg("errors.config.where_expr", where=where, expr=repr(text))
    try:
        parsed = expr.parse(text)
    except InputError as err:
        raise _err(path, where, err) from None
    if not parsed.columns:
        raise _err(path, where, Msg("errors.config.no_column"))
    direction = _text(table, "direction", path, where)
    if direction not in DIRECTIONS:
        raise _err(
            path,
            where,
            Msg("errors.config.direction", value=repr(direction), allowed=", ".join(DIRECTIONS)),
        )
    weight = _number(table, "weight", path, where)
    weight = 1.0 if weight is None else weight
    if not weight > 0 or weight > 1e6:
        raise _err(path, where, Msg("errors.config.weight", value=weight))
    term_id = _text(table, "id", path, where, required=False) or "_".join(parsed.columns)
    if not _ID.match(term_id):
        raise _err(path, where, Msg("errors.config.term_id", value=repr(term_id)))
    metas = [indicators[c] for c in parsed.columns if c in indicators]
    single = metas[0] if len(parsed.columns) == 1 and metas else None
    own_unit = _text(table, "unit", path, where, required=False)
    unit = own_unit or (single.unit if single else "")
    if not unit:
        raise _err(path, where, Msg("errors.config.no_unit"))
    unit_en = _text(table, "unit_en", path, where, required=False) or (
        single.unit_en if single and not own_unit else ""
    )
    year = _year(table, path, where)
    if year is None:
        years = {m.year for m in metas if m.year is not None}
        year = max(years) if years else None
    label_id = _text(table, "label_id", path, where, required=False) or (
        single.label_id if single else text
    )
    label_en = _text(table, "label_en", path, where, required=False) or (
        single.label_en if single else label_id
    )
    return Term(
        id=term_id,
        role=role,
        expr=text,
        direction=direction,
        unit=unit,
        unit_en=unit_en,
        year=year,
        weight=weight,
        columns=parsed.columns,
        label_id=label_id,
        label_en=label_en,
    )


_SECTOR_KEYS = {
    "label_id",
    "label_en",
    "description_id",
    "description_en",
    "gap",
    "capacity",
    "forms",
    "externality",
    "note_id",
    "note_en",
}


def _sector(sector_id: str, table: Any, indicators: Mapping, path: Path) -> Sector:
    where = f"[sectors.{sector_id}]"
    if not _ID.match(sector_id):
        raise _err(path, where, Msg("errors.config.sector_id"))
    if not isinstance(table, Mapping):
        raise _err(path, where, Msg("errors.config.not_table"))
    _check_keys(table, _SECTOR_KEYS, path, where)
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
    externality = table.get("externality", False)
    if not isinstance(externality, bool):
        raise _err(path, where, Msg("errors.config.externality", value=repr(externality)))
    label_id = _text(table, "label_id", path, where)
    return Sector(
        id=sector_id,
        label_id=label_id,
        label_en=_text(table, "label_en", path, where, required=False) or label_id,
        gap=terms["gap"],
        capacity=terms["capacity"],
        forms=tuple(forms),
        externality=externality,
        description_id=_text(table, "description_id", path, where, required=False),
        description_en=_text(table, "description_en", path, where, required=False),
        note_id=_text(table, "note_id", path, where, required=False),
        note_en=_text(table, "note_en", path, where, required=False),
    )


def _data(table: Any, path: Path) -> DataDefaults:
    where = "[data]"
    if table is None:
        return DataDefaults()
    if not isinstance(table, Mapping):
        raise _err(path, where, Msg("errors.config.not_table"))
    defaults = DataDefaults()
    names = set(DataDefaults.__dataclass_fields__)
    _check_keys(table, names, path, where)
    values: dict[str, Any] = {}
    for name in names:
        if name in table:
            value = table[name]
            if not isinstance(value, str) or not value.strip():
                raise _err(
                    path, where, Msg("errors.config.empty_text", key=name, value=repr(value))
                )
            values[name] = value.strip()
        else:
            values[name] = getattr(defaults, name)
    return DataDefaults(**values)


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate a sector configuration.

    Parameters
    ----------
    path
        A TOML file; ``None`` = the packaged ``analysis/sectors.toml``.

    Returns
    -------
    Config
        Frozen: ``sectors`` (ordered as in the file), ``indicators``, ``data``, ``clusters``
        (the ``[clusters]`` table as a plain dict, empty when absent), ``registry`` (the
        ``[registry]`` table, validated by :mod:`registry.settings`).

    Raises
    ------
    InputError
        Naming the file, the sector/term and the problem.
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
    top = Msg("errors.config.where_top")
    _check_keys(raw, {"data", "indicators", "sectors", "clusters", "registry"}, path, top)
    raw_indicators = raw.get("indicators", {})
    if not isinstance(raw_indicators, Mapping):
        raise _err(path, "[indicators]", Msg("errors.config.not_table_of_tables"))
    indicators = {c: _indicator(c, t, path) for c, t in raw_indicators.items()}
    raw_sectors = raw.get("sectors")
    if not isinstance(raw_sectors, Mapping) or not raw_sectors:
        raise _err(path, "[sectors]", Msg("errors.config.no_sectors"))
    sectors = {s: _sector(s, t, indicators, path) for s, t in raw_sectors.items()}
    clusters = raw.get("clusters", {})
    if not isinstance(clusters, Mapping):
        raise _err(path, "[clusters]", Msg("errors.config.not_table"))
    registry = raw.get("registry", {})
    if not isinstance(registry, Mapping):
        raise _err(path, "[registry]", Msg("errors.config.not_table"))
    return Config(
        sectors=MappingProxyType(sectors),
        indicators=MappingProxyType(indicators),
        data=_data(raw.get("data"), path),
        clusters=dict(clusters),
        registry=dict(registry),
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
