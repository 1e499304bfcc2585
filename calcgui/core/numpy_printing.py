"""sympy expressions printed as numpy source: for lambdify here, and for other processes to
compile without sympy (:mod:`calcgui.core.numeric_source`).

It imports sympy but not numpy, so that a worker process prints what it sends without
paying for numpy in its first job.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy
from sympy.printing.numpy import NumPyPrinter

from calcgui.core.numeric_source import NumericSource, UnsafeSource, check_source


class RealRootPrinter(NumPyPrinter):
    """NumPy code in which x**(p/q) with odd q is the real root, not NaN."""

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        exp = expr.exp
        if exp.is_Rational and not exp.is_Integer and exp.q % 2 == 1:
            return f"_real_pow({self._print(expr.base)}, {int(exp.p)}, {int(exp.q)})"
        return super()._print_Pow(expr, rational=rational)


def numpy_printer() -> RealRootPrinter:
    """The printer of calcgui's numpy code: bare names (``sin``, not ``numpy.sin``)."""
    return RealRootPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True})


def numeric_source(expr: sympy.Expr, variables: str | Sequence[str] = "x") -> NumericSource:
    """``expr`` as numpy source for another process to compile without sympy (see
    :mod:`calcgui.core.numeric_source`); where it does not print as one checked numpy
    expression of ``variables``, the expression itself goes instead."""
    names = (variables,) if isinstance(variables, str) else tuple(variables)
    text = str(expr)
    try:
        body = numpy_printer().doprint(expr)
        check_source(body, names)
    except (UnsafeSource, RecursionError, TypeError, ValueError, AttributeError, NotImplementedError):
        return NumericSource(names, "", text, expr)
    return NumericSource(names, body, text)
