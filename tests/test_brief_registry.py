"""The briefing pack's registry section: existing agreements and open alerts in the scope
(HTML and PDF), from a real registry on SQLite and PostgreSQL; the CLI's ``--db``."""

from __future__ import annotations

import datetime as dt

from registry_support import agreement
from test_brief import EVIL, make, pdf_text, squash, synthetic

from analysis.config import load_config
from kerjasama.cli import main as cli_main
from kerjasama.present import brief as briefing
from kerjasama.present.brief.agreements import agreements_section, unavailable_section

TODAY = dt.date(2025, 8, 15)


def fill(reg) -> None:
    """Water agreements in province 64 (one overlapping the first synthetic candidate, one
    with a KB older than six months), one in Central Java, one of another sector."""
    reg.add(agreement(name=f"SPAM {EVIL}", sector="water", members="64.01;64.02", stage="kb",
                      kb_on="2024-06-01"))  # fmt: skip
    reg.add(agreement(name="Air Bontang–Kutim", sector="water", form="contract",
                      members="64.74;64.08", provider="64.74", stage="pks", kb_on=None,
                      pks_on="2025-03-01", start_on="2025-03-01", duration_months=60))  # fmt: skip
    reg.add(agreement(name="SPAM Jawa Tengah", sector="water", members="33.01;33.02"))
    reg.add(agreement(name="TPA Regional", sector="waste", members="64.01;64.02"))


def section(reg, lang="id"):
    _, _, candidates = synthetic()
    return agreements_section(
        reg,
        sector="water",
        province="64",
        scope="Kalimantan Timur",
        lang=lang,
        today=TODAY,
        candidates=candidates,
        names={"6401": "Kota Satu", "6402": "Kabupaten Dua"},
        config=load_config(),
    )


def test_section_lists_the_scope_and_its_alerts(reg):
    fill(reg)
    s = section(reg)
    assert s.heading == "Kerja sama yang sudah ada dan peringatan terbuka"
    assert "Air minum" in s.intro and "Kalimantan Timur" in s.intro and "2025-08-15" in s.intro
    assert [r[1] for r in s.rows] == [f"SPAM {EVIL}", "Air Bontang–Kutim"]
    first, second = s.rows
    assert first[2] == "KB/MoU (2024-06-01)"
    assert first[3] == "Kota Satu (64.01); Kabupaten Dua (64.02)"
    assert first[4] == "#1"  # candidate 1 holds 6401 and 6402; candidate 2 shares only 6402
    assert second[3] == "64.74 *; 64.08" and second[4] == ""  # the provider marked
    assert s.alerts_heading == "Peringatan terbuka (2)"
    kb, budget = s.alerts
    assert kb.startswith("#1 SPAM") and "belum ada PKS" in kb
    assert budget == "#2 Air Bontang–Kutim: belum ada komitmen anggaran 2026 dari 64.74, 64.08."
    assert s.notes == ()


def test_html_and_pdf_carry_the_section_escaped(reg):
    fill(reg)
    page = briefing.brief_html(make(agreements=section(reg)))
    assert EVIL not in page and "SPAM &lt;script&gt;" in page
    assert page.index('class="overview"') < page.index('class="agreements"')
    assert page.index('class="agreements"') < page.index('class="cluster"')
    assert "Peringatan terbuka (2)" in page
    _, text = pdf_text(briefing.brief_pdf(make("en", agreements=section(reg, "en"))))
    flat = squash(text)
    for expected in ("Existing agreements and open alerts", "Air Bontang–Kutim", "still no PKS"):
        assert expected in flat, expected
    assert "SPAM Jawa Tengah" not in flat and "TPA Regional" not in flat


def test_an_empty_scope_and_no_registry_say_so(reg):
    s = section(reg)
    assert s.rows == () and s.notes[0].startswith("Registri tidak mencatat kerja sama")
    assert s.alerts == ("Tidak ada peringatan terbuka di wilayah ini per 2025-08-15.",)
    page = briefing.brief_html(make(agreements=unavailable_section("id")))
    assert "Registri kerja sama tidak dibaca" in page
    assert "Peringatan terbuka" not in page


def test_cli_brief_reads_the_registry_named_by_db(
    tmp_path, kaltim_shp, kaltim_indicators, monkeypatch
):
    from registry import Registry

    monkeypatch.delenv("KERJASAMA_DB_URL", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    with Registry.open(url, local_user="tester") as reg:
        reg.add(agreement(name="SPAM Regional Bontang–Kutim", sector="water", form="contract",
                          members="64.74;64.08", provider="64.74"))  # fmt: skip
    args = ["--boundaries", str(kaltim_shp), "--indicators", str(kaltim_indicators)]
    out = tmp_path / "brief.html"
    cid = "water-contract-6408-6474"
    base = ["brief", *args, "--sector", "water", "--cluster-id", cid, "--out", str(out)]
    assert cli_main([*base, "--db", url]) == 0
    page = out.read_text()
    assert "SPAM Regional Bontang–Kutim" in page and "#1" in page
    # no --db, no KERJASAMA_DB_URL, no default file: the pack says so and creates nothing
    assert cli_main(base) == 0
    assert "Registri kerja sama tidak dibaca" in out.read_text()
    assert not (tmp_path / "state").exists()
