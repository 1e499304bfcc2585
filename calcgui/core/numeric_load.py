"""Numpy source (:mod:`calcgui.core.numeric_source`) compiled into vectorised functions, in
the process that draws them, without sympy.

Each text is checked first (:func:`~calcgui.core.numeric_source.check_source`) and compiled
with no builtins, in a namespace of exactly the names the check allows.
"""

from __future__ import annotations

import ast
import functools
import types
from collections.abc import Sequence
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
    arguments = ast.arguments(posonlyargs=[], args=[ast.arg(name) for name in variables], kwonlyargs=[],
                              kw_defaults=[], defaults=[])
    function = ast.Expression(ast.Lambda(arguments, tree.body))
    ast.fix_missing_locations(function)
    try:
        code = compile(function, "<calcgui numeric source>", "eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise UnsafeSource(f"cannot compile: {exc}") from None
    return vectorised(eval(code, {"__builtins__": {}, **NAMESPACE}))  # noqa: S307 (checked above)


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
