"""Safe arithmetic expressions over indicator columns.

Sector terms in ``sectors.toml`` are written as small formulas such as
``100 - water_access_pct_2024``. They are parsed with :func:`ast.parse` (``mode="eval"``) and every
node is checked against a strict whitelist; the tree is then evaluated by this module's own
interpreter on pandas Series. Nothing is ever passed to ``eval``/``exec``/``compile``.

Allowed: numbers, column names (identifiers, no leading underscore), ``+ - * /``, unary ``-`` and
``+``, parentheses, the functions ``min``, ``max`` and ``abs``, and ``**`` with a constant
exponent of at most :data:`MAX_EXPONENT` in absolute value.
"""

from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from common.errors import InputError
from common.text import Msg

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_NODES = 200
MAX_EXPONENT = 3
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
        if not math.isfinite(float(node.value)):
            raise _fail(text, Msg("errors.expr.not_finite", value=repr(node.value)))
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
    return Expression(text=text, columns=tuple(sorted(names)), tree=tree)


def columns_of(text: str) -> tuple[str, ...]:
    """The column names an expression reads (sorted); raises InputError when it is unsafe."""
    return parse(text).columns


def _eval(node: ast.AST, table: pd.DataFrame) -> pd.Series | float:
    if isinstance(node, ast.Expression):
        return _eval(node.body, table)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return pd.to_numeric(table[node.id], errors="coerce").astype("float64")
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, table)
        right = _eval(node.right, table)
        return _BINOPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, table)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call):
        args = [_eval(arg, table) for arg in node.args]
        if node.func.id == "abs":
            return abs(args[0])
        combine = np.minimum if node.func.id == "min" else np.maximum
        result = args[0]
        for arg in args[1:]:
            result = combine(result, arg)  # NaN propagates: a missing input stays missing
        return result
    raise AssertionError(f"unchecked node {type(node).__name__}")  # pragma: no cover


def evaluate(expression: Expression | str, table: pd.DataFrame) -> pd.Series:
    """Evaluate an expression on a table; a float Series indexed like ``table``.

    Missing inputs give a missing result, and so do divisions by zero and overflows (``inf``
    is turned into NaN): a region never gets a silent number it does not have.

    Raises
    ------
    InputError
        When the expression is unsafe or reads a column the table does not have.
    """
    if isinstance(expression, str):
        expression = parse(expression)
    missing = [c for c in expression.columns if c not in table.columns]
    if missing:
        raise InputError(
            "errors.expr.missing_columns", expr=repr(expression.text), columns=", ".join(missing)
        )
    with np.errstate(all="ignore"):
        value = _eval(expression.tree, table)
    if not isinstance(value, pd.Series):
        value = pd.Series(float(value), index=table.index)
    value = value.astype("float64")
    return value.where(np.isfinite(value.to_numpy()))
