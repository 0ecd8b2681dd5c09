"""analysis.indicators.read_indicators on messy synthetic files and the real tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import read_indicators, unit_year_from_name
from common.errors import InputError

MESSY = (
    "Tabel 3. Indikator Kabupaten/Kota Provinsi Kalimantan Timur 2024\n"
    ";;%;jiwa;ton/tahun\n"
    "Kode;Nama Kabupaten/Kota;Akses Air Minum Layak (%) 2024;Jumlah Penduduk;Timbulan Sampah\n"
    "ID6401;Kab. Paser;84,25;286.991;44.299,9\n"
    "ID6402;Kab. Kutai Kartanegara;n/a;1.234.567;-\n"
    "ID6411;Kab. Mahakam Ulu;71,5;..;1.234,5\n"
    "ID6472;Kota Samarinda;abc;861.878;\n"
    "ID6474;Kota Bontang ñ;99,9;-12;12\n"
)


def test_semicolon_latin1_decimal_commas_units_and_bad_cell(tmp_path):
    path = tmp_path / "indikator.csv"
    path.write_bytes(MESSY.encode("cp1252"))
    before = path.read_bytes()
    table, problems = read_indicators(path)
    assert path.read_bytes() == before  # never modified
    assert list(table.columns) == [
        "Kode",
        "Nama Kabupaten/Kota",
        "Akses Air Minum Layak (%) 2024",
        "Jumlah Penduduk",
        "Timbulan Sampah",
    ]
    assert table.index.name == "row"
    assert table.index.tolist() == [4, 5, 6, 7, 8]  # file row numbers
    assert table["Kode"].tolist() == ["ID6401", "ID6402", "ID6411", "ID6472", "ID6474"]
    assert table.loc[8, "Nama Kabupaten/Kota"] == "Kota Bontang ñ"
    water = table["Akses Air Minum Layak (%) 2024"]
    assert water[4] == pytest.approx(84.25) and water[6] == pytest.approx(71.5)
    assert np.isnan(water[5]) and np.isnan(water[7])
    pop = table["Jumlah Penduduk"]
    assert pop[4] == 286991 and pop[5] == 1234567 and np.isnan(pop[6]) and pop[8] == -12
    waste = table["Timbulan Sampah"]
    assert waste[4] == pytest.approx(44299.9) and waste[6] == pytest.approx(1234.5)
    assert np.isnan(waste[5]) and np.isnan(waste[7])
    bad = [p for p in problems if p.severity == "warning"]
    assert len(bad) == 1
    assert (bad[0].row, bad[0].column, bad[0].value) == (7, "Akses Air Minum Layak (%) 2024", "abc")
    assert "row 7" in str(bad[0].message) and "'abc'" in str(bad[0].message)
    attrs = table.attrs["kerjasama"]
    assert attrs["encoding"] == "cp1252" and attrs["delimiter"] == "semicolon"
    assert attrs["header_row"] == 3
    assert attrs["units"]["Jumlah Penduduk"] == "jiwa"
    assert any("title line" in str(p.message) for p in problems)


def test_comma_file_with_thousands_commas_and_bom(tmp_path):
    path = tmp_path / "bps.csv"
    text = (
        "kode_bps,nama,penduduk,ipm\n"
        '6401,Paser,"286,991",74.7\n'
        '6402,Kutai Kartanegara,"1,234,567",75.91\n'
        "6403,Berau,n/a,76.66\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    table, problems = read_indicators(path)
    assert list(table.columns)[0] == "kode_bps"  # BOM stripped
    assert table["kode_bps"].tolist() == ["6401", "6402", "6403"]  # codes stay text
    assert table["penduduk"].tolist()[:2] == [286991, 1234567]
    assert table["ipm"].tolist() == [74.7, 75.91, 76.66]
    assert not [p for p in problems if p.severity == "warning"]


def test_codes_with_dots_stay_text(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("kemendagri_code,nilai\n64.10,1\n64.01,2\n", encoding="utf-8")
    table, _ = read_indicators(path)
    assert table["kemendagri_code"].tolist() == ["64.10", "64.01"]


def test_tab_separated_with_unit_row_below_header(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("kode\tnama\tsanitasi\n\t\t(%)\n6401\tPaser\t85,95\n6402\tKubar\t94,28\n")
    table, _ = read_indicators(path)
    assert table["sanitasi"].tolist() == [85.95, 94.28]
    assert table.index.tolist() == [3, 4]
    assert table.attrs["kerjasama"]["units"] == {"sanitasi": "(%)"}


def test_ambiguous_thousands_warned(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('kode,penduduk\n6401,"1,234"\n6402,"2,500"\n', encoding="utf-8")
    table, problems = read_indicators(path)
    assert any("could be a decimal" in str(p.message) for p in problems)


def test_xlsx(tmp_path):
    path = tmp_path / "indikator.xlsx"
    frame = pd.DataFrame(
        [
            ["Indikator 2024", None, None],
            ["kode", "nama", "air_minum_pct_2024"],
            ["64.01", "Kabupaten Paser", 72.31],
            ["64.07", "Kabupaten Kutai Barat", "85,92"],
            ["64.72", "Kota Samarinda", "n/a"],
            ["64.74", "Kota Bontang", "x?"],
        ]
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Data", header=False, index=False)
        frame.iloc[:2].to_excel(writer, sheet_name="Catatan", header=False, index=False)
    table, problems = read_indicators(path)
    assert table["kode"].tolist() == ["64.01", "64.07", "64.72", "64.74"]
    values = table["air_minum_pct_2024"]
    assert values[3] == pytest.approx(72.31) and values[4] == pytest.approx(85.92)
    assert np.isnan(values[5])
    bad = [p for p in problems if p.severity == "warning"]
    assert [(p.row, p.column, p.value) for p in bad] == [(6, "air_minum_pct_2024", "x?")]
    assert any("Catatan" in str(p.message) for p in problems)
    table2, _ = read_indicators(path, sheet="Data")
    pd.testing.assert_frame_equal(table, table2)
    with pytest.raises(InputError, match="no sheet 'Nope'"):
        read_indicators(path, sheet="Nope")


def test_unusable_files(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_indicators(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_indicators(empty)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable .xlsx"):
        read_indicators(broken)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="save it as .xlsx"):
        read_indicators(old)
    notes = tmp_path / "notes.csv"
    notes.write_text("just one line of prose\nand another\n")
    with pytest.raises(InputError, match="header"):
        read_indicators(notes)


def test_unit_year_from_name():
    assert unit_year_from_name("Timbulan Sampah (ton/tahun) 2024") == ("ton/tahun", 2024)
    assert unit_year_from_name("water_access_pct_2024") == ("%", 2024)
    assert unit_year_from_name("Akses Air Minum Layak (%) 2024") == ("%", 2024)
    assert unit_year_from_name("nama") == ("", None)


def test_real_national_table(national_indicators):
    table, problems = read_indicators(national_indicators)
    assert len(table) == 514
    assert not [p for p in problems if p.severity == "warning"]
    assert table["kemendagri_code_2025"].iloc[0] == "11.09"
    assert table["code"].iloc[0] == "1101"
    assert table["water_access_pct_2024"].notna().sum() == 512
    assert table["waste_managed_pct_2024"].notna().sum() == 315
    reference = pd.read_csv(national_indicators)
    numeric = reference.select_dtypes("number").columns.drop(
        ["code", "province_code", "kemendagri_code_2025"]
    )
    for column in numeric:
        np.testing.assert_allclose(table[column].to_numpy(), reference[column].to_numpy())


# ---------------------------------------------------------------- issue 8 §5: never misread


def test_row_with_another_number_of_fields_is_an_error_naming_it(tmp_path):
    path = tmp_path / "shift.csv"
    path.write_text(
        "kode,nama,water_access_pct_2024,grdp\n"
        "64.01,Paser,84,25,3.64\n"  # unquoted decimal comma: one field too many
        "64.02,Kutai Kartanegara,80.5,7.1\n"
        "64.03,Berau,77.1\n"  # one field short
        "Sumber: BPS\n"  # a footnote below the table is fine
    )
    with pytest.raises(InputError) as err:
        read_indicators(path)
    text = err.value.render("en")
    assert "2 row(s) have a different number of fields than the header (4 fields)" in text
    assert "row 2 (5 fields), row 4 (3 fields)" in text and '"84,25"' in text
    assert "baris 2 (5 field)" in err.value.render("id")
    path.write_text(
        'kode,nama,water_access_pct_2024,grdp\n64.01,Paser,"84,25",3.64\n'
        "64.02,Kutai Kartanegara,80.5,7.1,,\nSumber: BPS\n"
    )
    table, problems = read_indicators(path)  # trailing empty fields are harmless
    assert table["water_access_pct_2024"].tolist() == [84.25, 80.5]
    assert table["grdp"].tolist() == [3.64, 7.1] and list(table.columns)[-1] == "grdp"
    assert any("Sumber: BPS" in p.message.render("en") for p in problems)


def test_thousands_with_dots_flagged_when_implausible(tmp_path):
    from analysis.join import join_indicators

    path = tmp_path / "pop.xlsx"
    frame = pd.DataFrame(
        [["kode", "nama", "population_bps_2024"], ["64.01", "Paser", 286.991],
         ["64.09", "Penajam Paser Utara", 191.42], ["64.72", "Kota Samarinda", 861878]]
    )  # fmt: skip
    with pd.ExcelWriter(path, engine="openpyxl") as writer:  # typed in an English-locale Excel
        frame.to_excel(writer, header=False, index=False)
    table, _ = read_indicators(path)
    assert table["population_bps_2024"].tolist() == [286.991, 191.42, 861878]
    regions = pd.DataFrame(
        {"name": ["Kabupaten Paser", "Kabupaten Penajam Paser Utara", "Kota Samarinda"]},
        index=pd.Index(["6401", "6409", "6472"], name="code"),
    )
    regions["province"] = "64"
    joined, report = join_indicators(regions, table)
    assert joined["population_bps_2024"].isna().tolist() == [True, True, False]
    assert len(report.out_of_range) == 2 and report.exit_code == 1
    (flag,) = [p for p in report.problems if p.column == "population_bps_2024"]
    text = flag.message.render("en")
    assert "written like '286.991' (e.g. row 2)" in text and "'286.991' = 286,991" in text
    assert "1 value(s) below the valid minimum 1,000 jiwa" in text
    assert "286.991 = 286.991" not in flag.message.render("id")


def test_dot_thousands_in_a_comma_decimal_file_read_as_thousands(tmp_path):
    path = tmp_path / "koma.csv"
    path.write_text("kode;nama;population_bps_2024;air\n64.01;Paser;286.991;84,25\n"
                    "64.02;Kutai Kartanegara;800.123;80,5\n")  # fmt: skip
    table, problems = read_indicators(path)
    assert table["population_bps_2024"].tolist() == [286991, 800123]
    assert not [p for p in problems if "decimal" in p.message.render("en")]
    assert table.attrs["kerjasama"]["grouped_decimals"] == {}


def test_formulas_without_saved_values_named(tmp_path):
    import openpyxl

    path = tmp_path / "rumus.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kode", "nama", "penduduk", "luas", "kepadatan"])
    sheet.append(["64.01", "Paser", 286991, 11603.94, "=C2/D2"])
    sheet.append(["64.02", "Kutai Kartanegara", 800123, 27263.10, "=C3/D3"])
    book.save(path)  # openpyxl writes formulas but never their results
    table, problems = read_indicators(path)
    assert table["kepadatan"].isna().all()
    (warning,) = [p for p in problems if p.severity == "warning"]
    text = warning.message.render("en")
    assert "column 'kepadatan' holds 2 formula(s) without a saved value (e.g. E2: =C2/D2)" in text
    assert "LibreOffice" in text and "CSV" in text


def test_columns_of_placeholders_reported(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("kode,nama,rahasia,kosong,air\n64.01,Paser,x,-,84.2\n64.02,Berau,x,n/a,80\n")
    table, problems = read_indicators(path)
    warned = {p.column: p.message.render("en") for p in problems if p.severity == "warning"}
    assert set(warned) == {"rahasia", "kosong"}
    assert "every value is a placeholder ('x'), so it is read as text" in warned["rahasia"]
    assert "column 'kosong' has no values" in warned["kosong"]
    assert table["air"].tolist() == [84.2, 80.0]
