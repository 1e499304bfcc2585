"""Expressions compiled to vectorised numpy functions: compiled once, evaluated on arrays.

Nothing here evaluates a sympy expression point by point. Odd roots are real (the cube root of
-8 is -2, as students expect), and undefined values are NaN, never an exception or a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import sympy

from calcgui.core.display_range import NumericFunction
from calcgui.core.numeric_load import real_pow, vectorised
from calcgui.core.numpy_printing import numpy_printer
from calcgui.core.special import NUMPY_NAMES

__all__ = ["compile_function", "real_pow"]


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
    raw = sympy.lambdify(symbols, expr, modules=[{"_real_pow": real_pow, **NUMPY_NAMES}, "numpy"], printer=numpy_printer())
    return vectorised(raw)
