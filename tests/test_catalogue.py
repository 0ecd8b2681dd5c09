"""The text catalogue: both languages alike, every key used exists, no text outside it.

The static checks read the source of the shipped code (``common``, ``geo``, ``analysis``,
``registry``, ``kerjasama`` and ``app.py``; not ``tests/`` and not the developer benchmarks) with
:mod:`ast`, so a user-visible string added outside the catalogue fails here.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from common.errors import InputError, KerjasamaError
from common.text import LANGS, Listing, Msg, catalogue, fmt_number, format_value, t, translator

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "geo", "analysis", "registry", "kerjasama")
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
PERCENT_FIELD = re.compile(r"%\((\w+)\)[sr]|%[sr]")
#: streamlit calls whose first argument (or ``label``/``help``/``body``) is shown to the user
ST_TEXT = {
    "caption", "markdown", "subheader", "header", "title", "info", "warning", "error", "success",
    "button", "download_button", "radio", "selectbox", "slider", "toggle", "checkbox",
    "text_input", "file_uploader", "expander", "multiselect", "number_input", "spinner", "tabs",
    "metric", "write", "text", "toast", "exception",
}  # fmt: skip
#: of those, names also used outside streamlit: only flagged on ``st`` / ``st.sidebar``
ST_AMBIGUOUS = {"write", "text", "title", "header", "exception"}
ARGPARSE_CALLS = {"add_argument", "add_parser", "ArgumentParser", "add_argument_group"}
ARGPARSE_KEYWORDS = {"help", "description", "epilog", "title", "usage"}


def _sources() -> list[Path]:
    files = [ROOT / "app.py"]
    for package in PACKAGES:
        files.extend(sorted((ROOT / package).rglob("*.py")))
    return [f for f in files if f.is_file()]


def _trees() -> list[tuple[Path, ast.AST]]:
    return [(f, ast.parse(f.read_text(encoding="utf-8"), str(f))) for f in _sources()]


def _fields(template: str) -> set[str]:
    names = set()
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            names.add(name)
            names |= _fields(spec or "")
    return names


def _wordy(node: ast.AST) -> bool:
    """A string literal (or f-string) holding at least one letter: text, not markup."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_wordy(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _error_classes(trees) -> set[str]:
    names = {"KerjasamaError", "InputError", "MissingDataError"}
    changed = True
    while changed:
        changed = False
        for _, tree in trees:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in names
                    and any(_dotted(b).split(".")[-1] in names for b in node.bases)
                ):
                    names.add(node.name)
                    changed = True
    return names


# ---------------------------------------------------------------- the catalogue itself


def test_same_keys_and_fields_in_every_language():
    base = catalogue("en")
    assert len(base) > 300
    for lang in LANGS:
        other = catalogue(lang)
        assert set(other) == set(base), f"{lang}: keys differ: {set(other) ^ set(base)}"
        for key, template in base.items():
            assert _fields(other[key]) == _fields(template), f"{lang} {key}: fields differ"
            assert sorted(PERCENT_FIELD.findall(other[key])) == sorted(
                PERCENT_FIELD.findall(template)
            ), f"{lang} {key}: %-fields differ"


def test_indonesian_is_not_a_copy_of_english():
    en, id_ = catalogue("en"), catalogue("id")
    same = [k for k in en if en[k] == id_[k] and re.search(r"[a-z]{4,} [a-z]{4,}", en[k])]
    assert same == []


def test_templates_render_with_their_fields():
    for lang in LANGS:
        for key, template in catalogue(lang).items():
            values = {name: 1 for name in _fields(template) if "." not in name}
            t(key, lang, **values)  # must not raise


def test_numbers_follow_the_language():
    assert fmt_number(1234.5, "id", decimals=1) == "1.234,5"
    assert fmt_number(1234.5, "en", decimals=1) == "1,234.5"
    assert format_value(0.125, ".1%", "id") == "12,5%"
    err = InputError("errors.boundaries.truncated", file="a.shp", declared=123456, size=1000)
    assert "123.456 byte" in err.render("id") and "123,456 bytes" in str(err)


def test_deferred_text_renders_in_the_reader_language():
    why = Msg("errors.zip.why_link")
    err = InputError("errors.zip.refused", file="x.zip", member="a", why=why)
    assert "symbolic link" in str(err) and "tautan simbolik" in err.render("id")
    items = Listing([str(i) for i in range(12)], limit=10)
    assert items.render("en").endswith("9 and 2 more")
    assert items.render("id").endswith("9 dan 2 lainnya")
    assert Listing([".shx", ".dbf"], last="and").render("id") == ".shx dan .dbf"
    assert translator("en")("report.portfolio.proven") == "optimality proven"
    moved = err.with_text(lambda s: s.replace("x.zip", "'batas.zip'"))
    assert "'batas.zip'" in str(moved) and type(moved) is InputError


def test_error_pickles_with_its_parameters():
    import pickle

    err = InputError("errors.indicators.empty", file="t.csv", exit_code=1)
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and back.exit_code == 1 and isinstance(back, KerjasamaError)


# ---------------------------------------------------------------- the code against the catalogue


def test_every_key_used_in_code_exists():
    known = catalogue("en")
    tables = {k.split(".")[0] for k in known}
    missing = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if KEY.match(text) and text.split(".")[0] in tables and text not in known:
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text}")
    assert missing == []


def test_every_catalogue_key_is_used():
    used: set[str] = set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                used.add(node.value)
    unused = sorted(k for k in catalogue("en") if k not in used)
    assert unused == []


def test_errors_are_raised_with_a_literal_catalogue_key():
    trees = _trees()
    classes = _error_classes(trees)
    known = catalogue("en")
    tables = {  # module-level NAME = {...: "key", ...}: its values are the keys
        target.id: list(node.value.values)
        for _, tree in trees
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    bad = []
    for path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func).split(".")[-1]
            if name not in classes | {"Msg"}:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if not node.args:
                bad.append(f"{where}: {name}() without a key")
                continue
            first = node.args[0]
            # a literal, "key.a" if cond else "key.b", or TABLE[...] of a module-level dict of
            # literal keys
            keys = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            if isinstance(first, ast.Subscript) and isinstance(first.value, ast.Name):
                keys = tables.get(first.value.id, [first])
            for k in keys:
                if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
                    bad.append(f"{where}: {name}() key is not a literal")
                elif k.value not in known:
                    bad.append(f"{where}: {name}({k.value!r}) is not in the catalogue")
    assert bad == []


def _output_violations(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = _dotted(node.func)
        name = func.split(".")[-1]
        receiver = func.rsplit(".", 1)[0] if "." in func else ""
        shown: list[ast.AST] = []
        if func == "print" or func in ("sys.stdout.write", "sys.stderr.write"):
            shown = list(node.args)
        elif name == "error" and receiver:  # parser.error, st.error
            shown = list(node.args[:1])
        elif (
            name in ST_TEXT
            and receiver
            and (name not in ST_AMBIGUOUS or receiver in ("st", "st.sidebar"))
        ):
            shown = list(node.args[:1]) + [
                k.value for k in node.keywords if k.arg in ("label", "help", "body", "text")
            ]
        if name in ARGPARSE_CALLS:
            shown += [k.value for k in node.keywords if k.arg in ARGPARSE_KEYWORDS]
        for arg in shown:
            if _wordy(arg):
                found.append((node.lineno, func))
    return found


def test_no_user_text_outside_the_catalogue():
    bad = [
        f"{path.relative_to(ROOT)}:{line}: text literal passed to {func}()"
        for path, tree in _trees()
        for line, func in _output_violations(tree)
    ]
    assert bad == []


@pytest.mark.parametrize(
    "source",
    [
        'print("Done")',
        'print(f"{n} regions")',
        'import sys\nsys.stderr.write("oops")',
        'st.caption("Data")',
        'side.slider("Size", 1, 5)',
        'parser.add_argument("--x", help="an option")',
        'parser.error("bad")',
    ],
)
def test_the_scan_catches_literal_text(source):
    assert _output_violations(ast.parse(source)) != []


def test_the_scan_lets_catalogue_text_and_markup_through():
    source = 'print(tr("cli.note", note=n))\nst.markdown(f"**{label}**")\nax.text(0, 0, "x")'
    assert _output_violations(ast.parse(source)) == []
