"""Reading indicator tables as Indonesian offices export them.

CSV (comma, semicolon, tab or pipe separated; UTF-8 with or without BOM, else cp1252/Latin-1)
and Excel ``.xlsx``. Title rows and unit rows above the header are skipped (units are kept),
a unit row right below the header is recognised too; ``n/a``, ``-``, ``..`` and empty cells are
missing; numbers with decimal commas (``84,25``) and thousands separators (``1.234.567`` or
``1,234,567``) are converted per column. Code-like columns (``code``, ``kode``,
``kemendagri_code_2025``...) stay text so that ``64.10`` is never read as ``64.1``.

Every cell that should be a number and is not becomes a :class:`Problem` naming the row (as
numbered in the file / spreadsheet), the column and the value. The user's file is only read.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from common.errors import InputError
from common.shared import SharedInfo
from common.text import Listing, Msg, Option

MISSING_TOKENS = frozenset(
    {"", "-", "--", "---", "–", "—", "..", "...", "…", "n/a", "na", "n.a.", "n.a", "nan", "null",
     "none", "#n/a", "tidak ada data", "td", "t.d."}
)  # fmt: skip
DELIMITERS = (",", ";", "\t", "|")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_HEADER_SEARCH = 30
_CODE_NAME = re.compile(
    r"(^|[^a-z])(code|kode|kd|id|idkab|kdkab|kode_?wilayah)([^a-z]|$)",
    re.IGNORECASE,
)
_UNIT_WORDS = re.compile(
    r"^\(?\s*(%|persen|jiwa|orang|ton|ton/tahun|ton/th|km|km2|km²|ha|tahun|th|rp|rupiah|"
    r"juta|miliar|milyar|triliun|indeks|index|unit|buah|desa|kk|ruta|rt|\(\d+\))",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_PAREN_UNIT = re.compile(r"\(([^()]{1,30})\)\s*$")
_SUFFIX_UNITS = (
    ("_pct", "%"),
    ("persen", "%"),
    ("_km2", "km²"),
    ("per_km2", "per km²"),
    ("tonnes_per_year", "ton/tahun"),
    ("_years", "tahun"),
    ("billion_idr", "miliar rupiah"),
    ("million_idr", "juta rupiah"),
    ("trillion_idr", "triliun rupiah"),
    ("population", "jiwa"),
    ("penduduk", "jiwa"),
)

# number shapes (sign and spaces removed first)
_INT = re.compile(r"^\d+$")
_SEP1 = re.compile(r"^(\d+)([.,])(\d+)$")  # one separator
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")  # 1.234.567 / 1,234,567
_GROUPED_DEC = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*(?!\1)([.,])\d+$")  # 1.234,5 / 1,234.5
_SCI = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")


@dataclass(frozen=True)
class Problem:
    """A problem found in an input table.

    Attributes
    ----------
    severity
        ``"warning"`` (the data can still be used, the CLI exits 1) or ``"info"`` (a note, e.g.
        the detected encoding or a skipped title row).
    message
        Catalogue message (:class:`common.text.Msg`) naming the file, row, column and value;
        render it with ``message.render(lang)``.
    row
        Row number as shown in the file or spreadsheet (1-based, header counted), or None.
    column
        Column name, or None.
    value
        The offending cell text, or None.
    """

    severity: str
    message: Msg
    row: int | None = None
    column: str | None = None
    value: str | None = None


def is_missing_token(text: str) -> bool:
    """True when a cell's text means "no value" (empty, ``n/a``, ``-``, ``..``...)."""
    return text.strip().lower() in MISSING_TOKENS


def is_code_column(name: str) -> bool:
    """True when a column name looks like a region code (kept as text, never as a number)."""
    return bool(_CODE_NAME.search(str(name)))


def unit_year_from_name(column: str) -> tuple[str, int | None]:
    """Unit and data year parsed from a column name (``""``/None when not found).

    >>> unit_year_from_name("Timbulan Sampah (ton/tahun) 2024")
    ('ton/tahun', 2024)
    >>> unit_year_from_name("water_access_pct_2024")
    ('%', 2024)
    """
    name = str(column)
    years = _YEAR.findall(name)
    year = int(years[-1]) if years else None
    unit = ""
    stripped = _YEAR.sub("", name).strip(" _")
    match = _PAREN_UNIT.search(stripped) or re.search(r"\(([^()]{1,30})\)", name)
    if match and not _YEAR.fullmatch(match.group(1).strip()):
        unit = match.group(1).strip()
    else:
        lowered = name.lower()
        for suffix, value in _SUFFIX_UNITS:
            if suffix in lowered:
                unit = value
                break
    return unit, year


# ----------------------------------------------------------------------------- reading cells


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:4096]:
        raise InputError("errors.indicators.binary", file=path)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _sniff(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:60]
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (count, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _csv_rows(path: Path) -> tuple[list[list[str]], list[Problem], dict]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError("errors.indicators.unreadable", file=path, error=err.strerror) from None
    text, encoding = _decode(raw, path)
    delim = _sniff(text)
    try:
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delim)]
    except csv.Error as err:
        raise InputError("errors.indicators.bad_csv", file=path, error=err) from None
    problems = []
    if encoding not in ("utf-8", "utf-8-sig"):
        problems.append(
            Problem("info", Msg("problems.indicators.encoding", file=path.name, encoding=encoding))
        )
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    return rows, problems, {"encoding": encoding, "delimiter": names[delim]}


def _excel_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value).strip()


def _excel_rows(path: Path, sheet: str | int | None) -> tuple[list[list[str]], list[Problem], dict]:
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except FileNotFoundError:
        raise InputError("errors.indicators.xlsx_missing", file=path) from None
    except Exception as err:  # openpyxl raises many types for broken files
        raise InputError(
            "errors.indicators.bad_xlsx", file=path, error=f"{type(err).__name__}: {err}"
        ) from None
    sheets = [str(s) for s in book.sheet_names]
    problems: list[Problem] = []
    if sheet is None:
        chosen: str | int = sheets[0]
        if len(sheets) > 1:
            problems.append(
                Problem(
                    "info",
                    Msg(
                        "problems.indicators.sheets",
                        file=path.name,
                        sheets=", ".join(sheets),
                        first=sheets[0],
                        fix=Option("sheet"),
                    ),
                )
            )
    elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet in sheets):
        chosen = sheet
    else:
        raise InputError(
            "errors.indicators.no_sheet", file=path, sheet=repr(sheet), sheets=", ".join(sheets)
        )
    try:
        frame = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    except Exception as err:
        raise InputError(
            "errors.indicators.sheet_unreadable", file=path, sheet=repr(chosen), error=err
        ) from None
    rows = [[_excel_cell(v) for v in row] for row in frame.itertuples(index=False)]
    # pandas drops leading empty rows of the sheet; keep spreadsheet row numbers right
    first_row = 1
    formulas: list[tuple[int, int, str]] = []
    try:
        import openpyxl

        name = chosen if isinstance(chosen, str) else sheets[chosen]
        ws = openpyxl.load_workbook(path, read_only=True)[name]
        for idx, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if any(v is not None and str(v).strip() for v in row):
                first_row = idx
                break
        formulas = _unsaved_formulas(path, name, rows, first_row)
    except Exception:  # row numbers and notes only; never fail the read for this
        first_row = 1
    return rows, problems, {"sheet": str(chosen), "first_row": first_row, "formulas": formulas}


def _unsaved_formulas(
    path: Path, sheet: str, rows: list[list[str]], first_row: int
) -> list[tuple[int, int, str]]:
    """(spreadsheet row, column index, formula) of formula cells that have no saved value.

    A workbook written by a program that does not calculate (a script, some exporters) keeps
    the formulas but no results: the cells read as empty.
    """
    import openpyxl

    ws = openpyxl.load_workbook(path, read_only=True, data_only=False)[sheet]
    out = []
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        k = number - first_row
        for col, value in enumerate(row):
            if not (isinstance(value, str) and value.startswith("=")):
                continue
            saved = rows[k][col] if 0 <= k < len(rows) and col < len(rows[k]) else ""
            if saved == "":
                out.append((number, col, value))
    return out


# ----------------------------------------------------------------------------- header


@lru_cache(maxsize=1 << 16)
def _looks_numeric(text: str) -> bool:
    t = text.replace(" ", "").replace("\u00a0", "").lstrip("+-").rstrip("%")
    return bool(
        _INT.match(t) or _SEP1.match(t) or _GROUPED.match(t) or _GROUPED_DEC.match(t)
    ) or bool(_SCI.match(t))


def _is_unit_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled or any(_looks_numeric(c) for c in filled):
        return False
    return sum(bool(_UNIT_WORDS.match(c)) for c in filled) >= max(1, len(filled) // 2)


def _find_header(rows: list[list[str]], path: Path) -> int:
    width = max(sum(1 for c in r if c) for r in rows[: MAX_HEADER_SEARCH * 4])
    for i, row in enumerate(rows[:MAX_HEADER_SEARCH]):
        filled = [c for c in row if c]
        if len(filled) < max(2, int(0.8 * width)):
            continue
        if len(set(filled)) < len(filled):  # "%", "%" ... is a unit row, not a header
            continue
        if sum(_looks_numeric(c) for c in filled) > 0.2 * len(filled):
            continue
        if _is_unit_row(row):
            continue
        return i
    raise InputError("errors.indicators.no_header", file=path, n=MAX_HEADER_SEARCH)


# ----------------------------------------------------------------------------- numbers


@lru_cache(maxsize=1 << 16)  # each cell is cleaned by every test of its shape
def _clean(text: str) -> tuple[str, float]:
    t = text.replace("\u00a0", "").replace(" ", "")
    sign = 1.0
    if t.startswith(("-", "−")):
        sign, t = -1.0, t[1:]
    elif t.startswith("+"):
        t = t[1:]
    if t.endswith("%"):
        t = t[:-1]
    return t, sign


def _column_decimal(cells: list[str]) -> str | None:
    """The column's decimal mark ("," or "."), or None when only ambiguous shapes occur."""
    votes: Counter[str] = Counter()
    for text in cells:
        t, _ = _clean(text)
        grouped = _GROUPED_DEC.match(t)
        if grouped:
            votes[grouped.group(3)] += 1
            continue
        if t.count(".") > 1 and "," not in t:
            votes[","] += 1  # 1.234.567 -> dot groups thousands
        elif t.count(",") > 1 and "." not in t:
            votes["."] += 1
        else:
            one = _SEP1.match(t)
            if one and len(one.group(3)) != 3:
                votes[one.group(2)] += 1
            elif one and (one.group(1) == "0" or len(one.group(1)) > 3):
                votes[one.group(2)] += 1  # 0,125 and 1828.851 can only be decimals
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def _parse_number(text: str, decimal: str) -> float | None:
    t, sign = _clean(text)
    if not t:
        return None
    thousands = "." if decimal == "," else ","
    if _INT.match(t):
        return sign * float(t)
    if _SCI.match(t):
        return sign * float(t)
    if _GROUPED_DEC.match(t):
        m = _GROUPED_DEC.match(t)
        if m.group(1) == thousands and m.group(3) == decimal:
            return sign * float(t.replace(thousands, "").replace(decimal, "."))
        return None
    if _GROUPED.match(t) and _GROUPED.match(t).group(1) == thousands:
        return sign * float(t.replace(thousands, ""))
    one = _SEP1.match(t)
    # a single separator that is not this column's thousands mark, or that cannot be one
    # (group of != 3 digits, or more than 3 digits before it): a decimal
    if one and (one.group(2) == decimal or len(one.group(3)) != 3 or len(one.group(1)) > 3):
        return sign * float(f"{one.group(1)}.{one.group(3)}")
    return None


def _grouped_shape(text: str) -> bool:
    """``286.991`` / ``1,500``: one separator followed by exactly three digits (a thousands
    group, or a decimal with three places: only the unit can tell)."""
    t, _ = _clean(text)
    one = _SEP1.match(t)
    return bool(one and len(one.group(1)) <= 3 and len(one.group(3)) == 3)


def _convert(
    name: str,
    cells: list[str],
    rows: list[int],
    file_decimal: str | None,
    path: Path,
    numeric: list[str],
    decimal: str | None,
) -> tuple[pd.Series | None, list[Problem], list[tuple[int, str]]]:
    """The column as numbers (None when it is text), its problems, and the (row, cell text)
    whose value was read from a ``286.991``-shaped cell with the separator as decimal mark.

    ``numeric`` are the column's cells that look like numbers and ``decimal`` their decimal mark
    (:func:`_column_decimal`), as the file-wide vote found them."""
    missing = [is_missing_token(c) for c in cells]
    n_present = len(cells) - sum(missing)
    if not n_present:
        return pd.Series(np.nan, index=rows, dtype="float64"), [], []
    if len(numeric) < 0.5 * n_present:
        return None, [], []
    problems: list[Problem] = []
    if decimal is None:
        decimal = file_decimal or "."
        has_sep = any(("." in c or "," in c) for c in numeric)
        if has_sep and file_decimal is None:
            problems.append(
                Problem(
                    "warning",
                    Msg(
                        "problems.indicators.ambiguous_separator",
                        file=path.name,
                        column=repr(name),
                        example=repr(next(c for c in numeric if "." in c or "," in c)),
                    ),
                    column=name,
                )
            )
    values = np.full(len(cells), np.nan)
    mixed = False
    grouped: list[tuple[int, str]] = []
    for pos, text in enumerate(cells):
        if missing[pos]:
            continue
        value = _parse_number(text, decimal)
        if value is None:
            problems.append(
                Problem(
                    "warning",
                    Msg(
                        "problems.indicators.not_a_number",
                        file=path.name,
                        row=rows[pos],
                        column=repr(name),
                        value=repr(text),
                    ),
                    row=rows[pos],
                    column=name,
                    value=text,
                )
            )
            continue
        t, _ = _clean(text)
        one = _SEP1.match(t)
        if one and abs(value) != float(one.group(1) + one.group(3)):
            # the separator was read as a decimal mark
            if decimal == "," and one.group(2) == ".":
                mixed = True
            if _grouped_shape(text):
                grouped.append((rows[pos], text.strip()))
        values[pos] = value
    if mixed:
        problems.append(
            Problem(
                "info",
                Msg("problems.indicators.mixed_decimals", file=path.name, column=repr(name)),
                column=name,
            )
        )
    return pd.Series(values, index=rows, dtype="float64"), problems, grouped


# ----------------------------------------------------------------------------- main entry


def read_indicators(
    path: str | Path, *, sheet: str | int | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read an indicator table (CSV or .xlsx) without changing the file.

    Parameters
    ----------
    path
        ``.csv`` / ``.txt`` / ``.tsv`` or ``.xlsx``.
    sheet
        Excel sheet name or position (default: the first sheet).

    Returns
    -------
    table
        Columns as in the file (names stripped), numeric columns as float, code and name
        columns as text. The index, named ``row``, is the row number in the file (1-based,
        header counted) so that problems can point at the line. ``table.attrs["kerjasama"]``
        holds ``source``, ``encoding``/``sheet``, ``delimiter``, ``header_row``, ``units``
        (unit row text per column, when the file has one) and ``grouped_decimals``
        (``{column: {row: cell text}}`` of cells like ``286.991`` read with the separator as
        decimal mark: thousands written with a dot, if the values are implausible).
    problems
        Non-numeric cells in numeric columns, ambiguous separators, skipped rows, notes.

    Raises
    ------
    InputError
        When the file is missing, unreadable, empty or has no header row, or when rows of a
        CSV file have a different number of fields than the header (all such rows listed).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("errors.indicators.not_found", file=path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        rows, problems, info = _excel_rows(path, sheet)
        offset = info.pop("first_row") - 1
    elif suffix == ".xls":
        raise InputError("errors.indicators.xls", file=path)
    elif suffix in CSV_SUFFIXES or not suffix:
        rows, problems, info = _csv_rows(path)
        offset = 0
    else:
        raise InputError("errors.indicators.type", file=path, suffix=repr(suffix))
    if not any(any(r) for r in rows):
        raise InputError("errors.indicators.empty", file=path)
    header_at = _find_header(rows, path)
    csv_file = "delimiter" in info
    width = len(rows[header_at]) if csv_file else max(len(r) for r in rows)
    header = [c.strip() for c in rows[header_at]] + [""] * (width - len(rows[header_at]))
    seen: Counter[str] = Counter()
    names = []
    for i, h in enumerate(header):
        h = h or f"column_{i + 1}"
        seen[h] += 1
        if seen[h] > 1:
            problems.append(
                Problem(
                    "warning",
                    Msg("problems.indicators.duplicate_column", file=path.name, column=repr(h)),
                )
            )
            h = f"{h}.{seen[h] - 1}"
        names.append(h)
    units: dict[str, str] = {}
    for i in range(header_at):
        if _is_unit_row(rows[i]):
            units.update({n: c for n, c in zip(names, rows[i], strict=False) if c})
        elif any(rows[i]):
            text = " ".join(c for c in rows[i] if c)
            problems.append(
                Problem(
                    "info",
                    Msg(
                        "problems.indicators.title_skipped",
                        file=path.name,
                        row=i + 1 + offset,
                        text=repr(text[:60]),
                    ),
                    row=i + 1 + offset,
                )
            )
    body_start = header_at + 1
    if body_start < len(rows) and _is_unit_row(rows[body_start]):
        units.update({n: c for n, c in zip(names, rows[body_start], strict=False) if c})
        body_start += 1
    if units:
        problems.append(
            Problem(
                "info",
                Msg(
                    "problems.indicators.unit_row",
                    file=path.name,
                    units=", ".join(units.values())[:120],
                ),
            )
        )
    body = [(i + 1 + offset, r) for i, r in enumerate(rows) if i >= body_start and any(r)]
    while body and len(body[-1][1]) < width and sum(bool(c) for c in body[-1][1]) <= 1:
        number, r = body.pop()  # a footnote below the table ("Sumber: BPS ...")
        problems.append(
            Problem(
                "info",
                Msg(
                    "problems.indicators.footer_skipped",
                    file=path.name,
                    row=number,
                    text=repr(" ".join(c for c in r if c)[:60]),
                ),
                row=number,
            )
        )
    if not body:
        raise InputError("errors.indicators.no_rows", file=path)
    if csv_file:
        _check_row_widths(body, header, path)
    row_numbers = [n for n, _ in body]
    columns = {name: [r[j] if j < len(r) else "" for _, r in body] for j, name in enumerate(names)}
    # file-wide decimal mark: from columns that show it unambiguously
    votes: Counter[str] = Counter()
    numeric = {n: [c for c in cells if _looks_numeric(c)] for n, cells in columns.items()}
    marks = {n: _column_decimal(numeric[n]) for n in columns if not is_code_column(n)}
    for mark in marks.values():
        if mark:
            votes[mark] += 1
    file_decimal = votes.most_common(1)[0][0] if votes else None
    if file_decimal is None and info.get("delimiter") == "semicolon":
        file_decimal = ","  # Indonesian locale export: ';' separates, ',' is the decimal mark
    formulas = _formulas_by_column(info.pop("formulas", []), names, row_numbers)
    out: dict[str, pd.Series] = {}
    grouped: dict[str, dict[int, str]] = {}
    for name, cells in columns.items():
        series = None
        if not is_code_column(name):
            series, found, rows_grouped = _convert(
                name, cells, row_numbers, file_decimal, path, numeric[name], marks[name]
            )
            problems.extend(found)
            if rows_grouped:
                grouped[name] = dict(rows_grouped)
        if series is None:
            series = pd.Series(
                [None if c == "" else c for c in cells], index=row_numbers, dtype=object
            )
        problems.extend(_empty_column(name, cells, series, formulas.get(name, []), path))
        out[name] = series
    table = pd.DataFrame(out, index=pd.Index(row_numbers, name="row"))
    table.attrs["kerjasama"] = SharedInfo(  # read only from here on: copies share it
        {
            "source": str(path),
            **info,
            "header_row": header_at + 1 + offset,
            "units": units,
            "grouped_decimals": grouped,
        }
    )
    return table, problems


def _check_row_widths(body: list[tuple[int, list[str]]], header: list[str], path: Path) -> None:
    """Refuse rows with a different number of fields than the header (all listed at once).

    Cells never shift: a row with an extra field (an unquoted decimal comma: ``84,25`` in a
    comma-separated file) or a missing one would put every later value under the wrong
    column. Empty trailing fields beyond the header, and missing fields under empty trailing
    header cells, are harmless and accepted.
    """
    width = len(header)
    bad = []
    for number, cells in body:
        short = len(cells) < width and any(header[len(cells) :])
        long = len(cells) > width and any(cells[width:])
        if short or long:
            bad.append(Msg("errors.indicators.row_width_item", row=number, fields=len(cells)))
    if bad:
        raise InputError(
            "errors.indicators.row_width",
            file=path,
            n=len(bad),
            width=width,
            rows=Listing(bad, limit=20),
        )


def _is_placeholder(text: str) -> bool:
    """A cell that stands for "no value": a missing token, or a symbol of at most two letters
    (BPS writes ``x`` for confidential, ``e`` for estimate; others ``?``, ``*``, ``***``)."""
    if is_missing_token(text):
        return True
    stripped = text.strip()
    return (
        bool(stripped)
        and not any(c.isdigit() for c in stripped)
        and (sum(c.isalpha() for c in stripped) <= 2)
    )


def _empty_column(
    name: str, cells: list[str], series: pd.Series, formulas: list[tuple[str, str]], path: Path
) -> list[Problem]:
    """Warn about a column that holds no value at all: formulas without saved values, only
    placeholders (read as text), or only missing-value marks."""
    if formulas:
        cell, formula = formulas[0]
        return [
            Problem(
                "warning",
                Msg(
                    "problems.indicators.formulas",
                    file=path.name,
                    column=repr(name),
                    n=len(formulas),
                    cell=cell,
                    formula=formula,
                ),
                column=name,
            )
        ]
    if is_code_column(name):
        return []
    present = [c for c in cells if c != ""]
    if not present or not all(_is_placeholder(c) for c in present):
        return []
    values = ", ".join(map(repr, sorted(set(present))[:5]))
    return [
        Problem(
            "warning",
            Msg(
                "problems.indicators.all_missing"
                if pd.api.types.is_numeric_dtype(series)
                else "problems.indicators.placeholders",
                file=path.name,
                column=repr(name),
                values=values,
            ),
            column=name,
        )
    ]


def _formulas_by_column(
    cells: list[tuple[int, int, str]], names: list[str], row_numbers: list[int]
) -> dict[str, list[tuple[str, str]]]:
    """Formula cells without a saved value, per column name: (cell reference, formula)."""
    if not cells:  # a CSV file, or a workbook whose formulas all have saved values
        return {}
    from openpyxl.utils import get_column_letter

    rows = set(row_numbers)
    out: dict[str, list[tuple[str, str]]] = {}
    for row, col, formula in cells:
        if row in rows and col < len(names):
            out.setdefault(names[col], []).append((f"{get_column_letter(col + 1)}{row}", formula))
    return out
