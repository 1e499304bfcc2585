"""A descent's objective: f and its exact gradient compiled once, evaluated at one point or many.

A single run (:class:`~calcgui.core.descent.Descent`) evaluates one point per step; a
hyper-parameter sweep evaluates ten thousand at once. Both go through the same fused, compiled
function on contiguous float64 columns, because numpy's kernels for a scalar and for an array
may round differently in the last bit (x**2 is pow() on a scalar, x*x on an array): on the same
kind of input they agree, so a sweep's cell is the single run with its settings, to the bit.
Importing this module loads numpy only: sympy is loaded when an :func:`objective` is built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import sympy

__all__ = ["Objective", "objective"]

#: What a compiled function may raise on values outside its domain; the result is NaN.
_UNDEFINED = (TypeError, ValueError, NameError, ZeroDivisionError, OverflowError)


def _as_real(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """One output of the compiled f or a partial as float64 of ``shape``: a constant is
    broadcast, a complex value is its real part where the imaginary part is negligible, NaN
    elsewhere."""
    if type(value) is np.ndarray and value.dtype == np.float64 and value.shape == shape:
        return value
    array = np.asarray(value)
    if np.iscomplexobj(array):
        array = np.where(np.abs(array.imag) < 1e-12, array.real, np.nan)
    return np.broadcast_to(array.astype(np.float64, copy=False), shape)


@dataclass(frozen=True)
class Objective:
    """f and its exact gradient, compiled to vectorised numpy: points have shape (..., n)."""

    expr: sympy.Expr
    variables: tuple[str, ...]
    partials: tuple[sympy.Expr, ...]  #: ∂f/∂v for each variable v, symbolically
    _f: Callable[..., np.ndarray] = field(repr=False, compare=False)
    _df: tuple[Callable[..., np.ndarray], ...] = field(repr=False, compare=False)
    _fused: Callable[..., tuple[Any, ...]] = field(repr=False, compare=False)

    def _points(self, points: Any) -> np.ndarray:
        p = np.asarray(points, dtype=np.float64)
        if p.ndim == 0 or p.shape[-1] != len(self.variables):
            raise ValueError(f"points must have shape (..., {len(self.variables)}), not {p.shape}")
        return p

    def _columns(self, points: Any) -> list[np.ndarray]:
        p = self._points(points)
        return [p[..., i] for i in range(p.shape[-1])]

    def value(self, points: Any) -> np.ndarray:
        """f at each point: shape (...); NaN where f is undefined."""
        return self._f(*self._columns(points))

    def gradient(self, points: Any) -> np.ndarray:
        """∇f at each point: shape (..., n); NaN where a partial is undefined."""
        columns = self._columns(points)
        return np.stack([d(*columns) for d in self._df], axis=-1)

    def values_and_gradients(self, points: Any) -> tuple[np.ndarray, np.ndarray]:
        """f, shape (...), and ∇f, shape (..., n), at each point of shape (..., n), in one
        compiled call with shared subexpressions: a sweep's step. Call it under
        ``np.errstate(all="ignore")``; undefined values are NaN."""
        p = self._points(points)
        shape = p.shape[:-1]
        try:
            outputs = self._fused(*(np.ascontiguousarray(p[..., i]) for i in range(p.shape[-1])))
        except _UNDEFINED:
            return np.full(shape, math.nan), np.full(p.shape, math.nan)
        gradients = np.empty(p.shape)
        for i, partial in enumerate(outputs[1:]):
            gradients[..., i] = _as_real(partial, shape)
        return _as_real(outputs[0], shape), gradients

    def value_and_gradient(self, point: np.ndarray) -> tuple[float, np.ndarray]:
        """f and ∇f at one point of shape (n,): a descent step. Computed as one point of a
        batch (see the module's docstring), so that a run and a sweep agree to the bit. Call it
        under ``np.errstate(all="ignore")``; undefined values are NaN."""
        p = np.asarray(point, dtype=np.float64)
        try:
            outputs = self._fused(*p.reshape(-1, 1))  # each coordinate as an array of one
        except _UNDEFINED:
            return math.nan, np.full(len(self.variables), math.nan)
        values = np.concatenate([_as_real(out, (1,)) for out in outputs])
        return float(values[0]), values[1:]

def objective(expr: sympy.Expr | str, variables: Sequence[str] = ("x", "y")) -> Objective:
    """The :class:`Objective` of ``expr`` (or of text, through our parser) in ``variables``."""
    import sympy

    from calcgui.core.expression_parser import parse
    from calcgui.core.numeric_load import real_pow
    from calcgui.core.numpy_printing import RealRootPrinter
    from calcgui.core.sampling import compile_function

    names = tuple(variables)
    if isinstance(expr, str):
        expr = parse(expr, names)
    by_name = {s.name: s for s in expr.free_symbols}
    extra = sorted(set(by_name) - set(names))
    if extra:
        raise ValueError(f"the function depends on {', '.join(extra)}, not only on {', '.join(names)}")
    symbols = [by_name.get(name, sympy.Symbol(name, real=True)) for name in names]
    partials = tuple(sympy.diff(expr, s) for s in symbols)
    # compile_function's printer (odd roots are real), for all of f and ∇f in one function
    fused = sympy.lambdify(
        symbols, (expr, *partials), modules=[{"_real_pow": real_pow}, "numpy"], cse=True,
        printer=RealRootPrinter({"fully_qualified_modules": False, "inline": True,
                                  "allow_unknown_functions": True}))
    return Objective(expr, names, partials, compile_function(expr, names),
                     tuple(compile_function(d, names) for d in partials), fused)
