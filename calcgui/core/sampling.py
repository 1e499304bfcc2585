"""Expressions compiled to vectorised numpy functions: compiled once, evaluated on arrays.

Nothing here evaluates a sympy expression point by point. Odd roots are real (the cube root of
-8 is -2, as students expect), and undefined values are NaN, never an exception or a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import sympy
from sympy.printing.numpy import NumPyPrinter

from calcgui.core.display_range import NumericFunction
from calcgui.core.special import NUMPY_NAMES


def _real_pow(base: np.ndarray, p: int, q: int) -> np.ndarray:
    """base**(p/q) for an odd q, real for negative bases too."""
    magnitude = np.abs(base) ** (p / q)
    return np.where(base < 0, (-1.0) ** p * magnitude, magnitude)


class _RealRootPrinter(NumPyPrinter):
    """NumPy code in which x**(p/q) with odd q is the real root, not NaN."""

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        exp = expr.exp
        if exp.is_Rational and not exp.is_Integer and exp.q % 2 == 1:
            return f"_real_pow({self._print(expr.base)}, {int(exp.p)}, {int(exp.q)})"
        return super()._print_Pow(expr, rational=rational)


def compile_function(expr: sympy.Expr, variables: str | Sequence[str] = "x") -> NumericFunction:
    """A vectorised numpy function of ``expr``; NaN wherever it is undefined or not real.
    x! is Γ(x + 1) (:mod:`calcgui.core.special`). The last few hundred are kept: a function
    typed again (or shared by two panes) is not compiled again (lambdify prints and compiles
    Python source, 2-5 ms an expression, holding the UI process's GIL)."""
    names = (variables,) if isinstance(variables, str) else tuple(variables)
    return _compiled(expr, names)


@lru_cache(maxsize=256)
def _compiled(expr: sympy.Expr, names: tuple[str, ...]) -> NumericFunction:
    symbols = [sympy.Symbol(name, real=True) for name in names]
    raw = sympy.lambdify(
        symbols, expr, modules=[{"_real_pow": _real_pow, **NUMPY_NAMES}, "numpy"],
        printer=_RealRootPrinter({"fully_qualified_modules": False, "inline": True,
                                  "allow_unknown_functions": True}),
    )

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


def compile_with_derivatives(exprs: Sequence[sympy.Expr], var: str = "x") -> tuple[NumericFunction, ...]:
    """f, f′, f″, … compiled, every derivative restricted to the domain of f (the first)."""
    f, *rest = (compile_function(e, var) for e in exprs)
    return (f, *(on_domain_of(f, d) for d in rest))
