"""Import (all-or-nothing), CSV export (formulas neutralised), GeoJSON export, seeding."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import shapely
from registry_support import agreement

from common.errors import InputError
from common.spreadsheet import neutralise
from registry import Registry, exchange, seed

HEADER = ["name", "sector", "form", "stage", "kb_on", "members", "provider", "notes"]


def _write_csv(path, rows, header=HEADER, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_xlsx(path, rows, header=HEADER):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD = [
    ["TPA Regional A", "waste", "joint", "kb", "2024-01-10", "64.74;64.08", "", ""],
    ["SPAM B", "water", "contract", "usulan", "", "64.71;64.09", "64.71", "air curah"],
    ["SPAM C", "water", "contract", "kb", "2024-03-01", "35.78;35.15", "35.78", ""],
]


@pytest.mark.parametrize("kind", ["csv", "csv;", "xlsx"])
def test_import_good_file(reg, tmp_path, kind):
    if kind == "xlsx":
        path = _write_xlsx(tmp_path / "in.xlsx", GOOD)
    else:
        path = _write_csv(tmp_path / "in.csv", GOOD, delimiter=kind[-1] if ";" in kind else ",")
    rows = exchange.read_rows(path)
    ids = reg.add_many([r for _, r in rows], source=str(path), row_numbers=[n for n, _ in rows])
    assert len(ids) == 3
    listed = reg.list()
    assert [(s.name, s.stage, s.members) for s in listed] == [
        ("TPA Regional A", "kb", ("6474", "6408")),
        ("SPAM B", "usulan", ("6471", "6409")),
        ("SPAM C", "kb", ("3578", "3515")),
    ]
    assert listed[1].provider.code == "6471"


def test_import_is_all_or_nothing(reg, tmp_path):
    bad = [
        GOOD[0],
        ["", "water", "joint", "kb", "2024-01-10", "64.71;64.09", "", ""],  # row 3: no name
        GOOD[1],
        [],  # blank row 5 is skipped, numbering kept
        ["X", "water", "joint", "kb", "31/01/2024", "64.71", "", ""],  # row 6: date
        ["Y", "roads", "joint", "kb", "2024-01-10", "64.71", "", ""],  # row 7: sector
    ]
    path = _write_csv(tmp_path / "bad.csv", bad)
    rows = exchange.read_rows(path)
    with pytest.raises(InputError) as info:
        reg.add_many([r for _, r in rows], source=str(path), row_numbers=[n for n, _ in rows])
    message = info.value.render("en")
    assert "3 row(s)" in message and "nothing was written" in message
    assert f"{path}, row 3: Field 'name'" in message
    assert f"{path}, row 6: Field 'kb_on'" in message
    assert f"{path}, row 7: Field 'sector'" in message
    assert "row 2" not in message and "row 4" not in message
    assert "baris 3" in info.value.render("id")
    assert reg.list() == []


def test_import_refuses_unknown_columns_and_duplicate_seed(reg, tmp_path):
    path = _write_csv(tmp_path / "cols.csv", [GOOD[0] + ["x"]], header=[*HEADER, "colour"])
    with pytest.raises(InputError, match="colour"):
        exchange.read_rows(path)
    header = [*HEADER, "seed_id"]
    path = _write_csv(tmp_path / "dupe.csv", [GOOD[0] + ["A1"], GOOD[2] + ["A1"]], header=header)
    rows = exchange.read_rows(path)
    with pytest.raises(InputError, match="row 3.*A1.*row 2"):
        reg.add_many([r for _, r in rows], source=str(path), row_numbers=[n for n, _ in rows])
    assert reg.list() == []
    with pytest.raises(InputError, match=r"\.csv or \.xlsx"):
        exchange.read_rows(tmp_path.joinpath("x.txt").write_text("a") and tmp_path / "x.txt")
    not_xlsx = tmp_path / "fake.xlsx"
    not_xlsx.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="cannot be read"):
        exchange.read_rows(not_xlsx)


def test_database_failure_rolls_back_the_whole_import(reg, tmp_path):
    reg.add(agreement(seed_id="S-1"))
    header = [*HEADER, "seed_id"]
    path = _write_csv(tmp_path / "s.csv", [GOOD[1] + ["S-2"], GOOD[2] + ["S-1"]], header=header)
    rows = exchange.read_rows(path)
    with pytest.raises(InputError, match="row 3.*S-1"):
        reg.add_many([r for _, r in rows], source=str(path), row_numbers=[n for n, _ in rows])
    assert [s.name for s in reg.list()] == ["TPA Regional Bontang–Kutai Timur"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_export_neutralises_formulas(reg, start):
    reg.add(agreement(name=f'{start}HYPERLINK("http://evil","x")', third_parties=f"{start}1+1"))
    text = exchange.agreements_csv(reg.list())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == f'\'{start}HYPERLINK("http://evil","x")'
    assert rows[0]["third_parties"] == f"'{start}1+1"
    assert rows[0]["members"] == "64.74;64.08"  # codes untouched
    assert list(rows[0]) == list(exchange.CSV_COLUMNS)


def test_neutralise():
    assert neutralise("-5") == "'-5"
    assert neutralise("\tcmd") == "'\tcmd"  # (stored text is stripped, so only via other paths)
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("Kota Samarinda") == "Kota Samarinda"
    assert neutralise(None) == ""
    assert neutralise("a=b") == "a=b"


@pytest.mark.realdata
def test_geojson_export_uses_the_parties_polygons(reg, national_adm2):
    from geo.boundaries import read_boundaries

    regions = read_boundaries(national_adm2)
    kab = reg.add(agreement(members="64.74;64.08", third_parties="PT Contoh"))
    prov = reg.add(agreement(name="Provinsi + Balikpapan", members="64.71", provinces="63"))
    text = exchange.agreements_geojson(reg.list(), regions)
    data = json.loads(text)
    features = {f["properties"]["id"]: f for f in data["features"]}
    one = shapely.geometry.shape(features[kab]["geometry"])
    members = shapely.union_all(regions.geometry.loc[["6474", "6408"]].to_numpy())
    assert one.is_valid
    assert abs(one.area - members.area) / members.area < 0.01
    assert one.symmetric_difference(members).area / members.area < 0.01
    assert features[kab]["properties"]["third_parties"] == ["PT Contoh"]
    assert {p["kind"] for p in features[kab]["properties"]["parties"]} == {"kabkota", "third"}
    # a province party adds the dissolve of the province's kab/kota (Kalimantan Selatan, 63)
    two = shapely.geometry.shape(features[prov]["geometry"])
    kalsel = shapely.union_all(regions.geometry[regions["province"] == "63"].to_numpy())
    balikpapan = regions.geometry.loc["6471"]
    expected = shapely.union_all([kalsel, balikpapan])
    assert abs(two.area - expected.area) / expected.area < 0.01
    assert two.contains(shapely.Point(114.59, -3.32))  # Banjarmasin
    assert features[prov]["properties"]["members"] == ["64.71"]
    assert features[prov]["properties"]["provinces"] == ["63"]


def test_geojson_export_names_a_missing_region(reg):
    import geopandas as gpd

    regions = gpd.GeoDataFrame(
        {"name": ["Kota Bontang"], "province": ["64"]},
        geometry=[shapely.box(117, 0, 118, 1)],
        index=__import__("pandas").Index(["6474"], name="code"),
        crs=4326,
    )
    reg.add(agreement())
    with pytest.raises(InputError, match="64.08"):
        exchange.agreements_geojson(reg.list(), regions)


SEED_HEADER = list(seed.COLUMNS)


def _seed_row(**over):
    row = dict.fromkeys(SEED_HEADER, "")
    row.update(
        id="KALTIM-WATER-1",
        name="SPAM Regional Balikpapan–PPU–Kukar",
        sector="water",
        form="contract",
        provider="64.71",
        members="64.71;64.09;64.02",
        member_names="Balikpapan;PPU;Kukar",
        other_parties="Pemerintah Provinsi Kalimantan Timur;PDAM Tirta Manuntung",
        province_codes="64",
        stage="PKS",
        year="2019",
        year_basis="PKS signed",
        source_url="https://example.org/spam",
        source_title="Source",
        confidence="high",
        holdout="0",
    )
    row.update(over)
    return row


def test_seed_from_a_small_csv(db_url, tmp_path):
    path = tmp_path / "arrangements.csv"
    rows = [
        _seed_row(),
        _seed_row(
            id="JATIM-WASTE-1",
            sector="waste",
            form="joint",
            provider="",
            members="35.78;35.15",
            other_parties="",
            province_codes="35",
            stage="running",
            year="2016",
        ),
        _seed_row(
            id="X-ENDED", stage="ended", other_parties="", members="64.72;64.08", provider=""
        ),
    ]
    rows[2]["form"] = "joint"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, SEED_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    with Registry.open(db_url, local_user="seed") as reg:
        report = seed.seed(reg, path)
        assert (report.rows, report.added, report.skipped) == (3, 3, 0)
        again = seed.seed(reg, path)
        assert (again.added, again.skipped) == (0, 3)
        listed = reg.list()
        assert [(s.stage, s.documented, s.known_year) for s in listed] == [
            ("pks", True, 2019),
            ("berjalan", True, 2016),
            ("berakhir", True, 2019),
        ]
        first = reg.get(listed[0].id)
        assert first["source_url"] == "https://example.org/spam" and first["confidence"] == "high"
        assert [(p.kind, p.code or p.name, p.is_provider) for p in first.parties] == [
            ("kabkota", "6471", True),
            ("kabkota", "6409", False),
            ("kabkota", "6402", False),
            ("province", "64", False),
            ("third", "PDAM Tirta Manuntung", False),
        ]
        # a fresh install with the seed has no open alert
        report = reg.alerts(dt.date.today())
        assert report.alerts == () and len(report.dates_unknown) == 2


def test_seed_bad_row_names_row_and_field(reg, tmp_path):
    path = tmp_path / "arrangements.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, SEED_HEADER)
        writer.writeheader()
        writer.writerow(_seed_row())
        writer.writerow(_seed_row(id="B", members="64.7x"))
    with pytest.raises(InputError, match=r"row 3: Field 'members'"):
        seed.seed(reg, path)
    assert reg.list() == []


@pytest.mark.skipif(not seed.DEFAULT_CSV.is_file(), reason="data/arrangements not in this checkout")
def test_seed_the_real_arrangements(tmp_path, national_adm2):
    from geo.boundaries import read_boundaries

    places = read_boundaries(national_adm2)
    with Registry.open(
        f"sqlite:///{tmp_path / 'r.sqlite'}", local_user="seed", places=places
    ) as reg:
        report = seed.seed(reg)
        assert report.added == report.rows >= 30
        listed = reg.list()
        assert all(s.documented for s in listed)
        assert len({p for s in listed for p in s.provinces}) >= 10
        assert reg.alerts(dt.date.today()).alerts == ()
        text = exchange.agreements_geojson(listed, places)
        assert len(json.loads(text)["features"]) == report.rows


def test_seed_recognises_province_parties_by_name():
    names = {"jawa barat": "32", "banten": "36", "aceh": "11", "di yogyakarta": "34"}
    row = _seed_row(
        other_parties="Provinsi Jawa Barat; PDAB Jawa Barat; Pemerintah Aceh (DLHK); "
        "Provinsi Daerah Istimewa Yogyakarta",
        province_codes="32;36",
    )
    values = seed.to_values(row, names)
    assert values["provinces"] == ["32", "11", "34"]
    assert values["third_parties"] == ["PDAB Jawa Barat"]
    # without names, a two-province row cannot tell which province is meant: a third party
    values = seed.to_values(_seed_row(other_parties="Provinsi Jawa Barat", province_codes="32;36"))
    assert (values["provinces"], values["third_parties"]) == ([], ["Provinsi Jawa Barat"])
