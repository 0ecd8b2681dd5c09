"""A small made-up province built in code: six square kab/kota and their indicator table.

Used by the command-line robustness tests: real files on disk (GeoJSON + CSV), fast to read.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

CODES = ["6401", "6402", "6403", "6404", "6405", "6406"]
NAMES = ["Kabupaten Satu", "Kabupaten Dua", "Kota Tiga", "Kabupaten Empat", "Kota Lima", "Enam"]


def write_tiny(folder: Path, names: list[str] | None = None, **columns) -> tuple[Path, Path]:
    """Write ``boundaries.geojson`` and ``indicators.csv`` into ``folder``; return both paths.

    A 3 x 2 grid of 0.2-degree squares in Kalimantan Timur (province 64); ``names`` replaces the
    region names in both files; ``columns`` adds or replaces indicator columns.
    """
    names = list(names or NAMES)
    cells = [
        box(116 + 0.2 * (i % 3), -1 + 0.2 * (i // 3), 116.2 + 0.2 * (i % 3), -0.8 + 0.2 * (i // 3))
        for i in range(6)
    ]
    regions = gpd.GeoDataFrame({"code": CODES, "name": names}, geometry=cells, crs="EPSG:4326")
    boundaries = folder / "boundaries.geojson"
    regions.to_file(boundaries, driver="GeoJSON")
    table = pd.DataFrame(
        {
            "code": CODES,
            "name": names,
            "water_access_pct_2024": [95.0, 60.0, 55.0, 90.0, 50.0, 65.0],
            "grdp_adhb_per_capita_million_idr_2024_derived": [300.0, 80, 70, 200, 60, 90],
            "population_bps_2024": [250000, 120000, 80000, 150000, 50000, 70000],
            "density_per_km2_2024_derived": [50.0, 24, 1600, 30, 1000, 14],
            **columns,
        }
    )
    indicators = folder / "indicators.csv"
    table.to_csv(indicators, index=False)
    return boundaries, indicators


def suggest_args(boundaries: Path, indicators: Path, *extra: str) -> list[str]:
    """``kerjasama suggest`` on the tiny files, sector water, province 64, English."""
    return [
        "--lang", "en", "suggest",
        "--boundaries", str(boundaries), "--indicators", str(indicators),
        "--boundary-key", "code", "--indicator-key", "code",
        "--sector", "water", "--province", "64", *extra,
    ]  # fmt: skip
