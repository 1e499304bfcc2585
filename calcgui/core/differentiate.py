"""f, f' and f'' of a function of one variable, in the tidiest form that is cheap to find."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calcgui.core.time_box import TimeBoxExpired, time_box

#: simplify() is tried only on expressions up to this many operations: beyond it, it can
#: take seconds and rarely helps a student read the result.
SIMPLIFY_MAX_OPS = 80
#: ... and for at most this long (wall clock). The box's tracing makes simplify run about twice
#: as slowly inside it (see time_box), so the old 15 ms let only 122 of the 254 corpus
#: derivatives be simplified against 164 before; 30 ms brings it back to 159.
SIMPLIFY_SECONDS = 0.03


@dataclass(frozen=True)
class Derivatives:
    """A function and its first two derivatives, as sympy expressions."""

    var: str
    f: sympy.Expr
    first: sympy.Expr
    second: sympy.Expr


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
    is passed over. Ties keep the form sympy gave, which follows what the user typed."""
    if sympy.count_ops(expr) > SIMPLIFY_MAX_OPS:
        return expr
    candidates = [expr, sympy.factor_terms(expr), sympy.together(expr)]
    try:
        with time_box(SIMPLIFY_SECONDS):
            candidates.append(sympy.simplify(expr))
    except TimeBoxExpired:
        pass
    known = _applications(expr)
    familiar = [c for c in candidates if _applications(c) <= known]
    return min(familiar, key=_reading_cost)


def derivatives(expr: sympy.Expr, var: str = "x", *, simplify: bool = True) -> Derivatives:
    """f, f', f'' of ``expr`` with respect to ``var`` (a real symbol).

    ``simplify=False`` is fast (plain differentiation) and is what plots use; the tidied
    form is for reading.
    """
    x = sympy.Symbol(var, real=True)
    first = sympy.diff(expr, x)
    second = sympy.diff(first, x)
    if simplify:
        first, second = tidy(first), tidy(second)
    return Derivatives(var, expr, first, second)
