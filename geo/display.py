"""Display geometry: a light copy of the boundaries for drawing (map, briefing maps).

Pure geometry, no presentation: coverage-preserving simplification with tiny islets dropped and
coordinates rounded, and a label point inside each region. The analysis geometry is never changed.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def display_tolerance(regions: gpd.GeoDataFrame) -> float:
    """Simplification tolerance in degrees: 1/2500 of the larger side of the bounding box.

    About 2 km for all Indonesia, 250 m for Kalimantan Timur: a pixel or less at the zoom that
    shows the whole scope.
    """
    minx, miny, maxx, maxy = regions.total_bounds
    extent = max(maxx - minx, maxy - miny, 1e-6)
    return float(extent / 2500.0)


def display_digits(tolerance: float) -> int:
    """Decimals kept for a simplification tolerance (degrees): 4 from 0.001° up, else 5."""
    return 4 if tolerance >= 0.001 else 5


def drop_small_parts(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """Remove polygon parts smaller than ``min_area`` (square degrees), keeping each
    geometry's largest part; returns MultiPolygons aligned with ``geoms``."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    area = shapely.area(parts)
    largest = pd.Series(area).groupby(owner).transform("max").to_numpy() == area
    keep = (area >= min_area) | largest
    return shapely.multipolygons(parts[keep], indices=owner[keep])


def display_regions(
    regions: gpd.GeoDataFrame, *, tolerance: float | None = None, digits: int | None = None
) -> gpd.GeoDataFrame:
    """Return a light copy of ``regions`` for drawing in the browser.

    Parts smaller than ``(2 * tolerance)²`` square degrees are dropped unless they are a region's
    largest part, the rest is simplified as a coverage (shared borders stay shared, no gaps
    open between neighbours) and coordinates are rounded to ``digits`` decimals.

    Parameters
    ----------
    regions
        Boundaries in EPSG:4326, index ``code``, with ``name`` (and ``province`` if known).
    tolerance
        Simplification tolerance in degrees (default :func:`display_tolerance`).
    digits
        Decimals kept (default :func:`display_digits` of the tolerance).

    Returns
    -------
    GeoDataFrame
        Same index and order, columns ``name``, ``province``, ``geometry``.
    """
    tol = display_tolerance(regions) if tolerance is None else float(tolerance)
    ndigits = display_digits(tol) if digits is None else digits
    kept = drop_small_parts(np.asarray(regions.geometry.values), (2.0 * tol) ** 2)
    try:
        simple = shapely.coverage_simplify(kept, tol)
    except shapely.errors.GEOSException:  # not a valid coverage (overlaps): simplify one by one
        simple = shapely.simplify(kept, tol, preserve_topology=True)
    rounded = shapely.transform(simple, lambda xy: np.round(xy, ndigits))
    bad = ~shapely.is_valid(rounded)
    if bad.any():
        rounded[bad] = shapely.make_valid(rounded[bad], method="structure", keep_collapsed=False)
    out = gpd.GeoDataFrame(
        {
            "name": regions["name"].astype(str).to_numpy()
            if "name" in regions
            else regions.index.astype(str),
            "province": regions["province"].astype(str).to_numpy() if "province" in regions else "",
        },
        geometry=rounded,
        index=regions.index.copy(),
        crs=regions.crs,
    )
    out.index.name = "code"
    return out


def label_points(display: gpd.GeoDataFrame) -> pd.DataFrame:
    """A point inside each region (``lon``, ``lat``), indexed like ``display``."""
    points = shapely.point_on_surface(np.asarray(display.geometry.values))
    return pd.DataFrame(
        {"lon": shapely.get_x(points), "lat": shapely.get_y(points)}, index=display.index
    )
