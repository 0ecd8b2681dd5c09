"""Write candidates for GIS staff and other tools: GeoJSON, members CSV, zipped Shapefile.

* :func:`candidates_to_geojson`: RFC 7946 FeatureCollection, lon/lat, coordinates rounded to 6
  decimals, exterior rings counter-clockwise; geometry = union of the members after simplifying
  the members **as a coverage** (``shapely.coverage_simplify``), so shared borders stay shared
  and no gaps open between members. One Feature per candidate in rank order; fixed property
  order; byte-identical for the same input.
* :func:`members_csv`: one row per member per candidate, header
  ``cluster_id,rank,sector,form,score,member,member_name,is_provider`` (``is_provider`` 1/0).
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
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.ranking import CANDIDATE_COLUMNS

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
}
#: Display simplification tolerance in degrees (~110 m at the equator).
SIMPLIFY_DEG = 0.001
DBF_TEXT_MAX = 254


def _round(value):
    """Round coordinates (nested sequences) to 6 decimals; -0.0 becomes 0.0."""
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    r = round(float(value), 6)
    return 0.0 if r == 0 else r


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


def member_geometries(
    candidates: pd.DataFrame, regions: gpd.GeoDataFrame, *, tolerance: float = SIMPLIFY_DEG
) -> pd.Series:
    """Display geometry per candidate: coverage-simplified members, unioned, 1e-6° grid.

    Only the regions used by ``candidates`` are simplified, together, as one coverage.
    """
    used = sorted({c for m in candidates["members"] for c in m})
    geoms = regions.geometry.reindex(used).to_numpy()
    if any(g is None for g in geoms):
        missing = [c for c, g in zip(used, geoms, strict=True) if g is None]
        from common.errors import InputError

        raise InputError("errors.clusters.regions_missing", codes=", ".join(missing[:10]))
    simple = (
        shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True) if len(geoms) else geoms
    )
    simple = shapely.make_valid(simple)
    lookup = dict(zip(used, simple, strict=True))
    out = []
    for members in candidates["members"]:
        union = shapely.union_all([lookup[c] for c in members], grid_size=1e-6)
        union = shapely.get_parts(union)
        union = [g for g in union if shapely.get_dimensions(g) == 2]
        geom = shapely.multipolygons(union) if len(union) > 1 else union[0]
        out.append(shapely.orient_polygons(geom, exterior_cw=False))
    return pd.Series(out, index=candidates.index, dtype=object)


def _geometry_json(geom) -> dict:
    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": _round(mapping["coordinates"])}


def candidates_to_geojson(candidates: pd.DataFrame, regions: gpd.GeoDataFrame) -> str:
    """RFC 7946 GeoJSON text, one Feature per candidate in the frame's (rank) order."""
    geoms = member_geometries(candidates, regions) if len(candidates) else pd.Series(dtype=object)
    features = []
    for (_, row), geom in zip(candidates.iterrows(), geoms, strict=True):
        props = {name: _plain(row[name]) for name in PROPERTIES}
        features.append({"type": "Feature", "properties": props, "geometry": _geometry_json(geom)})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _csv_field(value) -> str:
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def members_csv(candidates: pd.DataFrame) -> str:
    """One row per member per candidate; header exactly :data:`CSV_HEADER`.

    ``score`` has 6 decimals; ``is_provider`` is 1 for the contract provider, else 0; fields
    are quoted (RFC 4180) only when they hold a comma, quote or line break.
    """
    lines = [",".join(CSV_HEADER)]
    for cid, rank, sector, form, score, members, names, provider in zip(
        candidates["cluster_id"].map(_csv_field),
        candidates["rank"].astype(np.int64),
        candidates["sector"].map(_csv_field),
        candidates["form"].map(_csv_field),
        candidates["score"].astype(float),
        candidates["members"],
        candidates["member_names"],
        candidates["provider"],
        strict=True,
    ):
        head = f"{cid},{rank},{sector},{form},{score:.6f},"
        for m, name in zip(members, names, strict=True):
            flag = "1" if m == provider else "0"
            lines.append(f"{head}{_csv_field(m)},{_csv_field(name)},{flag}")
    return "\n".join(lines) + "\n"


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
        elif col in ("score", "stability"):
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
                "cluster_id": candidates["cluster_id"].tolist(),
                "explanation": candidates["explanation"].fillna("").tolist(),
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
