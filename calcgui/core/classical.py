"""Derivatives as a calculus course writes them: by pieces, with the points where none exists.

Why: sympy differentiates |x − 2| to sign(x − 2) and again to 2δ(x − 2), relu to θ(x) and
δ(x): answers in the sense of distributions. A calculus class writes f′ = −1 for x < 2,
1 for x > 2, none at x = 2; f″ = 0 for x ≠ 2. So: find where the kinks (|u|, sign, relu,
max, min) are, take f on each interval between them as one smooth branch
(:func:`~calcgui.core.one_sided.one_side`), differentiate each branch, merge equal
neighbours, and at each kink decide from one-sided limits whether the derivative exists.

Functions without kinks are left to sympy (their derivatives have no δ or θ in them).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calcgui.core.known_functions import relu
from calcgui.core.one_sided import (
    OffDomain, Undecided, critical_equations, is_bad, number, one_side, point_value, real_form,
)

_KINK_FUNCTIONS = (sympy.Abs, sympy.sign, sympy.Heaviside, relu, sympy.Max, sympy.Min)
_PRIMES = {1: "^{\\prime}", 2: "^{\\prime\\prime}"}


@dataclass(frozen=True)
class Piece:
    """The derivative on one interval: ``lo < x < hi`` (either end may be ±∞; an end is
    included when the derivative exists there and equals this piece's value)."""

    expr: sympy.Expr
    lo: sympy.Expr
    hi: sympy.Expr
    closed_lo: bool = False
    closed_hi: bool = False
    holes: tuple[sympy.Expr, ...] = ()

    def condition(self, x: sympy.Symbol) -> sympy.Boolean:
        parts = []
        if self.lo != -sympy.oo:
            parts.append(x >= self.lo if self.closed_lo else x > self.lo)
        if self.hi != sympy.oo:
            parts.append(x <= self.hi if self.closed_hi else x < self.hi)
        parts += [sympy.Ne(x, h) for h in self.holes]
        return sympy.And(*parts) if parts else sympy.true


@dataclass(frozen=True)
class Excluded:
    """A point where the derivative does not exist; ``reason`` is "undefined" (f itself is
    not defined there) or "no derivative"."""

    point: sympy.Expr
    reason: str


@dataclass(frozen=True)
class ClassicalDerivative:
    """The ``order``-th derivative by pieces. ``expr`` is a Piecewise (NaN off the pieces, no
    δ or θ) for plotting; ``latex`` is the right-hand side (a cases environment when there
    is more than one piece or an excluded point); ``text`` is the same in words."""

    order: int
    pieces: tuple[Piece, ...]
    excluded: tuple[Excluded, ...]
    expr: sympy.Expr
    latex: str
    text: str


def has_kinks(expr: sympy.Expr) -> bool:
    """Whether ``expr`` has an |u|, sign, relu, max or min (whose derivatives sympy writes
    with sign, θ or δ)."""
    return any(isinstance(node, _KINK_FUNCTIONS) for node in sympy.preorder_traversal(expr))


def classical_derivative(expr: sympy.Expr, var: str = "x", order: int = 1) -> ClassicalDerivative | None:
    """The ``order``-th derivative of ``expr`` by pieces, or None when ``expr`` has no kinks
    or their points cannot all be listed (|sin x| has infinitely many)."""
    from calcgui.core.differentiate import tidy

    x = sympy.Symbol(var, real=True)
    if not has_kinks(expr):
        return None
    form = real_form(expr)
    kinks = _kink_points(form, x)
    if kinks is None:
        return None
    pieces = _interval_pieces(form, x, kinks, order, tidy)
    if pieces is None:
        return None
    excluded, values = [], {}
    for b in kinks:
        status, value = _at_kink(form, x, b, order)
        if status == "exists":
            values[b] = value
        else:
            excluded.append(Excluded(b, status))
    merged = _merge(pieces, values, x)
    pw = sympy.Piecewise(*((p.expr, p.condition(x)) for p in merged), (sympy.nan, True))
    return ClassicalDerivative(order, tuple(merged), tuple(excluded), pw,
                               _latex(merged, excluded, x), _text(merged, excluded, x))


def _kink_points(form: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr] | None:
    points: set[sympy.Expr] = set()
    for c in critical_equations(form, x):
        if c.value is None:
            return None  # floor, ceiling: a kink at every whole number
        solved = sympy.solveset(c.expr - c.value, x, sympy.S.Reals)
        if not isinstance(solved, sympy.FiniteSet):
            if solved == sympy.EmptySet:
                continue
            return None
        points.update(s for s in solved if s.is_real)
    return sorted(points, key=lambda p: float(number(p)))


def _interval_pieces(form: sympy.Expr, x: sympy.Symbol, kinks: list[sympy.Expr], order: int,
                     tidy) -> list[Piece] | None:  # noqa: ANN001
    ends = [-sympy.oo, *kinks, sympy.oo]
    pieces = []
    for lo, hi in zip(ends, ends[1:]):
        sample = (lo + hi) / 2 if lo != -sympy.oo and hi != sympy.oo else (
            hi - 1 if lo == -sympy.oo and hi != sympy.oo else lo + 1 if lo != -sympy.oo else sympy.Integer(0))
        try:
            branch = one_side(form, x, sample, 1)
        except OffDomain:
            continue  # f is not defined on this interval
        except Undecided:
            return None
        pieces.append(Piece(tidy(sympy.diff(branch, x, order)), lo, hi))
    return pieces


def _at_kink(form: sympy.Expr, x: sympy.Symbol, b: sympy.Expr, order: int) -> tuple[str, sympy.Expr | None]:
    """("exists", the derivative's value) at a kink, or ("undefined" | "no derivative", None)."""
    try:
        value = point_value(form, x, b)
    except OffDomain:
        return "undefined", None
    h = sympy.Symbol("h", positive=True)
    try:
        sides = {s: one_side(form, x, b, s) for s in (-1, 1)}
    except (OffDomain, Undecided):
        return "no derivative", None
    for k in range(1, order + 1):
        slopes = []
        for s, branch in sides.items():
            previous = sympy.diff(branch, x, k - 1)
            slopes.append(sympy.limit((previous.xreplace({x: b + s * h}) - value) / (s * h), h, 0, "+"))
        if any(v in (sympy.oo, -sympy.oo) or not v.is_number or is_bad(v) for v in slopes) \
                or abs(number(slopes[0] - slopes[1])) > 1e-30:
            return "no derivative", None
        value = slopes[0]
    return "exists", value


def _merge(pieces: list[Piece], values: dict[sympy.Expr, sympy.Expr], x: sympy.Symbol) -> list[Piece]:
    """Join neighbours with the same formula (across a kink: with a hole there if no value);
    close an end where the derivative exists at the kink and this piece gives that value."""
    merged: list[Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last is not None and last.hi == piece.lo and sympy.simplify(last.expr - piece.expr) == 0:
            hole = () if piece.lo in values else (piece.lo,)
            merged[-1] = Piece(last.expr, last.lo, piece.hi, last.closed_lo, False, last.holes + hole)
        else:
            merged.append(piece)
    closed = []
    for i, piece in enumerate(merged):
        lo_ok = piece.lo in values and not (i > 0 and closed[-1].closed_hi and closed[-1].hi == piece.lo) \
            and _gives(piece.expr, x, piece.lo, values.get(piece.lo))
        hi_ok = piece.hi in values and _gives(piece.expr, x, piece.hi, values.get(piece.hi)) and not lo_ok \
            if piece.hi in values else False
        closed.append(Piece(piece.expr, piece.lo, piece.hi, lo_ok, hi_ok, piece.holes))
    return closed


def _gives(expr: sympy.Expr, x: sympy.Symbol, at: sympy.Expr, value: sympy.Expr | None) -> bool:
    if value is None:
        return False
    got = expr.xreplace({x: at})
    return not is_bad(got) and abs(number(got - value)) < 1e-30


def _condition_text(piece: Piece, x: sympy.Symbol, latex: bool) -> str:
    show = (lambda e: sympy.latex(e)) if latex else (lambda e: sympy.sstr(e).replace("pi", "π"))
    le, ge, ne = (r"\le", r"\ge", r"\neq") if latex else ("≤", "≥", "≠")
    parts = []
    name = str(x)
    if piece.lo != -sympy.oo and piece.hi != sympy.oo:
        parts.append(f"{show(piece.lo)} {le if piece.closed_lo else '<'} {name} "
                     f"{le if piece.closed_hi else '<'} {show(piece.hi)}")
    elif piece.lo != -sympy.oo:
        parts.append(f"{name} {ge if piece.closed_lo else '>'} {show(piece.lo)}")
    elif piece.hi != sympy.oo:
        parts.append(f"{name} {le if piece.closed_hi else '<'} {show(piece.hi)}")
    parts += [f"{name} {ne} {show(h)}" for h in piece.holes]
    return ", ".join(parts) if parts else ("\\text{all } " + name if latex else f"all {name}")


def _latex(pieces: list[Piece], excluded: list[Excluded], x: sympy.Symbol) -> str:
    from calcgui.core.typeset import to_latex

    if len(pieces) == 1 and not excluded and pieces[0].lo == -sympy.oo and pieces[0].hi == sympy.oo:
        return to_latex(pieces[0].expr)
    rows = [f"{to_latex(p.expr)} & {_condition_text(p, x, True)}" for p in pieces]
    rows += [rf"\text{{{'undefined' if e.reason == 'undefined' else 'none'}}} & {x} = {sympy.latex(e.point)}"
             for e in excluded]
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"


def _text(pieces: list[Piece], excluded: list[Excluded], x: sympy.Symbol) -> str:
    from calcgui.core.steps import plain_text

    said = "; ".join(f"{plain_text(p.expr)} for {_condition_text(p, x, False)}" for p in pieces)
    for e in excluded:
        where = sympy.sstr(e.point).replace("pi", "π")
        said += f"; {'undefined' if e.reason == 'undefined' else 'none'} at {x} = {where}"
    return said
