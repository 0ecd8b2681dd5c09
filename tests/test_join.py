"""analysis.join: the verified join, on real files and on frames built here; validate CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import read_indicators
from analysis.join import join_indicators
from common.errors import InputError
from geo.boundaries import read_boundaries
from geo.names import name_key, names_match
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


# ---------------------------------------------------------------- issue 8 §4 and issue 9


def _kaltim(system: str = "kemendagri") -> list[tuple[str, str]]:
    """The ten Kalimantan Timur regions as (code, name) in one numbering of the shipped list."""
    from geo.reference import regions

    ref = regions()
    kaltim = ref[ref["province"] == "64"]
    codes = kaltim.index if system == "kemendagri" else kaltim["bps_code"]
    return list(zip(codes, kaltim["name"], strict=True))


def _table(pairs, name_header="Kabupaten/Kota", **extra) -> pd.DataFrame:
    data = {"Kode": [c for c, _ in pairs]}
    if name_header:
        data[name_header] = [n for _, n in pairs]
    data["water_access_pct_2024"] = [50.0 + k for k in range(len(pairs))]
    data.update(extra)
    return pd.DataFrame(data, index=pd.Index(range(2, len(pairs) + 2), name="row"))


def test_bps_style_name_header_recognised_and_mixup_refused():
    regions = _regions(_kaltim())
    with pytest.raises(InputError) as err:
        join_indicators(regions, _table(_kaltim("bps")), indicator_key="Kode", boundary_key="code")
    text = err.value.render("en")
    assert "name different regions" in text and "BPS vs Kemendagri" in text
    assert "'Kabupaten Kutai Kartanegara' vs indicator 6402 'Kabupaten Kutai Barat'" in text
    _, report = join_indicators(regions, _table(_kaltim()))
    assert report.indicator_name == "Kabupaten/Kota" and report.matched == 10


@pytest.mark.parametrize("header", [None, "Keterangan"])
def test_no_names_to_compare_refused_unless_no_name_check(header):
    regions = _regions(_kaltim())
    pairs = _kaltim("bps")
    table = _table(pairs, name_header=header)
    if header:
        table[header] = ["-"] * len(pairs)
    with pytest.raises(InputError) as err:
        join_indicators(regions, table, boundary_key="code", indicator_key="Kode")
    text = err.value.render("en")
    assert "cannot be checked: no region names can be compared" in text
    assert "6402: Kabupaten Kutai Kartanegara in Kemendagri numbering" in text
    assert "Kabupaten Kutai Barat in BPS numbering" in text
    assert "--indicator-name" in text and "--no-name-check" in text
    app = err.value.render("en", "app")
    assert "--no-name-check" not in app and "“Name column” box" in app
    joined, report = join_indicators(
        regions, table, boundary_key="code", indicator_key="Kode", names=False
    )
    assert report.unverified and report.exit_code == 1 and report.matched == 8
    assert "no region names could be compared" in join_report_text(report, "en")


def test_codes_meaning_the_same_region_in_both_numberings_need_no_names():
    same = [(c, n) for c, n in _kaltim() if c in ("6401", "6409", "6471", "6472", "6474")]
    _, report = join_indicators(_regions(same), _table(same, name_header=None))
    assert report.matched == 5 and report.unverified and report.exit_code == 1


def test_no_name_check_still_lists_and_counts_every_mismatch():
    regions = _regions(_kaltim())
    table = _table(_kaltim("bps"))
    _, report = join_indicators(
        regions, table, boundary_key="code", indicator_key="Kode", names=False
    )
    assert not report.names_checked and len(report.name_differences) == 2
    text = join_report_text(report, "en")
    assert "the name check is off: 2 of 8 matched pairs have different names" in text
    assert "6402: 'Kabupaten Kutai Kartanegara' vs 'Kabupaten Kutai Barat'" in text


def test_a_handful_of_spelling_differences_joined_and_listed():
    from geo.reference import regions as reference

    ref = reference()
    jateng = ref[ref["province"] == "33"]
    pairs = list(zip(jateng.index, jateng["name"], strict=True))
    spelled = [(c, n.replace("Kabupaten", "Kab.")[:-1]) for c, n in pairs[:4]]  # "Cilaca"
    table = _table(spelled + pairs[4:])
    joined, report = join_indicators(_regions(pairs), table)
    assert report.matched == 35 and len(report.name_differences) == 4 and report.exit_code == 1
    assert "4 matched pair(s) with different names" in join_report_text(report, "en")
    # most names differing is refused, blaming neither numbering
    garbled = [(c, f"Kabupaten Entah {k}") for k, (c, _) in enumerate(pairs)]
    with pytest.raises(InputError, match="probably describe different regions"):
        join_indicators(_regions(pairs), _table(garbled), boundary_key="code", indicator_key="Kode")


def test_a_split_off_region_never_gets_its_former_parents_figures():
    regions = _regions([("6407", "Kabupaten Kutai Barat"), ("6401", "Kabupaten Paser")])
    table = _table([("6407", "Kabupaten Mahakam Ulu"), ("6401", "Kabupaten Paser")])
    joined, report = join_indicators(
        regions, table, boundary_key="code", indicator_key="Kode", names=False
    )
    assert np.isnan(joined.loc["6407", "water_access_pct_2024"])
    assert joined.loc["6401", "water_access_pct_2024"] == 51.0
    assert report.split_pairs[["code", "law"]].values.tolist() == [["6407", "UU 2/2013"]]
    assert "one region split off from the other" in join_report_text(report, "en")


def test_table_older_than_a_split_is_reported():
    regions = _regions([("6407", "Kabupaten Kutai Barat"), ("6411", "Kabupaten Mahakam Ulu")])
    _, report = join_indicators(regions, _table([("6407", "Kabupaten Kutai Barat")]))
    (finding,) = report.vintage
    assert finding.kind == "table_includes"
    assert "no row for Kabupaten Mahakam Ulu, split off from it by UU 2/2013" in (
        finding.message().render("en")
    )


def test_table_without_codes_joined_on_names_and_ambiguity_refused():
    regions = _regions(REGIONS)
    table = pd.DataFrame(
        {
            "Nama Kabupaten/Kota": ["Kota Bogor", "Kab. Bogor", "Gunung Kidul", "Kab. Paser"],
            "water_access_pct_2024": [90.0, 80.0, 70.0, 60.0],
        },
        index=pd.Index([2, 3, 4, 5], name="row"),
    )
    joined, report = join_indicators(regions, table)
    assert report.method == "names" and report.names_reason == "table_without_codes"
    assert joined.loc["3271", "water_access_pct_2024"] == 90.0
    assert joined.loc["3201", "water_access_pct_2024"] == 80.0
    assert report.unmatched_regions["code"].tolist() == ["6472"]
    table.loc[6] = ["Bogor", 10.0]
    with pytest.raises(InputError) as err:
        join_indicators(regions, table)
    assert "row 6 Bogor: Kabupaten Bogor or Kota Bogor" in err.value.render("en")


def test_validate_cli_new_options(tmp_path, capsys, kaltim_shp):
    path = tmp_path / "bps.csv"
    rows = [f"{c};{n};{50 + k}" for k, (c, n) in enumerate(_kaltim("bps"))]
    path.write_text("kode_bps;Kabupaten/Kota;water_access_pct_2024\n" + "\n".join(rows) + "\n")
    args = ["validate", "--boundaries", str(kaltim_shp), "--indicators", str(path), "--lang", "en"]
    assert main(args) == 0  # joined on names: no code pair names the same regions
    out = capsys.readouterr().out
    assert "Joined on region names" in out and "10 of 10 regions matched" in out
    assert "code field 'code'" in out  # the fields chosen, and why
    code = main([*args, "--boundary-key", "code", "--indicator-key", "kode_bps"])
    assert code == 2 and "BPS vs Kemendagri" in capsys.readouterr().err
    code = main([*args, "--boundary-key", "code", "--indicator-key", "kode_bps", "--no-name-check"])
    assert code == 1 and "the name check is off" in capsys.readouterr().out
    assert main([*args, "--indicator-name", "nope"]) == 2
    assert "no column 'nope'" in capsys.readouterr().err
