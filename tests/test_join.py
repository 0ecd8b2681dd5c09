"""analysis.join: the verified join, on real files and on frames built here; validate CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import read_indicators
from analysis.join import join_indicators, name_key, names_match
from common.errors import InputError
from geo.boundaries import read_boundaries
from kerjasama.cli import main
from kerjasama.present.words import join_report_text


@pytest.fixture(scope="module")
def national(national_adm2, national_indicators):
    return read_boundaries(national_adm2), read_indicators(national_indicators)[0]


def test_naive_national_join_refused(national):
    regions, table = national
    with pytest.raises(InputError) as err:
        join_indicators(regions, table, boundary_key="code", indicator_key="code")
    message = str(err.value)
    assert "164 of 479 matched codes name different regions" in message
    assert (
        "boundary 6402 'Kabupaten Kutai Kartanegara' vs indicator 6402 'Kabupaten Kutai Barat'"
        in message
    )
    assert "--boundary-key code_dot --indicator-key kemendagri_code_2025" in message
    assert "matches 514 of 514" in message


def test_national_join_514(national):
    regions, table = national
    joined, report = join_indicators(
        regions, table, boundary_key="code_dot", indicator_key="kemendagri_code_2025"
    )
    assert report.matched == 514 and report.exit_code == 0
    assert joined.index.equals(regions.index) and joined.index.name == "code"
    assert joined.loc["6402", "name_indicator"] == "Kabupaten Kutai Kartanegara"
    assert joined.loc["6407", "code_indicator"] == "6402"  # BPS code of Kutai Barat
    assert (
        joined.loc["6402", "population_bps_2024"]
        == table.loc[table["name"] == "Kabupaten Kutai Kartanegara", "population_bps_2024"].item()
    )
    assert report.coverage.loc["waste_managed_pct_2024", "non_missing"] == 315
    assert report.coverage.loc["water_access_pct_2024", "year"] == 2024
    # proposed keys find the same pair
    _, proposed = join_indicators(regions, table)
    assert (proposed.boundary_key, proposed.indicator_key) == ("code_dot", "kemendagri_code_2025")
    assert proposed.proposed and proposed.matched == 514


def test_kaltim_shapefile(kaltim_shp, kaltim_indicators):
    regions = read_boundaries(kaltim_shp)
    table, _ = read_indicators(kaltim_indicators)
    with pytest.raises(InputError, match="2 of 8 matched codes"):
        join_indicators(regions, table, boundary_key="code", indicator_key="code")
    joined, report = join_indicators(
        regions, table, boundary_key="code_dot", indicator_key="kemendagri_code_2025"
    )
    assert report.matched == 10 and len(joined) == 10 and report.exit_code == 0
    assert joined.loc["6407", "name_indicator"] == "Kabupaten Kutai Barat"


def _regions(codes_names):
    frame = pd.DataFrame(
        {
            "code_raw": [c for c, _ in codes_names],
            "name": [n for _, n in codes_names],
            "province": [c[:2] for c, _ in codes_names],
            "kode_dot": [f"{c[:2]}.{c[2:]}" for c, _ in codes_names],
        },
        index=pd.Index([c for c, _ in codes_names], name="code"),
    )
    return frame


REGIONS = [
    ("3201", "Kabupaten Bogor"),
    ("3271", "Kota Bogor"),
    ("3403", "Kabupaten Gunungkidul"),
    ("6401", "Kabupaten Paser"),
    ("6472", "Kota Samarinda"),
]


def test_messy_table_joined_and_reported(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_bytes(
        (
            "Data 2024\n"
            "Kode;Nama;water_access_pct_2024;population_bps_2024\n"
            "ID3201;KAB. BOGOR;84,25;5.682.303\n"
            "ID3271;Kota Bogor;140;1.100.000\n"
            "ID3403;Kab Gunung Kidul;n/a;750.000\n"
            "ID6401;Kab. Paser;72,3;-5\n"
            "ID6401;Kab. Paser;72,3;-5\n"
            "ID9999;Kabupaten Entah;50;10\n"
        ).encode("cp1252")
    )
    table, problems = read_indicators(path)
    assert [(p.row, p.column, p.value) for p in problems if p.severity == "warning"] == []
    joined, report = join_indicators(_regions(REGIONS), table)
    assert report.indicator_key == "Kode" and report.matched == 4
    assert report.unmatched_regions["code"].tolist() == ["6472"]
    assert report.unmatched_rows["key"].tolist() == ["ID9999"]
    assert report.duplicates["row"].tolist() == [6, 7]
    assert report.duplicates["identical"].all()
    oor = report.out_of_range
    assert oor[["code", "row", "column", "value"]].values.tolist() == [
        ["3271", 4, "water_access_pct_2024", 140.0],
        ["6401", 6, "population_bps_2024", -5.0],
    ]
    assert np.isnan(joined.loc["3271", "water_access_pct_2024"])  # out of range -> missing
    assert joined.loc["3201", "water_access_pct_2024"] == pytest.approx(84.25)
    assert joined.loc["3201", "population_bps_2024"] == 5682303
    assert np.isnan(joined.loc["6472", "population_bps_2024"])  # kept, not dropped
    assert joined.index.tolist() == [c for c, _ in REGIONS]
    assert report.exit_code == 1
    text = join_report_text(report, "en")
    assert "4 of 5 regions matched" in text
    assert "6472 Kota Samarinda" in text and "row 8: ID9999" in text
    assert "water_access_pct_2024 = 140" in text


def test_conflicting_duplicates_refused():
    table = pd.DataFrame(
        {
            "kode": ["3201", "3201", "6401"],
            "nama": ["Bogor", "Bogor", "Paser"],
            "v": [1.0, 2.0, 3.0],
        }
    )
    with pytest.raises(InputError, match="code 3201 in rows 0, 1"):
        join_indicators(_regions(REGIONS), table, indicator_key="kode", boundary_key="code")


def test_kab_and_kota_of_same_name_differ():
    regions = _regions(REGIONS)
    swapped = pd.DataFrame(
        {
            "kode": ["3201", "3271", "3403", "6401", "6472"],
            "nama": ["Kota Bogor", "Kabupaten Bogor", "Gunungkidul", "Paser", "Samarinda"],
        }
    )
    with pytest.raises(InputError, match="2 of 5 matched codes"):
        join_indicators(regions, swapped, boundary_key="code", indicator_key="kode")
    joined, report = join_indicators(
        regions, swapped, boundary_key="code", indicator_key="kode", names=False
    )
    assert report.matched == 5


def test_missing_key_column_named():
    with pytest.raises(InputError, match="no column 'kd'"):
        join_indicators(_regions(REGIONS), pd.DataFrame({"kode": ["3201"]}), indicator_key="kd")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Kabupaten Gunung Kidul", "GUNUNGKIDUL", True),
        ("Kab. Kepulauan Sangihe", "Kabupaten Kep. Sangihe", True),
        ("Kota Adm. Jakarta Selatan", "Kota Administrasi Jakarta Selatan", True),
        ("Kabupaten Mahakam Hulu", "Kabupaten Mahakam Ulu", True),
        ("Kabupaten Bogor", "Kota Bogor", False),
        ("Kabupaten Banggai", "Kabupaten Banggai Kepulauan", False),
        ("Kabupaten Kutai Kartanegara", "Kabupaten Kutai Barat", False),
    ],
)
def test_names_match(a, b, same):
    assert names_match(a, b) is same
    assert name_key("Bogor, Kab.") == ("kabupaten", "bogor")


def test_validate_cli(capsys, national_adm2, national_indicators, kaltim_shp, kaltim_indicators):
    assert main(["validate", "--lang", "en"]) == 0  # data folder + config defaults
    out = capsys.readouterr().out
    assert "514 of 514 regions matched" in out
    assert "waste_managed_pct_2024 [%, 2024]: 315 / 514 (61%)" in out
    code = main(
        ["validate", "--boundaries", str(national_adm2), "--indicators", str(national_indicators),
         "--boundary-key", "code", "--indicator-key", "code", "--lang", "en"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2 and "Traceback" not in captured.err
    assert "164 of 479" in captured.err and "Kutai Barat" in captured.err
    code = main(
        ["validate", "--boundaries", str(national_adm2), "--indicators", str(national_indicators),
         "--boundary-key", "code", "--indicator-key", "code"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "164 dari 479" in err and "--boundary-key code_dot" in err
    code = main(
        ["validate", "--boundaries", str(kaltim_shp), "--indicators", str(kaltim_indicators)]
    )
    assert code == 0 and "10 dari 10 wilayah cocok" in capsys.readouterr().out


def test_validate_cli_problems_and_unreadable(tmp_path, capsys, kaltim_shp):
    path = tmp_path / "k.csv"
    path.write_text(
        "kode;nama;water_access_pct_2024\n64.01;Paser;abc\n64.02;Kutai Kartanegara;80\n"
    )
    code = main(["validate", "--boundaries", str(kaltim_shp), "--indicators", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "2 dari 10 wilayah cocok" in out and "baris 2, kolom 'water_access_pct_2024'" in out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    args = ["validate", "--boundaries", str(kaltim_shp), "--indicators", str(bad)]
    code = main([*args, "--lang", "en"])
    assert code == 2 and "not a readable .xlsx" in capsys.readouterr().err
    assert main(args) == 2 and "bukan workbook .xlsx" in capsys.readouterr().err


def test_sectors_cli(capsys):
    assert main(["sectors", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for sector_id in ("water", "sanitation", "waste", "health", "economy"):
        assert f"{sector_id}: " in out
    assert "100 - water_access_pct_2024 [% of households, 2024]" in out
    assert main(["sectors"]) == 0
    out = capsys.readouterr().out
    assert "Kesenjangan" in out
    assert "100 - water_access_pct_2024 [% rumah tangga, 2024]" in out
