"""Boundary files in the layouts planners actually have, written by the tests (geometry in code).

Each builder writes a small file of one lineage with the fields and quirks of that lineage:

* :func:`gadm` — a GADM 3.6 export of Kalimantan Timur (before 2012/2013): ``CC_2`` BPS codes of
  that time, ``NAME_2`` without Kabupaten/Kota, ``TYPE_2``/``ENGTYPE_2``, the five Kalimantan Utara
  regions still under 64, Kutai Barat with Mahakam Ulu inside, plus two features of other
  provinces as GADM writes them (an abbreviated ``Tanjung Jabung T``, the former ``Pontianak``),
  a Kabupaten and a Kota of the same name (Bogor) and a lake typed as a Kabupaten.
* :func:`big` — a BIG geoservice export dissolved to kab/kota: ``KDPKAB`` Kemendagri code,
  ``WADMKK`` name, ``NAMOBJ`` the name of one village of each region, unique village and
  kecamatan codes, a province-level row and an ``Area Tidak Terdefinisi`` row.
* :func:`names_only` — a geoBoundaries-like file with names and no code field.
* :func:`papua_2021` — Kemendagri codes from before the 2022 Papua split (Papua Selatan under 91).

Regions are laid out as a row of adjacent boxes (so every neighbour pair shares a border).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box


def _boxes(n: int, x0: float = 115.0, y0: float = 0.0, size: float = 0.5) -> list:
    return [box(x0 + k * size, y0, x0 + (k + 1) * size, y0 + size) for k in range(n)]


# GADM 3.6, Kalimantan Timur before UU 20/2012 and UU 2/2013: (NAME_2, TYPE_2, CC_2 old BPS code)
GADM_KALTIM = [
    ("Paser", "Kabupaten", "6401"),
    ("Kutai Barat", "Kabupaten", "6402"),
    ("Kutai Kartanegara", "Kabupaten", "6403"),
    ("Kutai Timur", "Kabupaten", "6404"),
    ("Berau", "Kabupaten", "6405"),
    ("Malinau", "Kabupaten", "6406"),
    ("Bulungan", "Kabupaten", "6407"),
    ("Nunukan", "Kabupaten", "6408"),
    ("Penajam Paser Utara", "Kabupaten", "6409"),
    ("Tana Tidung", "Kabupaten", "6410"),
    ("Balikpapan", "Kota", "6471"),
    ("Samarinda", "Kota", "6472"),
    ("Tarakan", "Kota", "6473"),
    ("Bontang", "Kota", "6474"),
]
#: Features of other provinces, as GADM writes them (NAME_1, NAME_2, TYPE_2, CC_2).
GADM_OTHERS = [
    ("Jambi", "Tanjung Jabung T", "Kabupaten", "1506"),
    ("Kalimantan Barat", "Pontianak", "Kabupaten", "6104"),
    ("Jawa Barat", "Bogor", "Kabupaten", "3201"),
    ("Jawa Barat", "Bogor", "Kota", "3271"),
    ("Gorontalo", "Danau Limboto", "Kabupaten", None),
]


def gadm(folder: Path, *, others: bool = True) -> Path:
    """A GADM 3.6-style GeoPackage (layer ``IDN_2``)."""
    rows = [("Kalimantan Timur", *r) for r in GADM_KALTIM]
    if others:
        rows += GADM_OTHERS
    n = len(rows)
    frame = gpd.GeoDataFrame(
        {
            "GID_0": ["IDN"] * n,
            "NAME_0": ["Indonesia"] * n,
            "GID_1": [f"IDN.{k % 7 + 1}_1" for k in range(n)],
            "NAME_1": [r[0] for r in rows],
            "NL_NAME_1": [None] * n,
            "GID_2": [f"IDN.{k % 7 + 1}.{k + 1}_1" for k in range(n)],
            "NAME_2": [r[1] for r in rows],
            "VARNAME_2": [None] * n,
            "NL_NAME_2": [None] * n,
            "TYPE_2": [r[2] for r in rows],
            "ENGTYPE_2": [{"Kabupaten": "Regency", "Kota": "City"}[r[2]] for r in rows],
            "CC_2": [r[3] for r in rows],
            "HASC_2": [f"ID.KI.{r[1][:2].upper()}" for r in rows],
        },
        geometry=_boxes(n),
        crs="EPSG:4326",
    )
    path = folder / "gadm36_IDN_2.gpkg"
    frame.to_file(path, layer="IDN_2", engine="pyogrio")
    return path


# BIG RBI kab/kota of Kalimantan Timur (current): KDPKAB, WADMKK, a village as NAMOBJ
BIG_KALTIM = [
    ("64.01", "Paser", "Tanah Grogot", "64.01.01", "64.01.01.2001"),
    ("64.02", "Kutai Kartanegara", "Loa Kulu Kota", "64.02.01", "64.02.01.1001"),
    ("64.03", "Berau", "Tanjung Redeb", "64.03.01", "64.03.01.1001"),
    ("64.07", "Kutai Barat", "Barong Tongkok", "64.07.01", "64.07.01.2001"),
    ("64.08", "Kutai Timur", "Sangatta Utara", "64.08.01", "64.08.01.1001"),
    ("64.09", "Penajam Paser Utara", "Penajam", "64.09.01", "64.09.01.1001"),
    ("64.11", "Mahakam Ulu", "Ujoh Bilang", "64.11.01", "64.11.01.2001"),
    ("64.71", "Kota Balikpapan", "Klandasan Ilir", "64.71.01", "64.71.01.1001"),
    ("64.72", "Kota Samarinda", "Sungai Pinang Dalam", "64.72.01", "64.72.01.1001"),
    ("64.74", "Kota Bontang", "Bontang Baru", "64.74.01", "64.74.01.1001"),
]


def big(folder: Path) -> Path:
    """A BIG geoservice-style Shapefile dissolved to kab/kota, with its two non-region rows."""
    rows = [(*r, "Kalimantan Timur") for r in BIG_KALTIM]
    rows += [
        ("64", None, "Kalimantan Timur", None, None, "Kalimantan Timur"),  # province-level row
        (None, None, "Area Tidak Terdefinisi", None, None, None),
    ]
    n = len(rows)
    frame = gpd.GeoDataFrame(
        {
            "NAMOBJ": [r[2] for r in rows],
            "FCODE": ["BA03070040"] * n,
            "REMARK": ["Batas Desa/Kelurahan"] * n,
            "KDCPUM": [r[3] for r in rows],
            "KDEPUM": [r[4] for r in rows],
            "KDPKAB": [r[0] for r in rows],
            "KDPPUM": ["64"] * (n - 1) + [None],
            "TIPADM": [4] * n,
            "WADMKD": [r[2] for r in rows],
            "WADMKK": [r[1] for r in rows],
            "WADMPR": [r[5] for r in rows],
            "LUASWH": [float(1000 + k) for k in range(n)],
        },
        geometry=_boxes(n),
        crs="EPSG:4326",
    )
    path = folder / "batas_kabkota_big.shp"
    frame.to_file(path, driver="ESRI Shapefile", engine="pyogrio")
    return path


NAMES_ONLY = [
    "Paser",
    "Kutai Kartanegara",
    "Berau",
    "Kutai Barat",
    "Kutai Timur",
    "Penajam Paser Utara",
    "Mahakam Ulu",
    "Kota Balikpapan",
    "Kota Samarinda",
    "Kota Bontang",
]


def names_only(folder: Path, names: list[str] | None = None) -> Path:
    """A geoBoundaries-style GeoJSON: shapeName, shapeISO, shapeID, shapeGroup, shapeType."""
    names = NAMES_ONLY if names is None else names
    n = len(names)
    frame = gpd.GeoDataFrame(
        {
            "shapeName": names,
            "shapeISO": [None] * n,
            "shapeID": [f"IDN-ADM2-3_0_0-B{k + 1}" for k in range(n)],
            "shapeGroup": ["IDN"] * n,
            "shapeType": ["ADM2"] * n,
        },
        geometry=_boxes(n),
        crs="EPSG:4326",
    )
    path = folder / "geoBoundaries-IDN-ADM2.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


# Kemendagri codes before UU 14/2022 (Papua Selatan) and UU 15/2022 (Papua Tengah)
PAPUA_2021 = [
    ("91.01", "Kabupaten Merauke"),
    ("91.16", "Kabupaten Boven Digoel"),
    ("91.17", "Kabupaten Mappi"),
    ("91.18", "Kabupaten Asmat"),
    ("91.09", "Kabupaten Mimika"),
    ("91.03", "Kabupaten Jayapura"),
    ("91.71", "Kota Jayapura"),
]


def papua_2021(folder: Path) -> Path:
    """Papua as coded before the 2022 split (Kemendagri codes, names with type words)."""
    n = len(PAPUA_2021)
    frame = gpd.GeoDataFrame(
        {
            "kode": [c for c, _ in PAPUA_2021],
            "nama": [name for _, name in PAPUA_2021],
            "provinsi": ["Papua"] * n,
        },
        geometry=_boxes(n, x0=138.0, y0=-7.0),
        crs="EPSG:4326",
    )
    path = folder / "papua_2021.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path
