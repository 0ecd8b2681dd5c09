"""GeoJSON, members CSV and zipped Shapefile of candidates."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pyogrio
import pytest
import shapely
from test_candidates import jittered_grid

from analysis import pipeline
from analysis.config import load_config
from kerjasama.present.export import (
    CSV_HEADER,
    PROPERTIES,
    SHAPEFILE_FIELDS,
    candidates_to_geojson,
    members_csv,
    shapefile_zip,
)
from kerjasama.present.words import explain_rows


@pytest.fixture(scope="module")
def kaltim_out(kaltim_shp, kaltim_indicators):
    config = load_config()
    regions = pipeline.load_regions(kaltim_shp)
    table, _, _ = pipeline.load_table(
        kaltim_indicators, regions, "code_dot", "kemendagri_code_2025", config
    )
    prepared = pipeline.prepare(regions, pipeline.build_adjacency(regions), province="64")
    cands = pipeline.score(prepared, table, "water", config=config)
    out, _ = pipeline.finalize(cands, top=8)
    out = explain_rows(cands, out)
    return regions, out


def test_geojson_schema_and_determinism(kaltim_out):
    regions, out = kaltim_out
    text = candidates_to_geojson(out, regions)
    assert text == candidates_to_geojson(out, regions)
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(out)
    for feat, (_, row) in zip(doc["features"], out.iterrows(), strict=True):
        assert list(feat["properties"]) == list(PROPERTIES)
        p = feat["properties"]
        assert p["cluster_id"] == row["cluster_id"] and p["rank"] == row["rank"]
        assert p["members"] == list(row["members"])
        assert isinstance(p["score_components"], dict) and p["explanation"]
        geom = shapely.geometry.shape(feat["geometry"])
        assert geom.is_valid and geom.geom_type in ("Polygon", "MultiPolygon")
        coords = shapely.get_coordinates(geom)
        assert np.allclose(coords, np.round(coords, 6), atol=1e-12)
        assert (coords[:, 0] > 100).all() and (np.abs(coords[:, 1]) < 10).all()  # lon, lat
        polys = shapely.get_parts(geom)
        assert all(shapely.is_ccw(p.exterior) for p in polys)
        # no gaps between members: the union's area is the members' total (display tolerance)
        member_area = shapely.area(regions.geometry.loc[list(row["members"])].to_numpy()).sum()
        assert abs(geom.area - member_area) / member_area < 0.005
        # and no hole where two members meet (only holes a member already had)
        holes = sum(len(p.interiors) for p in polys)
        own = sum(
            len(q.interiors)
            for g in regions.geometry.loc[list(row["members"])]
            for q in shapely.get_parts(g)
        )
        assert holes <= own
    assert [f["properties"]["rank"] for f in doc["features"]] == sorted(out["rank"])


def test_geojson_union_has_no_sliver_between_simplified_members():
    regions = jittered_grid(3, 3, seed=5)
    ids = list(regions.index)
    import pandas as pd

    cands = pd.DataFrame({c: [None] for c in PROPERTIES})
    cands.loc[0, "members"] = tuple(ids[:3])
    geo = json.loads(candidates_to_geojson(cands, regions))
    geom = shapely.geometry.shape(geo["features"][0]["geometry"])
    assert geom.geom_type == "Polygon" and len(geom.interiors) == 0


def test_members_csv_header_and_rows(kaltim_out):
    _, out = kaltim_out
    text = members_csv(out)
    lines = text.splitlines()
    assert lines[0] == ",".join(CSV_HEADER)
    assert len(lines) - 1 == sum(len(m) for m in out["members"])
    for line in lines[1:]:
        parts = line.split(",")
        assert parts[-1] in ("0", "1")
    providers = [ln for ln in lines[1:] if ln.endswith(",1")]
    assert len(providers) == int((out["form"] == "contract").sum())
    assert text == members_csv(out)


def test_shapefile_zip(kaltim_out, tmp_path):
    regions, out = kaltim_out
    data = shapefile_zip(out, regions)
    assert data == shapefile_zip(out, regions)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(zf.namelist())
    assert {n.rsplit(".", 1)[1] for n in names} >= {"shp", "shx", "dbf", "prj", "cpg", "csv"}
    assert zf.read("klaster.cpg").decode().strip().upper().startswith("UTF")
    assert "WGS" in zf.read("klaster.prj").decode()
    zf.extractall(tmp_path)
    info = pyogrio.read_info(tmp_path / "klaster.shp")
    assert list(info["fields"]) == list(SHAPEFILE_FIELDS.values())
    assert all(len(f) <= 10 for f in info["fields"])
    back = pyogrio.read_dataframe(tmp_path / "klaster.shp")
    assert back["cluster_id"].tolist() == out["cluster_id"].tolist()
    assert back["members"].iloc[0] == ";".join(out["members"].iloc[0])
    assert "Kabupaten" in "".join(back["member_nm"])  # UTF-8 text survives
