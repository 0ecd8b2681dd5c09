"""The command line loads only what the chosen sub-command needs (issue 8 section 9).

``kerjasama suggest`` (its help, and a run on a small made-up province) must not import the
registry's database layer (SQLAlchemy, argon2), openpyxl or scipy (a province's pair table is a
small dense matrix power); the parser for one sub-command is the same as in the full parser.
Each case runs in a fresh interpreter and reads its ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tiny import suggest_args, write_tiny

from kerjasama.cli import build_parser, chosen_command, main

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sqlalchemy", "argon2", "openpyxl", "scipy", "registry", "kerjasama.commands.registry")

_PROBE = """
import json, sys
from kerjasama.cli import main
try:
    status = main(json.loads(sys.argv[1]))
except SystemExit as stop:
    status = stop.code
sys.stderr.write("\\n__modules__=" + json.dumps(sorted(sys.modules)) + "\\n")
sys.stderr.write("__status__=" + json.dumps(status) + "\\n")
"""


def _loaded(argv: list[str]) -> tuple[int, set[str]]:
    """Exit status and the modules loaded by ``kerjasama <argv>`` in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = proc.stderr.splitlines()
    modules = next(x for x in lines if x.startswith("__modules__="))
    status = next(x for x in lines if x.startswith("__status__="))
    return json.loads(status.split("=", 1)[1]), set(json.loads(modules.split("=", 1)[1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)


def test_suggest_help_loads_no_registry_or_spreadsheet_code():
    status, modules = _loaded(["suggest", "--help"])
    assert status == 0
    assert "kerjasama.commands.suggest" in modules
    assert _heavy(modules) == []
    assert not {"kerjasama.commands.brief", "kerjasama.commands.adjacency"} & modules


def test_suggest_run_loads_no_registry_or_spreadsheet_code(tmp_path):
    boundaries, indicators = write_tiny(tmp_path)
    out = tmp_path / "members.csv"
    status, modules = _loaded(suggest_args(boundaries, indicators, "--members-csv", str(out)))
    assert status == 0 and out.stat().st_size > 0
    assert "analysis.pipeline" in modules
    assert _heavy(modules) == []


@pytest.mark.parametrize(
    "argv, command",
    [
        (["suggest", "--sector", "water"], "suggest"),
        (["--lang", "en", "suggest"], "suggest"),
        (["--lang=en", "registry", "list"], "registry"),
        (["--lang", "suggest"], None),  # "suggest" is the (invalid) value of --lang
        (["adjacency", "suggest"], "adjacency"),
        (["sugest"], None),
        (["--help"], None),
        (["-h", "suggest"], None),  # the main help, listing every command
        (["suggest", "-h"], "suggest"),
        ([], None),
        (["--", "suggest"], None),
    ],
)
def test_chosen_command(argv, command):
    assert chosen_command(argv) == command


def test_main_help_before_a_command_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "en", "-h", "suggest"])
    out = capsys.readouterr().out
    assert all(name in out for name in ("adjacency", "suggest", "brief", "registry"))


def test_one_command_parser_is_the_full_parsers_subparser():
    def subparser(parser):
        action = next(a for a in parser._actions if a.dest == "command")
        return action.choices["suggest"]

    full, alone = subparser(build_parser("en")), subparser(build_parser("en", "suggest"))
    assert alone.format_help() == full.format_help()
    argv = ["--sector", "water", "--top", "7", "--province", "64", "--out", "x.geojson"]
    assert vars(alone.parse_args(argv)) == vars(full.parse_args(argv))
