"""Safe arithmetic expressions over indicator columns.

Sector terms in ``sectors.toml`` are written as small formulas such as
``100 - water_access_pct_2024``. They are parsed with :func:`ast.parse` (``mode="eval"``) and every
node is checked against a strict whitelist; the tree is then evaluated by this module's own
interpreter on pandas Series. Nothing is ever passed to ``eval``/``exec``/``compile``.

Allowed: numbers up to :data:`MAX_LITERAL` in size, column names (identifiers, no leading
underscore), ``+ - * /``, unary ``-`` and ``+``, parentheses, the functions ``min``, ``max`` and
``abs``, and ``**`` with a constant exponent of at most :data:`MAX_EXPONENT` in absolute value.

Constant parts (``100 / 3``, ``2 ** -1``) are computed once when the formula is parsed, so a
division by zero, an overflow or a complex number there (``1 / 0``, ``0 ** -1``, ``1e308 ** 3``,
``(-8) ** 0.5``) is refused with the formula named instead of failing later. On the data, an
undefined value (a division by zero, a negative number to a fractional power) is missing for
that region, never a number; a formula over a column that holds text is refused.
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from common.errors import InputError
from common.text import Listing, Msg

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_NODES = 200
MAX_EXPONENT = 3
#: Largest number a formula may write (a literal beyond this is a typo or an attack).
MAX_LITERAL = 1e15
FUNCTIONS = ("min", "max", "abs")

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression.

    Attributes
    ----------
    text
        The expression as written.
    columns
        The column names it reads, sorted.
    """

    text: str
    columns: tuple[str, ...]
    tree: ast.Expression

    def evaluate(self, table: pd.DataFrame) -> pd.Series:
        """Evaluate on ``table``; see :func:`evaluate`."""
        return evaluate(self, table)


def _fail(text: str, problem: Msg) -> InputError:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return InputError(
        "errors.expr.not_allowed",
        expr=repr(shown),
        problem=problem,
        functions=", ".join(f + "()" for f in FUNCTIONS),
        max_exponent=MAX_EXPONENT,
    )


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _paren_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def _constant_value(node: ast.AST) -> float | None:
    """Value of a numeric constant, possibly with unary signs; None when not constant."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * float(node.value)
    return None


def _check(node: ast.AST, text: str, depth: int, names: set[str]) -> None:
    if depth > MAX_DEPTH:
        raise _fail(text, Msg("errors.expr.nested", n=MAX_DEPTH))
    if isinstance(node, ast.Expression):
        _check(node.body, text, depth + 1, names)
    elif isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            raise _fail(text, Msg("errors.expr.constant", value=repr(node.value)))
        if isinstance(node.value, float) and not math.isfinite(node.value):
            raise _fail(text, Msg("errors.expr.not_finite", value=repr(node.value)))
        if abs(node.value) > MAX_LITERAL:
            shown = _short(str(node.value))
            raise _fail(text, Msg("errors.expr.literal_large", value=shown, max=MAX_LITERAL))
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise _fail(text, Msg("errors.expr.underscore", name=repr(node.id)))
        if node.id in FUNCTIONS:
            raise _fail(text, Msg("errors.expr.uncalled", name=node.id))
        names.add(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            raise _fail(text, Msg("errors.expr.operator", op=type(node.op).__name__))
        if isinstance(node.op, ast.Pow):
            exponent = _constant_value(node.right)
            if exponent is None:
                raise _fail(text, Msg("errors.expr.exponent_constant"))
            if abs(exponent) > MAX_EXPONENT:
                raise _fail(
                    text, Msg("errors.expr.exponent_large", value=exponent, max=MAX_EXPONENT)
                )
        _check(node.left, text, depth + 1, names)
        _check(node.right, text, depth + 1, names)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise _fail(text, Msg("errors.expr.operator", op=type(node.op).__name__))
        _check(node.operand, text, depth + 1, names)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            what = node.func.id if isinstance(node.func, ast.Name) else "an expression"
            raise _fail(
                text, Msg("errors.expr.call", what=repr(what), functions=", ".join(FUNCTIONS))
            )
        if node.keywords:
            raise _fail(text, Msg("errors.expr.keywords"))
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            raise _fail(text, Msg("errors.expr.starred"))
        want = (1, 1) if node.func.id == "abs" else (2, 10)
        if not want[0] <= len(node.args) <= want[1]:
            raise _fail(text, Msg("errors.expr.arity", name=node.func.id, lo=want[0], hi=want[1]))
        for arg in node.args:
            _check(arg, text, depth + 1, names)
    elif isinstance(node, ast.Attribute):
        raise _fail(text, Msg("errors.expr.attribute"))
    elif isinstance(node, ast.Subscript):
        raise _fail(text, Msg("errors.expr.subscript"))
    elif isinstance(node, ast.Lambda):
        raise _fail(text, Msg("errors.expr.lambda"))
    elif isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        raise _fail(text, Msg("errors.expr.comprehension"))
    else:
        raise _fail(text, Msg("errors.expr.node", node=type(node).__name__))


class _Folder(ast.NodeTransformer):
    """Compute constant sub-expressions once; refuse those without a real, finite value."""

    def __init__(self, text: str) -> None:
        self.text = text

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        written = ast.unparse(node)
        self.generic_visit(node)
        if isinstance(node.left, ast.Constant) and isinstance(node.right, ast.Constant):
            op = _BINOPS[type(node.op)]
            left, right = float(node.left.value), float(node.right.value)
            return self._fold(node, written, lambda: op(left, right))
        zero = isinstance(node.right, ast.Constant) and float(node.right.value) == 0
        if isinstance(node.op, ast.Div) and zero:  # undefined for every region
            part = _short(written, 60)
            raise _fail(self.text, Msg("errors.expr.const_zero_division", part=part))
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        written = ast.unparse(node)
        self.generic_visit(node)
        if isinstance(node.operand, ast.Constant):
            sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
            value = float(node.operand.value)
            return self._fold(node, written, lambda: sign * value)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        written = ast.unparse(node)
        self.generic_visit(node)
        if all(isinstance(arg, ast.Constant) for arg in node.args):
            values = [float(arg.value) for arg in node.args]
            fn = {"abs": lambda v: abs(v[0]), "min": min, "max": max}[node.func.id]
            return self._fold(node, written, lambda: fn(values))
        return node

    def _fold(self, node: ast.AST, written: str, compute) -> ast.Constant:
        part = _short(written, 60)
        try:
            value = compute()
        except ZeroDivisionError:
            raise _fail(self.text, Msg("errors.expr.const_zero_division", part=part)) from None
        except OverflowError:
            raise _fail(self.text, Msg("errors.expr.const_overflow", part=part)) from None
        if isinstance(value, complex):
            raise _fail(self.text, Msg("errors.expr.const_complex", part=part))
        if not math.isfinite(value):
            raise _fail(self.text, Msg("errors.expr.const_overflow", part=part))
        return ast.copy_location(ast.Constant(float(value)), node)


def parse(text: str) -> Expression:
    """Parse and check an expression.

    Parameters
    ----------
    text
        E.g. ``"100 - water_access_pct_2024"``.

    Returns
    -------
    Expression
        With ``columns`` = the column names used.

    Raises
    ------
    InputError
        Naming the expression and what is not allowed.

    Examples
    --------
    >>> parse("100 - water_access_pct_2024").columns
    ('water_access_pct_2024',)
    """
    if not isinstance(text, str):
        raise InputError("errors.expr.not_text", expr=repr(text))
    if not text.strip():
        raise _fail(text, Msg("errors.expr.empty"))
    if len(text) > MAX_LENGTH:
        raise _fail(text, Msg("errors.expr.too_long", n=len(text), max=MAX_LENGTH))
    if _paren_depth(text) > MAX_DEPTH:
        raise _fail(text, Msg("errors.expr.parentheses", n=MAX_DEPTH))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        detail = getattr(err, "msg", None) or str(err) or type(err).__name__
        raise _fail(text, Msg("errors.expr.syntax", detail=detail)) from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise _fail(text, Msg("errors.expr.too_big", n=MAX_NODES))
    names: set[str] = set()
    _check(tree, text, 0, names)
    tree = ast.fix_missing_locations(_Folder(text).visit(tree))
    return Expression(text=text, columns=tuple(sorted(names)), tree=tree)


def _eval(node: ast.AST, columns: dict[str, pd.Series]) -> pd.Series | float:
    if isinstance(node, ast.Expression):
        return _eval(node.body, columns)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return columns[node.id]
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, columns)
        right = _eval(node.right, columns)
        return _BINOPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, columns)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call):
        args = [_eval(arg, columns) for arg in node.args]
        if node.func.id == "abs":
            return abs(args[0])
        combine = np.minimum if node.func.id == "min" else np.maximum
        result = args[0]
        for arg in args[1:]:
            result = combine(result, arg)  # NaN propagates: a missing input stays missing
        return result
    raise AssertionError(f"unchecked node {type(node).__name__}")  # pragma: no cover


def _numbers(table: pd.DataFrame, column: str, expression: Expression) -> pd.Series:
    """A column as floats; InputError when it holds text (missing cells stay missing)."""
    values = table[column]
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    numbers = pd.to_numeric(values, errors="coerce")
    text = values.notna().to_numpy() & numbers.isna().to_numpy()
    if text.any():
        examples = [repr(_short(str(v))) for v in pd.unique(values[text])[:3]]
        raise InputError(
            "errors.expr.text_column",
            expr=repr(expression.text),
            column=repr(column),
            n=int(text.sum()),
            examples=Listing(examples),
        )
    return numbers.astype("float64")


def evaluate(expression: Expression | str, table: pd.DataFrame) -> pd.Series:
    """Evaluate an expression on a table; a float Series indexed like ``table``.

    Missing inputs give a missing result, and so do divisions by zero, overflows and negative
    numbers raised to a fractional power (``inf`` and complex values are turned into NaN): a
    region never gets a silent number it does not have.

    Raises
    ------
    InputError
        When the expression is unsafe, reads a column the table does not have, or reads a
        column that holds text.
    """
    if isinstance(expression, str):
        expression = parse(expression)
    missing = [c for c in expression.columns if c not in table.columns]
    if missing:
        raise InputError(
            "errors.expr.missing_columns", expr=repr(expression.text), columns=", ".join(missing)
        )
    columns = {c: _numbers(table, c, expression) for c in expression.columns}
    with np.errstate(all="ignore"):
        value = _eval(expression.tree, columns)
    if not isinstance(value, pd.Series):
        value = pd.Series(float(value), index=table.index)
    value = value.astype("float64")
    return value.where(np.isfinite(value.to_numpy()))
