"""Who borders whom: land contiguity with a tolerance, plus maritime links across straits.

:func:`adjacency_edges` returns one row per unordered pair of regions:

* ``land``: the polygons touch, or come within ``tolerance_m`` metres of each other (gaps and
  slivers in agency data). Queen by default (a single touching point is enough); with
  ``rook=True`` the pair must share a border of positive length. ``shared_border_km`` is the
  length of the common border.
* ``maritime``: no land link, but the outlines are within ``maritime_km``; ``distance_km`` is the
  shortest distance between them. A region that still has no link at all is linked to its
  nearest region, whatever the distance, so no region is left isolated.

How it stays fast on full-detail national data (1.65 million vertices):

1. Candidate pairs: one :class:`shapely.STRtree` ``dwithin`` query in degree space with a
   conservative degree equivalent of the tolerance (:func:`geo.crs.metres_to_degrees`).
2. Shared borders: in a clean coverage neighbours use identical vertices, so borders are found
   by hashing every boundary segment (numpy sort on vertex ids) and summing the ellipsoidal length
   of the segments two regions have in common. Pairs sharing a vertex are touching.
3. Only pairs within the tolerance that share no vertex or segment get the slower geometric
   treatment, clipped to the pair's overlapping bounding box.
4. Maritime candidates come from a second prepared ``dwithin`` query at the maritime distance;
   the exact distance is measured on the full-detail outlines clipped around each candidate pair
   (:mod:`geo.crs`). A candidate is a sea link only if the shortest line between the two runs
   mostly outside every region (:func:`sea_fraction`), so inland pairs separated by a third
   region are not called maritime. That test allows only a short stretch of land at each end
   of the line, so a region farther than that from every segment no other region shares (the
   coast, and the edges of gaps) cannot end a sea link: when most regions are inland
   (kecamatan, desa) the maritime query runs among the regions near a coast only, with the
   same result.

Choice of defaults (measured in ``benchmarks/bench_adjacency.py``; see ``docs/geo.md``):
``DEFAULT_TOLERANCE_M = 25`` and ``DEFAULT_MARITIME_KM = 15``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
import shapely

from common.errors import InputError
from geo.crs import (
    clip_each,
    from_mercator,
    line_lengths_m,
    mercator_scale,
    metres_to_degrees,
    nearest_distance_m,
    radii_m,
    segment_lengths_m,
    to_mercator,
)

if TYPE_CHECKING:
    from libpysal.graph import Graph

#: Gap or overlap between neighbours (m) still counted as a land border: the positional accuracy
#: of 1:50,000 agency maps (0.5 mm on paper = 25 m); the slivers between desa polygons of the
#: source were 99.9 % under 8 m. 50 m would wrongly join Kab. Bangka and Kab. Belitung, whose
#: islets are 41 m apart in the national file (docs/geo.md).
DEFAULT_TOLERANCE_M = 25.0
#: Maritime link distance (km). See docs/geo.md for the measured table behind this choice.
DEFAULT_MARITIME_KM = 15.0
#: Largest tolerance accepted (m): 40 times the default, beyond any map's positional error.
MAX_TOLERANCE_M = 1000.0
#: Largest maritime distance accepted (km): wider straits are not "neighbours" for a service.
MAX_MARITIME_KM = 100.0
#: A pair within the maritime distance is linked by sea only if at least this share of the
#: shortest line between them runs outside every region (over water or unmapped area). Pairs
#: separated by a third region's land are not maritime neighbours: inland ones (Kota Blitar and
#: Kab. Tulungagung, 2.4 km apart across Kab. Blitar) and bay-side ones (Kep. Seribu and
#: Jakarta Pusat across Jakarta Utara). On idn_adm2 any share from 0.8 to 1.0 gives the same links.
MIN_SEA_FRACTION = 0.9
COLUMNS = ["source", "target", "kind", "shared_border_km", "distance_km"]


def _arrays(regions) -> tuple[np.ndarray, np.ndarray]:
    """Sorted code strings and their lon/lat geometries."""
    if regions.crs is not None and not regions.crs.equals("EPSG:4326"):
        regions = regions.to_crs("EPSG:4326")
    ids = np.asarray(regions.index.astype(str), dtype=object)
    if len(ids) != len(set(ids)):
        dup = sorted(pd.Index(ids)[pd.Index(ids).duplicated()].unique())
        raise InputError("errors.adjacency.duplicate_codes", codes=", ".join(dup[:10]))
    order = np.argsort(ids, kind="stable")
    geoms = np.asarray(regions.geometry.values, dtype=object)[order]
    bad = shapely.is_missing(geoms) | shapely.is_empty(
        np.where(shapely.is_missing(geoms), shapely.Point(), geoms)
    )
    if bad.any():
        raise InputError("errors.adjacency.no_geometry", codes=", ".join(ids[order][bad][:10]))
    return ids[order], geoms


def _rings(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ring vertices, the region owning each, and whether a ring segment starts there."""
    parts, owner_part = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    owner = owner_part[ring_part][ring_idx]
    starts_segment = np.zeros(len(coords), dtype=bool)
    starts_segment[:-1] = ring_idx[:-1] == ring_idx[1:]
    return coords, owner, starts_segment


def _pairs_sharing(
    keys: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (a < b) of owners with equal ``keys``; also the position in ``keys`` of each match."""
    order = np.lexsort((owner, keys))
    k = keys[order]
    o = owner[order]
    out_a, out_b, out_pos = [], [], []
    # positions i whose run of equal keys reaches i + step
    alive = np.flatnonzero(k[1:] == k[:-1])
    step = 1
    while len(alive):
        idx = alive[o[alive + step] != o[alive]]
        out_a.append(o[idx])
        out_b.append(o[idx + step])
        out_pos.append(order[idx])
        step += 1
        alive = alive[alive + step < len(k)]
        alive = alive[k[alive + step] == k[alive]]
    if not out_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    a = np.concatenate(out_a)
    b = np.concatenate(out_b)
    return np.minimum(a, b), np.maximum(a, b), np.concatenate(out_pos)


class _Segments(NamedTuple):
    """Every ring segment of the regions: start coordinates index, owner, vertex-pair key."""

    coords: np.ndarray
    start: np.ndarray  # position in ``coords`` of each segment's first vertex
    owner: np.ndarray  # region position owning each segment
    key: np.ndarray  # same key = same two end vertices (either direction)
    touching: set[tuple[int, int]]  # region pairs sharing at least one vertex


def _segments(geoms: np.ndarray) -> _Segments:
    coords, owner, starts = _rings(geoms)
    cplx = np.ascontiguousarray(coords).view(np.complex128).ravel()
    vid, _ = pd.factorize(cplx)
    vid = vid.astype(np.int64)
    # pairs sharing a vertex (touching); drop the repeated closing vertex of each ring first
    va, vb, _ = _pairs_sharing(vid[starts], owner[starts])
    touching = set(zip(va.tolist(), vb.tolist(), strict=True))
    s0 = vid[:-1][starts[:-1]]
    s1 = vid[1:][starts[:-1]]
    nv = int(vid.max()) + 1 if len(vid) else 1
    key = np.minimum(s0, s1) * nv + np.maximum(s0, s1)
    start = np.flatnonzero(starts[:-1])
    return _Segments(coords, start, owner[:-1][starts[:-1]], key, touching)


def shared_segments(
    geoms: np.ndarray, segments: _Segments | None = None
) -> tuple[pd.Series, set[tuple[int, int]]]:
    """Border lengths (m) of pairs sharing identical segments, and the pairs sharing a vertex.

    Parameters
    ----------
    geoms
        Lon/lat polygons.

    Returns
    -------
    lengths : pandas.Series
        Indexed by (i, j) position pairs with i < j; total length in metres of the boundary
        segments the two polygons have in common (same end vertices, either direction).
    touching : set of tuple
        Position pairs (i < j) that share at least one vertex.
    """
    seg = _segments(geoms) if segments is None else segments
    a, b, pos = _pairs_sharing(seg.key, seg.owner)
    first = seg.start[pos]
    coords = seg.coords
    length = segment_lengths_m(
        coords[first, 0], coords[first, 1], coords[first + 1, 0], coords[first + 1, 1]
    )
    lengths = pd.Series(length, index=pd.MultiIndex.from_arrays([a, b])).groupby(level=[0, 1]).sum()
    return lengths, seg.touching


def _unshared(seg: _Segments) -> np.ndarray:
    """Segments no other region shares: the coast, plus the edges of gaps between regions.

    Where two regions meet with identical vertices both sides are land, so the outline of all
    the regions together (where land meets sea or unmapped area) lies on these segments.
    """
    order = np.lexsort((seg.owner, seg.key))
    k, o = seg.key[order], seg.owner[order]
    # runs of equal keys, sorted by owner within a run: a key no other region shares has the
    # same owner at both ends of its run
    first = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    last = np.r_[first[1:], len(k)] - 1
    alone = o[first] == o[last]
    out = np.empty(len(k), dtype=bool)
    out[order] = np.repeat(alone, last - first + 1)
    return out


#: The inland regions near a coast are searched for only when fewer than this share of the
#: regions have a coast of their own (otherwise the search costs more than it saves).
_FILTER_BELOW = 0.5


def _own_coast(seg: _Segments, coast: np.ndarray, n: int) -> np.ndarray:
    """Regions owning at least one ``coast`` segment, as a mask over the ``n`` regions."""
    own = np.zeros(n, dtype=bool)
    own[seg.owner[coast]] = True
    return own


def _near_coast(
    geoms: np.ndarray, seg: _Segments, coast: np.ndarray, reach_deg: float
) -> np.ndarray:
    """Regions within ``reach_deg`` (degrees) of a ``coast`` segment (one no other region shares).

    Regions farther than that from every such segment are surrounded by land on all sides
    within the reach: they cannot end a sea crossing (see :func:`_sea_reach_m`).
    """
    near = _own_coast(seg, coast, len(geoms))
    inland = np.flatnonzero(~near)
    if len(inland) == 0 or not coast.any():
        return near
    first = seg.start[coast]
    xy = np.stack([seg.coords[first], seg.coords[first + 1]], axis=1).reshape(-1, 2)
    lines = shapely.linestrings(xy, indices=np.repeat(np.arange(len(first)), 2))
    owners, group = np.unique(seg.owner[coast], return_inverse=True)
    coasts = shapely.multilinestrings(lines, indices=group)
    qi, _ = shapely.STRtree(coasts).query(geoms[inland], predicate="dwithin", distance=reach_deg)
    near[inland[np.unique(qi)]] = True
    return near


def _sea_reach_m(maritime_m: float, samples: int = 20) -> float | None:
    """Ground distance from a region within which a sea link's line must leave the land.

    :func:`sea_fraction` samples the connecting line at ``(k + 0.5) / samples``; at most
    ``floor(samples * (1 - MIN_SEA_FRACTION))`` samples may be on land, so one of the first
    ``allowed + 1`` samples is outside every region, within ``(allowed + 0.5) / samples`` of the
    line's length from each end. None when that covers the whole line (no filter possible).
    """
    allowed = int(np.floor(samples * (1.0 - MIN_SEA_FRACTION) + 1e-9))
    share = (allowed + 0.5) / samples
    return None if share >= 1.0 else share * maritime_m


def _boundary_within_m(a: np.ndarray, b: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Length (m) of the boundary of ``a[k]`` lying within ``tolerance_m`` of polygon ``b[k]``.

    Both are clipped to their common bounding box grown by the tolerance; the buffer is made in
    World Mercator with the local scale factor so that it is ``tolerance_m`` on the ground.
    """
    if len(a) == 0:
        return np.zeros(0)
    ba, bb = shapely.bounds(a), shapely.bounds(b)
    lat = np.maximum(np.abs(ba[:, [1, 3]]).max(axis=1), np.abs(bb[:, [1, 3]]).max(axis=1))
    grow = metres_to_degrees(tolerance_m, lat) * 1.01
    box = np.column_stack(
        [
            np.maximum(ba[:, 0], bb[:, 0]) - grow,
            np.maximum(ba[:, 1], bb[:, 1]) - grow,
            np.minimum(ba[:, 2], bb[:, 2]) + grow,
            np.minimum(ba[:, 3], bb[:, 3]) + grow,
        ]
    )
    edge = clip_each(shapely.boundary(a), box)
    other = clip_each(b, box)
    mid_lat = (box[:, 1] + box[:, 3]) / 2
    zone = shapely.buffer(to_mercator(other), tolerance_m * mercator_scale(mid_lat), quad_segs=4)
    near = from_mercator(shapely.intersection(to_mercator(edge), zone))
    return line_lengths_m(near)


def _common_boundary_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Length (m) of the linear part of the intersection of the boundaries of ``a`` and ``b``."""
    common = shapely.intersection(shapely.boundary(a), shapely.boundary(b))
    parts, owner = shapely.get_parts(common, return_index=True)
    lines = shapely.get_dimensions(parts) == 1
    out = np.zeros(len(a))
    np.add.at(out, owner[lines], line_lengths_m(parts[lines]))
    return np.round(out, 3)


def _land(
    ids: np.ndarray,
    geoms: np.ndarray,
    tree: shapely.STRtree,
    rook: bool,
    tolerance_m: float,
    seg: _Segments,
    lat_max: float,
) -> tuple[pd.DataFrame, pd.MultiIndex]:
    """Land pairs (as edges) and every pair in contact or within the tolerance (positions).

    The second result holds the Queen pairs even with ``rook=True``: a pair touching at a point
    is not a maritime pair either.
    """
    if tolerance_m > 0:
        deg = float(metres_to_degrees(tolerance_m, lat_max))
        qi, qj = tree.query(geoms, predicate="dwithin", distance=deg)
    else:
        qi, qj = tree.query(geoms, predicate="intersects")
    keep = qi < qj
    cand = pd.MultiIndex.from_arrays([qi[keep], qj[keep]]).unique()
    lengths, touching = shared_segments(geoms, seg)
    in_touch = np.array([p in touching for p in cand], dtype=bool)
    # the rest: exact distance decides (touching without a shared vertex counts as 0)
    rest = cand[~in_touch]
    ri, rj = rest.get_level_values(0).to_numpy(), rest.get_level_values(1).to_numpy()
    dist = nearest_distance_m(geoms[ri], geoms[rj], np.full(len(ri), 2 * tolerance_m + 1.0))
    land = cand[in_touch].append(rest[dist <= tolerance_m])
    queen = land
    border = lengths.reindex(land).fillna(0.0).to_numpy(dtype=float, copy=True)
    # geometric border length for pairs sharing no identical segment
    todo = np.flatnonzero(border == 0)
    if len(todo):
        li = land.get_level_values(0).to_numpy()[todo]
        lj = land.get_level_values(1).to_numpy()[todo]
        if tolerance_m > 0:
            ab = _boundary_within_m(geoms[li], geoms[lj], tolerance_m)
            ba = _boundary_within_m(geoms[lj], geoms[li], tolerance_m)
            # a single contact point contributes about 2 x tolerance of boundary on each side
            border[todo] = np.round(np.maximum((ab + ba) / 2 - 2 * tolerance_m, 0.0), 3)
        else:
            border[todo] = _common_boundary_m(geoms[li], geoms[lj])
    is_rook = border > 0
    if len(todo):
        # a geometric length shorter than the tolerance cannot be told from a point contact
        is_rook[todo] = border[todo] > max(tolerance_m, 0.001)
    if rook:
        land = land[is_rook]
        border = border[is_rook]
    out = pd.DataFrame(
        {
            "source": ids[land.get_level_values(0)],
            "target": ids[land.get_level_values(1)],
            "kind": "land",
            "shared_border_km": border / 1000.0,
            "distance_km": 0.0,
        }
    )
    return out, queen


def _sea_candidates(
    geoms: np.ndarray,
    tree: shapely.STRtree,
    queen: pd.MultiIndex,
    seg: _Segments,
    limit_m: float,
    lat_max: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs without a land link whose outlines are within ``limit_m``: positions, distance (m)
    and the ends of the shortest line.

    Only regions near a coast can end a sea crossing (:func:`_near_coast`), so when most regions
    are inland (kecamatan, desa) the search runs among the coastal ones only; the result is the
    same as searching all regions. When at least half the regions have a coast of their own
    (kabupaten/kota), finding the few inland ones near a coast costs more than it saves.
    """
    reach = _sea_reach_m(limit_m)
    eligible = np.arange(len(geoms))
    coast = None if reach is None else _unshared(seg)
    if coast is not None and _own_coast(seg, coast, len(geoms)).mean() < _FILTER_BELOW:
        near = _near_coast(geoms, seg, coast, float(metres_to_degrees(reach, lat_max)) * 1.001)
        if near.mean() < 0.75:  # worth a second tree
            eligible = np.flatnonzero(near)
            tree = shapely.STRtree(geoms[eligible])
    deg = float(metres_to_degrees(limit_m, lat_max))
    qi, qj = tree.query(geoms[eligible], predicate="dwithin", distance=deg)
    qi, qj = eligible[qi], eligible[qj]
    keep = qi < qj
    cand = pd.MultiIndex.from_arrays([qi[keep], qj[keep]]).unique().difference(queen)
    ci, cj = cand.get_level_values(0).to_numpy(), cand.get_level_values(1).to_numpy()
    dist, ends = nearest_distance_m(
        geoms[ci], geoms[cj], np.full(len(ci), limit_m), return_points=True
    )
    return ci, cj, dist, ends


def _maritime(
    ids: np.ndarray,
    geoms: np.ndarray,
    tree: shapely.STRtree,
    land: pd.DataFrame,
    queen: pd.MultiIndex,
    seg: _Segments,
    maritime_km: float | None,
    lat_max: float,
) -> pd.DataFrame:
    n = len(ids)
    if not maritime_km or n < 2:
        return pd.DataFrame(columns=COLUMNS)
    pos = {code: k for k, code in enumerate(ids)}
    li = land["source"].map(pos).to_numpy(dtype=int)
    lj = land["target"].map(pos).to_numpy(dtype=int)
    linked = np.zeros(n, dtype=bool)
    linked[li] = True
    linked[lj] = True
    limit_m = float(maritime_km) * 1000.0
    qi, qj, dist, ends = _sea_candidates(geoms, tree, queen, seg, limit_m, lat_max)
    near = dist <= limit_m
    near[near] = sea_fraction(ends[near], geoms, tree) >= MIN_SEA_FRACTION
    pairs = {
        (int(a), int(b)): float(d) for a, b, d in zip(qi[near], qj[near], dist[near], strict=True)
    }
    linked[qi[near]] = True
    linked[qj[near]] = True
    alone = np.flatnonzero(~linked)
    if len(alone):
        other, dist = _nearest(alone, geoms, tree, lat_max, 2 * limit_m)
        for k, j, d in zip(alone.tolist(), other.tolist(), dist.tolist(), strict=True):
            pairs.setdefault((min(k, j), max(k, j)), d)
    a = np.array([p[0] for p in pairs], dtype=int)
    b = np.array([p[1] for p in pairs], dtype=int)
    return pd.DataFrame(
        {
            "source": ids[a],
            "target": ids[b],
            "kind": "maritime",
            "shared_border_km": 0.0,
            "distance_km": np.fromiter(pairs.values(), dtype=float, count=len(pairs)) / 1000.0,
        }
    )


def sea_fraction(
    ends: np.ndarray, geoms: np.ndarray, tree: shapely.STRtree, samples: int = 20
) -> np.ndarray:
    """Share of each connecting line (``lon0, lat0, lon1, lat1`` rows) lying outside every region.

    The line is sampled at ``samples`` interior points; a point inside any region polygon is
    over land. The shortest line between two disjoint regions never enters either of them, so
    land on it belongs to a third region: the pair is then linked over land, not by sea.
    """
    if len(ends) == 0:
        return np.zeros(0)
    t = (np.arange(samples) + 0.5) / samples
    x = ends[:, [0]] + (ends[:, [2]] - ends[:, [0]]) * t
    y = ends[:, [1]] + (ends[:, [3]] - ends[:, [1]]) * t
    x, y = x.ravel(), y.ravel()
    pt, poly = tree.query(shapely.points(x, y))
    land = np.zeros(len(x), dtype=bool)
    inside = shapely.intersects_xy(geoms[poly], x[pt], y[pt])
    land[pt[inside]] = True
    return 1.0 - land.reshape(len(ends), samples).mean(axis=1)


def _nearest(
    todo: np.ndarray, geoms: np.ndarray, tree: shapely.STRtree, lat_max: float, start_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """For each region position in ``todo``: the nearest other region and its distance (m).

    Searches rings of doubling radius with the (fast, prepared) ``dwithin`` query; once a region
    has a candidate at radius r, every region that could be nearer on the ground lies within
    r times the ratio of the longest to the shortest ground length of a degree.
    """
    _, n_eq = radii_m(0.0)
    m_hi, _ = radii_m(lat_max)
    longest = float(max(m_hi, n_eq)) * np.pi / 180  # metres per degree, upper bound
    shortest = 1.0 / float(metres_to_degrees(1.0, lat_max))  # metres per degree, lower bound
    radius = np.full(len(todo), float(metres_to_degrees(max(start_m, 1000.0), lat_max)))
    found = np.zeros(len(todo), dtype=bool)
    while not found.all():
        rest = np.flatnonzero(~found)
        qi, qj = tree.query(geoms[todo[rest]], predicate="dwithin", distance=radius[rest])
        hit = np.unique(qi[todo[rest][qi] != qj])
        found[rest[hit]] = True
        radius[rest[np.setdiff1d(np.arange(len(rest)), hit)]] *= 2
        if radius.max() > 360:  # a single region: nothing to link to
            break
    reach = radius * longest / shortest
    qi, qj = tree.query(geoms[todo], predicate="dwithin", distance=reach)
    keep = todo[qi] != qj
    qi, qj = qi[keep], qj[keep]
    dist = nearest_distance_m(geoms[todo[qi]], geoms[qj], reach[qi] * longest)
    order = np.lexsort((qj, dist, qi))  # per region: smallest distance, then lowest code
    first = order[np.r_[True, qi[order][1:] != qi[order][:-1]]]
    return qj[first], dist[first]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": pd.Series(dtype=object),
            "target": pd.Series(dtype=object),
            "kind": pd.Series(dtype=object),
            "shared_border_km": pd.Series(dtype=float),
            "distance_km": pd.Series(dtype=float),
        }
    )


def adjacency_edges(
    regions,
    *,
    rook: bool = False,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    maritime_km: float | None = DEFAULT_MARITIME_KM,
) -> pd.DataFrame:
    """Land and maritime neighbour pairs of the regions.

    Parameters
    ----------
    regions : geopandas.GeoDataFrame
        Index = canonical region code (as from :func:`geo.boundaries.read_boundaries`).
    rook
        Count only pairs sharing a border of positive length (default: Queen, a point suffices).
    tolerance_m
        Gaps (and overlaps) up to this many metres between two regions still make them land
        neighbours; 0 to :data:`MAX_TOLERANCE_M`.
    maritime_km
        Link regions without a land border whose outlines are within this distance (0 to
        :data:`MAX_MARITIME_KM`). ``None`` or 0 disables maritime links, including the
        nearest-region rule.

    Returns
    -------
    pandas.DataFrame
        Columns ``source, target, kind, shared_border_km, distance_km``; one row per unordered
        pair with ``source < target``, sorted by ``(source, target)``.
    """
    if tolerance_m is None or not 0 <= tolerance_m <= MAX_TOLERANCE_M:
        raise InputError(
            "errors.adjacency.tolerance", value=str(tolerance_m), limit=MAX_TOLERANCE_M
        )
    if maritime_km is not None and not 0 <= maritime_km <= MAX_MARITIME_KM:
        raise InputError("errors.adjacency.maritime", value=str(maritime_km), limit=MAX_MARITIME_KM)
    ids, geoms = _arrays(regions)
    if len(ids) < 2:
        return _empty()
    # every predicate below runs on prepared geometries (same results); they are released after,
    # so the memory they hold is not kept for the rest of a run
    fresh = ~shapely.is_prepared(geoms)
    shapely.prepare(geoms)
    try:
        tree = shapely.STRtree(geoms)
        lat_max = float(np.abs(shapely.bounds(geoms)[:, [1, 3]]).max())
        seg = _segments(geoms)
        land, queen = _land(ids, geoms, tree, rook, float(tolerance_m), seg, lat_max)
        sea = _maritime(ids, geoms, tree, land, queen, seg, maritime_km, lat_max)
    finally:
        shapely.destroy_prepared(geoms[fresh])
    frames = [f for f in (land, sea) if len(f)]
    if not frames:
        return _empty()
    edges = pd.concat(frames, ignore_index=True).astype(
        {
            "source": object,
            "target": object,
            "kind": object,
            "shared_border_km": float,
            "distance_km": float,
        }
    )
    return edges.sort_values(["source", "target"], kind="stable").reset_index(drop=True)[COLUMNS]


def to_graph(edges: pd.DataFrame, ids) -> Graph:  # libpysal imported lazily (slow import)
    """A binary :class:`libpysal.graph.Graph` of the edge table over ``ids`` (isolates kept).

    Parameters
    ----------
    edges
        Output of :func:`adjacency_edges` (any ``kind``; filter first to use one kind only).
    ids
        Every region code; the graph is ordered by the sorted codes. Regions without an edge are
        isolates (a zero-weight self-loop, as in libpysal).
    """
    from libpysal.graph import Graph

    ids = np.sort(np.asarray(pd.Index(ids).astype(str).unique(), dtype=object))
    pos = pd.Series(np.arange(len(ids)), index=ids)
    src = edges["source"].astype(str).to_numpy()
    tgt = edges["target"].astype(str).to_numpy()
    unknown = sorted(set(src[~np.isin(src, ids)]) | set(tgt[~np.isin(tgt, ids)]))
    if unknown:
        raise InputError("errors.adjacency.unknown_regions", codes=", ".join(unknown[:10]))
    focal = np.concatenate([src, tgt])
    neighbor = np.concatenate([tgt, src])
    weight = np.ones(len(focal))
    isolated = ids[~np.isin(ids, focal)]
    focal = np.concatenate([focal, isolated])
    neighbor = np.concatenate([neighbor, isolated])
    weight = np.concatenate([weight, np.zeros(len(isolated))])
    order = np.lexsort((pos[neighbor].to_numpy(), pos[focal].to_numpy()))
    adjacency = pd.Series(
        weight[order],
        index=pd.MultiIndex.from_arrays(
            [focal[order], neighbor[order]], names=["focal", "neighbor"]
        ),
        name="weight",
    )
    return Graph(adjacency, transformation="B", is_sorted=True)
