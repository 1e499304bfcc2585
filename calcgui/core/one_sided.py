"""A function of one variable taken one side of a point at a time: where it may misbehave,
and what it is just left or just right of a point.

Why: corners, jumps, roots and poles happen only where some part of the expression reaches a
special value: the argument of |u|, sign, relu or ln reaches 0, two arguments of max tie, the
argument of floor reaches a whole number, cos u reaches 0 under tan u, and so on
(:func:`critical_equations`). Away from those points every part is analytic, so f is too.
At such a point, on each side, every |u|, max, floor, ... is one fixed branch
(:func:`one_side`): the one-sided expression is smooth and sympy's limits handle it easily,
where limits of |u|, max or min themselves often fail.

Roots follow the app's numeric convention (see :mod:`calcgui.core.sampling`): x^(p/q) with q odd
is the real root, so ∛x is defined for x < 0 (:func:`real_form`).

The sign of an expression that vanishes at x0 is read at x0 ± 10⁻²⁰, 10⁻²⁵ and 10⁻³⁰ with
60 significant digits: sound unless another special point lies within 10⁻²⁰ of x0 or the
expression oscillates there, and both cases raise :class:`Undecided` when the three disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy

from calcgui.core.known_functions import relu

#: Significant digits of every numeric check.
PRECISION = 60
#: A number this small (after evaluation at PRECISION digits) counts as zero.
ZERO = sympy.Float(10) ** -40
#: Offsets at which the sign of an expression that vanishes at x0 is read.
PROBES = (sympy.Rational(1, 10**20), sympy.Rational(1, 10**25), sympy.Rational(1, 10**30))

_KINKS = (sympy.Abs, sympy.sign, sympy.Heaviside, relu)
_POLE_WHERE_COS = (sympy.tan, sympy.sec)
_POLE_WHERE_SIN = (sympy.cot, sympy.csc)
#: f(u) of these is real only for u in the interval given (ends included or not, as sympy).
_BOUNDED = {sympy.asin: (-1, 1), sympy.acos: (-1, 1), sympy.atanh: (-1, 1), sympy.asech: (0, 1)}
_OUTSIDE = (sympy.asec, sympy.acsc, sympy.acoth)  # real only for |u| ≥ 1


class OffDomain(Exception):
    """f is not defined (not finite and real) there; ``node`` is the part that fails."""

    def __init__(self, node: sympy.Expr) -> None:
        super().__init__(str(node))
        self.node = node


class Undecided(Exception):
    """The sign of some part near x0 could not be read (it oscillates, or is not real)."""


@dataclass(frozen=True)
class Critical:
    """``expr`` = ``value`` marks a point where f may misbehave; ``value`` None means "a whole
    number" (floor, ceiling). ``kind`` says how: kink, step, root, pole, domain or jump."""

    expr: sympy.Expr
    value: sympy.Expr | None
    kind: str


def real_form(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with each x^(p/q), q odd, of a base that may be negative written as the real
    root sign(b)^p·|b|^(p/q), as the plots draw it."""
    def odd_root(e: sympy.Expr) -> bool:
        return (e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer and e.exp.q % 2 == 1
                and not e.base.is_nonnegative)

    def real_root(e: sympy.Pow) -> sympy.Expr:
        magnitude = sympy.Abs(e.base) ** e.exp
        return sympy.sign(e.base) * magnitude if e.exp.p % 2 else magnitude

    return expr.replace(odd_root, real_root)


def critical_equations(expr: sympy.Expr, x: sympy.Symbol) -> tuple[Critical, ...]:
    """Every equation whose solutions are the only places ``expr`` (in real form) can fail to
    be analytic."""
    found: list[Critical] = []
    for node in sympy.preorder_traversal(expr):
        if not getattr(node, "args", ()) or not node.has(x):
            continue
        found.extend(_node_equations(node))
    unique: dict[tuple[sympy.Expr, sympy.Expr | None], Critical] = {}
    for c in found:
        if c.expr.has(x):
            unique.setdefault((c.expr, c.value), c)
    return tuple(unique.values())


def _node_equations(node: sympy.Expr) -> list[Critical]:
    func, args = node.func, node.args
    zero, one = sympy.Integer(0), sympy.Integer(1)
    if func in _KINKS:
        return [Critical(args[0], zero, "kink" if func is not sympy.sign else "jump")]
    if func in (sympy.Max, sympy.Min):
        return [Critical(a - b, zero, "kink") for i, a in enumerate(args) for b in args[i + 1:]]
    if func in (sympy.floor, sympy.ceiling):
        return [Critical(args[0], None, "step")]
    if func is sympy.Pow:
        base, exp = args
        if exp.free_symbols:
            return [Critical(base, zero, "domain")]
        if exp.is_negative:
            return [Critical(base, zero, "pole")]
        if not exp.is_integer:
            return [Critical(base, zero, "root")]
        return []
    if func is sympy.log:
        return [Critical(args[0], zero, "domain")]
    if func in _POLE_WHERE_COS:
        return [Critical(sympy.cos(args[0]), zero, "pole")]
    if func in _POLE_WHERE_SIN:
        return [Critical(sympy.sin(args[0]), zero, "pole")]
    if func in (sympy.coth, sympy.csch, sympy.acsch):
        return [Critical(args[0], zero, "pole")]
    if func is sympy.acot:
        return [Critical(args[0], zero, "jump")]
    if func in _BOUNDED:
        lo, hi = _BOUNDED[func]
        return [Critical(args[0], sympy.Integer(lo), "domain"), Critical(args[0], sympy.Integer(hi), "domain")]
    if func in _OUTSIDE:
        return [Critical(args[0], -one, "domain"), Critical(args[0], one, "domain")]
    if func is sympy.acosh:
        return [Critical(args[0], one, "domain")]
    return []


def number(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` (a constant) evaluated to PRECISION digits."""
    return sympy.sympify(expr).evalf(PRECISION)


def is_bad(value: sympy.Expr) -> bool:
    """Whether a constant is not a finite real number (nan, ±∞, complex)."""
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return True
    n = number(value)
    if not n.is_number or n.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return True
    re, im = n.as_real_imag()
    return abs(im) > ZERO * max(1, abs(re))


def is_zero(value: sympy.Expr) -> bool:
    """Whether a finite constant is 0: exactly when sympy can tell, else to 40 digits."""
    if value.is_Rational:
        return value == 0
    return abs(number(value)) < ZERO


def is_hit(c: Critical, x: sympy.Symbol, point: sympy.Expr) -> bool:
    """Whether ``point`` solves ``c`` (a part reaches its special value there)."""
    v = c.expr.xreplace({x: point})
    if is_bad(v):
        return False  # then f itself is undefined at the point, which is checked first
    if c.value is None:
        n = number(v)
        return abs(n - sympy.Integer(round(n))) < ZERO
    return is_zero(v - c.value)


def point_value(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr) -> sympy.Expr:
    """f(point) exactly; :class:`OffDomain` if any part of f is not finite and real there
    (|ln(−1)| is not defined although it would be a real number)."""
    def value(e: sympy.Expr) -> sympy.Expr:
        if not e.has(x):
            return e
        if e == x:
            return point
        args = [value(a) for a in e.args]
        if e.is_Pow and e.exp.has(x) and (is_bad(args[0]) or number(args[0]) <= ZERO):
            raise OffDomain(e)  # a variable power needs a positive base: x^x is for x > 0
        v = _power(*args) if e.is_Pow else e.func(*args)
        if is_bad(v):
            raise OffDomain(e)
        return v

    return value(expr)


def _power(base: sympy.Expr, exp: sympy.Expr) -> sympy.Expr:
    """base^exp of two numbers, left unevaluated unless the exponent is a small fraction:
    sympy would factor the numerator and denominator of (10⁻⁶)^(10⁻⁶) to simplify it."""
    small = exp.is_Rational and exp.q <= 12 and abs(exp.p) <= 1000
    return sympy.Pow(base, exp) if small or not base.is_Rational else sympy.Pow(base, exp, evaluate=False)


def side_sign(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, side: int) -> int:
    """The sign (−1, 0 or 1) of ``expr`` just right (side 1) or just left (side −1) of point."""
    if not expr.has(x):
        return _sign_of(expr)
    at = expr.xreplace({x: point})
    if not is_bad(at) and not is_zero(at):
        return _sign_of(at)
    # numerically, never exactly: (1/2 + 10⁻³⁰)^(1/2 + 10⁻³⁰) built exactly would factor huge integers
    signs = {_sign_of(sympy.N(expr, PRECISION, subs={x: point + side * t})) for t in PROBES}
    if len(signs) != 1 or 0 in signs:
        raise Undecided(f"the sign of {expr} next to {point}")
    return signs.pop()


def _sign_of(value: sympy.Expr) -> int:
    if value.is_Rational:
        return int(sympy.sign(value))
    if is_bad(value):
        raise Undecided(f"{value} is not a real number")
    n = number(value)
    return 0 if abs(n) < ZERO else (1 if n > 0 else -1)


def one_side(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, side: int) -> sympy.Expr:
    """An expression without |u|, sign, relu, max, min, floor that equals ``expr`` (in real
    form) just right (side 1) or left (side −1) of ``point``; :class:`OffDomain` when ``expr``
    is not real there (ln x left of 0)."""
    def sgn(e: sympy.Expr) -> int:
        return side_sign(e, x, point, side)

    def branch(e: sympy.Expr) -> sympy.Expr:
        if not e.has(x) or e == x:
            return e
        args = [branch(a) for a in e.args]
        func = e.func
        if func in _KINKS:
            s = sgn(args[0])
            if func is sympy.Abs:
                return s * args[0]
            if func is sympy.sign:
                return sympy.Integer(s)
            if func is relu:
                return args[0] if s > 0 else sympy.Integer(0)
            return sympy.Heaviside(s)
        if func in (sympy.Max, sympy.Min):
            return _extreme(args, sgn, func is sympy.Max)
        if func in (sympy.floor, sympy.ceiling):
            return _step_value(args[0], func, x, point, sgn)
        if func is sympy.Pow and not args[1].is_integer:
            s = sgn(args[0])
            if s < 0 or (s == 0 and not args[1].is_positive):
                raise OffDomain(e)
        if func is sympy.log and sgn(args[0]) <= 0:
            raise OffDomain(e)
        _check_range(e, func, args[0] if args else None, sgn)
        return func(*args)

    return branch(expr)


def _extreme(args: list[sympy.Expr], sgn, largest: bool) -> sympy.Expr:  # noqa: ANN001
    best = args[0]
    for a in args[1:]:
        s = sgn(a - best)
        if (s > 0) == largest and s != 0:
            best = a
    return best


def _step_value(arg: sympy.Expr, func: type, x: sympy.Symbol, point: sympy.Expr, sgn) -> sympy.Expr:  # noqa: ANN001
    """floor(u) or ceiling(u) on one side: a whole number."""
    at = arg.xreplace({x: point})
    if is_bad(at):
        raise Undecided(f"{arg} at {point}")
    n = number(at)
    whole = sympy.Integer(round(n))
    if abs(n - whole) >= ZERO:
        return func(at)
    s = sgn(arg - whole)
    if func is sympy.floor:
        return whole if s >= 0 else whole - 1
    return whole if s <= 0 else whole + 1


def _check_range(e: sympy.Expr, func: type, arg: sympy.Expr | None, sgn) -> None:  # noqa: ANN001
    """Raise OffDomain where an inverse function is not real on this side."""
    if arg is None:
        return
    if func in _BOUNDED:
        lo, hi = _BOUNDED[func]
        if sgn(arg - lo) <= 0 or sgn(hi - arg) <= 0:
            raise OffDomain(e)
    elif func in _OUTSIDE:
        if sgn(arg - 1) <= 0 and sgn(arg + 1) >= 0:
            raise OffDomain(e)
    elif func is sympy.acosh and sgn(arg - 1) <= 0:
        raise OffDomain(e)


#: Special points are looked for in [−WINDOW, WINDOW] (or 8 either side of a far-out x0).
WINDOW = 64


def special_points(criticals: tuple[Critical, ...], x: sympy.Symbol, point: sympy.Expr) -> tuple[sympy.Expr, ...]:
    """Real solutions of the critical equations near ``point`` (those sympy can find),
    nearest first."""
    p = float(number(point))
    lo, hi = (-WINDOW, WINDOW) if abs(p) <= WINDOW / 2 else (round(p) - 8, round(p) + 8)
    found: set[sympy.Expr] = set()
    for c in criticals:
        if c.value is None:
            at = number(c.expr.xreplace({x: point}))
            if is_bad(at):
                continue
            base = int(sympy.floor(at))
            for n in range(base - 1, base + 3):
                found.update(_solutions(c.expr - n, x, lo, hi))
        else:
            found.update(_solutions(c.expr - c.value, x, lo, hi))
    return tuple(sorted(found, key=lambda s: abs(float(number(s)) - p)))


@lru_cache(maxsize=4096)
def _solutions(equation: sympy.Expr, x: sympy.Symbol, lo: int, hi: int) -> tuple[sympy.Expr, ...]:
    solved = sympy.solveset(equation, x, sympy.Interval(lo, hi))
    if not isinstance(solved, sympy.FiniteSet):
        return ()
    return tuple(s for s in solved if s.is_real is not False and not is_bad(s))
