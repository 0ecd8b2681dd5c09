"""Read kabupaten/kota boundary files into one canonical GeoDataFrame.

:func:`read_boundaries` accepts what planners receive: an ESRI Shapefile (or a ``.zip`` holding
one), a GeoPackage or a GeoJSON file, and GeoParquet (the repository's bundled default data). It
detects the region code and name fields, normalises the codes (:func:`geo.codes.normalize_code`),
reprojects to EPSG:4326, repairs invalid geometries and refuses, with a message naming the file,
the feature and the fix, whatever it cannot use. The user's files are only read, never written; a
zip is extracted into a temporary folder.
"""

from __future__ import annotations

import os
import struct
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from common.errors import InputError, MissingDataError
from common.text import Listing, Msg
from geo.codes import normalize_code, normalize_codes
from geo.crs import WGS84
from geo.safezip import safe_extract

#: Region code fields tried in order (case-insensitive) when ``id_field`` is not given.
ID_FIELDS = (
    "code",
    "code_dot",
    "kode",
    "kode_kab",
    "kode_kabkota",
    "kd_kab",
    "kdpkab",
    "kdbbps",
    "kdcpum",
    "kode_bps",
    "bps_code",
    "kemendagri_code",
    "adm2_pcode",
    "id_kab",
    "kab_code",
    "regency_code",
    "pcode",
    "id",
)
#: Region name fields tried in order (case-insensitive) when ``name_field`` is not given.
NAME_FIELDS = (
    "name",
    "nama",
    "nama_kab",
    "nama_kabkota",
    "namobj",
    "wadmkk",
    "adm2_en",
    "adm2_id",
    "kab_name",
    "regency",
    "kabupaten",
    "nm_kab",
)
#: Province code fields tried in order (case-insensitive).
PROVINCE_FIELDS = (
    "province_code",
    "prov_code",
    "kode_prov",
    "kd_prov",
    "kdppum",
    "kdpprov",
    "adm1_pcode",
    "prov_id",
)
FORMATS = {
    ".shp": "ESRI Shapefile",
    ".gpkg": "GeoPackage",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".parquet": "GeoParquet",
}
_POLYGONAL = ("Polygon", "MultiPolygon")
_MAX_LISTED = 10


def _listing(items: list) -> Listing:
    return Listing(items, limit=_MAX_LISTED)


def _sibling(path: Path, ext: str) -> Path | None:
    """The file next to ``path`` with the same stem and extension ``ext`` (any letter case)."""
    for candidate in (path.with_suffix(ext), path.with_suffix(ext.upper())):
        if candidate.is_file():
            return candidate
    for candidate in path.parent.glob(path.stem + ".*"):
        if candidate.suffix.lower() == ext and candidate.is_file():
            return candidate
    return None


def _check_shapefile(path: Path, shown: object) -> bool:
    """Refuse a Shapefile with missing parts or a truncated .shp; return whether it has a .prj."""
    missing = [ext for ext in (".shx", ".dbf") if _sibling(path, ext) is None]
    if missing:
        raise InputError(
            "errors.boundaries.shp_incomplete_one"
            if len(missing) == 1
            else "errors.boundaries.shp_incomplete_many",
            file=shown,
            missing=Listing(missing, last="and"),
        )
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or struct.unpack(">i", header[:4])[0] != 9994:
        raise InputError("errors.boundaries.shp_header", file=shown)
    declared = struct.unpack(">i", header[24:28])[0] * 2
    if size < declared:
        raise InputError("errors.boundaries.truncated", file=shown, declared=declared, size=size)
    return _sibling(path, ".prj") is not None


def _pick_layer(path: Path, shown: object, layer: str | None) -> str | None:
    try:
        layers = pyogrio.list_layers(path)
    except Exception as err:  # GDAL raises several types for unreadable files
        raise InputError("errors.boundaries.gpkg_unreadable", file=shown, error=err) from None
    names = [str(name) for name, _ in layers]
    if layer is not None:
        if layer not in names:
            raise InputError(
                "errors.boundaries.no_layer", file=shown, layer=layer, layers=_listing(names)
            )
        return layer
    polygonal = [str(n) for n, kind in layers if kind and "polygon" in str(kind).lower()]
    if len(polygonal) == 1:
        return polygonal[0]
    if not polygonal:
        raise InputError(
            "errors.boundaries.no_polygon_layer",
            file=shown,
            layers=_listing(names) if names else Msg("common.none"),
        )
    raise InputError("errors.boundaries.several_layers", file=shown, layers=_listing(polygonal))


def _read_geoparquet(path: Path, shown: object) -> gpd.GeoDataFrame:
    """A GeoParquet file (GDAL's Parquet driver is not in pyogrio's wheels, so pyarrow reads it)."""
    import pyarrow.parquet as pq

    if b"geo" not in (pq.read_schema(path).metadata or {}):
        raise InputError("errors.data.parquet_no_geometry", file=shown)
    return gpd.read_parquet(path)


def _read_file(path: Path, shown: object, layer: str | None) -> tuple[gpd.GeoDataFrame, str | None]:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError("errors.boundaries.format", file=shown, suffix=path.suffix)
    has_prj = True
    if suffix == ".shp":
        has_prj = _check_shapefile(path, shown)
    elif suffix == ".gpkg":
        layer = _pick_layer(path, shown, layer)
    try:
        if suffix == ".parquet":
            gdf = _read_geoparquet(path, shown)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                gdf = pyogrio.read_dataframe(path, layer=layer, on_invalid="warn")
    except InputError:
        raise
    except Exception as err:
        raise InputError(
            "errors.boundaries.unreadable", file=shown, format=FORMATS[suffix], error=err
        ) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf:
        raise InputError("errors.boundaries.no_geometry", file=shown)
    if suffix == ".shp" and not has_prj:
        gdf = gdf.set_crs(None, allow_override=True)
    return gdf, layer


def _find_in_extracted(folder: Path, source: Path) -> Path:
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith("._")
    )
    shp = [p for p in found if p.suffix.lower() == ".shp"]
    pick = shp or found
    if len(pick) == 1:
        return pick[0]
    names = [str(p.relative_to(folder)) for p in pick]
    if not pick:
        raise InputError("errors.boundaries.zip_empty", file=source)
    raise InputError("errors.boundaries.zip_several", file=source, files=_listing(names))


def _column(gdf: pd.DataFrame, wanted: str) -> str | None:
    lower = {str(c).lower(): c for c in gdf.columns if c != gdf.geometry.name}
    return lower.get(wanted.lower())


def _code_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


_FEATURE_KEYS = {
    (False, False): "errors.boundaries.feature",
    (True, False): "errors.boundaries.feature_code",
    (False, True): "errors.boundaries.feature_name",
    (True, True): "errors.boundaries.feature_code_name",
}


def _describe(
    gdf: pd.DataFrame, rows: np.ndarray, codes: pd.Series | None, names: pd.Series | None
) -> list[Msg]:
    """``feature N code C (name)`` for each row position (1-based feature numbers)."""
    out = []
    for r in rows:
        code = codes.iloc[r] if codes is not None else None
        name = names.iloc[r] if names is not None else None
        has_name = isinstance(name, str)
        out.append(
            Msg(_FEATURE_KEYS[(code is not None, has_name)], n=int(r) + 1, code=code, name=name)
        )
    return out


def _duplicates_error(
    shown: object, field: str, codes: pd.Series, names: pd.Series | None
) -> InputError:
    dup = codes[codes.duplicated(keep=False) & codes.notna()]
    groups = []
    for code in sorted(dup.unique()):
        rows = np.flatnonzero((codes == code).to_numpy())
        who = [
            Msg("errors.boundaries.feature_plain", n=int(r) + 1, name=str(names.iloc[r]))
            if names is not None
            else Msg("errors.boundaries.feature", n=int(r) + 1)
            for r in rows
        ]
        groups.append(Msg("errors.boundaries.duplicate_group", code=code, features=Listing(who)))
    return InputError(
        "errors.boundaries.duplicate_codes", file=shown, field=field, groups=_listing(groups)
    )


def _choose_id(
    gdf: pd.DataFrame, shown: object, id_field: str | None, names: pd.Series | None
) -> tuple[str, pd.Series]:
    if id_field is not None:
        col = _column(gdf, id_field)
        if col is None:
            raise InputError(
                "errors.boundaries.no_field",
                file=shown,
                field=id_field,
                fields=_listing(_fields(gdf)),
            )
        candidates = [col]
    else:
        candidates = [c for c in (_column(gdf, f) for f in ID_FIELDS) if c is not None]
        if not candidates:
            raise InputError(
                "errors.boundaries.no_code_field",
                file=shown,
                tried=", ".join(ID_FIELDS[:8]),
                fields=_listing(_fields(gdf)),
            )
    first_problem = None
    for col in candidates:
        codes = normalize_codes(gdf[col])
        missing = np.flatnonzero(codes.isna().to_numpy())
        if len(missing):
            problem = InputError(
                "errors.boundaries.codes_missing",
                file=shown,
                field=str(col),
                features=_listing(_describe(gdf, missing, None, names)),
            )
        elif codes.duplicated().any():
            problem = _duplicates_error(shown, col, codes, names)
        else:
            return str(col), codes
        first_problem = first_problem or problem
    raise first_problem


def _fields(gdf: pd.DataFrame) -> list[str]:
    return [str(c) for c in gdf.columns if c != gdf.geometry.name]


def _choose_name(gdf: pd.DataFrame, shown: object, name_field: str | None) -> str | None:
    if name_field is not None:
        col = _column(gdf, name_field)
        if col is None:
            raise InputError(
                "errors.boundaries.no_field",
                file=shown,
                field=name_field,
                fields=_listing(_fields(gdf)),
            )
        return str(col)
    for wanted in NAME_FIELDS:
        col = _column(gdf, wanted)
        if col is not None and not pd.api.types.is_numeric_dtype(gdf[col]):
            return str(col)
    return None


def _fix_crs(gdf: gpd.GeoDataFrame, shown: object, repairs: list[Msg]) -> gpd.GeoDataFrame:
    bounds = gdf.total_bounds
    lonlat = bool(
        np.all(np.isfinite(bounds))
        and -180 <= bounds[0] <= bounds[2] <= 180
        and -90 <= bounds[1] <= bounds[3] <= 90
    )
    first = shapely.get_coordinates(gdf.geometry.values[:1])
    example = (
        Msg("errors.boundaries.example_xy", x=float(first[0, 0]), y=float(first[0, 1]))
        if len(first)
        else Msg("common.none")
    )
    if gdf.crs is None:
        if not lonlat:
            raise InputError("errors.boundaries.no_prj_projected", file=shown, example=example)
        inside = bounds[0] >= 85 and bounds[2] <= 150 and bounds[1] >= -20 and bounds[3] <= 15
        repairs.append(
            Msg(
                "repairs.boundaries.assumed_wgs84"
                if inside
                else "repairs.boundaries.assumed_wgs84_outside",
                file=shown,
                west=float(bounds[0]),
                east=float(bounds[2]),
                south=float(bounds[1]),
                north=float(bounds[3]),
            )
        )
        return gdf.set_crs(WGS84)
    if not CRS(gdf.crs).equals(CRS(WGS84), ignore_axis_order=True):
        try:
            gdf = gdf.to_crs(WGS84)
        except Exception as err:
            raise InputError(
                "errors.boundaries.reproject", file=shown, crs=str(gdf.crs), error=err
            ) from None
        bounds = gdf.total_bounds
        lonlat = bool(
            np.all(np.isfinite(bounds))
            and -180 <= bounds[0] <= bounds[2] <= 180
            and -90 <= bounds[1] <= bounds[3] <= 90
        )
    if not lonlat:
        raise InputError(
            "errors.boundaries.crs_mismatch", file=shown, example=example, crs=gdf.crs.to_string()
        )
    return gdf.set_crs(WGS84, allow_override=True)


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p))
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _check_geometries(
    gdf: gpd.GeoDataFrame, shown: object, codes: pd.Series, names: pd.Series | None
) -> np.ndarray:
    """Refuse missing, empty and non-polygon geometries; return them in 2D."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = missing | shapely.is_empty(np.where(missing, shapely.Point(), geoms))
    if empty.any():
        raise InputError(
            "errors.boundaries.empty_geometry",
            file=shown,
            features=_listing(_describe(gdf, np.flatnonzero(empty), codes, names)),
        )
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    kinds = shapely.get_type_id(geoms)
    bad = ~np.isin(kinds, (3, 6))
    if bad.any():
        rows = np.flatnonzero(bad)
        described = [
            Msg("errors.boundaries.feature_type", feature=d, type=geoms[r].geom_type)
            for d, r in zip(_describe(gdf, rows, codes, names), rows, strict=True)
        ]
        raise InputError("errors.boundaries.not_polygon", file=shown, features=_listing(described))
    return geoms


def _repair(
    geoms: np.ndarray,
    gdf: pd.DataFrame,
    shown: object,
    codes: pd.Series,
    names: pd.Series | None,
    repairs: list[Msg],
) -> np.ndarray:
    geoms = geoms.copy()
    invalid = np.flatnonzero(~shapely.is_valid(geoms))
    if len(invalid):
        reasons = shapely.is_valid_reason(geoms[invalid])
        try:
            fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        except (TypeError, ValueError, shapely.errors.GEOSException):  # GEOS < 3.10
            fixed = shapely.make_valid(geoms[invalid])
        for k, r in enumerate(invalid):
            poly = _polygonal_part(fixed[k])
            where = _describe(gdf, np.array([r]), codes, names)[0]
            if shapely.is_empty(poly):
                raise InputError(
                    "errors.boundaries.invalid_no_area",
                    file=shown,
                    feature=where,
                    reason=reasons[k],
                )
            repairs.append(
                Msg(
                    "repairs.boundaries.made_valid"
                    if shapely.get_type_id(fixed[k]) in (3, 6)
                    else "repairs.boundaries.made_valid_dropped",
                    file=shown,
                    feature=where,
                    reason=reasons[k],
                )
            )
            geoms[r] = poly
    return geoms


def read_boundaries(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    id_field: str | None = None,
    name_field: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a kab/kota boundary file into a canonical GeoDataFrame.

    Parameters
    ----------
    path
        Shapefile (``.shp`` or a ``.zip`` holding one), GeoPackage, GeoJSON or GeoParquet.
    layer
        GeoPackage layer; needed only when the file has several polygon layers.
    id_field, name_field
        Region code and name fields; detected when not given (see :data:`ID_FIELDS`,
        :data:`NAME_FIELDS`; the first code field whose normalised values are all present and
        unique is used).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index ``code`` (canonical code, sorted), columns ``code_raw`` (original code
        as text), ``name``, ``province`` (canonical province code), every original attribute,
        ``geometry`` (valid Polygon/MultiPolygon). ``attrs["kerjasama"]`` holds ``source``,
        ``layer``, ``id_field``, ``name_field``, ``crs_original`` and ``repairs``.

    Raises
    ------
    MissingDataError
        The file does not exist.
    InputError
        The file cannot be used; the message names the file, the feature or code and the fix.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingDataError("errors.boundaries.not_found", file=path)
    if path.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="kerjasama-zip-") as tmp:
            folder = safe_extract(path, tmp)
            inner = _find_in_extracted(folder, path)
            shown: object = Msg(
                "errors.boundaries.zip_member",
                file=path,
                member=inner.relative_to(folder).as_posix(),
            )
            gdf, layer = _read_file(inner, shown, layer)
    else:
        shown = str(path)
        gdf, layer = _read_file(path, shown, layer)
    if len(gdf) == 0:
        raise InputError("errors.boundaries.no_features", file=shown)

    repairs: list[Msg] = []
    name_col = _choose_name(gdf, shown, name_field)
    names = gdf[name_col].astype(object).where(gdf[name_col].notna(), None) if name_col else None
    id_col, codes = _choose_id(gdf, shown, id_field, names)
    crs_original = gdf.crs.to_string() if gdf.crs is not None else None
    geoms = _check_geometries(gdf, shown, codes, names)
    gdf = gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=geoms, crs=gdf.crs)
    gdf = _fix_crs(gdf, shown, repairs)  # reproject first: reprojection can break validity
    gdf = gdf.set_geometry(
        _repair(np.asarray(gdf.geometry.values, dtype=object), gdf, shown, codes, names, repairs),
        crs=gdf.crs,
    )

    province = None
    for wanted in PROVINCE_FIELDS:
        col = _column(gdf, wanted)
        if col is not None:
            province = normalize_codes(gdf[col])
            break
    fallback = codes.str[:2]
    province = fallback if province is None else province.where(province.notna(), fallback)

    out = gdf.copy()
    out.insert(0, "code_raw", [_code_text(v) for v in gdf[id_col]])
    if name_col is None:
        name_values = codes.to_numpy(dtype=object)
        repairs.append(Msg("repairs.boundaries.no_name_field", file=shown))
    else:
        raw = gdf[name_col]
        name_values = np.where(raw.notna(), raw.astype(str), codes).astype(object)
        if raw.isna().any():
            rows = np.flatnonzero(raw.isna().to_numpy())
            repairs.append(
                Msg(
                    "repairs.boundaries.no_name",
                    file=shown,
                    features=_listing(_describe(gdf, rows, codes, None)),
                )
            )
    for column, values, where in (("name", name_values, 1), ("province", province, 2)):
        values = np.asarray(values, dtype=object)
        if column in out.columns and not (column == "name" and name_col == "name"):
            # keep the user's own column under another name, never silently lose it
            out.insert(where, f"{column}_original", out.pop(column))
            repairs.append(Msg("repairs.boundaries.column_kept", file=shown, column=column))
        if column in out.columns:
            out[column] = values
        else:
            out.insert(where, column, values)
    out.index = pd.Index(codes.to_numpy(dtype=object), name="code")
    out = out.sort_index(kind="stable")
    out.attrs["kerjasama"] = {
        "source": str(path),
        "layer": layer,
        "id_field": id_col,
        "name_field": name_col,
        "crs_original": crs_original,
        "repairs": repairs,
    }
    return out


def provinces(regions: pd.DataFrame) -> dict[str, str]:
    """``{province code: name}`` of the regions' provinces, sorted by code.

    The name comes from a ``province_name`` column when the boundary file has one, else it is
    the code.
    """
    codes = regions["province"].astype(str)
    names = (
        regions["province_name"].astype(str)
        if "province_name" in regions
        else pd.Series(codes.to_numpy(), index=regions.index)
    )
    first = pd.DataFrame({"code": codes.to_numpy(), "name": names.to_numpy()})
    first = first.drop_duplicates("code").sort_values("code")
    return dict(zip(first["code"], first["name"], strict=True))


__all__ = [
    "read_boundaries",
    "provinces",
    "normalize_code",
    "ID_FIELDS",
    "NAME_FIELDS",
    "PROVINCE_FIELDS",
]
