"""Boundary files of other lineages are read, joined and explained without hand editing (issue 9).

The files are written by the tests in each layout (``tests/layouts.py``): GADM 3.6, a BIG
geoservice export dissolved to kab/kota, a names-only file, and an older edition (Papua before
the 2022 split). Joins use the real national indicator table.
"""

from __future__ import annotations

import layouts
import pytest

from analysis.indicators import read_indicators
from analysis.join import join_indicators
from common.errors import InputError
from geo.boundaries import read_boundaries
from kerjasama.cli import main
from kerjasama.present.words import join_report_text

KALTARA_OLD = ["6406", "6407", "6408", "6410", "6473"]


@pytest.fixture(scope="module")
def national_table(national_indicators):
    return read_indicators(national_indicators)[0]


def _kinds(regions) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in regions.attrs["kerjasama"]["vintage"]:
        out.setdefault(finding.kind, []).append(finding.code)
    return out


# ---------------------------------------------------------------- GADM 3.6


def test_gadm_fields_types_and_non_regions(tmp_path):
    regions = read_boundaries(layouts.gadm(tmp_path))
    meta = regions.attrs["kerjasama"]
    assert (meta["id_field"], meta["name_field"], meta["type_field"]) == (
        "CC_2",
        "NAME_2",
        "TYPE_2",
    )
    assert meta["province_field"] == "NAME_1" and meta["code_system"] == "bps"
    why = " | ".join(m.render("en") for m in meta["fields"])
    assert "code field 'CC_2': 18 of 19" in why and "BPS numbering" in why
    # the type field keeps Kabupaten Bogor and Kota Bogor apart
    assert regions.loc["3201", "name"] == "Kabupaten Bogor"
    assert regions.loc["3271", "name"] == "Kota Bogor"
    # the lake typed as a Kabupaten is set aside, in one message with the option to keep it
    assert len(regions) == 18
    aside = meta["set_aside"].render("en")
    assert "feature 19 (Danau Limboto) (lake or reservoir)" in aside
    assert "--keep-non-regions" in aside
    assert "Danau Limboto" in meta["set_aside"].render("id")
    with pytest.raises(InputError, match=r"feature 19 \(Kabupaten Danau Limboto\)"):
        read_boundaries(layouts.gadm(tmp_path), keep_non_regions=True)  # kept: it has no code


def test_gadm_older_edition_detected(tmp_path):
    regions = read_boundaries(layouts.gadm(tmp_path))
    kinds = _kinds(regions)
    assert sorted(kinds["moved"]) == KALTARA_OLD
    assert kinds["includes"] == ["6402"] and kinds["renamed"] == ["6104"]
    text = "\n".join(f.message().render("en") for f in regions.attrs["kerjasama"]["vintage"])
    assert "6407 Kabupaten Bulungan: coded under province 64 as before UU 20/2012" in text
    assert "Kabupaten Bulungan (6501) in Kalimantan Utara" in text
    assert "has no Kabupaten Mahakam Ulu, split off from it by UU 2/2013" in text
    assert "6104 Kabupaten Pontianak: former name; since PP 58/2014" in text


@pytest.mark.realdata
def test_gadm_joined_on_its_bps_codes(tmp_path, national_table):
    regions = read_boundaries(layouts.gadm(tmp_path))
    joined, report = join_indicators(regions, national_table)
    assert (report.boundary_key, report.indicator_key, report.method) == ("CC_2", "code", "codes")
    assert report.matched == 13 and report.name_differences.empty
    # abbreviations, renames and the type field make every name agree
    assert joined.loc["1506", "name_indicator"] == "Kabupaten Tanjung Jabung Timur"
    assert joined.loc["6104", "name_indicator"] == "Kabupaten Mempawah"
    assert joined.loc["3271", "name_indicator"] == "Kota Bogor"
    # the five Kalimantan Utara regions coded as before 2012 get no figures, and that is said
    assert sorted(report.unmatched_regions["code"]) == KALTARA_OLD
    assert report.exit_code == 1
    text = join_report_text(report, "en")
    assert "5 region(s) without an indicator row" in text and "6407 Kabupaten Bulungan" in text
    assert "older edition" in text and "UU 2/2013" in text


# ---------------------------------------------------------------- BIG geoservice


def test_big_fields_chosen_by_content(tmp_path):
    regions = read_boundaries(layouts.big(tmp_path))
    meta = regions.attrs["kerjasama"]
    assert (meta["id_field"], meta["name_field"]) == ("KDPKAB", "WADMKK")
    assert meta["province_field"] == "KDPPUM" and meta["code_system"] == "kemendagri"
    why = " | ".join(m.render("en") for m in meta["fields"])
    assert "field 'NAMOBJ' not used as the name: only 0 of 12 values are kab/kota names" in why
    assert list(regions.index) == sorted(c.replace(".", "") for c, *_ in layouts.BIG_KALTIM)
    aside = meta["set_aside"].render("en")
    assert "feature 11 code 64 (a province, not a kab/kota)" in aside
    assert "feature 12 (undefined area)" in aside
    assert regions.attrs["kerjasama"]["vintage"] == []


@pytest.mark.realdata
def test_big_joined_and_validated(tmp_path, national_table, national_indicators, capsys):
    path = layouts.big(tmp_path)
    joined, report = join_indicators(read_boundaries(path), national_table)
    assert (report.boundary_key, report.indicator_key) == ("KDPKAB", "kemendagri_code_2025")
    assert report.matched == 10 and report.name_differences.empty
    assert joined.loc["6402", "name_indicator"] == "Kabupaten Kutai Kartanegara"
    args = ["validate", "--boundaries", str(path), "--indicators", str(national_indicators)]
    assert main([*args, "--lang", "en"]) == 1  # the set-aside features are a warning
    out = capsys.readouterr().out
    assert "10 of 10 regions matched" in out and "KDPKAB" in out
    assert "were set aside" in out and "Area Tidak Terdefinisi" not in out
    assert "(undefined area)" in out


# ---------------------------------------------------------------- names only


def test_names_only_codes_from_names(tmp_path):
    regions = read_boundaries(layouts.names_only(tmp_path))
    meta = regions.attrs["kerjasama"]
    assert meta["codes_from_names"] and meta["id_field"] is None
    assert meta["name_field"] == "shapeName"
    assert (
        regions.loc["6402", "name"] == "Kutai Kartanegara"
        and regions.loc["6402", "code_raw"] is None
    )
    assert "identified by name" in " ".join(m.render("en") for m in meta["repairs"])


def test_names_only_ambiguous_and_unknown_names_listed(tmp_path):
    names = [*layouts.NAMES_ONLY[:8], "Bogor", "Atlantis"]
    with pytest.raises(InputError) as err:
        read_boundaries(layouts.names_only(tmp_path, names))
    text = err.value.render("en")
    assert "2 problems" in text
    assert "feature 9 (Bogor): this name could be Kabupaten Bogor or Kota Bogor" in text
    assert "feature 10 (Atlantis): this name is not a kab/kota" in text
    assert "--id-field" in text and "kotak “Field kode”" in err.value.render("id", "app")


@pytest.mark.realdata
def test_names_only_joined_on_names(tmp_path, national_table, national_indicators, capsys):
    path = layouts.names_only(tmp_path)
    joined, report = join_indicators(read_boundaries(path), national_table)
    assert report.method == "names" and report.names_reason == "boundary_names_only"
    assert report.matched == 10
    kukar = national_table["name"] == "Kabupaten Kutai Kartanegara"
    assert (
        joined.loc["6402", "population_bps_2024"]
        == national_table.loc[kukar].iloc[0]["population_bps_2024"]
    )
    args = ["validate", "--boundaries", str(path), "--indicators", str(national_indicators)]
    main([*args, "--lang", "en"])
    out = capsys.readouterr().out
    assert "Joined on region names: boundaries shapeName <-> indicators name" in out
    assert "the boundary file has no code field" in out


# ---------------------------------------------------------------- older edition


def test_papua_before_2022(tmp_path):
    regions = read_boundaries(layouts.papua_2021(tmp_path))
    kinds = _kinds(regions)
    assert sorted(kinds["moved"]) == ["9101", "9109", "9116", "9117", "9118"]
    text = [f.message().render("id") for f in regions.attrs["kerjasama"]["vintage"]]
    assert any(
        "9101 Kabupaten Merauke" in t and "UU 14/2022" in t and "Papua Selatan" in t for t in text
    )


@pytest.mark.realdata
def test_province_93_on_a_file_coding_papua_selatan_as_91(tmp_path, national_indicators, capsys):
    path = layouts.papua_2021(tmp_path)
    out = str(tmp_path / "m.csv")
    args = ["suggest", "--boundaries", str(path), "--indicators", str(national_indicators),
            "--sector", "water", "--province", "93", "--members-csv", out]  # fmt: skip
    assert main([*args, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "No region has province code '93'" in err and "Papua Selatan" in err
    assert "coded under province 91" in err and "before UU 14/2022" in err
    assert "9101 Kabupaten Merauke" in err and "--province 91" in err
    assert "Traceback" not in err


@pytest.mark.realdata
def test_papua_join_names_the_users_code_field(tmp_path, national_table):
    _, report = join_indicators(read_boundaries(layouts.papua_2021(tmp_path)), national_table)
    assert report.boundary_key == "kode"  # the user's field, never the derived code_raw
    assert sorted(report.unmatched_regions["code"]) == ["9101", "9109", "9116", "9117", "9118"]


@pytest.mark.realdata
@pytest.mark.parametrize("command", ["suggest", "brief"])
def test_suggest_and_brief_take_the_reading_options_and_warn(
    tmp_path, national_indicators, capsys, command
):
    path = layouts.gadm(tmp_path, others=False)
    out = str(tmp_path / ("m.csv" if command == "suggest" else "b.html"))
    base = [command, "--boundaries", str(path), "--indicators", str(national_indicators),
            "--sector", "water", "--province", "64", "--lang", "en"]  # fmt: skip
    base += ["--members-csv", out] if command == "suggest" else ["--out", out]
    assert main(base) in (0, 1)
    err = capsys.readouterr().err
    # the regions of the scope without figures, and the older edition, are said
    assert "warning: 5 region(s) of the scope have no indicator row" in err
    assert "6407 Kabupaten Bulungan" in err and "UU 20/2012" in err
    assert main([*base, "--id-field", "nope"]) == 2
    assert "no field 'nope'" in capsys.readouterr().err
    assert main([*base, "--name-field", "GID_2", "--boundary-key", "CC_2",
                 "--indicator-key", "code", "--no-name-check"]) in (0, 1)  # fmt: skip
    assert "the name check is off" in capsys.readouterr().err
