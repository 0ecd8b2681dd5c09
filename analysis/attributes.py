"""Static attributes of member sets: what geometry, links and seats say, before any data.

For every enumerated set (:func:`analysis.candidates.enumerate_sets`) this module computes, once,
vectorised over sets:

* member links as **bit masks** (bit ``k`` of ``links[s, j]``: members ``j`` and ``k`` of set
  ``s`` are linked): any link used, land borders only (``land``), and over-land links
  (``overland`` = land borders and voluntary links, the links no sea rule applies to);
* how many members each member reaches in one or two hops (``direct``, ``within2``);
* the shared land border and the members' perimeters (cohesion);
* the maritime links inside each set, sparse (:class:`MaritimeLinks`);
* the **seat distance** of every member pair (``pair_km``, ellipsoidal km between the seats of
  government; the road detour factor is applied by the model);
* flags: ``land_connected`` (members connected by land borders alone: the wajib indication),
  ``voluntary`` (the set is connected only through a voluntary, non-bordering link),
  ``cross_province``.

Seat distances are measured only for region pairs that can share a set (within
``width - 1`` links of each other), found with a matrix power, and then looked up for
every set: a national kecamatan run measures ~0.2 million distances, not ~20 million.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analysis.candidates import edge_positions

#: Number of set bits of every uint8 value.
POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int8)
#: Edge kinds, in the order of the pair table's kind codes (0 = no link).
KINDS = ("land", "maritime", "voluntary")


@dataclass(frozen=True)
class MaritimeLinks:
    """The maritime links inside the sets, one entry per linked member pair (sparse).

    ``row`` (sorted) is the set row, ``i < j`` the member columns, ``km`` the link's distance.
    """

    row: np.ndarray
    i: np.ndarray
    j: np.ndarray
    km: np.ndarray

    def of(self, s: int) -> slice:
        """The entries of set row ``s``."""
        lo, hi = np.searchsorted(self.row, [s, s + 1])
        return slice(int(lo), int(hi))

    def take(self, keep: np.ndarray) -> MaritimeLinks:
        """The entries of the set rows kept by the boolean mask ``keep``, renumbered."""
        new_row = np.cumsum(keep) - 1
        sel = keep[self.row]
        return MaritimeLinks(new_row[self.row[sel]], self.i[sel], self.j[sel], self.km[sel])


@dataclass(frozen=True)
class SetAttributes:
    """Per-set arrays that depend on geometry, links and seats only (cache them).

    See the module docstring. ``pair_km[s, p]`` is the seat distance of the ``p``-th member pair
    of :func:`member_pairs` (NaN where a member is padding).
    """

    sets: np.ndarray
    size: np.ndarray
    links: np.ndarray
    land: np.ndarray
    overland: np.ndarray
    direct: np.ndarray
    within2: np.ndarray
    border_km: np.ndarray
    perimeter_km: np.ndarray
    pair_km: np.ndarray
    maritime: MaritimeLinks
    maritime_links: np.ndarray
    land_connected: np.ndarray
    voluntary: np.ndarray
    cross_province: np.ndarray

    def rows(self, lo: int, hi: int) -> SetAttributes:
        """The sets ``lo:hi`` (views; maritime rows renumbered from 0)."""
        part = {f.name: getattr(self, f.name)[lo:hi] for f in fields(self) if f.name != "maritime"}
        a, b = np.searchsorted(self.maritime.row, [lo, hi])
        mar = self.maritime
        sea = MaritimeLinks(mar.row[a:b] - lo, mar.i[a:b], mar.j[a:b], mar.km[a:b])
        return SetAttributes(**part, maritime=sea)

    def linked(self, s: int) -> np.ndarray:
        """Boolean (size, size) link matrix of set row ``s``."""
        k = int(self.size[s])
        bits = self.links[s, :k].astype(np.int64)
        return ((bits[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)


def member_pairs(width: int) -> list[tuple[int, int]]:
    """Column pairs ``(i, j)``, ``i < j``, of a set array of ``width`` columns."""
    return [(i, j) for i in range(width) for j in range(i + 1, width)]


def bit(values: np.ndarray, k: int) -> np.ndarray:
    """Bit ``k`` of each value, as booleans."""
    return ((values >> k) & 1).astype(bool)


def closure(masks: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Members reachable from the bit mask ``start`` through the link ``masks`` (m, width)."""
    reach = start.astype(np.uint8)
    for _ in range(masks.shape[1] - 1):
        grown = reach.copy()
        for k in range(masks.shape[1]):
            grown |= np.where(bit(reach, k), masks[:, k], 0).astype(np.uint8)
        reach = grown
    return reach


def full_masks(size: np.ndarray) -> np.ndarray:
    """The bit mask of all members of each set."""
    return ((1 << size.astype(np.int64)) - 1).astype(np.uint8)


#: Up to this many regions the pair table is a dense matrix power (a province, all kab/kota of
#: Indonesia: ~4 MB, milliseconds, and no scipy import); beyond it a sparse one (kecamatan).
DENSE_PAIRS_MAX = 1024


def _pair_table(u: np.ndarray, v: np.ndarray, n: int, width: int) -> np.ndarray:
    """Sorted keys ``a * n + b`` (a < b) of every region pair within ``width - 1`` links."""
    if n == 0 or len(u) == 0:
        return np.zeros(0, dtype=np.int64)
    if n <= DENSE_PAIRS_MAX:
        step = np.eye(n, dtype=np.float32)
        step[u, v] = step[v, u] = 1.0
        power = step
        for _ in range(max(width - 2, 0)):
            power = (power @ step > 0).astype(np.float32)
        row, col = np.nonzero(np.triu(power, 1))
        return np.unique(row.astype(np.int64) * n + col.astype(np.int64))
    from scipy.sparse import coo_array, identity

    a = coo_array((np.ones(2 * len(u), np.float32), (np.r_[u, v], np.r_[v, u])), shape=(n, n))
    step = (a.tocsr() + identity(n, dtype=np.float32, format="csr")).astype(bool).astype(np.float32)
    power = step
    for _ in range(max(width - 2, 0)):
        power = (power @ step).astype(bool).astype(np.float32)
    coo = power.tocoo()
    keep = coo.row < coo.col
    return np.unique(coo.row[keep].astype(np.int64) * n + coo.col[keep].astype(np.int64))


def set_attributes(
    sets: np.ndarray,
    edges: pd.DataFrame,
    ids: Sequence[str],
    *,
    perimeter_km: np.ndarray,
    province: np.ndarray,
    kinds: Sequence[str] = ("land", "maritime"),
    seat_km: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> SetAttributes:
    """Compute the static attributes of every set (vectorised over sets).

    Parameters
    ----------
    sets
        Output of :func:`analysis.candidates.enumerate_sets` on the same ``edges``, ``ids``.
    perimeter_km, province
        Per-region arrays aligned with ``sorted(ids)``.
    kinds
        Edge kinds used (``land``, ``maritime``, ``voluntary``).
    seat_km
        ``seat_km(a, b)``: seat distance in km between regions at positions ``a`` and ``b``
        (e.g. :func:`geo.seats.seat_distances_km`); None = 0 (no seats known).
    """
    n = len(ids)
    m, width = sets.shape
    if width > 8:
        raise ValueError("sets of more than 8 members do not fit the uint8 link masks")
    u, v, rows = edge_positions(edges, ids, kinds=kinds)
    kind = edges["kind"].to_numpy()[rows]
    border = (
        pd.to_numeric(edges["shared_border_km"], errors="coerce").to_numpy(float)[rows]
        if "shared_border_km" in edges
        else np.zeros(len(rows))
    )
    dist = (
        pd.to_numeric(edges["distance_km"], errors="coerce").to_numpy(float)[rows]
        if "distance_km" in edges
        else np.zeros(len(rows))
    )
    edge_key = u * n + v
    # One link per pair: land before maritime before voluntary.
    rank = np.select([kind == "land", kind == "maritime"], [0, 1], 2)
    order = np.lexsort((rank, edge_key))
    edge_key, kind, border, dist = edge_key[order], kind[order], border[order], dist[order]
    first = np.r_[True, edge_key[1:] != edge_key[:-1]] if len(edge_key) else np.zeros(0, bool)
    edge_key, kind, border, dist = edge_key[first], kind[first], border[first], dist[first]

    # The pair table: every pair that can share a set, with its link (if any) and seat distance.
    keys = np.union1d(_pair_table(u, v, n, width), edge_key)
    # searching int32 keys is about twice as fast as int64 (fits up to ~46,000 regions)
    key_type = np.int32 if n * n < 2**31 else np.int64
    keys = keys.astype(key_type)
    at = np.searchsorted(keys, edge_key)
    link = np.zeros(len(keys), dtype=np.int8)
    link[at] = np.select([kind == "land", kind == "maritime"], [1, 2], 3)
    pair_border = np.zeros(len(keys))
    pair_border[at] = np.where(kind == "land", np.nan_to_num(border), 0.0)
    sea_km = np.zeros(len(keys), dtype=np.float32)
    sea_km[at] = dist
    if seat_km is not None and len(keys):
        seat = np.asarray(seat_km(keys // n, keys % n), dtype=np.float32)
    else:
        seat = np.zeros(len(keys), dtype=np.float32)

    pairs = member_pairs(width)
    links = np.zeros((m, width), dtype=np.uint8)
    land = np.zeros((m, width), dtype=np.uint8)
    overland = np.zeros((m, width), dtype=np.uint8)
    wet = np.zeros((m, width), dtype=np.uint8)  # land or maritime: connectivity without voluntary
    border_km = np.zeros(m)
    pair_km = np.full((m, len(pairs)), np.nan, dtype=np.float32)
    mar_rows, mar_i, mar_j, mar_km = [], [], [], []
    for p, (i, j) in enumerate(pairs):
        a, b = sets[:, i], sets[:, j]
        valid = (a >= 0) & (b >= 0)
        if not len(keys):
            continue
        k = np.where(valid, a.astype(key_type) * key_type(n) + b, -1).astype(key_type)
        pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        found = valid & (keys[pos] == k)
        kind_code = np.where(found, link[pos], 0)
        pair_km[:, p] = np.where(found, seat[pos], np.nan)
        for mask, hit in (
            (links, kind_code > 0),
            (land, kind_code == 1),
            (overland, (kind_code == 1) | (kind_code == 3)),
            (wet, (kind_code == 1) | (kind_code == 2)),
        ):
            mask[:, i] |= hit.astype(np.uint8) << j
            mask[:, j] |= hit.astype(np.uint8) << i
        border_km += np.where(kind_code == 1, pair_border[pos], 0.0)
        sea = np.flatnonzero(kind_code == 2)
        mar_rows.append(sea)
        mar_i.append(np.full(len(sea), i, dtype=np.int8))
        mar_j.append(np.full(len(sea), j, dtype=np.int8))
        mar_km.append(sea_km[pos[sea]])

    present = sets >= 0
    size = present.sum(axis=1).astype(np.int8)
    full = full_masks(size)
    two = links.copy()
    for j in range(width):
        for k in range(width):
            if k != j:
                two[:, j] |= np.where(bit(links[:, j], k), links[:, k], 0).astype(np.uint8)
        two[:, j] &= ~np.uint8(1 << j)
    start = np.ones(m, dtype=np.uint8)  # member 0
    land_connected = (closure(land, start) & full) == full
    voluntary = (closure(wet, start) & full) != full

    # column by column: no (sets x width) temporaries of floats or objects
    perimeter_km = np.asarray(perimeter_km, float)
    _, prov_code = np.unique(np.asarray(province, dtype=str), return_inverse=True)
    perim = np.zeros(m)
    cross = np.zeros(m, dtype=bool)
    first = prov_code[np.maximum(sets[:, 0], 0)] if m else np.zeros(0, np.int64)
    for j in range(width):
        col = sets[:, j]
        here = col >= 0
        safe = np.maximum(col, 0)
        perim += np.where(here, perimeter_km[safe], 0.0)
        cross |= here & (prov_code[safe] != first)
    mar_row = _concat(mar_rows, np.int64).astype(np.int64)
    order = np.argsort(mar_row, kind="stable")
    maritime = MaritimeLinks(
        mar_row[order],
        _concat(mar_i, np.int8)[order],
        _concat(mar_j, np.int8)[order],
        _concat(mar_km, np.float32)[order],
    )
    return SetAttributes(
        sets=sets,
        size=size,
        links=links,
        land=land,
        overland=overland,
        direct=POPCOUNT[links],
        within2=POPCOUNT[two],
        border_km=border_km,
        perimeter_km=perim,
        pair_km=pair_km,
        maritime=maritime,
        maritime_links=np.bincount(maritime.row, minlength=m).astype(np.int8),
        land_connected=land_connected,
        voluntary=voluntary,
        cross_province=cross,
    )


def subset_attributes(attrs: SetAttributes, keep: np.ndarray) -> SetAttributes:
    """The attributes of the sets selected by a boolean mask."""
    keep = np.asarray(keep, dtype=bool)
    values = {
        f.name: getattr(attrs, f.name)[keep] for f in fields(SetAttributes) if f.name != "maritime"
    }
    return SetAttributes(**values, maritime=attrs.maritime.take(keep))


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)
