"""The view in the URL and the planner's selection, tied to candidates (``cluster_id``).

Pure functions first (tested without a browser): :func:`parse_query` reads untrusted URL
parameters against the known options, :func:`to_query` writes the view back, and
:func:`resolve_selection` finds the ticked candidates in a new ranking: kept (in the shown list),
elsewhere in the ranking (still selected, with their new rank), or dropped (no longer a
candidate with these options: shown as dropped, never silently replaced).

The Streamlit helpers below keep translated widgets stable across a language switch
(:func:`keep` / :func:`remember`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALL = "__all__"
LANGS = ("id", "en")
VIEWS = ("top", "portfolio")
_ID = re.compile(r"^[a-z0-9_]+-[a-z_]+-[0-9]+(-[0-9]+){1,4}$")
MAX_SELECTED = 200


@dataclass(frozen=True)
class Options:
    """What the URL may name: the valid values of each choice."""

    provinces: Sequence[str]
    sectors: Sequence[str]
    forms: Mapping[str, Sequence[str]]  # sector -> its forms
    weights: Mapping[str, Mapping[str, float]]  # form -> component -> default
    size_range: tuple[int, int] = (2, 5)
    top_range: tuple[int, int] = (1, 100)
    voluntary_range: tuple[int, int] = (0, 200)


@dataclass
class View:
    """The choices a shared link reproduces."""

    lang: str = "id"
    scope: str = ALL
    sector: str = ""
    sizes: tuple[int, int] = (2, 5)
    forms: tuple[str, ...] = ()
    maritime: bool = True
    cross: bool = False
    top: int = 20
    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    view: str = "top"
    flagged: bool = False
    voluntary: int = 0
    selected: list[str] = field(default_factory=list)
    opened: str | None = None


def _flag(value: str | None, default: bool) -> bool:
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    return default


def _int(value: str | None, lo: int, hi: int) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if lo <= number <= hi else None


def cluster_ids(text: str | None) -> list[str]:
    """Candidate ids from a comma-separated list; anything not shaped like one is ignored."""
    out: list[str] = []
    for part in (text or "").split(","):
        part = part.strip()
        if _ID.match(part) and part not in out:
            out.append(part)
    return out[:MAX_SELECTED]


def parse_query(query: Mapping[str, str], options: Options, default: View) -> View:
    """The view named by URL parameters; unknown or malformed values keep the default."""
    view = View(**{**default.__dict__, "weights": {}, "selected": [], "forms": default.forms})
    if query.get("lang") in LANGS:
        view.lang = query["lang"]
    scope = query.get("scope")
    if scope == "all":
        view.scope = ALL
    elif scope in options.provinces:
        view.scope = scope
    if query.get("sector") in options.sectors:
        view.sector = query["sector"]
    lo, hi = options.size_range
    size = str(query.get("size", ""))
    if "-" in size:
        a, b = (_int(x, lo, hi) for x in size.split("-", 1))
        if a is not None and b is not None and a <= b:
            view.sizes = (a, b)
    allowed = options.forms.get(view.sector, ())
    if "forms" in query:
        forms = tuple(f for f in str(query["forms"]).split(",") if f in allowed)
        view.forms = forms or tuple(allowed)
    else:
        view.forms = tuple(allowed)
    view.maritime = _flag(query.get("mar"), default.maritime)
    view.cross = _flag(query.get("cross"), default.cross)
    top = _int(query.get("top"), *options.top_range)
    if top is not None:
        view.top = top
    for item in str(query.get("w", "")).split(","):
        name, _, value = item.partition("=")
        form, _, comp = name.partition(".")
        if comp in options.weights.get(form, {}):
            try:
                number = float(value)
            except ValueError:
                continue
            if 0.0 <= number <= 1.0:
                view.weights.setdefault(form, {})[comp] = round(number, 2)
    if query.get("view") in VIEWS:
        view.view = query["view"]
    view.flagged = _flag(query.get("flagged"), default.flagged)
    voluntary = _int(query.get("vol"), *options.voluntary_range)
    if voluntary is not None:
        view.voluntary = voluntary
    view.selected = cluster_ids(query.get("sel"))
    opened = cluster_ids(query.get("open"))
    view.opened = opened[0] if opened else None
    return view


def to_query(view: View, options: Options, default: View) -> dict[str, str]:
    """URL parameters for ``view``: every choice a reload needs, nothing at its default."""
    out = {"lang": view.lang, "scope": "all" if view.scope == ALL else view.scope}
    out["sector"] = view.sector
    if view.sizes != default.sizes:
        out["size"] = f"{view.sizes[0]}-{view.sizes[1]}"
    if tuple(view.forms) != tuple(options.forms.get(view.sector, ())):
        out["forms"] = ",".join(view.forms)
    if view.maritime != default.maritime:
        out["mar"] = "1" if view.maritime else "0"
    if view.cross != default.cross:
        out["cross"] = "1" if view.cross else "0"
    if view.top != default.top:
        out["top"] = str(view.top)
    changed = [
        f"{form}.{comp}={value:g}"
        for form, comps in sorted(view.weights.items())
        for comp, value in sorted(comps.items())
        if abs(value - float(options.weights.get(form, {}).get(comp, value))) > 1e-9
    ]
    if changed:
        out["w"] = ",".join(changed)
    if view.view != "top":
        out["view"] = view.view
    if view.flagged != default.flagged:
        out["flagged"] = "1" if view.flagged else "0"
    if view.voluntary != default.voluntary:
        out["vol"] = str(view.voluntary)
    if view.selected:
        out["sel"] = ",".join(view.selected[:MAX_SELECTED])
    if view.opened:
        out["open"] = view.opened
    return out


# ------------------------------------------------------------------------------ the selection


@dataclass(frozen=True)
class Selection:
    """The planner's ticked candidates of one sector, found in the current ranking.

    Attributes
    ----------
    shown
        Ticked ids in the shown list (the table's ticks).
    elsewhere
        Ticked ids that are candidates but not in the shown list (e.g. ranked lower after a
        weight change), with their rank.
    dropped
        Ticked ids that are no longer candidates with these options.
    variants
        Ticked ids that became a variant of a shown candidate (``id``, its rank, the shown
        candidate's rank): still selected, shown as "variant of #k".
    """

    shown: tuple[str, ...]
    elsewhere: tuple[tuple[str, int], ...]
    dropped: tuple[str, ...]
    variants: tuple[tuple[str, int, int], ...] = ()


def resolve_selection(
    selected: Iterable[str],
    positions: Mapping[str, int],
    shown: Sequence[str],
    sector: str,
    variant_of: Mapping[str, int] | None = None,
) -> Selection:
    """Find the ticked ``cluster_id`` s of ``sector`` in a ranking (``positions``: id -> row,
    rank = row + 1, for the ids that are still candidates) and in the ``shown`` ids. Ids of
    other sectors are left out (they stay ticked for when that sector is chosen again).
    ``variant_of`` gives, for ids that are a variant of a shown candidate, that candidate's
    rank: they are reported as variants, not as elsewhere."""
    mine = [c for c in selected if c.startswith(f"{sector}-")]
    in_shown = set(shown)
    owners = variant_of or {}
    outside = [c for c in mine if c in positions and c not in in_shown]
    return Selection(
        shown=tuple(c for c in mine if c in in_shown),
        elsewhere=tuple((c, positions[c] + 1) for c in outside if c not in owners),
        dropped=tuple(c for c in mine if c not in positions),
        variants=tuple((c, positions[c] + 1, owners[c]) for c in outside if c in owners),
    )


def apply_table_ticks(
    selected: Sequence[str], shown_ids: Sequence[str], ticked_rows: Iterable[int]
) -> list[str]:
    """The selection after the table reported ``ticked_rows`` (positions in ``shown_ids``):
    ticks of shown candidates are replaced, every other selected id is kept, order kept."""
    ticked = [shown_ids[i] for i in sorted(set(ticked_rows)) if 0 <= i < len(shown_ids)]
    on_table = set(shown_ids)
    kept = [c for c in selected if c not in on_table or c in ticked]
    return kept + [c for c in ticked if c not in kept]


# ------------------------------------------------------------------------------ streamlit glue


def remember(name: str, default):
    """The language-independent value of a widget (see :func:`keep`)."""
    import streamlit as st

    return st.session_state.get(f"keep:{name}", default)


def keep(name: str, value):
    """Store a widget's value under a language-independent name and return it.

    Streamlit resets a widget whose label or option labels change, so every translated widget
    has a per-language key and is seeded from this store: a language switch keeps the choices.
    """
    import streamlit as st

    st.session_state[f"keep:{name}"] = value
    return value
