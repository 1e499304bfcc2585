"""Numpy source (:mod:`calcgui.core.numeric_source`) compiled into vectorised functions, in
the process that draws them, without sympy.

Each text is checked first (:func:`~calcgui.core.numeric_source.check_source`), then its
syntax tree is turned into nested closures over exactly the names the check allows: no text
is compiled or passed to ``eval``.
"""

from __future__ import annotations

import ast
import functools
import operator
import types
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from calcgui.core.display_range import NumericFunction
from calcgui.core.numeric_source import (
    ALLOWED_NAMES, NUMPY_FUNCTIONS, NumericSource, UnsafeSource, check_source,
)
from calcgui.core.special import NUMPY_NAMES


def real_pow(base: np.ndarray, p: int, q: int) -> np.ndarray:
    """base**(p/q) for an odd q, real for negative bases too (the cube root of -8 is -2)."""
    magnitude = np.abs(base) ** (p / q)
    return np.where(base < 0, (-1.0) ** p * magnitude, magnitude)


def _namespace() -> dict[str, Any]:
    """The values of :data:`~calcgui.core.numeric_source.ALLOWED_NAMES`."""
    names: dict[str, Any] = {name: getattr(np, name) for name in NUMPY_FUNCTIONS}
    names.update(I=1j, abs=np.abs, reduce=functools.reduce, _real_pow=real_pow, **NUMPY_NAMES)
    names["numpy"] = types.SimpleNamespace(**{name: names[name] for name in NUMPY_FUNCTIONS})
    assert set(names) == ALLOWED_NAMES, set(names) ^ ALLOWED_NAMES
    return names


NAMESPACE = _namespace()


def load_function(source: NumericSource) -> NumericFunction:
    """The vectorised function ``source`` describes: NaN wherever it is undefined or not real,
    never an exception or a warning. Kept once made (a function typed again, or shared by two
    panes, is not compiled again)."""
    if source.expr is not None:  # could not be printed: compile it from sympy
        from calcgui.core.sampling import compile_function

        return compile_function(source.expr, source.variables)
    return _loaded(source.variables, source.body)


@lru_cache(maxsize=256)
def _loaded(variables: tuple[str, ...], body: str) -> NumericFunction:
    tree = check_source(body, variables)
    try:
        evaluate = _closure(tree.body, {name: index for index, name in enumerate(variables)})
    except RecursionError:
        raise UnsafeSource("nested too deeply") from None
    return vectorised(lambda *arrays: evaluate(arrays))


Node = Callable[[tuple[Any, ...]], Any]

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
}


def _closure(node: ast.expr, slots: dict[str, int]) -> Node:
    """``node`` (checked by check_source) as a function of the variables' arrays: the tree
    is walked once, here, into nested closures; nothing is compiled or evaluated as text."""
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda _arrays: value
    if isinstance(node, ast.Name):
        if node.id in slots:
            slot = slots[node.id]
            return lambda arrays: arrays[slot]
        named = NAMESPACE[node.id]
        return lambda _arrays: named
    if isinstance(node, ast.Attribute):  # numpy.NAME or ufunc.reduce, as check_source allows
        owner = NAMESPACE[node.value.id]  # type: ignore[attr-defined]
        attribute = getattr(owner, node.attr)
        return lambda _arrays: attribute
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        op, left, right = _BINARY[type(node.op)], _closure(node.left, slots), _closure(node.right, slots)
        return lambda arrays: op(left(arrays), right(arrays))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        unary, operand = _UNARY[type(node.op)], _closure(node.operand, slots)
        return lambda arrays: unary(operand(arrays))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        compare = _COMPARE[type(node.ops[0])]
        left, right = _closure(node.left, slots), _closure(node.comparators[0], slots)
        return lambda arrays: compare(left(arrays), right(arrays))
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_closure(item, slots) for item in node.elts]
        make = list if isinstance(node, ast.List) else tuple
        return lambda arrays: make(item(arrays) for item in items)
    if isinstance(node, ast.Call):
        function = _closure(node.func, slots)
        arguments = [_closure(argument, slots) for argument in node.args]
        keywords = {keyword.arg: _closure(keyword.value, slots) for keyword in node.keywords}
        return lambda arrays: function(arrays)(*(a(arrays) for a in arguments),
                                              **{k: v(arrays) for k, v in keywords.items()})
    raise UnsafeSource(f"{type(node).__name__} is not evaluated")


def vectorised(raw: Any) -> NumericFunction:
    """``raw`` made total: arrays in, float arrays of the broadcast shape out, NaN where it
    raises, overflows or turns complex."""

    def evaluate(*arrays: np.ndarray) -> np.ndarray:
        shape = np.broadcast(*arrays).shape
        with np.errstate(all="ignore"):
            try:
                values = np.asarray(raw(*arrays))
            except (TypeError, ValueError, NameError, ZeroDivisionError, OverflowError):
                return np.full(shape, np.nan)
        if np.iscomplexobj(values):
            values = np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
        values = np.asarray(values, dtype=float)
        return np.broadcast_to(values, shape).copy() if values.shape != shape else values

    return evaluate


def on_domain_of(fn: NumericFunction, derivative: NumericFunction) -> NumericFunction:
    """``derivative`` drawn only where ``fn`` is defined: f′ = 1/x of ln x is NaN for x ≤ 0,
    where ln x does not exist, although 1/x has values there."""

    def evaluate(*arrays: np.ndarray) -> np.ndarray:
        values = derivative(*arrays)
        return np.where(np.isfinite(fn(*arrays)), values, np.nan)

    return evaluate


def load_with_derivatives(sources: Sequence[NumericSource]) -> tuple[NumericFunction, ...]:
    """f, f′, f″, … loaded, every derivative restricted to the domain of f (the first)."""
    f, *rest = (load_function(source) for source in sources)
    return (f, *(on_domain_of(f, d) for d in rest))
