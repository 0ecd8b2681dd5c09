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
from common.text import fmt_number, translator

PROVIDER_COLOUR = "#1565c0"
MEMBER_COLOUR = "#ef6c00"
OTHER_COLOUR = "#e0e0e0"
SEA_COLOUR = "#0d47a1"
VOLUNTARY_COLOUR = "#2e7d32"
#: how a link that is not a land border is drawn: colour, dash pattern and legend text per kind
LINK_STYLES = {
    "maritime": (SEA_COLOUR, (0, (4, 3)), "ui.layer_maritime"),
    "voluntary": (VOLUNTARY_COLOUR, (0, (1, 2)), "ui.layer_voluntary"),
}
STAR_COLOUR = "#ffd600"
PROVINCE_EDGE = "#212121"


def nice_length(km: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``km`` (scale-bar length)."""
    if km <= 0 or not math.isfinite(km):
        return 1.0
    power = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * power <= km:
            return float(step * power)
    return float(power)


def frame(geoms: np.ndarray, *, share: float = 0.05) -> tuple[float, float, float, float]:
    """Bounds of the parts that make up each region (parts of at least ``share`` of the
    region's area), so an island cluster is framed on its islands, not on distant islets."""
    parts, owner = shapely.get_parts(np.asarray(geoms), return_index=True)
    if not len(parts):
        return (0.0, 0.0, 1.0, 1.0)
    area = shapely.area(parts)
    total = pd.Series(area).groupby(owner).transform("sum").to_numpy()
    keep = area >= share * total
    bounds = shapely.bounds(parts[keep])
    return (
        float(bounds[:, 0].min()),
        float(bounds[:, 1].min()),
        float(bounds[:, 2].max()),
        float(bounds[:, 3].max()),
    )


def _padded(bounds, pad_share: float = 0.25) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = bounds
    pad = pad_share * max(maxx - minx, maxy - miny, 0.05)
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


def _surroundings(regions: gpd.GeoDataFrame, codes: list[str], pad: float):
    """(members, frame, regions in the frame, their simplified geometry, tolerance)."""
    if not codes:
        raise InputError("errors.brief.no_member")
    own = regions.loc[codes]
    box = _padded(frame(own.geometry.values), pad)
    context = regions.cx[box[0] : box[2], box[1] : box[3]]
    tol = max(box[2] - box[0], box[3] - box[1]) / 1500.0
    geoms = shapely.simplify(np.asarray(context.geometry.values), tol, preserve_topology=False)
    return own, box, context, geoms, tol


def _far_links(edges, codes, points: pd.DataFrame) -> list[tuple]:
    """(x0, y0, x1, y1, km, kind) of the maritime and voluntary links between ``codes`` (the
    links that are not a shared border; ``km`` the distance across the sea or between seats)."""
    if edges is None or not len(edges):
        return []
    inside = set(codes)
    far = edges[
        edges["kind"].isin(list(LINK_STYLES))
        & edges["source"].isin(inside)
        & edges["target"].isin(inside)
    ]
    out = []
    for a, b, km, kind in zip(
        far["source"], far["target"], far["distance_km"], far["kind"], strict=True
    ):
        if a in points.index and b in points.index:
            out.append(
                (
                    points.at[a, "lon"],
                    points.at[a, "lat"],
                    points.at[b, "lon"],
                    points.at[b, "lat"],
                    float(km),
                    str(kind),
                )
            )
    return out


def _points(frame_: gpd.GeoDataFrame) -> pd.DataFrame:
    pts = shapely.point_on_surface(np.asarray(frame_.geometry.values))
    return pd.DataFrame({"lon": shapely.get_x(pts), "lat": shapely.get_y(pts)}, index=frame_.index)


def _scale_and_north(ax, box, tr) -> None:
    """A scale bar (about a quarter of the map width, lower left) and a north arrow."""
    mid_lat = (box[1] + box[3]) / 2
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


def cluster_map_png(
    regions: gpd.GeoDataFrame,
    members: Sequence[str],
    *,
    provider: str | None = None,
    lang: str = "id",
    source_line: str = "",
    dpi: int = 150,
    edges: pd.DataFrame | None = None,
) -> bytes:
    """PNG map of one cluster with its neighbours, sea links, legend, scale bar, north arrow and
    source; framed on the members' main parts (an island cluster fills the map).

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
    own, box, context, geoms, _ = _surroundings(regions, members, 0.15)
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
    for x0, y0, x1, y1, km, kind in _far_links(edges, members, _points(own)):
        colour, dashes, _ = LINK_STYLES[kind]
        ax.plot([x0, x1], [y0, y1], color=colour, linewidth=1.4, linestyle=dashes)
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            tr("ui.km", km=fmt_number(km, lang, decimals=1)),
            fontsize=6.5,
            color=colour,
            ha="center",
            parse_math=False,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    if provider is not None and provider in members:
        spot = shapely.point_on_surface(own.geometry.loc[provider])
        ax.scatter(
            [spot.x], [spot.y], marker="*", s=260, c=STAR_COLOUR, edgecolors="black", zorder=5
        )
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

    _scale_and_north(ax, box, tr)
    fig.text(0.02, 0.02, source_line, fontsize=8, color="#424242", parse_math=False, wrap=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _spread(
    ax, points: list[tuple[float, float]], width_px: float = 46.0, height_px: float = 24.0
) -> list[tuple]:
    """Positions (data coordinates) for labels at ``points`` that do not overlap: each label
    keeps its point if free, else the nearest free spot on rings around it."""
    ax.apply_aspect()
    to_px = ax.transData.transform
    to_data = ax.transData.inverted().transform
    placed: list[tuple[float, float]] = []
    out = []
    rings = [(0.0, 0.0)] + [
        (r * width_px * math.cos(a), r * height_px * math.sin(a))
        for r in range(1, 8)
        for a in np.linspace(0, 2 * math.pi, 8 * r, endpoint=False)
    ]
    for x, y in points:
        px, py = to_px((x, y))
        spot = (px, py)
        for dx, dy in rings:
            qx, qy = px + dx, py + dy
            if all(abs(qx - ox) >= width_px or abs(qy - oy) >= height_px for ox, oy in placed):
                spot = (qx, qy)
                break
        placed.append(spot)
        out.append(tuple(to_data(spot)))
    return out


def overview_map_png(
    regions: gpd.GeoDataFrame,
    candidates: pd.DataFrame,
    *,
    edges: pd.DataFrame | None = None,
    lang: str = "id",
    source_line: str = "",
    dpi: int = 150,
) -> bytes:
    """One map of all ``candidates``: their members, outlines numbered by rank (labels moved
    apart with a leader line), providers as stars, sea links, province borders, legend, scale
    bar, north arrow and source line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import colormaps
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    tr = translator(lang)
    codes = sorted({str(m) for ms in candidates["members"] for m in ms if m in regions.index})
    own, box, context, geoms, tol = _surroundings(regions, codes, 0.08)
    shown = gpd.GeoDataFrame(
        {"province": context.get("province", pd.Series("", index=context.index)).astype(str)},
        geometry=geoms,
        index=context.index,
        crs=regions.crs,
    )
    fig = Figure(figsize=(7.0, 6.2), dpi=dpi)
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.9))
    mid_lat = (box[1] + box[3]) / 2
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid_lat)), 0.1))
    ax.set_axis_off()
    member = shown.index.isin(codes)
    shown[~member].plot(ax=ax, color=OTHER_COLOUR, edgecolor="#9e9e9e", linewidth=0.3)
    shown[member].plot(ax=ax, color="#ffe0b2", edgecolor="#9e9e9e", linewidth=0.3)
    borders = shown.dissolve(by="province")
    borders.boundary.plot(ax=ax, color=PROVINCE_EDGE, linewidth=1.1)
    points = _points(regions.loc[codes])
    palette = colormaps["tab10"]
    anchors = []
    drawn_kinds: set[str] = set()
    for i, row in enumerate(candidates.itertuples(index=False)):
        members = [str(m) for m in row.members if m in regions.index]
        union = shapely.union_all(
            shapely.simplify(np.asarray(regions.loc[members].geometry.values), tol)
        )
        colour = palette(i % 10)
        gpd.GeoSeries([union.boundary], crs=regions.crs).plot(ax=ax, color=colour, linewidth=1.6)
        spot = shapely.point_on_surface(union)
        anchors.append((spot.x, spot.y, int(row.rank), colour))
        for x0, y0, x1, y1, _km, kind in _far_links(edges, members, points):
            colour, dashes, _ = LINK_STYLES[kind]
            ax.plot([x0, x1], [y0, y1], color=colour, linewidth=1.2, linestyle=dashes)
            drawn_kinds.add(kind)
        provider = getattr(row, "provider", None)
        if isinstance(provider, str) and provider in points.index:
            ax.scatter(
                [points.at[provider, "lon"]],
                [points.at[provider, "lat"]],
                marker="*",
                s=200,
                c=STAR_COLOUR,
                edgecolors="black",
                zorder=5,
            )
    spots = _spread(ax, [(x, y) for x, y, _, _ in anchors])
    for (x, y, rank, colour), (lx, ly) in zip(anchors, spots, strict=True):
        if (lx, ly) != (x, y):
            ax.plot([x, lx], [y, ly], color="#424242", linewidth=0.6, zorder=6)
        ax.text(
            lx,
            ly,
            f"#{rank}",
            fontsize=7,
            fontweight="bold",
            ha="center",
            va="center",
            parse_math=False,
            zorder=7,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": colour, "lw": 1.2},
        )
    handles = [
        Patch(facecolor="#ffe0b2", edgecolor="#9e9e9e", label=tr("ui.map_legend_member")),
        Line2D([], [], color=PROVINCE_EDGE, linewidth=1.1, label=tr("ui.brief_province_border")),
        *(  # sea links always (as before), other kinds when drawn
            Line2D([], [], color=colour, linestyle=dashes, label=tr(text))
            for kind, (colour, dashes, text) in LINK_STYLES.items()
            if kind == "maritime" or kind in drawn_kinds
        ),
        Line2D(
            [],
            [],
            marker="*",
            color="none",
            markerfacecolor=STAR_COLOUR,
            markeredgecolor="black",
            markersize=11,
            label=tr("ui.map_legend_provider"),
        ),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    _scale_and_north(ax, box, tr)
    fig.text(0.02, 0.02, source_line, fontsize=8, color="#424242", parse_math=False, wrap=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
