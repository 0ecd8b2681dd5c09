"""Write candidates for GIS staff and other tools: GeoJSON, members CSV, zipped Shapefile.

* :func:`candidates_to_geojson`: RFC 7946 FeatureCollection, lon/lat, coordinates rounded to 6
  decimals, exterior rings counter-clockwise; geometry = union of the members after simplifying
  the members **as a coverage** (``shapely.coverage_simplify``), so shared borders stay shared
  and no gaps open between members. One Feature per candidate in rank order; fixed property
  order; byte-identical for the same input.
* :func:`regions_to_geojson`: the scope's regions as one layer (``code``, ``name``,
  ``province``), to join to the members CSV by code when a map of every candidate would be too
  heavy.
* :func:`members_csv`: one row per member per candidate, header
  ``cluster_id,rank,sector,form,score,member,member_name,is_provider`` (``is_provider`` 1/0);
  text that a spreadsheet would run as a formula is neutralised (OWASP CSV injection).
* :func:`shapefile_zip`: zipped ESRI Shapefile (WGS 84 ``.prj``, UTF-8 ``.cpg``, field names of
  at most 10 characters, see :data:`SHAPEFILE_FIELDS`), plus ``explanations.csv`` holding the
  full explanations (a DBF text field holds at most 254 bytes).
"""

from __future__ import annotations

import io
import json
import math
import tempfile
import zipfile
from itertools import chain
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from analysis.ranking import CANDIDATE_COLUMNS
from common.spreadsheet import FORMULA_STARTS, neutralise
from geo.display import display_regions

# The GeoJSON properties are the candidate columns, less the internal wajib flag (its wording
# is in the explanation).
PROPERTIES = tuple(c for c in CANDIDATE_COLUMNS if c != "wajib_indication")
CSV_HEADER = (
    "cluster_id",
    "rank",
    "sector",
    "form",
    "score",
    "member",
    "member_name",
    "is_provider",
)
#: The candidate columns :func:`members_csv` reads.
MEMBERS_CSV_COLUMNS = (
    "cluster_id",
    "rank",
    "sector",
    "form",
    "score",
    "members",
    "member_names",
    "provider",
)
#: Shapefile field (<= 10 characters) for each candidate column.
SHAPEFILE_FIELDS = {
    "cluster_id": "cluster_id",
    "rank": "rank",
    "sector": "sector",
    "form": "form",
    "members": "members",
    "member_names": "member_nm",
    "provider": "provider",
    "size": "size",
    "score": "score",
    "score_components": "components",
    "explanation": "explain",
    "cross_province": "cross_prov",
    "maritime_links": "mar_links",
    "stability": "stability",
    "data_years": "data_years",
    "wajib_indication": "wajib_ind",
    "flags": "flags",
    "data_completeness": "complete",
    "variants": "variants",
    "variant_of": "variant_of",
}
DBF_TEXT_MAX = 254


def _plain(value):
    """JSON-ready copy of a property value (tuples -> lists, numpy scalars -> Python)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else float(value)
    return str(value) if not isinstance(value, str) else value


def _dissolve(parts: list, own_holes: int) -> shapely.Geometry:
    """Union of adjacent member polygons: coverage union (fast), else a snapped overlay union.

    The coverage union is exact for a clean coverage; when the members overlap or leave
    slivers (agency data with gaps) it can be invalid or keep a hole where members meet, and
    the slower ``union_all`` on a 1e-6 degree grid is used instead.
    """
    union = shapely.coverage_union_all(parts)
    holes = sum(len(p.interiors) for p in shapely.get_parts(union) if p.geom_type == "Polygon")
    if not shapely.is_valid(union) or holes > own_holes:
        union = shapely.union_all(parts, grid_size=1e-6)
    polys = [g for g in shapely.get_parts(union) if shapely.get_dimensions(g) == 2]
    geom = shapely.multipolygons(polys) if len(polys) > 1 else polys[0]
    return shapely.orient_polygons(geom, exterior_cw=False)


def member_geometries(
    candidates: pd.DataFrame, regions: gpd.GeoDataFrame, *, tolerance: float | None = None
) -> pd.Series:
    """Display geometry per candidate: the members' display geometry, dissolved once per set.

    Only the regions used by ``candidates`` are simplified, together, as one coverage
    (:func:`geo.display.display_regions`; ``tolerance`` in degrees, default one fitted to their
    extent: about 2 km for all Indonesia, 250 m for one province); each distinct member set is
    dissolved once (a joint and a contract candidate of the same members share it).
    """
    used = sorted({c for m in candidates["members"] for c in m})
    missing = [c for c in used if c not in regions.index]
    if missing:
        from common.errors import InputError

        raise InputError("errors.clusters.regions_missing", codes=", ".join(missing[:10]))
    display = display_regions(regions.loc[used], tolerance=tolerance)
    lookup = dict(zip(used, display.geometry.to_numpy(), strict=True))
    holes = {c: sum(len(p.interiors) for p in shapely.get_parts(g)) for c, g in lookup.items()}
    dissolved: dict[tuple, shapely.Geometry] = {}
    out = []
    for members in candidates["members"]:
        key = tuple(members)
        if key not in dissolved:
            dissolved[key] = _dissolve([lookup[c] for c in key], sum(holes[c] for c in key))
        out.append(dissolved[key])
    return pd.Series(out, index=candidates.index, dtype=object)


def _geometry_json(geoms) -> list[str]:
    """GeoJSON geometry texts, coordinates rounded to 6 decimals (-0.0 written as 0.0)."""
    rounded = shapely.transform(np.asarray(geoms, dtype=object), lambda c: np.round(c, 6) + 0.0)
    return list(shapely.to_geojson(rounded))


def _collection(properties: list[dict], geometries: list[str]) -> str:
    """A FeatureCollection text from property dicts and GeoJSON geometry texts (same order)."""
    features = [
        '{"type":"Feature","properties":'
        + json.dumps(props, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        + f',"geometry":{geometry}}}'
        for props, geometry in zip(properties, geometries, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}\n"


def candidates_to_geojson(candidates: pd.DataFrame, regions: gpd.GeoDataFrame) -> str:
    """RFC 7946 GeoJSON text, one Feature per candidate in the frame's (rank) order."""
    geoms = member_geometries(candidates, regions) if len(candidates) else pd.Series(dtype=object)
    rows = candidates[list(PROPERTIES)].itertuples(index=False)
    props = [{n: _plain(v) for n, v in zip(PROPERTIES, row, strict=True)} for row in rows]
    return _collection(props, _geometry_json(geoms.to_numpy()) if len(geoms) else [])


def regions_to_geojson(regions: gpd.GeoDataFrame) -> str:
    """The regions as one GeoJSON layer: one Feature per region, in code order.

    Properties ``code`` (the ``member`` column of :func:`members_csv`, to join on), ``name`` and
    ``province``; display geometry (:func:`geo.display.display_regions`), coordinates rounded to
    6 decimals, exterior rings counter-clockwise. Written once for any number of candidates.
    """
    display = display_regions(regions.sort_index())
    geoms = shapely.orient_polygons(display.geometry.to_numpy(), exterior_cw=False)
    props = [
        {"code": str(code), "name": str(name), "province": str(province)}
        for code, name, province in zip(
            display.index, display["name"], display["province"], strict=True
        )
    ]
    return _collection(props, _geometry_json(geoms) if len(display) else [])


_NEEDS_QUOTES = '[,"\n\r]'


def _str(*texts: str) -> list[pa.Scalar]:
    """Arrow (large) string scalars, to combine with the field columns."""
    return [pa.scalar(t, pa.large_string()) for t in texts]


def _texts(values) -> pa.Array:
    """Values as an Arrow string array (``str(value)``; None stays missing)."""
    try:
        return pc.cast(pa.array(values), pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else str(v) for v in values], pa.large_string())


def _csv_fields(texts: pa.Array) -> pa.Array:
    """CSV field text of each value: neutralised when a spreadsheet would run it as a formula
    (a leading ``'``, as :func:`common.spreadsheet.neutralise`), quoted (RFC 4180) when it holds
    a comma, quote or line break, empty when missing. Worked out once per distinct value."""
    encoded = pc.dictionary_encode(texts)
    text = encoded.dictionary
    quote, empty, apostrophe = _str('"', "", "'")
    first = pc.utf8_slice_codeunits(text, 0, 1)
    formula = pc.is_in(first, value_set=pa.array(FORMULA_STARTS, pa.large_string()))
    if pc.any(formula).as_py():
        text = pc.if_else(formula, pc.binary_join_element_wise(apostrophe, text, empty), text)
    special = pc.match_substring_regex(text, _NEEDS_QUOTES)
    if pc.any(special).as_py():
        escaped = pc.replace_substring(text, '"', '""')
        text = pc.if_else(special, pc.binary_join_element_wise(quote, escaped, quote, empty), text)
    return pc.fill_null(text.take(encoded.indices), empty)


def members_csv(candidates: pd.DataFrame) -> str:
    """One row per member per candidate; header exactly :data:`CSV_HEADER`.

    ``score`` has 6 decimals; ``is_provider`` is 1 for the contract provider, else 0; fields
    are quoted (RFC 4180) only when they hold a comma, quote or line break; a text field that a
    spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading
    ``'`` (:func:`common.spreadsheet.neutralise`, as OWASP recommends). Built column by column
    (Arrow string kernels): each candidate's fields once, repeated for its members.
    """
    members = candidates["members"].tolist()
    names = candidates["member_names"].tolist()
    sizes = np.fromiter(map(len, members), dtype=np.int64, count=len(members))
    if not np.array_equal(sizes, np.fromiter(map(len, names), dtype=np.int64, count=len(names))):
        raise ValueError("members_csv: each candidate needs one name per member")
    comma, newline, yes, no = _str(",", "\n", "1", "0")
    scores = [f"{v:.6f}" for v in candidates["score"].to_numpy(float).tolist()]
    head = pc.binary_join_element_wise(
        _csv_fields(_texts(candidates["cluster_id"])),
        pc.cast(pa.array(candidates["rank"].to_numpy(np.int64)), pa.large_string()),
        _csv_fields(_texts(candidates["sector"])),
        _csv_fields(_texts(candidates["form"])),
        pa.array(scores, pa.large_string()),
        comma,
    )
    of_row = pa.array(np.repeat(np.arange(len(members)), sizes))
    flat_members = _texts(list(chain.from_iterable(members)))
    provider = _texts(candidates["provider"].tolist()).take(of_row)
    is_provider = pc.fill_null(pc.equal(flat_members, provider), False)
    rows = pc.binary_join_element_wise(
        head.take(of_row),
        _csv_fields(flat_members),
        _csv_fields(_texts(list(chain.from_iterable(names)))),
        pc.if_else(is_provider, yes, no),
        comma,
    )
    header, end = pa.array([",".join(CSV_HEADER)], pa.large_string()), pa.array([""], rows.type)
    lines = pa.concat_arrays([header, rows, end])  # "header\nrow\n...\nrow\n"
    return pc.binary_join(pa.LargeListArray.from_arrays([0, len(lines)], lines), newline)[0].as_py()


def _text(value, limit: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        text = json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))
    elif isinstance(value, list | tuple):
        text = ";".join(str(v) for v in value)
    else:
        text = str(value)
    if limit is not None and len(text.encode("utf-8")) > limit:
        cut = text.encode("utf-8")[: limit - 3].decode("utf-8", errors="ignore")
        text = cut + "…"
    return text


def shapefile_zip(
    candidates: pd.DataFrame, regions: gpd.GeoDataFrame, name: str = "klaster"
) -> bytes:
    """A zipped Shapefile of the candidates (fields: :data:`SHAPEFILE_FIELDS`).

    Text longer than a DBF field allows (254 bytes: explanations) is cut with "…" in the
    Shapefile; ``<name>_explanations.csv`` in the same zip holds the full text.
    """
    geoms = member_geometries(candidates, regions) if len(candidates) else []
    data = {}
    for col, field in SHAPEFILE_FIELDS.items():
        values = candidates[col].tolist() if col in candidates else [None] * len(candidates)
        if col in ("rank", "size", "maritime_links"):
            data[field] = np.asarray(values, dtype=np.int64)
        elif col == "variants":
            data[field] = np.array([-1 if v is None else int(v) for v in values], dtype=np.int64)
        elif col in ("score", "stability", "data_completeness"):
            data[field] = np.array([np.nan if v is None else float(v) for v in values])
        elif col in ("cross_province", "wajib_indication"):
            data[field] = np.asarray([1 if v else 0 for v in values], dtype=np.int64)
        else:
            data[field] = [_text(v, DBF_TEXT_MAX) for v in values]
    gdf = gpd.GeoDataFrame(data, geometry=list(geoms), crs="EPSG:4326")
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="kerjasama-shp-") as tmp:
        path = Path(tmp) / f"{name}.shp"
        gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8")
        _fix_dbf_date(path.with_suffix(".dbf"))
        expl = pd.DataFrame(
            {
                "cluster_id": candidates["cluster_id"].map(neutralise).tolist(),
                "explanation": candidates["explanation"].fillna("").map(neutralise).tolist(),
            }
        ).to_csv(index=False, lineterminator="\n")
        (Path(tmp) / f"{name}_explanations.csv").write_text(expl, encoding="utf-8")
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(Path(tmp).iterdir()):
                info = zipfile.ZipInfo(file.name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, file.read_bytes())
    return buf.getvalue()


def _fix_dbf_date(path: Path) -> None:
    """Set the DBF 'last update' header date to a constant (2000-01-01) for stable bytes."""
    raw = bytearray(path.read_bytes())
    if len(raw) > 4:
        raw[1:4] = bytes([100, 1, 1])
        path.write_bytes(bytes(raw))
