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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from common.errors import InputError, MissingDataError
from common.shared import SharedInfo
from common.text import Listing, Msg, Option
from geo.codes import normalize_code, normalize_codes
from geo.crs import WGS84
from geo.fields import (
    ID_FIELDS,
    NAME_FIELDS,
    PROVINCE_FIELDS,
    Fields,
    detect_fields,
    header_code_fields,
    kinds_of,
    province_of,
)
from geo.names import name_key, non_region, province_key
from geo.reference import EDITION, by_code, lookup, province_codes
from geo.reference import provinces as province_names
from geo.safezip import safe_extract
from geo.vintages import detect

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
    raise InputError(
        "errors.boundaries.several_layers",
        file=shown,
        layers=_listing(polygonal),
        fix=Option("layer"),
    )


def _read_geoparquet(path: Path, shown: object) -> gpd.GeoDataFrame:
    """A GeoParquet file (GDAL's Parquet driver is not in pyogrio's wheels, so pyarrow reads it)."""
    import pyarrow.parquet as pq

    if b"geo" not in (pq.read_schema(path).metadata or {}):
        raise InputError("errors.data.parquet_no_geometry", file=shown)
    return gpd.read_parquet(path)


def _read_file(
    path: Path, shown: object, layer: str | None, bbox: tuple | None = None
) -> tuple[gpd.GeoDataFrame, str | None]:
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
                gdf = pyogrio.read_dataframe(path, layer=layer, bbox=bbox, on_invalid="warn")
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


def boundary_file_in(folder: Path, source: Path) -> Path:
    """The one boundary file of an extracted zip (``source`` names the zip in messages)."""
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


def _geometry_column(gdf: pd.DataFrame) -> str | None:
    return gdf.geometry.name if isinstance(gdf, gpd.GeoDataFrame) else None


def _column(gdf: pd.DataFrame, wanted: str) -> str | None:
    lower = {str(c).lower(): c for c in gdf.columns if c != _geometry_column(gdf)}
    return lower.get(wanted.lower())


def _fields(gdf: pd.DataFrame) -> list[str]:
    return [str(c) for c in gdf.columns if c != _geometry_column(gdf)]


def _named_field(gdf: pd.DataFrame, shown: object, wanted: str | None) -> str | None:
    """The column the user named (any letter case); refuse a name that is not a field."""
    if wanted is None:
        return None
    col = _column(gdf, wanted)
    if col is None:
        raise InputError(
            "errors.boundaries.no_field", file=shown, field=wanted, fields=_listing(_fields(gdf))
        )
    return str(col)


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


def _duplicates(field: str, codes: pd.Series, names: pd.Series | None) -> Msg:
    dup = codes[codes.duplicated(keep=False) & codes.notna()]
    groups = []
    for code in sorted(dup.unique()):
        rows = np.flatnonzero((codes == code).to_numpy())
        who = [
            Msg("errors.boundaries.feature_plain", n=int(r) + 1, name=str(names.iloc[r]))
            if names is not None and isinstance(names.iloc[r], str)
            else Msg("errors.boundaries.feature", n=int(r) + 1)
            for r in rows
        ]
        groups.append(Msg("errors.boundaries.duplicate_group", code=code, features=Listing(who)))
    return Msg(
        "errors.boundaries.item.duplicate_codes",
        field=field,
        groups=_listing(groups),
        option=Option("id_field"),
    )


_NON_REGION_KEYS = {
    "water": "errors.boundaries.non_region_water",
    "undefined": "errors.boundaries.non_region_undefined",
    "province": "errors.boundaries.non_region_province",
    "empty": "errors.boundaries.non_region_empty",
}


def _non_regions(
    gdf: pd.DataFrame,
    fields: Fields,
    names: pd.Series | None,
    kinds: pd.Series,
    codes: pd.Series | None,
) -> pd.Series:
    """Why each feature is no kab/kota (``water``/``undefined``/``province``/``empty``), or None."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = missing | shapely.is_empty(np.where(missing, shapely.Point(), geoms))
    texts = [c for c in _fields(gdf) if pd.api.types.is_string_dtype(gdf[c])]
    known_provinces = province_names()
    name_list = list(names) if names is not None else [None] * len(gdf)
    code_list = list(codes) if codes is not None else [None] * len(gdf)
    lengths = pd.Series([len(c) for c in code_list if c is not None], dtype=int)
    level = int(lengths.mode().iloc[0]) if len(lengths) else 0  # 4: a kab/kota file
    text_values = {column: list(gdf[column]) for column in texts}
    out: list[str | None] = []
    for r, (name, kind, code) in enumerate(zip(name_list, kinds, code_list, strict=True)):
        why = non_region(name) if isinstance(name, str) else None
        if why is None and kind in ("water", "province"):
            why = kind
        if why is None and isinstance(name, str):
            says, key = province_key(name)
            if says or (key in known_provinces and not lookup(name, kind)):
                why = "province"
        if why is None and code is not None and len(code) == 2 < level:
            why = "province" if code in province_codes() else None
        if why is None and not isinstance(name, str):
            # no kab/kota name: look at the other text fields (BIG "Area Tidak Terdefinisi")
            for values in text_values.values():
                if isinstance(values[r], str) and non_region(values[r]) == "undefined":
                    why = "undefined"
                    break
        if why is None and empty[r]:
            why = "empty"
        out.append(why)
    reason = pd.Series(out, index=gdf.index, dtype=object)
    return reason


def _codes_from_names(
    names: pd.Series, kinds: pd.Series, provinces_hint: pd.Series | None
) -> tuple[pd.Series, list[int], list[tuple[int, list[str]]]]:
    """Current Kemendagri codes by name; positions of unknown and of ambiguous names."""
    ref = by_code()
    out = pd.Series(None, index=names.index, dtype=object)
    unknown: list[int] = []
    ambiguous: list[tuple[int, list[str]]] = []
    for r, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        found = lookup(name, kind if kind in ("kabupaten", "kota") else None)
        hint = provinces_hint.iloc[r] if provinces_hint is not None else None
        if len(found) > 1 and hint is not None:
            narrowed = [c for c in found if ref[c].province == hint]
            found = narrowed or found
        if len(found) == 1:
            out.iloc[r] = found[0]
        elif not found:
            unknown.append(r)
        else:
            ambiguous.append((r, found))
    return out, unknown, ambiguous


def _geometry_problems(
    gdf: gpd.GeoDataFrame, codes: pd.Series | None, names: pd.Series | None
) -> tuple[np.ndarray, list[Msg]]:
    """The geometries in 2D, and the problems of empty and non-polygon ones."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    problems: list[Msg] = []
    missing = shapely.is_missing(geoms)
    empty = missing | shapely.is_empty(np.where(missing, shapely.Point(), geoms))
    if empty.any():
        problems.append(
            Msg(
                "errors.boundaries.item.empty_geometry",
                features=_listing(_describe(gdf, np.flatnonzero(empty), codes, names)),
            )
        )
    present = ~empty
    filled = np.where(present, geoms, shapely.Point())
    if shapely.has_z(filled).any():
        geoms = np.where(present, shapely.force_2d(filled), geoms)
        filled = np.where(present, geoms, shapely.Point())
    kinds = np.where(present, shapely.get_type_id(filled), 3)
    bad = ~np.isin(kinds, (3, 6))
    if bad.any():
        rows = np.flatnonzero(bad)
        described = [
            Msg("errors.boundaries.feature_type", feature=d, type=geoms[r].geom_type)
            for d, r in zip(_describe(gdf, rows, codes, names), rows, strict=True)
        ]
        problems.append(Msg("errors.boundaries.item.not_polygon", features=_listing(described)))
    return geoms, problems


#: Above this many coordinates the validity check runs on two threads (GEOS releases the GIL):
#: all Indonesia's kab/kota (1.6 million coordinates) take ~0.75 s on one core.
PARALLEL_VALIDITY_COORDS = 200_000


def _is_valid(geoms: np.ndarray) -> np.ndarray:
    """``shapely.is_valid`` of every geometry; a large file's in two halves, on two threads."""
    coords = np.cumsum(shapely.get_num_coordinates(geoms))
    if len(geoms) < 2 or coords[-1] < PARALLEL_VALIDITY_COORDS or (os.cpu_count() or 1) < 2:
        return shapely.is_valid(geoms)
    half = int(np.searchsorted(coords, coords[-1] / 2)) + 1
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(shapely.is_valid, (geoms[:half], geoms[half:])))
    return np.concatenate(parts)


def _repair(
    geoms: np.ndarray,
    gdf: pd.DataFrame,
    shown: object,
    codes: pd.Series,
    names: pd.Series | None,
    repairs: list[Msg],
    problems: list[Msg],
) -> np.ndarray:
    geoms = geoms.copy()
    invalid = np.flatnonzero(~_is_valid(geoms))
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
                problems.append(
                    Msg("errors.boundaries.item.invalid_no_area", feature=where, reason=reasons[k])
                )
                continue
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


def _raise_all(shown: object, problems: list) -> None:
    """Raise one error listing every problem of the file (nothing when there is none)."""
    if len(problems) == 1:
        raise InputError("errors.boundaries.problem_one", file=shown, problem=problems[0])
    if problems:
        raise InputError(
            "errors.boundaries.problems",
            file=shown,
            n=len(problems),
            problems=Listing(problems, sep="\n  - "),
        )


def _typed_names(names: pd.Series, kinds: pd.Series) -> tuple[pd.Series, int]:
    """Names with the type word from the type field when the name has none."""
    words = {"kabupaten": "Kabupaten", "kota": "Kota"}
    out = names.copy()
    added = 0
    for r, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        if isinstance(name, str) and kind in words and name_key(name)[0] is None:
            out.iloc[r] = f"{words[kind]} {name.strip()}"
            added += 1
    return out, added


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


def read_boundaries(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    id_field: str | None = None,
    name_field: str | None = None,
    keep_non_regions: bool = False,
    bbox: tuple[float, float, float, float] | None = None,
    known_valid: bool = False,
) -> gpd.GeoDataFrame:
    """Read a kab/kota boundary file into a canonical GeoDataFrame.

    Parameters
    ----------
    path
        Shapefile (``.shp`` or a ``.zip`` holding one), GeoPackage, GeoJSON or GeoParquet.
    layer
        GeoPackage layer; needed only when the file has several polygon layers.
    id_field, name_field
        Region code and name fields; detected by their content when not given
        (:func:`geo.fields.detect_fields`). A file without any code field is read when its
        names identify every region in the current Kemendagri list (codes are then taken from
        the list, and ``attrs["kerjasama"]["codes_from_names"]`` is True).
    keep_non_regions
        Keep features that are not a kab/kota (lakes, province rows, undefined areas): by
        default they are set aside and listed in ``attrs["kerjasama"]["set_aside"]``.
    bbox
        Read only the features whose envelope meets this box (``minx, miny, maxx, maxy`` in the
        file's CRS; see :func:`province_bounds`). Not applied inside a zip or to GeoParquet.
    known_valid
        The caller has proven that every geometry of this very file is valid as read (after
        any reprojection), e.g. by a sha256 recorded when it was checked
        (:func:`kerjasama.derived.proven_valid`): the validity check, which would find nothing
        to repair, is skipped. Every other check runs. The result is the same.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index ``code`` (canonical code, sorted), columns ``code_raw`` (original code
        as text), ``name`` (with the type word from a type field when the name has none),
        ``province`` (canonical province code), every original attribute, ``geometry`` (valid
        Polygon/MultiPolygon). ``attrs["kerjasama"]`` holds ``source``, ``layer``,
        ``id_field``, ``name_field``, ``type_field``, ``province_field``, ``code_system``
        (``"kemendagri"``, ``"bps"`` or None), ``codes_from_names``, ``fields`` (why each field
        was chosen), ``crs_original``, ``repairs``, ``set_aside`` (one message, or None) and
        ``vintage`` (:class:`geo.vintages.Finding` list). Messages are :class:`common.text.Msg`:
        render them with ``.render(lang)``.

    Raises
    ------
    MissingDataError
        The file does not exist.
    InputError
        The file cannot be used. One error lists every problem of the file (missing or
        duplicate codes, unknown names, empty or non-polygon geometries...), each naming the
        feature, and the fix.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingDataError("errors.boundaries.not_found", file=path)
    if path.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="kerjasama-zip-") as tmp:
            folder = safe_extract(path, tmp)
            inner = boundary_file_in(folder, path)
            shown: object = Msg(
                "errors.boundaries.zip_member",
                file=path,
                member=inner.relative_to(folder).as_posix(),
            )
            gdf, layer = _read_file(inner, shown, layer)
    else:
        shown = str(path)
        gdf, layer = _read_file(path, shown, layer, bbox)
    if len(gdf) == 0:
        raise InputError("errors.boundaries.no_features", file=shown)
    gdf = gdf.reset_index(drop=True)

    repairs: list[Msg] = []
    problems: list[Msg] = []
    given_id = _named_field(gdf, shown, id_field)
    given_name = _named_field(gdf, shown, name_field)
    fields = detect_fields(gdf, id_field=given_id, name_field=given_name)
    kinds = kinds_of(gdf, fields.kind)
    raw_names = (
        gdf[fields.name].astype(object).where(gdf[fields.name].notna(), None)
        if fields.name
        else None
    )
    names = raw_names
    if raw_names is not None and fields.kind is not None:
        names, added = _typed_names(raw_names, kinds)
        if added:
            repairs.append(
                Msg("repairs.boundaries.names_typed", file=shown, n=added, field=fields.kind)
            )

    # codes: the code field; else names that identify every region; else a field named like one
    code_field, codes_from_names = fields.code, False
    codes = normalize_codes(gdf[code_field]) if code_field else None
    why = _non_regions(gdf, fields, names, kinds, codes)
    if code_field is None and names is not None:
        hint = province_of(gdf, fields, pd.Series(None, index=gdf.index, dtype=object))
        by_name, unknown, ambiguous = _codes_from_names(
            names, kinds, hint if fields.province else None
        )
        regions_mask = why.isna().to_numpy()
        unknown = [r for r in unknown if regions_mask[r]]
        ambiguous = [(r, c) for r, c in ambiguous if regions_mask[r]]
        n_regions = int(regions_mask.sum())
        if n_regions and len(unknown) + len(ambiguous) <= 0.2 * n_regions:
            codes, codes_from_names = by_name.astype(object), True
            for r in unknown:
                problems.append(
                    Msg(
                        "errors.boundaries.item.unknown_name",
                        feature=_describe(gdf, np.array([r]), None, names)[0],
                        edition=EDITION,
                        option=Option("id_field"),
                    )
                )
            for r, found in ambiguous:
                problems.append(
                    Msg(
                        "errors.boundaries.item.ambiguous_name",
                        feature=_describe(gdf, np.array([r]), None, names)[0],
                        candidates=Listing([by_code()[c].name for c in found], last="or"),
                    )
                )
    if codes is None:
        named = header_code_fields(gdf)
        if not named:
            raise InputError(
                "errors.boundaries.no_code_field",
                file=shown,
                fields=_listing(_fields(gdf)),
                option=Option("id_field"),
                names=Option("name_field"),
            )
        code_field = named[0]
        codes = normalize_codes(gdf[code_field])
        why = _non_regions(gdf, fields, names, kinds, codes)

    # non-region features: set aside (one message) unless asked to keep them
    set_aside = None
    aside = why.notna().to_numpy() if not keep_non_regions else np.zeros(len(gdf), dtype=bool)
    if aside.any():
        listed = [
            Msg(_NON_REGION_KEYS[w], feature=d)
            for w, d in zip(
                why[aside], _describe(gdf, np.flatnonzero(aside), codes, raw_names), strict=True
            )
        ]
        set_aside = Msg(
            "repairs.boundaries.set_aside",
            file=shown,
            n=len(listed),
            features=Listing(listed, sep="; "),
            option=Option("keep_non_regions"),
        )
    keep = ~aside
    gdf = gdf[keep].reset_index(drop=True)
    codes = codes[keep].reset_index(drop=True)
    names = names[keep].reset_index(drop=True) if names is not None else None
    kinds = kinds[keep].reset_index(drop=True)
    if len(gdf) == 0:
        raise InputError("errors.boundaries.only_non_regions", file=shown, aside=set_aside)

    if not codes_from_names:
        missing = np.flatnonzero(codes.isna().to_numpy())
        if len(missing):
            problems.append(
                Msg(
                    "errors.boundaries.item.codes_missing",
                    field=code_field,
                    features=_listing(_describe(gdf, missing, None, names)),
                    option=Option("id_field"),
                )
            )
    if codes.dropna().duplicated().any():
        problems.append(_duplicates(code_field or (fields.name or ""), codes, names))
    geoms, found = _geometry_problems(gdf, codes, names)
    problems.extend(found)
    crs_original = gdf.crs.to_string() if gdf.crs is not None else None
    if not problems:
        gdf = gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=geoms, crs=gdf.crs)
        try:
            gdf = _fix_crs(gdf, shown, repairs)  # reproject first: it can break validity
        except InputError as err:
            problems.append(err)
        else:
            if not known_valid:
                geoms = _repair(
                    np.asarray(gdf.geometry.values, dtype=object),
                    gdf, shown, codes, names, repairs, problems,
                )  # fmt: skip
                gdf = gdf.set_geometry(geoms, crs=gdf.crs)
    _raise_all(shown, problems)

    province = province_of(gdf, fields, codes)
    out = gdf.copy()
    out.insert(
        0,
        "code_raw",
        [None if codes_from_names else _code_text(v) for v in gdf[code_field]]
        if code_field
        else [None] * len(gdf),
    )
    if names is None:
        name_values = codes.to_numpy(dtype=object)
        repairs.append(Msg("repairs.boundaries.no_name_field", file=shown))
    else:
        name_values = np.where(names.notna(), names.astype(str), codes).astype(object)
        if names.isna().any():
            rows = np.flatnonzero(names.isna().to_numpy())
            repairs.append(
                Msg(
                    "repairs.boundaries.no_name",
                    file=shown,
                    features=_listing(_describe(gdf, rows, codes, None)),
                )
            )
    for column, values, where in (("name", name_values, 1), ("province", province, 2)):
        values = np.asarray(values, dtype=object)
        if column in out.columns and not (column == "name" and fields.name == "name"):
            # keep the user's own column under another name, never silently lose it
            out.insert(where, f"{column}_original", out.pop(column))
            repairs.append(Msg("repairs.boundaries.column_kept", file=shown, column=column))
        if column in out.columns:
            out[column] = values
        else:
            out.insert(where, column, values)
    if codes_from_names:
        repairs.append(
            Msg("repairs.boundaries.codes_from_names", file=shown, n=len(out), edition=EDITION)
        )
    out.index = pd.Index(codes.to_numpy(dtype=object), name="code")
    vintage = detect([None if codes_from_names else c for c in out.index], list(out["name"]))
    out = out.sort_index(kind="stable")
    out.attrs["kerjasama"] = BoundaryInfo(
        {
            "source": str(path),
            "layer": layer,
            "id_field": None if codes_from_names else code_field,
            "name_field": fields.name,
            "type_field": fields.kind,
            "province_field": fields.province,
            "code_system": "kemendagri" if codes_from_names else fields.system,
            "codes_from_names": codes_from_names,
            "fields": list(fields.reasons),
            "crs_original": crs_original,
            "repairs": repairs,
            "set_aside": set_aside,
            "vintage": vintage,
        }
    )
    return out


def province_bounds(
    path: str | os.PathLike[str],
    province: str,
    *,
    layer: str | None = None,
    id_field: str | None = None,
    name_field: str | None = None,
) -> tuple[tuple[float, float, float, float], Fields] | None:
    """Bounding box (lon/lat) of one province's features, read without their geometry.

    Reads the attributes and the feature envelopes only (fast on any size of file) and detects
    the fields on the whole attribute table as :func:`read_boundaries` does. Returns ``(bounds,
    fields)``; a read limited to a box (``read_boundaries(..., bbox=..., id_field=fields.code,
    name_field=fields.name)``) then uses the same fields. None when that cannot be done cheaply
    and exactly: a zip or GeoParquet, a file not in lon/lat, codes taken from names, or no
    feature of the province (the whole read then reports what is wrong).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS or suffix == ".parquet" or not path.is_file():
        return None
    try:
        if suffix == ".shp":
            _check_shapefile(path, str(path))
        elif suffix == ".gpkg":
            layer = _pick_layer(path, str(path), layer)
        crs = pyogrio.read_info(path, layer=layer).get("crs")
        if crs is None or not CRS(crs).equals(CRS(WGS84), ignore_axis_order=True):
            return None
        attrs = pyogrio.read_dataframe(path, layer=layer, read_geometry=False, fid_as_index=True)
        fids, bounds = pyogrio.read_bounds(path, layer=layer)
        fields = detect_fields(
            attrs,
            id_field=_named_field(attrs, str(path), id_field),
            name_field=_named_field(attrs, str(path), name_field),
        )
    except Exception:  # unreadable or unusable here: the whole read names the problem
        return None
    if fields.code is None or len(attrs) == 0 or len(fids) != len(attrs):
        return None
    order = pd.Index(fids).get_indexer(attrs.index)
    wanted = normalize_code(province)
    inside = (province_of(attrs, fields, normalize_codes(attrs[fields.code])) == wanted).to_numpy()
    if (order < 0).any() or not inside.any():
        return None
    box = bounds[:, order[inside]]
    if not np.isfinite(box).all():
        return None
    return (
        (float(box[0].min()), float(box[1].min()), float(box[2].max()), float(box[3].max())),
        fields,
    )


class BoundaryInfo(SharedInfo):
    """How a boundary file was read (``regions.attrs["kerjasama"]``), shared, never copied.

    pandas deep-copies ``DataFrame.attrs`` on nearly every operation (a column access, ``.loc``);
    with the per-feature findings of a large file (7,000 kecamatan) that cost seconds per
    step. The record is written once by :func:`read_boundaries` and only read afterwards, so a
    copy may share it.
    """


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
    "boundary_file_in",
    "province_bounds",
    "provinces",
    "normalize_code",
    "ID_FIELDS",
    "NAME_FIELDS",
    "PROVINCE_FIELDS",
]
