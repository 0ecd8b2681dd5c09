"""The static map of one cluster for the briefing pack (matplotlib, no display needed).

Members, the provider (a star), the neighbours, a legend, a scale bar, a north arrow and a source
line; region names are drawn without math parsing, so any name prints as written.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from common.errors import InputError
from common.text import translator

PROVIDER_COLOUR = "#1565c0"
MEMBER_COLOUR = "#ef6c00"
OTHER_COLOUR = "#e0e0e0"


def nice_length(km: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``km`` (scale-bar length)."""
    if km <= 0 or not math.isfinite(km):
        return 1.0
    power = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * power <= km:
            return float(step * power)
    return float(power)


def cluster_map_png(
    regions: gpd.GeoDataFrame,
    members: Sequence[str],
    *,
    provider: str | None = None,
    lang: str = "id",
    source_line: str = "",
    dpi: int = 150,
) -> bytes:
    """PNG map of one cluster with its neighbours, legend, scale bar, north arrow and source.

    Parameters
    ----------
    regions
        Boundaries in EPSG:4326 indexed by code, with ``name``.
    members
        Member codes; ``provider`` (a member) is drawn in its own colour.
    source_line
        Text printed under the map (data sources and date).
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    tr = translator(lang)
    members = [m for m in members if m in regions.index]
    if not members:
        raise InputError("errors.brief.no_member")
    own = regions.loc[members]
    minx, miny, maxx, maxy = own.total_bounds
    pad = 0.25 * max(maxx - minx, maxy - miny, 0.05)
    box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    context = regions.cx[box[0] : box[2], box[1] : box[3]]
    tol = max(box[2] - box[0], box[3] - box[1]) / 1500.0
    geoms = shapely.simplify(np.asarray(context.geometry.values), tol, preserve_topology=True)
    shown = gpd.GeoDataFrame(
        {"role": "other"}, geometry=geoms, index=context.index, crs=regions.crs
    )
    shown.loc[shown.index.isin(members), "role"] = "member"
    if provider is not None and provider in shown.index:
        shown.loc[provider, "role"] = "provider"

    fig = Figure(figsize=(7.0, 5.6), dpi=dpi)
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.9))
    colours = {"other": OTHER_COLOUR, "member": MEMBER_COLOUR, "provider": PROVIDER_COLOUR}
    for role in ("other", "member", "provider"):
        part = shown[shown["role"] == role]
        if len(part):
            part.plot(ax=ax, color=colours[role], edgecolor="#424242", linewidth=0.5)
    names = regions["name"].astype(str) if "name" in regions else pd.Series(dtype=str)
    points = shapely.point_on_surface(np.asarray(own.geometry.values))
    for code, x, y in zip(members, shapely.get_x(points), shapely.get_y(points), strict=True):
        ax.text(
            x,
            y,
            str(names.get(code, code)),
            fontsize=7,
            ha="center",
            va="center",
            parse_math=False,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    if provider is not None and provider in members:
        spot = shapely.point_on_surface(own.geometry.loc[provider])
        ax.scatter([spot.x], [spot.y], marker="*", s=160, c=PROVIDER_COLOUR, edgecolors="white")
    mid_lat = (box[1] + box[3]) / 2
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid_lat)), 0.1))
    ax.set_axis_off()

    handles = [
        Patch(facecolor=MEMBER_COLOUR, edgecolor="#424242", label=tr("ui.map_legend_member"))
    ]
    if provider is not None:
        handles.insert(
            0,
            Patch(
                facecolor=PROVIDER_COLOUR, edgecolor="#424242", label=tr("ui.map_legend_provider")
            ),
        )
    handles.append(
        Patch(facecolor=OTHER_COLOUR, edgecolor="#424242", label=tr("ui.map_legend_other"))
    )
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)

    # scale bar: about a quarter of the map width, at the lower left
    km_per_deg = 111.32 * math.cos(math.radians(mid_lat))
    width_km = (box[2] - box[0]) * km_per_deg
    length = nice_length(width_km / 4.0)
    x0 = box[0] + 0.04 * (box[2] - box[0])
    y0 = box[1] + 0.05 * (box[3] - box[1])
    ax.plot([x0, x0 + length / km_per_deg], [y0, y0], color="black", linewidth=3)
    label = f"{length:g} km"
    ax.text(x0, y0 + 0.02 * (box[3] - box[1]), label, fontsize=7, parse_math=False)

    # north arrow
    ax.annotate(
        tr("ui.map_north"),
        xy=(0.95, 0.96),
        xytext=(0.95, 0.84),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 9},
    )
    fig.text(0.02, 0.02, source_line, fontsize=8, color="#424242", parse_math=False, wrap=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
