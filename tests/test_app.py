"""The Streamlit app's widget logic (streamlit.testing AppTest, no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_upload import zip_bytes

from kerjasama.present.upload import Upload

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 180


def run_app(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def candidates_frame(at: AppTest):
    """The ranked-candidates table (the dataframe with the cluster ids, ticks in the first)."""
    frames = [d for d in at.dataframe if "-table:" in (d.proto.id or "")]  # the ticked one
    return next(
        d.value for d in frames if {"Peringkat", "Rank"} & set(d.value.columns) and len(d.value)
    )


def shown(text: str) -> str:
    """Markdown source as the reader sees it (user text in it is escaped as plain text)."""
    return re.sub(r"\\(.)", r"\1", text)


def shapefile_upload(stem: str, shp) -> tuple:
    """The parts of the Shapefile ``shp`` as uploads named ``stem.shp``, ``stem.shx``, ..."""
    return tuple(
        Upload(f"{stem}{ext}", shp.with_suffix(ext).read_bytes())
        for ext in (".shp", ".shx", ".dbf", ".prj")
    )


def heading(at: AppTest) -> str:
    return at.markdown[0].value.lstrip("# ")


@pytest.fixture()
def folder_data(real_data, monkeypatch) -> Path:
    monkeypatch.setenv("KERJASAMA_DATA", str(real_data))
    return real_data


def test_default_opens_on_kaltim_water(folder_data):
    at = run_app()
    assert not at.exception, at.exception
    assert not at.error
    assert heading(at) == "Peta Kerja Sama Daerah"
    assert at.selectbox(key="scope:id").value == "64"
    assert at.selectbox(key="sector:id").value == "water"
    table = candidates_frame(at)
    assert list(table["Peringkat"][:3]) == [1, 2, 3]
    assert all(cid.startswith("water-") for cid in table["ID klaster"])
    # every member of every candidate lies in Kalimantan Timur (province 64)
    members = [cid.split("-")[2:] for cid in table["ID klaster"]]
    assert all(code.startswith("64") for codes in members for code in codes)
    assert table["Penjelasan"].str.len().min() > 50
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Unduh GeoJSON",
        "Unduh CSV anggota",
        "Unduh Shapefile (zip)",
        "Bahan briefing — dokumen cetak (PDF)",
        "Bahan briefing — halaman web (HTML)",
    ]
    # the view is in the URL
    assert at.query_params["scope"] == "64" and at.query_params["sector"] == "water"


def test_language_switch_changes_labels_keeps_choices(folder_data):
    at = run_app()
    at.selectbox(key="sector:id").set_value("health").run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert heading(at) == "Inter-regional Cooperation Map"
    assert at.selectbox(key="scope:en").label == "Scope"
    assert at.selectbox(key="scope:en").value == "64"
    assert at.selectbox(key="sector:en").label == "Sector"
    assert at.selectbox(key="sector:en").value == "health"  # the choice survives
    table = candidates_frame(at)
    assert "Explanation" in table.columns and "Penjelasan" not in table.columns
    assert table["Form"].isin(["Joint service", "Contract service"]).all()
    assert table["Explanation"].iloc[0].startswith(("Joint service", "Contract service"))
    assert table["Cluster id"].str.startswith("health-").all()


def test_sector_switch_and_weights_rescore(folder_data):
    at = run_app(**{"open:weights": True})  # the weights' panel opened (drawn only then)
    at.selectbox(key="sector:id").set_value("health").run()
    assert not at.exception, at.exception
    table = candidates_frame(at)
    assert all(cid.startswith("health-") for cid in table["ID klaster"])
    before = dict(zip(table["ID klaster"], table["Skor"], strict=True))
    at.slider(key="w_joint_need:id").set_value(0.0).run()
    assert not at.exception, at.exception
    after = candidates_frame(at)
    joint = [cid for cid in after["ID klaster"] if "-joint-" in cid and cid in before]
    changed = [
        cid for cid in joint if after.set_index("ID klaster").loc[cid, "Skor"] != before[cid]
    ]
    assert joint and changed  # moving a weight re-scored the joint candidates


def test_all_indonesia_scope(folder_data):
    at = run_app()
    at.selectbox(key="scope:id").set_value("__all__").run()
    assert not at.exception, at.exception
    table = candidates_frame(at)
    assert len(table) == 20
    provinces = {cid.split("-")[2][:2] for cid in table["ID klaster"]}
    assert provinces != {"64"}


def test_no_data_first_screen(tmp_path, monkeypatch):
    monkeypatch.setenv("KERJASAMA_DATA", str(tmp_path))
    at = run_app()
    assert not at.exception, at.exception
    assert at.header[0].value == "Belum ada data"
    text = " ".join(m.value for m in at.markdown)
    assert "tanahair.indonesia.go.id" in text and "www.bps.go.id" in text
    assert "KERJASAMA_DATA" in text
    assert len(at.get("file_uploader")) == 2
    at.radio(key="lang").set_value("en").run()
    assert at.header[0].value == "No data yet"


def test_upload_error_is_shown_not_raised(tmp_path, monkeypatch, kaltim_indicators):
    monkeypatch.setenv("KERJASAMA_DATA", str(tmp_path))
    evil = Upload("batas.zip", zip_bytes({"../../evil.shp": b"x"}))
    indicators = Upload("ind.csv", kaltim_indicators.read_bytes())
    at = run_app(uploads=((evil,), indicators, "", ""))
    assert not at.exception, at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "batas.zip" in message and "Data tidak dapat dipakai" in message
    assert "Traceback" not in message
    assert not (tmp_path.parent / "evil.shp").exists()


def test_uploaded_kaltim_data_gives_candidates(
    tmp_path, monkeypatch, kaltim_shp, kaltim_indicators
):
    monkeypatch.setenv("KERJASAMA_DATA", str(tmp_path))
    parts = shapefile_upload("kaltim_adm2", kaltim_shp)
    indicators = Upload("kaltim_indicators.csv", kaltim_indicators.read_bytes())
    at = run_app(uploads=(parts, indicators, "", ""))
    assert not at.exception, at.exception
    assert not at.error
    captions = shown(" ".join(c.value for c in at.caption))
    assert "Memakai data unggahan: kaltim_adm2.shp" in captions
    # the upload is confirmed with what was read and matched, and names the province
    confirm = shown(at.success[0].value)
    assert "10 kabupaten/kota dibaca dari kaltim_adm2.shp" in confirm
    assert "10 cocok" in confirm and "64" in confirm
    table = candidates_frame(at)
    # Kalimantan Timur's seats are far apart: few water suggestions are within reach
    assert len(table) >= 1 and table["ID klaster"].str.startswith("water-").all()


def test_upload_report_warnings_and_options_in_the_page_language(
    tmp_path, monkeypatch, national_indicators
):
    import layouts

    monkeypatch.setenv("KERJASAMA_DATA", str(tmp_path / "empty"))
    gadm = layouts.gadm(tmp_path, others=False)
    indicators = Upload("indikator.csv", national_indicators.read_bytes())
    at = run_app(  # with the data panel opened (drawn only then)
        uploads=((Upload(gadm.name, gadm.read_bytes()),), indicators, "", "", {}),
        **{"open:data": True, "open:upload": True},
    )
    assert not at.exception, at.exception
    assert not at.error
    warnings = shown(" ".join(w.value for w in at.warning))
    # regions of the scope without figures, and the older edition, are said in Indonesian
    assert "5 wilayah dalam cakupan tidak punya baris indikator" in warnings
    assert "6407 Kabupaten Bulungan" in warnings and "UU 20/2012" in warnings
    # the upload form has every setting the messages may offer
    labels = {w.label for w in at.get("text_input")} | {w.label for w in at.get("checkbox")}
    assert {"Field kode batas wilayah (kosong = dikenali dari nilainya)",
            "Lewati pemeriksaan nama (pasangan yang namanya berbeda tetap dicantumkan)",
            "Pertahankan fitur bukan wilayah (danau, baris provinsi, area tidak terdefinisi)",
            } <= labels  # fmt: skip
    report = " ".join(t.value for t in at.text)
    assert "field kode 'CC_2'" in report and "penomoran BPS" in report
    # a refused join offers the app's fields, never a command-line flag
    at = run_app(uploads=((Upload(gadm.name, gadm.read_bytes()),), indicators, "CC_2",
                          "kemendagri_code_2025", {}))  # fmt: skip
    message = shown(at.error[0].value)
    assert "“CC_2” dan “code” pada kotak kunci penggabungan di formulir unggah" in message
    assert "--" not in message.replace("–", "")
    # the option reaches the reader: with the name check off the join is made and listed
    at = run_app(uploads=((Upload(gadm.name, gadm.read_bytes()),), indicators, "CC_2",
                          "kemendagri_code_2025", {"names": False}))  # fmt: skip
    assert not at.error, at.error
    assert "pemeriksaan nama dimatikan" in shown(" ".join(w.value for w in at.warning))


def test_url_reproduces_the_view(folder_data):
    """A shared link: scope, sector, language, sizes, weights, list length and selection."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(
        {
            "lang": "en",
            "scope": "64",
            "sector": "waste",
            "size": "2-3",
            "top": "7",
            "w": "joint.need=0.2",
            "sel": "waste-joint-6401-6402,<script>,waste-joint-9999-9998",
        }
    )
    at.session_state["open:weights"] = True  # to read the sliders (drawn only when open)
    at.run()
    assert not at.exception, at.exception
    assert heading(at) == "Inter-regional Cooperation Map"
    assert at.selectbox(key="sector:en").value == "waste"
    assert at.slider(key="sizes:en").value == (2, 3)
    assert at.slider(key="top:en").value == 7
    assert at.slider(key="w_joint_need:en").value == 0.2
    table = candidates_frame(at)
    assert len(table) <= 7 and table["Cluster id"].str.startswith("waste-").all()
    assert all(len(cid.split("-")) - 2 <= 3 for cid in table["Cluster id"])
    # malformed ids are ignored; a well-formed id that is no candidate is shown as dropped
    assert at.session_state["selected"] == ["waste-joint-6401-6402", "waste-joint-9999-9998"]
    warnings = shown(" ".join(w.value for w in at.warning))
    assert "waste-joint-9999-9998" in warnings
    assert at.query_params["w"] == "joint.need=0.2"
    assert at.query_params["size"] == "2-3"


def test_no_candidate_gives_the_real_reason(folder_data):
    """Maluku waste: no candidate, and the page says which figures are missing where."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"scope": "81", "sector": "waste"})
    at.run()
    assert not at.exception, at.exception
    assert "Tidak ada kandidat untuk pilihan ini" in at.warning[0].value
    reasons = " ".join(t.value for t in at.text)
    assert re.search(r"tidak ada untuk \d+ dari 11 kabupaten/kota di Maluku", reasons)
    assert "Coba perbesar ukuran klaster" not in reasons  # no generic advice


def test_comparison_and_portfolio_views(folder_data):
    """Three ticked candidates side by side; the portfolio as a view of its own."""
    at = run_app()
    top = list(candidates_frame(at)["ID klaster"][:3])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"scope": "64", "sector": "water", "sel": ",".join(top)})
    at.run()
    assert not at.exception, at.exception
    frames = [d.value for d in at.dataframe]
    compare = next(f for f in frames if list(f.columns) == ["#1", "#2", "#3"])
    assert {"Anggota", "Penyedia", "Jumlah penduduk", "Hubungan laut"} <= set(compare.index)
    assert re.fullmatch(r"0,\d{3}", compare.loc["Skor", "#1"])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"scope": "64", "sector": "water", "view": "portfolio"})
    at.run()
    assert not at.exception, at.exception
    assert any("portofolio" in c.value.lower() for c in at.caption)
    members = [cid.split("-")[2:] for cid in candidates_frame(at)["ID klaster"]]
    flat = [code for codes in members for code in codes]
    assert len(flat) == len(set(flat))  # no region in two candidates of the portfolio


def map_args(at: AppTest) -> dict:
    """The arguments the page sent streamlit-folium (its one component on the page)."""
    import json

    elements = [e for e in at.get("component_instance")]
    assert len(elements) == 1
    return json.loads(elements[0].proto.json_args)


def test_map_is_folium_offline_and_follows_the_opened_candidate(folder_data):
    """The map goes through streamlit-folium: the base map is the same whatever is opened
    (no reload in the browser), the feature groups carry the opened candidate, Leaflet comes
    inlined, and only the clicked feature comes back."""
    at = run_app()
    first = map_args(at)
    assert first["returned_objects"] == ["last_active_drawing"]
    assert first["js_links"] and all(u.startswith("data:") for u in first["js_links"])
    assert all(u.startswith("data:") for u in first["css_links"])
    table = candidates_frame(at)
    assert len(table) >= 2
    first_id, second_id = table["ID klaster"].iloc[:2]
    first_rank, second_rank = (int(r) for r in table["Peringkat"].iloc[:2])
    assert f'"id":"{first_id}","rank":{first_rank},"opened":true' in first["feature_group"]
    # a click reported by the map opens that candidate (the callback parses the feature)
    from kerjasama.webapp import mappage

    at.session_state[mappage.MAP_KEY] = {
        "last_active_drawing": {
            "type": "Feature",
            "properties": {"kind": "candidate", "id": second_id, "click": 1},
        }
    }
    codes = tuple(c for cid in table["ID klaster"] for c in cid.split("-")[2:])
    at.session_state["opened"] = mappage.webmap.parse_click(
        at.session_state[mappage.MAP_KEY], codes, tuple(table["ID klaster"])
    )[1]
    at.run()
    second = map_args(at)
    assert f'"id":"{second_id}","rank":{second_rank},"opened":true' in second["feature_group"]
    assert second["script"] == first["script"]  # the same base map: kept in the browser
    assert second["key"] == first["key"]
    heading = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert shown(heading).lstrip("# ").startswith(f"Kandidat #{second_rank}:")


def sulsel_water() -> AppTest:
    """The app on Sulawesi Selatan water (twenty suggestions within reach), from the URL."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"lang": "id", "scope": "73", "sector": "water"})
    return at.run()


def open_variants(at: AppTest) -> AppTest:
    """Open the (lazy) variants expander as a click on it would, and re-run."""
    at.session_state["open:variants"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def test_distinct_list_variants_flags_completeness_and_sliders(folder_data):
    """Issue 11 in the app: distinct suggestions with their number of variants, the opened
    one's variants in an expander, data completeness, flagged rows on request with their
    reasons as plain text, and one weight slider per component of the config."""
    from analysis.config import load_config

    at = sulsel_water()
    assert not at.exception, at.exception
    table = candidates_frame(at)
    assert {"Varian", "Kelengkapan data"} <= set(table.columns)
    assert table["Varian"].str.fullmatch(r"\d+(\.\d{3})*").all()
    assert table["Kelengkapan data"].str.endswith("%").all()
    assert not table["Catatan"].str.contains("bertanda").any()  # suggestions only
    # the opened suggestion's variants, in an expander whose title counts them
    count = int(table["Varian"].iloc[0].replace(".", ""))
    expander = next(e for e in at.expander if e.label.startswith("Varian kandidat ini"))
    assert expander.label == f"Varian kandidat ini ({count})"
    assert not expander.dataframe  # folded: the variants are explained once it is opened
    open_variants(at)
    expander = next(e for e in at.expander if e.label.startswith("Varian kandidat ini"))
    if count:
        variants = expander.dataframe[0].value
        assert len(variants) == count and "ID klaster" in variants.columns
        assert not set(variants["ID klaster"]) & set(table["ID klaster"])
    assert any(c.value.startswith("Kelengkapan data: ") for c in at.caption)
    # flagged rows on request: after the suggestions, their reason in words
    at.toggle(key="flagged:id").set_value(True).run()
    assert not at.exception, at.exception
    both = candidates_frame(at)
    assert len(both) > len(table)
    assert list(both["ID klaster"][: len(table)]) == list(table["ID klaster"])
    flagged = both.iloc[len(table) :]
    assert flagged["Catatan"].str.contains("bertanda: ").all()
    assert at.query_params["flagged"] == "1"
    # every weight component of the config has its slider (in a panel drawn once opened)
    assert not [s for s in at.slider if (s.key or "").startswith("w_")]
    at.session_state["open:weights"] = True
    at.run()
    weights = load_config().clusters.weights
    for form, comps in weights.items():
        for comp in comps:
            assert at.slider(key=f"w_{form}_{comp}:id") is not None


def test_voluntary_links_labelled_and_a_variant_stays_selected(folder_data):
    """The voluntary option links non-bordering regions within the seat distance; rows using
    such a link say "sukarela (tidak berbatasan)", never "indikasi wajib". A ticked candidate
    that is a variant of a listed one stays selected as "variant of #k"."""
    at = sulsel_water()
    table = candidates_frame(at)
    open_variants(at)
    expander = next(e for e in at.expander if e.label.startswith("Varian kandidat ini"))
    variant = expander.dataframe[0].value["ID klaster"].iloc[0]
    at.session_state["selected"] = [variant]
    at.run()
    assert not at.exception, at.exception
    info = " ".join(i.value for i in at.info)
    assert f"({variant}) varian dari #{int(table['Peringkat'].iloc[0])}" in info
    # voluntary links within 60 km between seats
    at.number_input(key="vol:id").set_value(60).run()
    assert not at.exception, at.exception
    assert at.query_params["vol"] == "60"
    at.toggle(key="flagged:id").set_value(True).run()
    rows = candidates_frame(at)
    voluntary = rows[rows["Catatan"].str.contains("sukarela (tidak berbatasan)", regex=False)]
    assert len(voluntary)
    assert not voluntary["Catatan"].str.contains("indikasi wajib").any()
