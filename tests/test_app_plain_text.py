"""User text in the app is plain text (issue 8 section 7): uploaded file names and region names
shown in Markdown-rendering widgets (error box, sidebar captions, warnings) are escaped, so a
link, heading or image in them is shown as typed and never fetched."""

from __future__ import annotations

from test_app import run_app, shapefile_upload
from test_app_upload import zip_bytes

from kerjasama.present.upload import Upload

IMAGE = "![x](https:__evil.example_p.png)"
LINK = "[Kaltim](https:__evil.example)"


def test_uploaded_names_escaped_in_captions(tmp_path, monkeypatch, kaltim_shp, kaltim_indicators):
    monkeypatch.setenv("KERJASAMA_DATA", str(tmp_path))
    stem = f"{IMAGE} {LINK} # heading"
    parts = shapefile_upload(stem, kaltim_shp)
    indicators = Upload("**bold** _x_.csv", kaltim_indicators.read_bytes())
    at = run_app(uploads=(parts, indicators, "", ""))
    assert not at.exception, at.exception
    shown = " ".join([c.value for c in at.caption] + [s.value for s in at.success])
    assert "!\\[x\\](https:" in shown and "\\[Kaltim\\]" in shown and "\\# heading" in shown
    assert "\\*\\*bold\\*\\* \\_x\\_.csv" in shown
    assert "![x](" not in shown and "[Kaltim](" not in shown and "**bold**" not in shown


def test_error_box_escapes_the_file_name(tmp_path, monkeypatch, kaltim_indicators):
    monkeypatch.setenv("KERJASAMA_DATA", str(tmp_path))
    evil = Upload(f"{IMAGE}.zip", zip_bytes({"../../evil.shp": b"x"}))
    at = run_app(uploads=((evil,), Upload("ind.csv", kaltim_indicators.read_bytes()), "", ""))
    assert not at.exception, at.exception
    message = at.error[0].value
    assert "!\\[x\\](https:\\_\\_evil.example\\_p.png).zip" in message
    assert "![x](" not in message
