"""Metric lengths and distances for geometries stored in longitude/latitude (EPSG:4326).

Indonesia spans about 95°E–141°E (six UTM zones, 46–54) and 11°S–6°N, so no single UTM zone is
right for the whole country. kerjasama keeps every geometry in EPSG:4326 and measures in metres
with two small, documented tools instead of one projected CRS:

* **Lengths** (shared borders): each segment is measured on the WGS 84 ellipsoid with the local
  radii of curvature at its mid-latitude, ``dN = M(φ) Δφ`` and ``dE = N(φ) cos φ Δλ``. For the
  short segments of boundary data (metres to a few kilometres) this is the geodesic length to
  better than 1e-6 relative (measured against :class:`pyproj.Geod`, see ``docs/geo.md``).
* **Distances** between polygons (maritime links, gap tolerance): the two outlines (clipped to
  the area that can hold the nearest points) are projected to World Mercator (EPSG:3395). Mercator
  is conformal, so the nearest points found there are the nearest points on the ground up to the
  change of the scale factor ``k = sec φ · sqrt(1 - e² sin² φ)`` across the gap (k varies by less
  than 0.2 % over 30 km at 11°S). The distance reported is then the **geodesic** length
  (:meth:`pyproj.Geod.inv`, WGS 84) between those two points, so the only error is the choice of
  the nearest pair, measured at under 0.01 % on real pairs (``docs/geo.md``).
* **Candidate searches** run in degree space with a conservative conversion
  (:func:`metres_to_degrees`): a pair that is within ``d`` metres is always within the converted
  distance in degrees, so a search never misses a pair; the exact test above then decides.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod, Transformer

WGS84 = "EPSG:4326"
MERCATOR = "EPSG:3395"  # World Mercator (ellipsoidal, conformal)

_A = 6378137.0  # WGS 84 semi-major axis (m)
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)  # first eccentricity squared

GEOD = Geod(ellps="WGS84")
_TO_MERC = Transformer.from_crs(WGS84, MERCATOR, always_xy=True)
_FROM_MERC = Transformer.from_crs(MERCATOR, WGS84, always_xy=True)


def radii_m(lat_deg: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Meridional (M) and prime-vertical (N) radii of curvature of WGS 84 at ``lat_deg``."""
    s2 = np.sin(np.radians(lat_deg)) ** 2
    w = np.sqrt(1.0 - _E2 * s2)
    return _A * (1.0 - _E2) / w**3, _A / w


def mercator_scale(lat_deg: np.ndarray | float) -> np.ndarray:
    """Scale factor of World Mercator (EPSG:3395) at ``lat_deg``: projected / true length."""
    phi = np.radians(lat_deg)
    return np.sqrt(1.0 - _E2 * np.sin(phi) ** 2) / np.cos(phi)


def metres_to_degrees(metres: np.ndarray | float, max_abs_lat: np.ndarray | float) -> np.ndarray:
    """An upper bound, in degrees of lon/lat space, of a ground distance of ``metres``.

    Valid for every point with ``|lat| <= max_abs_lat``: the smallest ground length of one degree
    there is ``min(M(0), N cos(max_abs_lat)) * pi / 180``.
    """
    lat = np.minimum(np.abs(max_abs_lat), 89.0)
    m0, _ = radii_m(0.0)
    _, n = radii_m(lat)
    per_degree = np.minimum(m0, n * np.cos(np.radians(lat))) * np.pi / 180
    return np.asarray(metres, dtype=float) / per_degree


def segment_lengths_m(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
    """Ellipsoidal length in metres of lon/lat segments (local radii at the mid-latitude)."""
    m, n = radii_m((y0 + y1) / 2.0)
    dn = m * np.radians(y1 - y0)
    de = n * np.cos(np.radians((y0 + y1) / 2.0)) * np.radians(x1 - x0)
    return np.hypot(dn, de)


def line_lengths_m(geoms: np.ndarray) -> np.ndarray:
    """Length in metres of each lon/lat (multi)line or polygon boundary in ``geoms``.

    Polygons are measured along their boundary. Missing or empty geometries have length 0.
    """
    geoms = np.asarray(geoms, dtype=object)
    out = np.zeros(len(geoms))
    if len(geoms) == 0:
        return out
    lines = np.where(shapely.get_dimensions(geoms) == 2, shapely.boundary(geoms), geoms)
    parts, owner = shapely.get_parts(lines, return_index=True)
    if len(parts) == 0:
        return out
    coords, part_idx = shapely.get_coordinates(parts, return_index=True)
    same = part_idx[:-1] == part_idx[1:]
    lengths = segment_lengths_m(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    seg_owner = owner[part_idx[:-1][same]]
    np.add.at(out, seg_owner, lengths[same])
    return out


def to_mercator(geoms: np.ndarray) -> np.ndarray:
    """Project lon/lat geometries to World Mercator (EPSG:3395)."""
    return shapely.transform(geoms, lambda xy: np.column_stack(_TO_MERC.transform(*xy.T)))


def from_mercator(geoms: np.ndarray) -> np.ndarray:
    """Inverse of :func:`to_mercator`."""
    return shapely.transform(geoms, lambda xy: np.column_stack(_FROM_MERC.transform(*xy.T)))


def geodesic_m(
    lon0: np.ndarray, lat0: np.ndarray, lon1: np.ndarray, lat1: np.ndarray
) -> np.ndarray:
    """Geodesic distance in metres on WGS 84 between lon/lat point arrays."""
    if np.size(lon0) == 0:
        return np.zeros(0)
    _, _, dist = GEOD.inv(lon0, lat0, lon1, lat1)
    return np.asarray(dist, dtype=float)


def clip_each(geoms: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Clip ``geoms[k]`` to the rectangle ``boxes[k]`` = (xmin, ymin, xmax, ymax).

    One vectorised GEOS call (the ``clip_by_rect`` ufunc broadcasts per-row rectangles; the
    public wrapper accepts only one rectangle); a loop where that ufunc is not available.
    """
    geoms = np.asarray(geoms, dtype=object)
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if len(geoms) == 0:
        return np.zeros(0, dtype=object)
    try:
        return np.asarray(shapely.lib.clip_by_rect(geoms, *boxes.T), dtype=object)
    except (AttributeError, TypeError):  # pragma: no cover - older shapely
        return np.array(
            [shapely.clip_by_rect(g, *box) for g, box in zip(geoms, boxes.tolist(), strict=True)],
            dtype=object,
        )


def nearest_distance_m(
    a: np.ndarray, b: np.ndarray, search_m: np.ndarray, *, return_points: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Ground distance in metres between lon/lat geometries ``a[i]`` and ``b[i]``.

    Parameters
    ----------
    a, b
        Equal-length arrays of lon/lat geometries.
    search_m
        Per pair, an upper bound of the distance. Each outline is clipped to the other's
        bounding box grown by this bound before the nearest points are found, which keeps the
        exact computation small on full-detail coastlines. Pairs farther apart than the bound
        return a value above the bound (or ``inf``).
    return_points
        Also return the nearest points as an ``(n, 4)`` array ``lon0, lat0, lon1, lat1`` (NaN
        for intersecting pairs and pairs beyond the bound).

    Returns
    -------
    numpy.ndarray
        Geodesic distance (m) between the nearest points found in World Mercator; 0 for
        intersecting pairs.
    """
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    out = np.full(len(a), np.inf)
    points = np.full((len(a), 4), np.nan)
    if len(a) == 0:
        return (out, points) if return_points else out
    touching = shapely.intersects(a, b)
    out[touching] = 0.0
    todo = np.flatnonzero(~touching)
    if len(todo) == 0:
        return (out, points) if return_points else out
    ba = shapely.bounds(a[todo])
    bb = shapely.bounds(b[todo])
    lat_max = np.maximum(np.abs(ba[:, [1, 3]]).max(axis=1), np.abs(bb[:, [1, 3]]).max(axis=1))
    grow = metres_to_degrees(np.broadcast_to(search_m, len(a))[todo], lat_max)
    ca = clip_each(shapely.boundary(a[todo]), bb + grow[:, None] * [-1, -1, 1, 1])
    cb = clip_each(shapely.boundary(b[todo]), ba + grow[:, None] * [-1, -1, 1, 1])
    ok = ~(shapely.is_empty(ca) | shapely.is_empty(cb))
    if not ok.any():
        return (out, points) if return_points else out
    lines = shapely.shortest_line(to_mercator(ca[ok]), to_mercator(cb[ok]))
    ends = shapely.get_coordinates(from_mercator(lines)).reshape(-1, 2, 2)
    dist = geodesic_m(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
    out[todo[ok]] = dist
    points[todo[ok]] = ends.reshape(-1, 4)
    return (out, points) if return_points else out
