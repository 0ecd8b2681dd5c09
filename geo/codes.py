"""Region codes: one canonical spelling.

BPS and Kemendagri codes arrive as ``6472``, ``64.72``, ``ID6472``, ``64 72`` or the integer
6472 (sometimes read as the float 6472.0). The canonical form is the digits alone, as a string:
``"6472"``. The original value is always kept next to it by the readers.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

_FLOAT_INT = re.compile(r"^\s*(\d+)\.0+\s*$")
_NON_DIGIT = re.compile(r"\D+")


def normalize_code(value: object) -> str | None:
    """Return the canonical code string (digits only) of one value, or None when it has none.

    Examples
    --------
    >>> [normalize_code(v) for v in ("64.72", "6472", "ID6472", 6472, 6472.0, " 64 72 ")]
    ['6472', '6472', '6472', '6472', '6472', '6472']
    >>> normalize_code("n/a") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return str(int(value)) if value >= 0 else None
    if isinstance(value, float | np.floating):
        if math.isnan(value) or value < 0 or not float(value).is_integer():
            return None
        return str(int(value))
    text = str(value).strip()
    match = _FLOAT_INT.match(text)
    if match:  # "6472.0" as written by a spreadsheet
        text = match.group(1)
    digits = _NON_DIGIT.sub("", text)
    return digits or None


def normalize_codes(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalize_code`: a Series of canonical strings (None where no digits).

    The result keeps the input's index.
    """
    return pd.Series([normalize_code(v) for v in values], index=values.index, dtype=object)
