"""Seats of government (ibu kota): one point per region, and distances between them.

The seat table is a CSV next to the boundary file, named ``<boundary stem>_seats.csv`` (the
bundled ``data/boundaries/idn_adm2_seats.csv`` sits next to ``idn_adm2.parquet``; the development
folder has the same file next to ``idn_adm2.gpkg``); a caller may name another file. It is joined
to the regions **by code** (``code``, else ``code_dot``, normalised like every region code). The
point is ``kec_lon``/``kec_lat`` — the centroid of the kecamatan holding the seat, the
licence-clean point of the bundled table (``docs/data.md``); a table without those columns may
give ``lon``/``lat`` instead.

A region without a seat row gets its polygon's **representative point**
(``shapely.point_on_surface``: always inside the polygon, unlike a centroid, which can fall
outside a crescent or an archipelago). :class:`Seats` says which points were estimated, so the
output can say so.

Distances: :func:`seat_distances_km` is the ellipsoidal (WGS 84, :class:`pyproj.Geod`) distance
between seats, vectorised; the road detour factor is applied by the model (``analysis``), not
here. :func:`voluntary_edges` links regions whose seats lie within a distance though they share no
border (PP 28/2018 allows cooperation between non-bordering regions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from common.errors import InputError
from common.text import Listing
from geo.codes import normalize_codes
from geo.crs import geodesic_m, metres_to_degrees

SEATS_SUFFIX = "_seats.csv"
#: Point columns, in order of preference.
POINT_COLUMNS = (("kec_lon", "kec_lat"), ("lon", "lat"))
CODE_COLUMNS = ("code", "code_dot")
#: A seat farther than this from its own region's polygon is refused (a mis-joined table).
MAX_OUTSIDE_KM = 5.0
#: Largest seat table read (bytes); a seat table of 100,000 kecamatan is about 15 MB.
MAX_BYTES = 64 * 1024 * 1024
EDGE_COLUMNS = ["source", "target", "kind", "shared_border_km", "distance_km"]


@dataclass(frozen=True)
class Seats:
    """Seat points of the regions (Series indexed like the regions, index ``code``).

    Attributes
    ----------
    lon, lat
        The seat point (EPSG:4326).
    estimated
        True where no seat row was found and the representative point is used.
    source
        The seat table read (None when every point is estimated).
    """

    lon: pd.Series
    lat: pd.Series
    estimated: pd.Series
    source: str | None = None

    @property
    def n_estimated(self) -> int:
        """Number of regions whose seat point is estimated."""
        return int(self.estimated.sum())

    def reindex(self, codes) -> Seats:
        """The seats of ``codes`` in that order."""
        codes = list(codes)
        return Seats(
            self.lon.reindex(codes),
            self.lat.reindex(codes),
            self.estimated.reindex(codes),
            self.source,
        )


def seat_table_candidates(
    boundaries: str | Path | None, fallback_name: str | None = None
) -> list[Path]:
    """Where the seat table of a boundary file is looked for, in order: ``<stem>_seats.csv`` in
    its folder, then ``fallback_name`` in that folder (existing or not)."""
    if not boundaries:
        return []
    path = Path(boundaries)
    names = dict.fromkeys(n for n in (path.stem + SEATS_SUFFIX, fallback_name) if n)
    return [path.parent / name for name in names]


def seats_path(boundaries: str | Path | None, fallback_name: str | None = None) -> Path | None:
    """The seat table for a boundary file: the first of :func:`seat_table_candidates` that
    exists; None when none does."""
    return next((p for p in seat_table_candidates(boundaries, fallback_name) if p.is_file()), None)


def representative_points(regions) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each region's polygon (lon, lat arrays, in the order of ``regions``)."""
    points = shapely.point_on_surface(np.asarray(regions.geometry.values))
    return shapely.get_x(points), shapely.get_y(points)


def _read_table(path: Path) -> pd.DataFrame:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError("errors.seats.too_big", file=path, limit=MAX_BYTES // (1024 * 1024))
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except InputError:
        raise
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as err:
        raise InputError("errors.seats.unreadable", file=path, error=err) from None


def read_seats(regions, path: str | Path | None = None) -> Seats:
    """Seat points of ``regions`` from the table at ``path`` (None: every point estimated).

    Raises
    ------
    InputError
        Naming the file and the row or code: no code column, no point columns, a coordinate that
        is not a number or out of range, a code given twice, a seat far outside its region.
    """
    codes = pd.Index(regions.index.astype(str), name="code")
    rep_lon, rep_lat = representative_points(regions)
    lon = pd.Series(rep_lon, index=codes, dtype=float)
    lat = pd.Series(rep_lat, index=codes, dtype=float)
    estimated = pd.Series(True, index=codes)
    if path is None:
        return Seats(lon, lat, estimated, None)
    path = Path(path)
    table = _read_table(path)
    code_col = next((c for c in CODE_COLUMNS if c in table.columns), None)
    points = next((p for p in POINT_COLUMNS if set(p) <= set(table.columns)), None)
    if code_col is None or points is None:
        raise InputError(
            "errors.seats.columns",
            file=path,
            codes=Listing(CODE_COLUMNS, last="or"),
            points=Listing([f"{a}/{b}" for a, b in POINT_COLUMNS], last="or"),
            found=Listing(list(table.columns)[:12]),
        )
    table_codes = normalize_codes(table[code_col])
    xs = pd.to_numeric(table[points[0]].str.strip(), errors="coerce")
    ys = pd.to_numeric(table[points[1]].str.strip(), errors="coerce")
    bad = table_codes.isna() | ~np.isfinite(xs) | ~np.isfinite(ys) | (xs.abs() > 180)
    bad |= ys.abs() > 90
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            "errors.seats.bad_row",
            file=path,
            row=row + 2,  # header is line 1
            code=repr(table[code_col].iloc[row]),
            lon=repr(table[points[0]].iloc[row]),
            lat=repr(table[points[1]].iloc[row]),
        )
    twice = table_codes[table_codes.duplicated()]
    if len(twice):
        raise InputError(
            "errors.seats.duplicate", file=path, codes=Listing(sorted(set(twice))[:10])
        )
    found = pd.DataFrame({"lon": xs.to_numpy(), "lat": ys.to_numpy()}, index=table_codes)
    found = found.reindex(codes).dropna()
    if len(found):
        geoms = np.asarray(regions.geometry.values)[codes.get_indexer(found.index)]
        inside = shapely.contains_xy(geoms, found["lon"].to_numpy(), found["lat"].to_numpy())
        if not inside.all():
            pts = shapely.points(found["lon"].to_numpy()[~inside], found["lat"].to_numpy()[~inside])
            line = shapely.shortest_line(geoms[~inside], pts)
            ends = shapely.get_coordinates(line).reshape(-1, 2, 2)
            gap_km = geodesic_m(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1]) / 1000
            far = gap_km > MAX_OUTSIDE_KM
            if far.any():
                away = found.index[~inside][far]
                raise InputError(
                    "errors.seats.outside",
                    file=path,
                    codes=Listing(list(away[:5])),
                    n=int(far.sum()),
                    km=MAX_OUTSIDE_KM,
                )
        lon.loc[found.index] = found["lon"]
        lat.loc[found.index] = found["lat"]
        estimated.loc[found.index] = False
    return Seats(lon, lat, estimated, str(path))


def seat_distances_km(seats: Seats, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Ellipsoidal distance (km) between the seats at positions ``a`` and ``b`` (arrays of
    positions into ``seats``' order)."""
    x, y = seats.lon.to_numpy(float), seats.lat.to_numpy(float)
    return geodesic_m(x[a], y[a], x[b], y[b]) / 1000.0


def voluntary_edges(seats: Seats, edges: pd.DataFrame, km: float) -> pd.DataFrame:
    """Links between regions whose seats lie within ``km`` (ellipsoidal) but that have no edge
    in ``edges``: ``kind = "voluntary"``, ``distance_km`` = the seat distance.

    Returns
    -------
    DataFrame
        The columns of :func:`geo.adjacency.adjacency_edges`, ``source < target``, sorted.
    """
    codes = np.asarray(seats.lon.index.astype(str), dtype=object)
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    x = seats.lon.to_numpy(float)[order]
    y = seats.lat.to_numpy(float)[order]
    if km is None or km <= 0 or len(codes) < 2:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EDGE_COLUMNS})
    points = shapely.points(x, y)
    tree = shapely.STRtree(points)
    reach = float(metres_to_degrees(km * 1000.0, np.abs(y).max()))
    i, j = tree.query(points, predicate="dwithin", distance=reach)
    keep = i < j
    i, j = i[keep], j[keep]
    dist = geodesic_m(x[i], y[i], x[j], y[j]) / 1000.0
    near = dist <= km
    i, j, dist = i[near], j[near], dist[near]
    known = set(
        zip(
            np.minimum(edges["source"].astype(str), edges["target"].astype(str)),
            np.maximum(edges["source"].astype(str), edges["target"].astype(str)),
            strict=True,
        )
    )
    new = np.array([(codes[a], codes[b]) not in known for a, b in zip(i, j, strict=True)], bool)
    out = pd.DataFrame(
        {
            "source": codes[i[new]],
            "target": codes[j[new]],
            "kind": "voluntary",
            "shared_border_km": 0.0,
            "distance_km": np.round(dist[new], 3),
        },
        columns=EDGE_COLUMNS,
    )
    return out.sort_values(["source", "target"], kind="mergesort").reset_index(drop=True)
