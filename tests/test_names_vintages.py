"""Region names, the shipped kab/kota list, the table of editions, and surface-aware options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from common.errors import InputError
from common.text import Msg, Option
from geo.names import kind_of, name_key, names_match, non_region, province_key
from geo.reference import by_code, lookup, regions
from geo.vintages import detect, province_changes, renames, split_pair, splits

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "kind", "key"),
    [
        ("Tanjung Jabung T", "kabupaten", ("kabupaten", "tanjungjabungtimur")),
        ("Tg. Jabung Barat", None, (None, "tanjungjabungbarat")),
        ("Kep. Siau Tagulandang Biaro", None, (None, "kepulauansiautagulandangbiaro")),
        ("Kutai Kartanegara", "kota", ("kota", "kutaikartanegara")),
        ("Pontianak", "kabupaten", ("kabupaten", "mempawah")),  # PP 58/2014
        ("Pontianak", None, (None, "pontianak")),  # may be today's Kota Pontianak
        ("Toba Samosir", "kabupaten", ("kabupaten", "toba")),  # PP 14/2020
        ("KABUPATEN MAMUJU UTARA", None, ("kabupaten", "pasangkayu")),  # PP 61/2017
    ],
)
def test_name_key(name, kind, key):
    assert name_key(name, kind) == key


def test_kinds_non_regions_and_provinces():
    assert [kind_of(v) for v in ("Regency", "Kota", "Waterbody", "Provinsi", "Desa")] == [
        "kabupaten",
        "kota",
        "water",
        "province",
        None,
    ]
    assert non_region("Danau Toba") == "water" and non_region("Kabupaten Toba") is None
    assert non_region("AREA TIDAK TERDEFINISI") == "undefined"
    assert province_key("DKI Jakarta") == (False, "jakarta")
    assert province_key("Provinsi Kalimantan Timur") == (True, "kalimantantimur")
    assert names_match("Kutai Kartanegara", "Kabupaten Kutai Kartanegara", "kabupaten")
    assert not names_match("Kutai Kartanegara", "Kabupaten Kutai Kartanegara", "kota")


def test_reference_list():
    ref = regions()
    assert len(ref) == 514 and ref.index.is_unique and ref["bps_code"].is_unique
    assert ref.loc["6402", "name"] == "Kabupaten Kutai Kartanegara"
    assert ref.loc["6402", "bps_code"] == "6403"  # BPS 6402 is Kutai Barat
    assert lookup("Bogor") == ["3201", "3271"]  # ambiguous without a type
    assert lookup("Bogor", "kota") == ["3271"]
    assert lookup("Pontianak") == ["6102", "6171"]  # former Kab. Pontianak, or Kota Pontianak
    assert lookup("Atlantis") == []


def test_editions_table_matches_the_list():
    ref = by_code()
    for change in province_changes():
        assert any(
            r.province == change.new and r.province_name == change.name for r in ref.values()
        )
        assert change.law.startswith("UU ") and change.year >= 2012
    for split in splits():
        assert split.new in ref and split.former in ref
        assert ref[split.new].province == ref[split.former].province
        assert split.law.startswith("UU ")
    for rename in renames():
        assert ref[rename.code].name == rename.name and rename.law.startswith("PP ")
        assert lookup(rename.former_name) == [rename.code]
    assert split_pair("6407", "6411").law == "UU 2/2013"
    assert split_pair("6411", "6407") is not None and split_pair("6407", "6402") is None
    # the three 2013 kabupaten whose laws were checked later (jdih.kemenkeu.go.id, setkab.go.id)
    assert split_pair("7206", "7212").law == "UU 12/2013"  # Morowali Utara from Morowali
    assert split_pair("7402", "7412").law == "UU 13/2013"  # Konawe Kepulauan from Konawe
    assert split_pair("1605", "1613").law == "UU 16/2013"  # Musi Rawas Utara from Musi Rawas
    # a file of the older edition: Morowali drawn without Morowali Utara is said to include it
    assert ("includes", "7206") in {
        (f.kind, f.code) for f in detect(["7206", "7203"], ["Morowali", "Poso"])
    }


def test_detect_each_kind():
    findings = detect(
        ["6404", "9101", "6407", "9999", "6104"],
        ["Kabupaten Bulungan", "Merauke", "Kutai Barat", "Atlantis", "Kabupaten Pontianak"],
    )
    kinds = {(f.kind, f.code) for f in findings}
    assert ("moved", "6404") in kinds and ("moved", "9101") in kinds
    assert ("unknown", "9999") in kinds and ("renamed", "6104") in kinds
    assert ("includes", "6407") in kinds  # Kutai Barat without Mahakam Ulu
    # a current file: nothing to say
    ref = regions()
    assert detect(list(ref.index), list(ref["name"])) == []
    assert detect(list(ref["bps_code"]), list(ref["name"])) == []  # BPS numbering is current too


def test_options_are_named_as_the_surface_names_them():
    err = InputError(
        "errors.join.refused_no_fix", option=Option("no_name_check")
    )  # any message with an option
    assert "--no-name-check" in err.render("en") and "--no-name-check" in str(err)
    app = err.render("en", "app")
    assert "--" not in app and "“Skip the name check” box of the upload form" in app
    assert "“Lewati pemeriksaan nama”" in err.render("id", "app")
    nested = Msg(
        "errors.join.refused_fix", option=Option("key_pair", bkey="a", ikey="b"), matched=1, n=2
    )
    assert "--boundary-key a --indicator-key b" in nested.render("en")
    assert "“a” and “b” in the join key boxes" in nested.render("en", "app")
    with pytest.raises(KeyError):
        Option("no_such_option")


@pytest.mark.realdata
def test_reference_list_is_built_from_the_data(real_data):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--source", str(real_data),
         "--check"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("lang", ["en", "id"])
def test_app_options_name_fields_the_upload_form_has(lang):
    import re

    from common.text import catalogue

    texts = catalogue(lang)
    labels = [v for k, v in texts.items() if k.startswith("ui.upload_")]
    for key, text in texts.items():
        if not key.startswith("options.app."):
            continue
        for quoted in re.findall(r"“([^”{}]+)”", text):
            assert any(label.startswith(quoted) for label in labels), (key, quoted)
        if "{" not in text and "“" not in text:  # "the join key boxes": both key labels
            word = "kunci penggabungan" if lang == "id" else "Join key"
            assert sum(word.lower() in label.lower() for label in labels) == 2


def test_layer_and_sheet_fixes_exist_where_shown():
    err = InputError("errors.boundaries.several_layers", file="x.gpkg", layers="a, b",
                     fix=Option("layer"))  # fmt: skip
    assert "--layer" in err.render("en") and "--layer" not in err.render("en", "app")
    assert "QGIS" in err.render("id", "app")
    note = Msg("problems.indicators.sheets", file="t.xlsx", sheets="A, B", first="A",
               fix=Option("sheet"))  # fmt: skip
    assert "--sheet" in note.render("en") and "CSV" in note.render("en", "app")
