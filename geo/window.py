"""Read and link only what a province scope needs.

``kerjasama suggest --province 64`` works on one province (and, with ``--cross-province``, its
neighbours across the line), yet the boundary file may hold all Indonesia. :func:`scope_regions`
reads only the features in a window around the province (pyogrio ``bbox`` filter, after a cheap
attributes-and-envelopes read finds the province) and computes adjacency there. The result is the
same as reading the whole file and computing national adjacency, because the window is grown until
every fact the scope uses is decided inside it:

* a land link, or a sea link within the maritime distance, depends only on the two regions and on
  the regions crossed by the line between them, all within the maritime distance of either end;
  so every scope region ``X`` needs ``bbox(X)`` grown by the maritime distance inside the window
  (and then whether ``X`` has any link within that distance is decided too);
* the nearest-region link of a region left alone (:func:`geo.adjacency.adjacency_edges`) at
  distance ``d`` needs both ends grown by ``d`` inside the window;
* with ``cross_province``, a region far outside the window can still be linked into the scope by
  the nearest-region rule if it is alone. Regions outside the window that share a vertex with
  another region (a land border) are not alone; each of the few others (remote islands) is
  checked exactly on the file's raw geometry and, when its nearest region is loaded, the window
  grows to take it in.

When the file is a zip, not in lon/lat, or the province is not found cheaply, the whole file is
read (the usual path, with its usual messages).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.adjacency import DEFAULT_MARITIME_KM, DEFAULT_TOLERANCE_M, _nearest, adjacency_edges
from geo.boundaries import province_bounds, read_boundaries

__all__ = ["scope_regions", "province_bounds"]
from geo.codes import normalize_code, normalize_codes
from geo.crs import metres_to_degrees

#: Window growth steps before giving up and reading the whole file.
MAX_ROUNDS = 6

Box = tuple[float, float, float, float]


def _grow(box: np.ndarray | Box, metres: np.ndarray | float) -> np.ndarray:
    """Boxes (rows ``minx, miny, maxx, maxy``) grown by a ground distance (conservatively)."""
    box = np.atleast_2d(np.asarray(box, dtype=float))
    lat = np.abs(box[:, [1, 3]]).max(axis=1) + 1.0
    deg = metres_to_degrees(np.broadcast_to(metres, len(box)), lat)[:, None]
    return box + deg * np.array([-1.0, -1.0, 1.0, 1.0])


def _union(boxes: np.ndarray) -> np.ndarray:
    return np.array([boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()])


def _inside(inner: np.ndarray, outer: np.ndarray) -> bool:
    return bool(
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _scope_codes(
    regions: pd.DataFrame, edges: pd.DataFrame, province: str, cross_province: bool, kinds
) -> np.ndarray:
    codes = regions.index.astype(str)
    inside = set(codes[(regions["province"].astype(str) == province).to_numpy()])
    if cross_province:
        sel = edges[edges["kind"].isin(kinds)]
        src, tgt = sel["source"].astype(str), sel["target"].astype(str)
        inside |= set(tgt[src.isin(inside)]) | set(src[tgt.isin(inside)])
    return np.asarray(sorted(inside), dtype=object)


def _needed(
    regions: pd.DataFrame, edges: pd.DataFrame, scope: np.ndarray, reach_m: float
) -> np.ndarray:
    """The box that must lie inside the window for the scope's facts to be exact."""
    bounds = pd.DataFrame(
        shapely.bounds(regions.geometry.to_numpy()), index=regions.index.astype(str)
    )
    boxes = [_grow(bounds.loc[scope].to_numpy(), reach_m)]
    sea = edges[edges["kind"] == "maritime"]
    touch = sea[sea["source"].isin(scope) | sea["target"].isin(scope)]
    for end in ("source", "target"):
        far = np.maximum(touch["distance_km"].to_numpy(float) * 1000.0, reach_m)
        boxes.append(_grow(bounds.loc[touch[end].astype(str)].to_numpy(), far))
    return _union(np.vstack([b for b in boxes if len(b)]))


def _alone_regions(path, layer: str | None, id_field: str, maritime_km: float) -> pd.DataFrame:
    """Regions of the whole file that are alone (nothing within the maritime distance), with
    their nearest region (code), its distance (m) and their bounds; read from the raw geometry.

    A region sharing a vertex with another one has a land link and is skipped cheaply; only the
    few others (islands, regions beside gaps) are measured.
    """
    raw = pyogrio.read_dataframe(path, layer=layer, columns=[id_field])
    codes = normalize_codes(raw[id_field]).astype(str).to_numpy()
    geoms = np.asarray(raw.geometry.values, dtype=object)
    valid = ~shapely.is_missing(geoms)
    valid[valid] = ~shapely.is_empty(geoms[valid])
    geoms = np.where(valid, geoms, shapely.Point())
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    vid, _ = pd.factorize(np.ascontiguousarray(coords).view(np.complex128).ravel())
    n = len(geoms)
    pairs = np.sort(vid.astype(np.int64) * n + owner)  # (vertex, region) pairs, once each
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    vertex, region = pairs // n, pairs % n
    owners_per_vertex = np.bincount(vertex)
    shared = np.zeros(n, dtype=bool)
    shared[region[owners_per_vertex[vertex] > 1]] = True
    lonely = np.flatnonzero(valid & ~shared)
    columns = ["code", "nearest", "distance_m", "minx", "miny", "maxx", "maxy"]
    if len(lonely) == 0 or valid.sum() < 2:
        return pd.DataFrame(columns=columns)
    bounds = shapely.bounds(geoms)
    lat_max = float(np.abs(bounds[valid][:, [1, 3]]).max())
    nearest, dist = _nearest(lonely, geoms, shapely.STRtree(geoms), lat_max, maritime_km * 1000.0)
    alone = dist > maritime_km * 1000.0
    rows = lonely[alone]
    out = pd.DataFrame(bounds[rows], columns=columns[3:])
    out.insert(0, "distance_m", dist[alone])
    out.insert(0, "nearest", codes[nearest[alone]])
    out.insert(0, "code", codes[rows])
    return out[columns]


def _far_links(alone: pd.DataFrame, loaded: pd.Index, province: np.ndarray) -> np.ndarray:
    """Boxes (grown by their distance) of regions not read yet whose nearest-region link ends in
    the province (which makes them cross-province neighbours)."""
    far = alone[~alone["code"].isin(loaded) & alone["nearest"].isin(province)]
    if far.empty:
        return np.zeros((0, 4))
    return _grow(far[["minx", "miny", "maxx", "maxy"]].to_numpy(float), far["distance_m"])


def _same_fields(regions: pd.DataFrame, fields) -> bool:
    """Whether a windowed read chose the fields that the whole attribute table gives."""
    meta = regions.attrs.get("kerjasama", {})
    return (
        meta.get("id_field") == fields.code
        and meta.get("name_field") == fields.name
        and meta.get("type_field") == fields.kind
        and meta.get("province_field") == fields.province
        and not meta.get("codes_from_names")
    )


def scope_regions(
    path,
    province: str,
    *,
    cross_province: bool = False,
    maritime_km: float | None = DEFAULT_MARITIME_KM,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    layer: str | None = None,
    id_field: str | None = None,
    name_field: str | None = None,
    **read: object,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Regions and edges around one province, equal to the national ones for the scope.

    Parameters
    ----------
    path
        Boundary file (any format :func:`geo.boundaries.read_boundaries` reads).
    province
        Province code (any spelling).
    cross_province
        The scope includes the neighbours of the province's regions.
    maritime_km, tolerance_m
        As in :func:`geo.adjacency.adjacency_edges` (``None`` or 0 = land links only).
    layer, id_field, name_field, read
        Options of :func:`geo.boundaries.read_boundaries`.

    Returns
    -------
    (regions, edges)
        The regions read (the province, its surroundings) and their edges. The province's
        regions, their neighbours and every edge among them are those of the whole file.
    """
    km = float(maritime_km or 0.0)

    def whole() -> tuple[pd.DataFrame, pd.DataFrame]:
        regions = read_boundaries(
            path, layer=layer, id_field=id_field, name_field=name_field, **read
        )
        return regions, adjacency_edges(regions, tolerance_m=tolerance_m, maritime_km=km or None)

    found = province_bounds(path, province, layer=layer, id_field=id_field, name_field=name_field)
    if found is None:
        return whole()
    box, fields = found
    wanted = normalize_code(province)
    kinds = ("land", "maritime") if km else ("land",)
    reach_m = max(km * 1000.0, tolerance_m)
    window = _grow(box, 2 * reach_m)[0]
    alone = _alone_regions(path, layer, fields.code, km) if cross_province and km else None
    for _ in range(MAX_ROUNDS):
        regions = read_boundaries(
            path,
            layer=layer,
            id_field=fields.code,
            name_field=fields.name,
            bbox=tuple(window),
            **read,
        )
        if not _same_fields(regions, fields):
            break
        edges = adjacency_edges(regions, tolerance_m=tolerance_m, maritime_km=km or None)
        scope = _scope_codes(regions, edges, wanted, cross_province, kinds)
        need = _needed(regions, edges, scope, reach_m)
        if alone is not None:
            own = regions.index.astype(str)[(regions["province"].astype(str) == wanted).to_numpy()]
            far = _far_links(alone, regions.index.astype(str), np.asarray(own))
            if len(far):
                need = _union(np.vstack([need[None, :], far]))
        if _inside(need, window):
            return regions, edges
        window = _union(np.vstack([window[None, :], need[None, :]]))
    return whole()
