"""One language for the whole command line: ``--lang``, ``KERJASAMA_LANG``, default ``id``."""

from __future__ import annotations

import argparse

import pytest

from kerjasama.cli import choose_lang, main


def test_choose_lang(monkeypatch):
    monkeypatch.delenv("KERJASAMA_LANG", raising=False)
    assert choose_lang([]) == "id"
    assert choose_lang(["suggest", "--lang", "en"]) == "en"
    assert choose_lang(["--lang=en", "sectors"]) == "en"
    monkeypatch.setenv("KERJASAMA_LANG", "en")
    assert choose_lang(["sectors"]) == "en"
    assert choose_lang(["sectors", "--lang", "id"]) == "id"
    monkeypatch.setenv("KERJASAMA_LANG", "fr")
    assert choose_lang(["sectors"]) == "id"


def test_help_and_argparse_errors_are_translated(capsys, monkeypatch):
    monkeypatch.delenv("KERJASAMA_LANG", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("penggunaan: kerjasama") and "tampilkan bantuan ini" in out
    assert "usage:" not in out and "show this help" not in out
    with pytest.raises(SystemExit):
        main(["suggest", "--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert out.startswith("usage: kerjasama suggest") and "write GeoJSON (RFC 7946) here" in out
    with pytest.raises(SystemExit) as stop:
        main(["suggest"])
    assert stop.value.code == 2
    assert "argumen berikut wajib diisi: --sector" in capsys.readouterr().err
    monkeypatch.setenv("KERJASAMA_LANG", "en")
    with pytest.raises(SystemExit):
        main(["suggest"])
    assert "the following arguments are required: --sector" in capsys.readouterr().err
    assert argparse._("usage: ") == "usage: "  # argparse is left as it was


def test_outputs_follow_the_language(capsys, monkeypatch):
    monkeypatch.delenv("KERJASAMA_LANG", raising=False)
    assert main(["sectors"]) == 0
    assert capsys.readouterr().out.startswith("Konfigurasi: ")
    assert main(["sectors", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("Config: ")
    assert main(["suggest", "--sector", "water"]) == 2
    assert "Tidak ada yang ditulis" in capsys.readouterr().err
