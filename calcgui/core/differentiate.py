"""f, f' and f'' of a function of one variable, in the tidiest form that is cheap to find.

Where f has kinks (|u|, sign, relu, max, min), f' and f'' are the classical answers by
pieces (:mod:`calcgui.core.classical`), not sympy's sign, θ and δ: a calculus class reads
"−1 for x < 2, 1 for x > 2, none at 2", and the plot leaves a gap at 2 instead of a spike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import sympy

from calcgui.core.time_box import TimeBoxExpired, time_box

if TYPE_CHECKING:
    from calcgui.core.classical import ClassicalDerivative

#: simplify() is tried only on expressions up to this many operations: beyond it, it can
#: take seconds and rarely helps a student read the result.
SIMPLIFY_MAX_OPS = 80
#: ... and for at most this long (wall clock). The box's tracing makes simplify run about twice
#: as slowly inside it (see time_box), so the old 15 ms let only 122 of the 254 corpus
#: derivatives be simplified against 164 before; 30 ms brings it back to 159.
SIMPLIFY_SECONDS = 0.03
#: Finding the classical pieces of f' or f'' (solving for the kinks, one-sided limits there)
#: takes 2-200 ms for the corpus; beyond this, sympy's answer with δ dropped is shown.
CLASSICAL_SECONDS = 1.0


@dataclass(frozen=True)
class Derivatives:
    """A function and its first two derivatives, as sympy expressions.

    Where f has kinks, ``first`` and ``second`` are Piecewise (NaN where no derivative
    exists) and ``classical`` holds their pieces, excluded points and LaTeX, for typesetting.
    """

    var: str
    f: sympy.Expr
    first: sympy.Expr
    second: sympy.Expr
    classical: tuple[ClassicalDerivative | None, ClassicalDerivative | None] = (None, None)


def _applications(expr: sympy.Expr) -> set[sympy.Expr]:
    return set(expr.atoms(sympy.Function))


def _reading_cost(expr: sympy.Expr) -> tuple[int, int]:
    """Fewer fraction bars first (one fraction reads better than a fraction in a fraction),
    then fewer operations."""
    divisions = sum(1 for node in sympy.preorder_traversal(expr)
                    if node.is_Pow and node.exp.is_negative)
    return divisions, sympy.count_ops(expr)


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """The shortest of ``expr``, its cheap rearrangements and (time permitting) its
    simplification, among the forms a student would recognise: a candidate that brings in
    function applications ``expr`` did not have (sinh 2x for 2 sinh x cosh x, sin(x + π/4))
    is passed over. Ties keep the form sympy gave, which follows what the user typed.
    A Piecewise (a classical derivative by pieces) is already tidy piece by piece."""
    if sympy.count_ops(expr) > SIMPLIFY_MAX_OPS or isinstance(expr, sympy.Piecewise):
        return expr
    candidates = [expr, sympy.factor_terms(expr), sympy.together(expr)]
    import_what_simplify_imports()
    try:
        with time_box(SIMPLIFY_SECONDS):
            candidates.append(sympy.simplify(expr))
    except TimeBoxExpired:
        pass
    known = _applications(expr)
    familiar = [c for c in candidates if _applications(c) <= known]
    return min(familiar, key=_reading_cost)


@cache
def import_what_simplify_imports() -> None:
    """Import, outside any time box, the modules ``simplify`` imports on every call. Inside
    the 30 ms box the first import of sympy.physics.units (40-70 ms under the box's tracing)
    was cut short each time, so the module never stayed loaded: in a fresh worker every
    simplify spent its whole box importing and none finished (tidy always took 31 ms and
    returned the expression as it was)."""
    import sympy.physics.units  # noqa: F401
    import sympy.physics.units.util  # noqa: F401


def derivatives(expr: sympy.Expr, var: str = "x", *, simplify: bool = True) -> Derivatives:
    """f, f', f'' of ``expr`` with respect to ``var`` (a real symbol).

    ``simplify=False`` is fast (plain differentiation) and is what plots use; the tidied
    form is for reading.
    """
    x = sympy.Symbol(var, real=True)
    first = sympy.diff(expr, x)
    second = sympy.diff(first, x)
    classical = (_classical(expr, var, 1), _classical(expr, var, 2))
    first, second = (c.expr if c is not None else _without_deltas(d) for c, d in zip(classical, (first, second)))
    if simplify:
        first, second = tidy(first), tidy(second)
    return Derivatives(var, expr, first, second, classical)


def classical_first(expr: sympy.Expr, var: str = "x") -> ClassicalDerivative | None:
    """f′ by pieces when f has kinks (time-bounded), else None: what the Rules tab ends on."""
    return _classical(sympy.sympify(expr).doit(), var, 1)


def _classical(expr: sympy.Expr, var: str, order: int) -> ClassicalDerivative | None:
    """The derivative by pieces when f has kinks and they can be found in time, else None."""
    from calcgui.core.classical import classical_derivative, has_kinks
    from calcgui.core.one_sided import OffDomain, Undecided

    if not has_kinks(expr):
        return None
    try:
        with time_box(CLASSICAL_SECONDS):
            return classical_derivative(expr, var, order)
    except (TimeBoxExpired, OffDomain, Undecided, NotImplementedError, ValueError, TypeError, ArithmeticError):
        return None


def _without_deltas(expr: sympy.Expr) -> sympy.Expr:
    """sympy's derivative with δ terms dropped: the classical value wherever one exists
    (|sin x|'' away from the multiples of π), never a spike."""
    if not expr.has(sympy.DiracDelta):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.DiracDelta), lambda e: sympy.Integer(0))
