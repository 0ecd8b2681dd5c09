"""Briefing pack (kerjasama.present.brief) and its CLI twin ``kerjasama brief``."""

from __future__ import annotations

import datetime as dt
import io
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import box

from analysis.config import load_config
from common.errors import InputError
from kerjasama.cli import main as cli_main
from kerjasama.present import brief as briefing

EVIL = "<script>alert(1)</script>"
DATE = dt.date(2026, 11, 27)


def synthetic() -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """Four square regions in a row; 6403 has a hostile name; 6401 provides water."""
    codes = ["6401", "6402", "6403", "6404"]
    regions = gpd.GeoDataFrame(
        {"name": ["Kota Satu", "Kabupaten Dua", EVIL, "Kabupaten Empat"], "province": "64"},
        geometry=[box(116 + 0.4 * i, -1, 116.4 + 0.4 * i, -0.6) for i in range(4)],
        index=pd.Index(codes, name="code"),
        crs="EPSG:4326",
    )
    table = pd.DataFrame(
        {
            "water_access_pct_2024": [99.5, 60.25, 52.5, np.nan],
            "grdp_adhb_per_capita_million_idr_2024_derived": [300.0, 80.0, 70.0, 50.0],
            "population_bps_2024": [250000, 120000, 80000, 50000],
        },
        index=regions.index,
    )
    candidates = pd.DataFrame(
        {
            "cluster_id": ["water-contract-6401-6402-6403", "water-joint-6402-6403"],
            "rank": [1, 2],
            "sector": "water",
            "form": ["contract", "joint"],
            "members": [("6401", "6402", "6403"), ("6402", "6403")],
            "member_names": [("Kota Satu", "Kabupaten Dua", EVIL), ("Kabupaten Dua", EVIL)],
            "provider": ["6401", None],
            "size": [3, 2],
            "score": [0.81, 0.66],
            "score_components": [{"capacity": 1.0, "client_need": 0.7}, {"need": 0.8}],
            "explanation": [f"Penyedia Kota Satu 99,5% (2024); klien {EVIL}.", "Bersama."],
            "cross_province": [False, True],
            "maritime_links": [0, 1],
            "stability": [0.93, None],
            "data_years": [{"water_access_pct_2024": 2024}] * 2,
            "wajib_indication": [True, False],
        }
    )
    return regions, table, candidates


def make(lang: str = "id", **extra) -> briefing.Brief:
    regions, table, candidates = synthetic()
    return briefing.build_brief(
        candidates,
        regions,
        table,
        config=load_config(),
        sector="water",
        lang=lang,
        scope="Kalimantan Timur (64)",
        boundary_source="grid.gpkg",
        indicator_source="grid.csv",
        date=DATE,
        **extra,
    )


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_brief_content_prefilled():
    doc = make("id")
    assert doc.draft == "DRAF untuk pembahasan TKKSD"
    assert dict(doc.meta)["Tanggal"] == "2026-11-27"
    assert dict(doc.meta)["Sektor"] == "Air minum (SPAM regional)"
    first, second = doc.sections
    assert first.heading == "Kandidat #1 — Kontrak pelayanan"
    checklist = dict(first.checklist)
    assert list(checklist) == [
        "Subjek (para pihak)",
        "Objek kerja sama",
        "Ruang lingkup",
        "Hak dan kewajiban",
        "Jangka waktu",
        "Pengakhiran",
        "Keadaan kahar (force majeure)",
        "Penyelesaian perselisihan",
    ]
    assert checklist["Subjek (para pihak)"] == f"Kepala daerah Kota Satu, Kabupaten Dua dan {EVIL}"
    assert checklist["Ruang lingkup"].startswith("Kota Satu menyediakan layanan Air minum")
    assert checklist["Jangka waktu"] == "[untuk disepakati]"
    assert "Pelayanan bersama" in dict(second.checklist)["Objek kerja sama"]
    # key indicators: one row per indicator, one column per member, provider marked
    assert first.indicator_header[1] == "Kota Satu (penyedia)"
    water = next(r for r in first.indicator_rows if r[0].startswith("Rumah tangga dengan akses"))
    assert water[1:] == ("99,5", "60,2", "52,5")
    assert "(%, 2024)" in water[0]
    assert first.stability == "Stabilitas terhadap perubahan bobot: 93%"
    assert "indikasi wajib" in first.notes and second.stability == ""
    assert "lintas provinsi" in second.notes and "1 hubungan laut" in second.notes
    assert any("BPS Susenas" in s and "2024" in s for s in doc.sources)
    assert first.map_png[:8] == b"\x89PNG\r\n\x1a\n"


def test_brief_html_self_contained_and_escaped():
    page = briefing.brief_html(make("id"))
    assert EVIL not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("data:image/png;base64,") == 3  # the overview and one per candidate
    assert page.index('class="overview"') < page.index('class="cluster"')
    assert not re.search(r"(src|href)=\"https?://", page)
    assert page.count("DRAF untuk pembahasan TKKSD") >= 3
    assert "Keadaan kahar (force majeure)" in page
    assert "bukan penetapan kewajiban hukum" in page


def test_brief_pdf_real_document_id_and_en():
    pages, text = pdf_text(briefing.brief_pdf(make("id")))
    assert pages >= 3  # cover + one or more pages per candidate
    flat = squash(text)
    for expected in (
        "DRAF untuk pembahasan TKKSD",
        "Bahan Briefing Kerja Sama Daerah",
        "Kandidat #1",
        "Kota Satu",
        "Hak dan kewajiban",
        "Penyelesaian perselisihan",
        "Keadaan kahar",
        EVIL,  # printed as text, not interpreted as markup
    ):
        assert expected in flat, expected
    pages_en, text_en = pdf_text(briefing.brief_pdf(make("en")))
    flat_en = squash(text_en)
    for expected in ("DRAFT for TKKSD discussion", "Force majeure", "Dispute settlement"):
        assert expected in flat_en, expected
    assert "Drinking water (regional water supply)" in flat_en


def test_overview_first_and_clean_sources():
    doc = make("id")
    assert doc.overview_png[:8] == b"\x89PNG\r\n\x1a\n"
    assert doc.summary_header[0] == "Peringkat"
    assert [r[0] for r in doc.summary_rows] == ["1", "2"]
    assert doc.summary_rows[0][3] == "Kota Satu" and doc.summary_rows[1][3] == ""
    assert doc.summary_rows[0][5] == "water-contract-6401-6402-6403"
    assert doc.detail_note == ""
    # sources: each once, derived figures named by their inputs, no column names, no year twice
    text = " | ".join(doc.sources)
    assert "derived" not in text and "_2024" not in text
    assert not re.search(r"(\d{4}), \1", text)
    derived = next(s for s in doc.sources if s.startswith("PDRB per kapita"))
    assert "dihitung dari" in derived and "Jumlah penduduk" in derived
    image = Image.open(io.BytesIO(doc.overview_png)).convert("RGB")
    colours = {c for _, c in image.getcolors(1_000_000)}
    assert (0xFF, 0xD6, 0x00) in colours  # the provider's star
    pages, text = pdf_text(briefing.brief_pdf(doc))
    flat = squash(text)
    assert flat.index("Ringkasan") < flat.index("Kandidat #1")
    assert "water-contract-6401-6402-6403" in flat


def test_large_pack_is_bounded_and_says_so():
    regions, table, candidates = synthetic()
    doc = briefing.build_brief(
        candidates, regions, table, config=load_config(), sector="water", detail_limit=1
    )
    assert len(doc.sections) == 1 and len(doc.summary_rows) == 2
    assert "2 kandidat" in doc.detail_note and "1 teratas" in doc.detail_note
    assert "Ringkasan" in squash(pdf_text(briefing.brief_pdf(doc))[1])


def test_island_cluster_framed_on_its_islands():
    from shapely.geometry import MultiPolygon

    from kerjasama.present.brief.figure import frame

    islands = MultiPolygon([box(120, -5, 121, -4), box(126, 2, 126.01, 2.01)])  # a far islet
    bounds = frame(np.asarray([islands, box(121, -5, 122, -4)], dtype=object))
    assert bounds == pytest.approx((120, -5, 122, -4))


def test_cluster_map_png_has_size_and_content():
    regions, _, _ = synthetic()
    png = briefing.cluster_map_png(regions, ["6401", "6402"], provider="6401", source_line="x")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] > 600
    colours = {c for _, c in image.convert("RGB").getcolors(1_000_000)}
    # provider blue, member orange and the provider's star are drawn
    assert (0x15, 0x65, 0xC0) in colours and (0xEF, 0x6C, 0x00) in colours
    assert (0xFF, 0xD6, 0x00) in colours
    with pytest.raises(InputError, match="no member"):
        briefing.cluster_map_png(regions, ["9999"])


def test_voluntary_and_sea_links_drawn_in_both_maps():
    """The links a cluster was built on that are not a shared border are drawn: sea links
    dashed blue, voluntary links (seats within reach, no border) dotted green, with a legend
    entry on the overview only when one is drawn."""
    from kerjasama.present.brief import figure

    regions, _, candidates = synthetic()
    edges = pd.DataFrame(
        {
            "source": ["6401", "6401"],
            "target": ["6402", "6403"],
            "kind": ["land", "voluntary"],
            "shared_border_km": [44.4, 0.0],
            "distance_km": [0.0, 88.9],
        }
    )
    points = pd.DataFrame(
        {"lon": [116.2, 116.6, 117.0], "lat": [-0.8, -0.8, -0.8]}, index=["6401", "6402", "6403"]
    )
    assert figure._far_links(edges, ["6401", "6402", "6403"], points) == [
        (116.2, -0.8, 117.0, -0.8, 88.9, "voluntary")
    ]
    assert figure._far_links(edges, ["6401", "6402"], points) == []  # a member missing

    def colours(png: bytes) -> set:
        return {c for _, c in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1_000_000)}

    green = (0x2E, 0x7D, 0x32)
    one = briefing.cluster_map_png(regions, ["6401", "6402", "6403"], edges=edges)
    assert green in colours(one)
    assert green not in colours(briefing.cluster_map_png(regions, ["6401", "6402", "6403"]))
    overview = figure.overview_map_png(regions, candidates, edges=edges)
    assert green in colours(overview)
    assert green not in colours(figure.overview_map_png(regions, candidates, edges=edges[:1]))


@pytest.mark.parametrize(
    ("km", "expected"), [(0.7, 0.5), (3.3, 2.0), (9.9, 5.0), (10.0, 10.0), (260.0, 200.0)]
)
def test_nice_length(km, expected):
    assert briefing.nice_length(km) == expected


def test_write_brief_suffix_and_empty(tmp_path):
    doc = make("en")
    assert briefing.write_brief(doc, tmp_path / "b.pdf").read_bytes()[:5] == b"%PDF-"
    assert "<!DOCTYPE html>" in briefing.write_brief(doc, tmp_path / "b.html").read_text()
    with pytest.raises(InputError, match="FILE.pdf or FILE.html"):
        briefing.write_brief(doc, tmp_path / "b.docx")
    regions, table, candidates = synthetic()
    with pytest.raises(InputError, match="No candidate selected"):
        briefing.build_brief(
            candidates.iloc[:0], regions, table, config=load_config(), sector="water"
        )


def test_cli_brief_kaltim_pdf_and_html(tmp_path, kaltim_shp, kaltim_indicators, capsys):
    out = tmp_path / "brief.pdf"
    args = ["--boundaries", str(kaltim_shp), "--indicators", str(kaltim_indicators)]
    status = cli_main(["brief", *args, "--sector", "water", "--top", "2", "--out", str(out)])
    assert status == 0
    pages, text = pdf_text(out.read_bytes())
    flat = squash(text)
    assert pages >= 3
    assert "DRAF untuk pembahasan TKKSD" in flat and "Kandidat #2" in flat
    assert "Kota " in flat and "Penyedia" in flat  # a Kaltim city, a provider (contract)
    assert "kaltim_adm2.shp" in flat and "kaltim_indicators.csv" in flat
    # one chosen cluster, English HTML
    html_out = tmp_path / "brief.html"
    cid = "water-contract-6408-6474"
    status = cli_main(
        ["brief", *args, "--sector", "water", "--cluster-id", cid, "--lang", "en"]
        + ["--out", str(html_out)]
    )
    assert status == 0
    page = html_out.read_text()
    assert f'id="{cid}"' in page and "DRAFT for TKKSD discussion" in page
    # bad input: exit 2 with a message, no traceback
    capsys.readouterr()
    status = cli_main(
        ["brief", *args, "--sector", "water", "--cluster-id", "nope", "--out", str(out)]
    )
    assert status == 2
    assert "Id klaster nope tidak dikenal" in capsys.readouterr().err
    status = cli_main(
        ["--lang", "en", "brief", *args, "--sector", "water", "--cluster-id", "nope"]
        + ["--out", str(out)]
    )
    assert status == 2
    assert "Unknown cluster id(s) nope" in capsys.readouterr().err
    assert cli_main(["brief", *args, "--sector", "water", "--out", str(tmp_path / "x.txt")]) == 2


def test_cli_brief_portfolio(tmp_path, kaltim_shp, kaltim_indicators):
    out = tmp_path / "portfolio.html"
    args = ["--boundaries", str(kaltim_shp), "--indicators", str(kaltim_indicators)]
    assert cli_main(["brief", *args, "--sector", "health", "--portfolio", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "DRAF untuk pembahasan TKKSD" in html and "Kandidat #" in html
