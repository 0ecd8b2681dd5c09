"""Reading boundary files: formats, field detection, CRS, repairs and refusals."""

from __future__ import annotations

import hashlib
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from common.errors import InputError, MissingDataError
from geo.boundaries import read_boundaries
from geo.safezip import safe_extract

KALTIM = ["6401", "6402", "6403", "6407", "6408", "6409", "6411", "6471", "6472", "6474"]


def _frame(codes, names=None, geoms=None, crs="EPSG:4326", field="code"):
    geoms = geoms or [box(110 + k * 0.1, -1, 110.1 + k * 0.1, -0.9) for k in range(len(codes))]
    data = {field: codes, "nama": names or [f"Kota {c}" for c in codes]}
    return gpd.GeoDataFrame(data, geometry=geoms, crs=crs)


def _write_shp(gdf, folder: Path, stem="regions") -> Path:
    path = folder / f"{stem}.shp"
    gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio")
    return path


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


# ---------------------------------------------------------------- real files


def test_kaltim_shapefile(kaltim_shp):
    before = _digest(kaltim_shp.parent)
    gdf = read_boundaries(kaltim_shp)
    assert list(gdf.index) == KALTIM and gdf.index.name == "code"
    assert gdf.crs.to_epsg() == 4326
    meta = gdf.attrs["kerjasama"]
    assert meta["id_field"] == "code" and meta["name_field"] == "name"
    assert meta["repairs"] == [] and meta["crs_original"] == "EPSG:4326"
    assert gdf.loc["6472", "name"] == "Kota Samarinda"
    assert (gdf["province"] == "64").all()
    assert gdf.loc["6472", "code_raw"] == "6472"
    assert {"code_dot", "prov_name", "area_km2", "gapfill"} <= set(gdf.columns)
    assert set(shapely.get_type_id(gdf.geometry.values)) <= {3, 6}
    assert _digest(kaltim_shp.parent) == before  # nothing written beside the user's file


def test_kaltim_geojson_and_zip_match_shapefile(kaltim_shp, tmp_path):
    shp = read_boundaries(kaltim_shp)
    gj = read_boundaries(kaltim_shp.with_suffix(".geojson"))
    assert list(gj.index) == list(shp.index)
    zpath = tmp_path / "kaltim.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            zf.write(kaltim_shp.with_suffix(ext), f"data/kaltim_adm2{ext}")
    zipped = read_boundaries(zpath)
    assert list(zipped.index) == KALTIM
    assert zipped.geometry.geom_equals_exact(shp.geometry, 0).all()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kaltim.zip"]  # extracted elsewhere


# ---------------------------------------------------------------- field detection


def test_codes_normalised_and_raw_kept(tmp_path):
    gdf = _frame(["64.72", "ID6471", "64 09"], field="code_dot")
    path = tmp_path / "r.geojson"
    gdf.to_file(path, driver="GeoJSON")
    out = read_boundaries(path)
    assert list(out.index) == ["6409", "6471", "6472"]
    assert out.loc["6472", "code_raw"] == "64.72"
    assert out.loc["6471", "name"] == "Kota ID6471"
    assert out.attrs["kerjasama"]["name_field"] == "nama"


def test_first_unique_code_field_is_chosen(tmp_path):
    gdf = _frame(["1", "1", "2"], field="kode")
    gdf["KDPKAB"] = ["3578", "3526", "3525"]
    path = tmp_path / "r.gpkg"
    gdf.to_file(path, layer="kab")
    out = read_boundaries(path)
    assert out.attrs["kerjasama"]["id_field"] == "KDPKAB"
    assert list(out.index) == ["3525", "3526", "3578"]


def test_integer_codes_and_explicit_fields(tmp_path):
    gdf = _frame([6472, 6471], field="id_region")
    gdf["label"] = ["Samarinda", "Balikpapan"]
    path = tmp_path / "r.gpkg"
    gdf.to_file(path, layer="kab")
    out = read_boundaries(path, id_field="ID_REGION", name_field="label")
    assert list(out.index) == ["6471", "6472"] and out.loc["6472", "code_raw"] == "6472"
    assert out.loc["6471", "name"] == "Balikpapan"
    with pytest.raises(InputError, match="no field 'nope'.*id_region"):
        read_boundaries(path, id_field="nope")


def test_province_field_used_when_present(tmp_path):
    gdf = _frame(["1101", "3101"])
    gdf["ADM1_PCODE"] = ["ID11", "ID31"]
    path = tmp_path / "r.geojson"
    gdf.to_file(path, driver="GeoJSON")
    assert list(read_boundaries(path)["province"]) == ["11", "31"]


def test_duplicate_codes_refused_with_names(tmp_path):
    gdf = _frame(["6472", "64.72", "6471"], names=["Samarinda A", "Samarinda B", "Balikpapan"])
    path = tmp_path / "dup.geojson"
    gdf.to_file(path, driver="GeoJSON")
    with pytest.raises(InputError) as err:
        read_boundaries(path)
    msg = str(err.value)
    assert "dup.geojson" in msg and "duplicate" in msg and "6472" in msg
    assert "Samarinda A" in msg and "Samarinda B" in msg and "Balikpapan" not in msg


def test_missing_codes_refused_with_row_numbers(tmp_path):
    gdf = _frame(["6472", None, "n/a"])
    path = tmp_path / "miss.geojson"
    gdf.to_file(path, driver="GeoJSON")
    with pytest.raises(InputError, match=r"miss\.geojson.*feature 2.*feature 3"):
        read_boundaries(path)


def test_no_code_field_refused(tmp_path):
    gdf = gpd.GeoDataFrame({"label": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    path = tmp_path / "x.geojson"
    gdf.to_file(path, driver="GeoJSON")
    with pytest.raises(InputError, match="no field holds kab/kota codes.*--id-field"):
        read_boundaries(path)


# ---------------------------------------------------------------- geometry


def test_bowtie_repaired_and_reported(tmp_path):
    bowtie = Polygon([(110, -1), (110.1, -0.9), (110.1, -1), (110, -0.9)])
    assert not bowtie.is_valid
    gdf = _frame(["6471", "6472"], geoms=[box(111, -1, 111.1, -0.9), bowtie])
    path = tmp_path / "bow.gpkg"
    gdf.to_file(path, layer="kab")
    out = read_boundaries(path)
    geom = out.geometry["6472"]
    assert geom.is_valid and geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(0.005, rel=1e-6)  # both triangles kept
    assert len(shapely.get_parts(geom)) == 2
    repairs = out.attrs["kerjasama"]["repairs"]
    assert len(repairs) == 1
    assert (
        "6472" in str(repairs[0])
        and "Kota 6472" in str(repairs[0])
        and "Self-intersection" in str(repairs[0])
    )


def test_empty_geometry_set_aside_or_refused_when_kept(tmp_path):
    gdf = _frame(["6471", "6472"], geoms=[box(110, -1, 111, 0), Polygon()])
    path = tmp_path / "empty.gpkg"
    gdf.to_file(path, layer="kab")
    out = read_boundaries(path)
    assert list(out.index) == ["6471"]
    aside = out.attrs["kerjasama"]["set_aside"]
    assert "feature 2 code 6472 (Kota 6472) (no geometry)" in str(aside)
    assert "--keep-non-regions" in str(aside)
    with pytest.raises(InputError, match=r"empty.*feature 2 code 6472 \(Kota 6472\)"):
        read_boundaries(path, keep_non_regions=True)


def test_non_polygon_geometries_refused(tmp_path):
    gdf = _frame(["6471", "6472"], geoms=[Point(110, -1), LineString([(110, -1), (111, 0)])])
    path = tmp_path / "points.geojson"
    gdf.to_file(path, driver="GeoJSON")
    with pytest.raises(InputError, match="non-polygon.*Point.*LineString.*polygon"):
        read_boundaries(path)


def test_gpkg_with_several_polygon_layers(tmp_path):
    path = tmp_path / "two.gpkg"
    _frame(["6471"]).to_file(path, layer="kabupaten")
    _frame(["647101", "647102"]).to_file(path, layer="kecamatan")
    with pytest.raises(InputError, match="several polygon layers.*kabupaten.*kecamatan.*--layer"):
        read_boundaries(path)
    assert list(read_boundaries(path, layer="kecamatan").index) == ["647101", "647102"]
    with pytest.raises(InputError, match="no layer 'desa'"):
        read_boundaries(path, layer="desa")


def test_geoparquet_read_like_the_other_formats(tmp_path):
    path = tmp_path / "regions.parquet"
    _frame(["6472", "6471"]).to_crs(32750).to_parquet(path)  # the CRS travels in the metadata
    out = read_boundaries(path)
    assert list(out.index) == ["6471", "6472"]
    assert out.crs.to_epsg() == 4326 and out.attrs["kerjasama"]["crs_original"] == "EPSG:32750"
    assert out.attrs["kerjasama"]["name_field"] == "nama"
    np.testing.assert_allclose(out.total_bounds, [110, -1, 110.2, -0.9], atol=1e-6)


def test_parquet_that_is_not_geoparquet_refused(tmp_path):
    import pandas as pd

    plain = tmp_path / "table.parquet"
    pd.DataFrame({"code": ["6471"], "name": ["Kota Balikpapan"]}).to_parquet(plain)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 cut short")
    with pytest.raises(InputError, match=r"table\.parquet: a Parquet table without geometry"):
        read_boundaries(plain)
    with pytest.raises(InputError, match=r"broken\.parquet: cannot be read as GeoParquet"):
        read_boundaries(broken)


# ---------------------------------------------------------------- CRS


def test_projected_shapefile_is_reprojected(tmp_path):
    gdf = _frame(["6471", "6472"]).to_crs(32750)
    out = read_boundaries(_write_shp(gdf, tmp_path))
    assert out.crs.to_epsg() == 4326
    assert out.attrs["kerjasama"]["crs_original"] == "EPSG:32750"
    np.testing.assert_allclose(out.total_bounds, [110, -1, 110.2, -0.9], atol=1e-6)


def test_projected_shapefile_without_prj_refused(tmp_path):
    path = _write_shp(_frame(["6471", "6472"]).to_crs(32750), tmp_path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputError) as err:
        read_boundaries(path)
    msg = str(err.value)
    assert str(path) in msg and "no .prj" in msg and "x=" in msg
    assert "add the .prj" in msg and "EPSG:4326" in msg


def test_lonlat_shapefile_without_prj_accepted_with_note(tmp_path):
    path = _write_shp(_frame(["6471", "6472"]), tmp_path)
    path.with_suffix(".prj").unlink()
    out = read_boundaries(path)
    assert out.crs.to_epsg() == 4326 and out.attrs["kerjasama"]["crs_original"] is None
    (note,) = out.attrs["kerjasama"]["repairs"]
    assert "EPSG:4326" in str(note) and "assumed" in str(note)
    assert "dianggap EPSG:4326" in note.render("id") and "BT" in note.render("id")


# ---------------------------------------------------------------- broken files


def test_truncated_shp_refused(kaltim_shp, tmp_path):
    for ext in (".shx", ".dbf", ".prj", ".cpg"):
        shutil.copy(kaltim_shp.with_suffix(ext), tmp_path / f"k{ext}")
    data = kaltim_shp.read_bytes()
    (tmp_path / "k.shp").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"k\.shp.*truncated.*copy it again"):
        read_boundaries(tmp_path / "k.shp")
    (tmp_path / "k.shp").write_bytes(b"garbage")
    with pytest.raises(InputError, match="not a valid .shp"):
        read_boundaries(tmp_path / "k.shp")


@pytest.mark.parametrize("missing", [".dbf", ".shx"])
def test_missing_shapefile_part_refused(kaltim_shp, tmp_path, missing):
    for ext in (".shp", ".shx", ".dbf", ".prj"):
        if ext != missing:
            shutil.copy(kaltim_shp.with_suffix(ext), tmp_path / f"k{ext}")
    with pytest.raises(InputError, match=rf"k\.shp.*{missing} is missing"):
        read_boundaries(tmp_path / "k.shp")


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(MissingDataError, match="not found"):
        read_boundaries(tmp_path / "nope.shp")
    (tmp_path / "x.csv").write_text("code\n1\n")
    with pytest.raises(InputError, match="unsupported boundary format"):
        read_boundaries(tmp_path / "x.csv")
    (tmp_path / "bad.gpkg").write_bytes(b"not sqlite")
    with pytest.raises(InputError, match=r"bad\.gpkg"):
        read_boundaries(tmp_path / "bad.gpkg")


# ---------------------------------------------------------------- hostile zips


def test_zip_slip_refused_and_nothing_written(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    zpath = tmp_path / "evil.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("ok.txt", "fine")
        zf.writestr("../evil.txt", "escaped")
    with pytest.raises(InputError, match=r"\.\./evil\.txt.*climbs out"):
        read_boundaries(zpath)
    with pytest.raises(InputError, match="climbs out"):
        safe_extract(zpath, work)
    assert not (tmp_path / "evil.txt").exists() and list(work.iterdir()) == []


def test_zip_absolute_path_and_symlink_refused(tmp_path):
    zpath = tmp_path / "abs.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("/etc/evil", "x")
    with pytest.raises(InputError, match="absolute path"):
        safe_extract(zpath, tmp_path)
    zpath = tmp_path / "link.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        info = zipfile.ZipInfo("link.shp")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(InputError, match="symbolic link"):
        safe_extract(zpath, tmp_path)


def test_zip_bomb_refused(tmp_path):
    zpath = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.shp", b"\0" * (20 * 1024 * 1024))  # 20 MiB of zeros, ~20 KiB packed
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError, match="zip bomb"):
        safe_extract(zpath, out)
    with pytest.raises(InputError, match="size"):
        safe_extract(zpath, out, max_bytes=1024 * 1024, max_ratio=1e9)
    assert list(out.iterdir()) == []
    with pytest.raises(InputError, match="zip bomb"):
        read_boundaries(zpath)


def test_zip_bomb_of_many_modest_members_refused_before_writing(tmp_path, monkeypatch):
    # each member is 1 MiB of zeros (too small for the per-member ratio check); together they
    # expand ~300 MiB from ~300 KiB: bounded for the whole archive (issue 8 section 8)
    zpath = tmp_path / "many.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.shp", b"\0" * 1024)
        for k in range(300):
            zf.writestr(f"part{k:03}.dbf", b"\0" * (1024 * 1024))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError, match="whole archive") as err:
        safe_extract(zpath, out)
    assert "zip bomb" in str(err.value) and "many.zip" in str(err.value)
    assert list(out.iterdir()) == []  # refused on the declared sizes: nothing written
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)
    with pytest.raises(InputError, match="zip bomb"):
        read_boundaries(zpath)
    assert list(scratch.iterdir()) == []  # the temporary folder is gone too


def test_zip_total_bounded_on_bytes_written_when_headers_lie(tmp_path):
    zpath = tmp_path / "liar.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(40):
            zf.writestr(f"p{k:02}.dbf", b"\0" * (1024 * 1024))
    data = bytearray(zpath.read_bytes())
    # rewrite every declared uncompressed size to 1 byte (local headers and central directory)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(sig, start)) >= 0:
            data[start + offset : start + offset + 4] = (1).to_bytes(4, "little")
            start += 4
    zpath.write_bytes(bytes(data))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError, match="liar.zip"):  # stopped at the declared size
        safe_extract(zpath, out)
    assert sum(p.stat().st_size for p in out.iterdir()) <= 2 * 1024 * 1024


def test_zip_too_many_members_and_not_a_zip(tmp_path):
    zpath = tmp_path / "many.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for k in range(5):
            zf.writestr(f"f{k}.txt", "x")
    with pytest.raises(InputError, match="5 members"):
        safe_extract(zpath, tmp_path, max_members=4)
    (tmp_path / "fake.zip").write_bytes(b"PK not really")
    with pytest.raises(InputError, match="not a readable zip"):
        read_boundaries(tmp_path / "fake.zip")


def test_own_name_and_province_columns_kept(tmp_path):
    gdf = _frame(["6471", "6472"], names=["Balikpapan", None])
    gdf["province"] = ["Kalimantan Timur", "Kalimantan Timur"]
    gdf["name"] = ["x", "y"]
    path = tmp_path / "cols.gpkg"
    gdf.to_file(path, layer="kab")
    out = read_boundaries(path, name_field="nama")
    assert list(out["name"]) == ["Balikpapan", "6472"]  # missing name -> code
    assert list(out["name_original"]) == ["x", "y"]
    assert list(out["province"]) == ["64", "64"]
    assert list(out["province_original"]) == ["Kalimantan Timur"] * 2
    repairs = " ".join(map(str, out.attrs["kerjasama"]["repairs"]))
    assert "feature 2 code 6472" in repairs and "province_original" in repairs


def test_every_problem_of_a_file_in_one_error(tmp_path):
    gdf = _frame(
        ["6471", "6471", None, "6474"],
        names=["Balikpapan A", "Balikpapan B", "Tanpa kode", "Bontang"],
        geoms=[box(110, -1, 111, 0), box(111, -1, 112, 0), box(112, -1, 113, 0), Point(114, 0)],
    )
    path = tmp_path / "all.geojson"
    gdf.to_file(path, driver="GeoJSON")
    with pytest.raises(InputError) as err:
        read_boundaries(path)
    text = err.value.render("en")
    assert "3 problems, all listed here" in text
    assert "feature 3 (Tanpa kode)" in text  # missing code
    assert "6471: feature 1 Balikpapan A, feature 2 Balikpapan B" in text  # duplicates
    assert "feature 4 code 6474 (Bontang): Point" in text


def test_validity_on_two_threads_equals_one(monkeypatch):
    from geo import boundaries

    bow = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])  # self-intersecting
    good = [shapely.box(i, 0, i + 1, 1) for i in range(6)]
    geoms = np.array([good[0], bow, *good[1:4], None, bow, *good[4:]], dtype=object)
    monkeypatch.setattr(boundaries, "PARALLEL_VALIDITY_COORDS", 0)
    assert boundaries._is_valid(geoms).tolist() == shapely.is_valid(geoms).tolist()
    assert boundaries._is_valid(geoms).sum() == 6
