"""Uploads (kerjasama.present.upload): hostile files are refused, good ones read like the CLI."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest

from analysis.config import load_config
from common.errors import InputError
from kerjasama.present.upload import Upload, read_uploads, stage_boundaries, stage_indicators


@pytest.fixture()
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Point tempfile at an empty folder so leftovers would be visible."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shapefile_uploads(kaltim_shp: Path) -> list[Upload]:
    return [
        Upload(f"kaltim_adm2{ext}", kaltim_shp.with_suffix(ext).read_bytes())
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")
    ]


@pytest.mark.parametrize("evil", ["../../evil.shp", "/etc/evil.shp"])
def test_zip_with_escaping_path_is_refused(tmp_path, evil):
    upload = Upload("batas.zip", zip_bytes({evil: b"x", "ok.dbf": b"y"}))
    with pytest.raises(InputError) as err:
        stage_boundaries([upload], tmp_path)
    message = str(err.value)
    assert "batas.zip" in message
    assert str(tmp_path) not in message  # the temporary folder is not shown
    assert not (tmp_path.parent / "evil.shp").exists()
    assert not Path("/etc/evil.shp").exists()


def test_size_limit_and_types(tmp_path):
    big = Upload("besar.gpkg", b"0" * 2_000_001)
    with pytest.raises(InputError, match=r"'besar.gpkg' is 2.0 MB, over the 1 MB limit") as err:
        stage_boundaries([big], tmp_path, limit_mb=1)
    assert "'besar.gpkg' berukuran 2,0 MB, melebihi batas 1 MB" in err.value.render("id")
    with pytest.raises(InputError, match=r"'peta.kml'.*not supported"):
        stage_boundaries([Upload("peta.kml", b"<kml/>")], tmp_path)
    with pytest.raises(InputError, match=r"'data.ods'"):
        stage_indicators(Upload("data.ods", b"x"), tmp_path)
    with pytest.raises(InputError, match="one boundary dataset"):
        stage_boundaries([Upload("a.gpkg", b"x"), Upload("b.geojson", b"{}")], tmp_path)


def test_incomplete_shapefile_names_missing_parts(tmp_path, kaltim_shp):
    parts = [u for u in shapefile_uploads(kaltim_shp) if not u.name.endswith((".shx", ".dbf"))]
    with pytest.raises(InputError, match=r"'kaltim_adm2.shp'.*\.shx, \.dbf"):
        stage_boundaries(parts, tmp_path)


def test_fixed_names_inside_folder(tmp_path, kaltim_indicators):
    upload = Upload("../../../outside.csv", kaltim_indicators.read_bytes())
    path = stage_indicators(upload, tmp_path)
    assert path == tmp_path / "indicators.csv"
    assert not (tmp_path.parent.parent / "outside.csv").exists()


def test_read_uploads_shapefile_parts_like_cli(private_tmp, kaltim_shp, kaltim_indicators):
    data = read_uploads(
        shapefile_uploads(kaltim_shp),
        Upload("kaltim_indicators.csv", kaltim_indicators.read_bytes()),
        config=load_config(),
    )
    assert len(data.regions) == 10 and data.regions.index.name == "code"
    assert data.report.matched == 10
    assert data.table.loc["6402", "name"] == "Kabupaten Kutai Kartanegara"
    assert data.regions.attrs["kerjasama"]["source"] == "kaltim_adm2.shp"
    assert list(private_tmp.iterdir()) == []  # nothing left on disk


def test_read_uploads_zip_and_join_error(private_tmp, kaltim_shp, kaltim_indicators):
    members = {u.name: u.data for u in shapefile_uploads(kaltim_shp)}
    zipped = Upload("kaltim.zip", zip_bytes(members))
    indicators = Upload("kaltim_indicators.csv", kaltim_indicators.read_bytes())
    data = read_uploads([zipped], indicators, config=load_config())
    assert data.report.matched == 10
    # joining the Kemendagri boundary code to the BPS code pairs different regions: refused,
    # with the same message as the command line, never naming the temporary folder
    with pytest.raises(InputError) as err:
        read_uploads(
            [zipped], indicators, config=load_config(), boundary_key="code", indicator_key="code"
        )
    message = str(err.value)
    assert "Kutai Barat" in message and "--boundary-key code_dot" in message
    assert str(private_tmp) not in message
    assert list(private_tmp.iterdir()) == []


def test_read_uploads_needs_both(tmp_path):
    with pytest.raises(InputError, match="Upload both"):
        read_uploads([], None, config=load_config())


def test_read_uploads_passes_the_reading_options(private_tmp, tmp_path, national_indicators):
    import layouts

    shp = layouts.big(tmp_path)
    parts = [
        Upload(p.name, p.read_bytes())
        for p in sorted(tmp_path.iterdir())
        if p.stem == shp.stem and p.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg")
    ]
    indicators = Upload("indikator.csv", national_indicators.read_bytes())
    data = read_uploads(parts, indicators, config=load_config())
    assert data.report.matched == 10 and data.regions.attrs["kerjasama"]["set_aside"] is not None
    with pytest.raises(InputError) as err:
        read_uploads(parts, indicators, config=load_config(), keep_non_regions=True)
    assert "feature 12" in str(err.value) and "batas_kabkota_big.shp" in str(err.value)
    assert str(private_tmp) not in str(err.value)
    with pytest.raises(InputError) as err:  # the user's choice wins: village names differ
        read_uploads(parts, indicators, config=load_config(), name_field="NAMOBJ")
    assert "'Tanah Grogot' vs indicator 6401 'Kabupaten Paser'" in str(err.value)
    data = read_uploads(parts, indicators, config=load_config(), id_field="KDPKAB")
    assert data.regions.attrs["kerjasama"]["id_field"] == "KDPKAB"


def test_zip_upload_extracted_once(private_tmp, kaltim_shp, kaltim_indicators, monkeypatch):
    # issue 8 section 8: the app used to extract an uploaded zip twice (check, then read)
    import geo.boundaries
    import geo.safezip

    calls = []
    original = geo.safezip.safe_extract

    def counted(*args, **kw):
        calls.append(args[0])
        return original(*args, **kw)

    monkeypatch.setattr(geo.safezip, "safe_extract", counted)
    monkeypatch.setattr(geo.boundaries, "safe_extract", counted)
    suffixes = (".shp", ".shx", ".dbf", ".prj")
    parts = {f"kaltim_adm2{e}": kaltim_shp.with_suffix(e).read_bytes() for e in suffixes}
    data = read_uploads(
        [Upload("batas kaltim.zip", zip_bytes(parts))],
        Upload("ind.csv", kaltim_indicators.read_bytes()),
        config=load_config(),
    )
    assert len(calls) == 1 and len(data.regions) == 10
    assert data.boundary_name == "batas kaltim.zip"
