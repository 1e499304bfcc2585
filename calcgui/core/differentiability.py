"""Whether f′(x₀) exists, decided from the mathematics, with a sentence a student understands.

Why not from difference quotients alone: quotients at fixed steps cannot tell "near a
singularity" from "at one" (ln x at 0.01 looked undefined, tan x at 1.5707 looked like a
cusp). So the decision is symbolic first:

1. Is every part of f finite and real at x₀? If not: "undefined".
2. Is x₀ a special point (a solution of one of :func:`~calcgui.core.one_sided.critical_equations`)?
   If not, f is analytic there: "differentiable", with f′(x₀) exact.
3. Otherwise, f on each side is one smooth branch (:func:`~calcgui.core.one_sided.one_side`):
   not real on a side → "undefined" (an end of the domain); one-sided limits of f that miss
   f(x₀) → "jump"; one-sided limits of the difference quotient give the slopes: equal →
   "differentiable", finite and different → "corner", infinite → "vertical" (a cusp when
   the signs differ).

All sympy work is time-boxed (:data:`SYMBOLIC_SECONDS`). When it fails or runs out, one-sided
quotients in 40-digit arithmetic, with steps scaled to the distance to the nearest special
point, decide instead, and the sentence says so; "unclear" only when they do not settle either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import sympy

from calcgui.core.one_sided import (
    PRECISION, OffDomain, Undecided, critical_equations, is_bad, is_hit, is_zero, number, one_side, point_value,
    real_form, special_points,
)
from calcgui.core.time_box import TimeBoxExpired, time_box

Verdict = Literal["differentiable", "corner", "vertical", "jump", "undefined", "unclear"]

#: The symbolic decision's time limit (the worker's job limit is the backstop).
SYMBOLIC_SECONDS = 1.5
#: A float x₀ this many ulps from a special point is taken to be that point (π/2 typed as
#: 1.5707963267948966 is π/2 as far as float64 can say).
SNAP_ULPS = 4
#: Steps of the numeric cross-check, as fractions of the distance to the nearest special point.
NUMERIC_STEPS = tuple(10.0 ** -k for k in range(2, 13))
NUMERIC_DIGITS = 40
#: The cross-check's own limit for finding the nearest special point, when the decision ran out.
NEAREST_SECONDS = 0.3


@dataclass(frozen=True)
class Differentiability:
    """Whether f has a derivative at ``x0``, the one-sided slopes, and why, in a sentence.

    ``left`` and ``right`` are the one-sided slopes (±inf for a vertical tangent; None where
    a side is outside the domain or they are meaningless, as at a jump); ``slope`` is f′(x₀)
    when it exists. ``singularity`` is the nearest special point other than x₀, when known;
    ``numeric`` is True when the verdict rests on difference quotients, not on sympy.
    """

    verdict: Verdict
    left: float | None
    right: float | None
    slope: float | None
    message: str
    x0: float
    singularity: float | None = None
    numeric: bool = False


def differentiability(expr: sympy.Expr, x0: float | sympy.Expr, var: str = "x", *,
                      name: str | None = None, seconds: float = SYMBOLIC_SECONDS) -> Differentiability:
    """Decide whether ``expr`` (parsed, in ``var``) is differentiable at ``x0``.

    ``x0`` is a float (read as the decimal it prints as: 0.01 is 1/100) or an exact sympy
    number (π/2). ``name`` is how the sentence names f (default: ``expr`` in plain text).
    """
    from calcgui.core.steps import plain_text

    x = sympy.Symbol(var, real=True)
    point = _exact(x0)
    label = name or plain_text(expr)
    form = real_form(expr)
    context = _Context(form, x, point, label, isinstance(x0, float))
    try:
        with time_box(seconds):
            return context.decide()
    except TimeBoxExpired:
        why = "could not decide within the time limit"
    except (Undecided, ArithmeticError, ValueError, TypeError, NotImplementedError, RecursionError,
            AttributeError) as error:
        why = f"could not decide ({type(error).__name__})"
    return context.numeric(why)


def _exact(x0: float | sympy.Expr) -> sympy.Expr:
    if isinstance(x0, sympy.Basic):
        value = sympy.sympify(x0)
        if value.free_symbols or value.is_real is False:
            raise ValueError(f"x0 must be a real number, not {x0}")
        return value
    if not math.isfinite(float(x0)):
        raise ValueError(f"x0 must be a finite number, not {x0}")
    return sympy.Rational(repr(float(x0)))


class _Context:
    """One decision's inputs and the sentences it may end with."""

    def __init__(self, form: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, label: str, typed_float: bool) -> None:
        self.form, self.x, self.point, self.label = form, x, point, label
        self.typed_float = typed_float
        self.nearest: sympy.Expr | None = None
        self.snapped = ""
        self.criticals = critical_equations(form, x)

    # -- the symbolic decision ------------------------------------------------------------------
    def decide(self) -> Differentiability:
        self._find_nearest()
        at = _show(self.point)
        try:
            f0 = point_value(self.form, self.x, self.point)
        except OffDomain as off:
            return self._undefined_at(off.node)
        hits = [c for c in self.criticals if is_hit(c, self.x, self.point)]
        if not hits:
            smooth = one_side(self.form, self.x, self.point, 1)
            # numerically: f′ of (x² + 1)^x built exactly at x₀ can take minutes to evaluate
            slope = sympy.N(sympy.diff(smooth, self.x), PRECISION, subs={self.x: self.point})
            if not is_bad(slope):
                return self._differentiable(float(slope), "")
        sides = {}
        for side in (-1, 1):
            try:
                sides[side] = one_side(self.form, self.x, self.point, side)
            except OffDomain:
                sides[side] = None
        if sides[-1] is None or sides[1] is None:
            return self._end_of_domain(sides, f0)
        limits = {side: _limit(sides[side], self.x, self.point, side) for side in (-1, 1)}
        if any(value is None for value in limits.values()):
            raise Undecided("a one-sided limit of f")
        if not all(_same(value, f0) for value in limits.values()):
            return self._jump(limits, f0)
        slopes = {side: _slope(sides[side], self.x, self.point, side, f0) for side in (-1, 1)}
        if any(value is None for value in slopes.values()):
            raise Undecided("a one-sided slope")
        left, right = _as_float(slopes[-1]), _as_float(slopes[1])
        kinds = {c.kind for c in hits}
        if math.isinf(left) or math.isinf(right):
            return self._vertical(left, right)
        if _same(slopes[-1], slopes[1]):
            return self._differentiable(right, f"its slope is {_show(right)} from both sides" if kinds else "")
        return self._result("corner", left, right, None,
                            f"{self.label} has a corner at {at}: slope {_show(left)} from the left, "
                            f"{_show(right)} from the right, so f′({at}) does not exist")

    def _find_nearest(self) -> None:
        try:
            points = special_points(self.criticals, self.x, self.point)
        except (ValueError, TypeError, NotImplementedError, ArithmeticError):
            return
        p = float(number(self.point))
        if self.typed_float and points:
            s = float(number(points[0]))
            if abs(s - p) <= SNAP_ULPS * math.ulp(p) and not _same(points[0], self.point):
                self.snapped = f"x₀ = {p!r} is {_show(points[0])} to within float64's precision: "
                self.point = points[0]  # the float closest to π/2 is π/2
        others = [s for s in points if abs(float(number(s - self.point))) > 0]
        self.nearest = others[0] if others else None

    # -- sentences -------------------------------------------------------------------------------
    def _result(self, verdict: Verdict, left: float | None, right: float | None, slope: float | None,
                message: str, numeric: bool = False) -> Differentiability:
        singularity = float(number(self.nearest)) if self.nearest is not None else None
        return Differentiability(verdict, left, right, slope, self.snapped + message, float(number(self.point)),
                                 singularity, numeric)

    def _distance_note(self) -> str:
        if self.nearest is None:
            return ""
        gap = abs(float(number(self.nearest - self.point)))
        return f" (its nearest singularity, x = {_show(self.nearest)}, is {_show(gap)} away)"

    def _differentiable(self, slope: float, why: str) -> Differentiability:
        at = _show(self.point)
        because = f": {why}" if why else self._distance_note()
        return self._result("differentiable", slope, slope, slope,
                            f"f′({at}) = {_show(slope)}: {self.label} is differentiable at {at}{because}")

    def _undefined_at(self, node: sympy.Expr) -> Differentiability:
        from calcgui.core.steps import plain_text

        at = _show(self.point)
        because = _reason(node, self.x, self.point)
        if not because and node != self.form:
            because = f" ({plain_text(node)} is not)"
        return self._result("undefined", None, None, None,
                            f"{self.label} is not defined at {at}{because}, so f′({at}) does not exist"
                            + self._removable_note())

    def _removable_note(self) -> str:
        """A hole that a value would fill (sin x / x at 0): say what the value and slope would be."""
        try:
            sides = [one_side(self.form, self.x, self.point, side) for side in (-1, 1)]
            limits = [_limit(s, self.x, self.point, side) for s, side in zip(sides, (-1, 1))]
            if limits[0] is None or not _finite(limits[0]) or not _same(limits[0], limits[1]):
                return ""
            slopes = [_slope(s, self.x, self.point, side, limits[0]) for s, side in zip(sides, (-1, 1))]
        except (OffDomain, Undecided, ArithmeticError, ValueError, TypeError, NotImplementedError):
            return ""
        at, value = _show(self.point), _show(limits[0])
        note = f"; its limit there is {value}"
        if slopes[0] is not None and _finite(slopes[0]) and _same(slopes[0], slopes[1]):
            note += f", and with f({at}) = {value} filled in it would have f′({at}) = {_show(slopes[0])}"
        return note

    def _end_of_domain(self, sides: dict[int, sympy.Expr | None], f0: sympy.Expr) -> Differentiability:
        at = _show(self.point)
        missing = "left" if sides[-1] is None else "right"
        if sides[-1] is None and sides[1] is None:
            return self._result("undefined", None, None, None,
                                f"{self.label} is defined at {at} but on neither side of it, "
                                f"so f′({at}) does not exist")
        side = 1 if missing == "left" else -1
        reaches = _limit(sides[side], self.x, self.point, side)
        slope = _slope(sides[side], self.x, self.point, side, f0) if reaches is not None and _same(reaches, f0) else None
        value = _as_float(slope) if slope is not None else None
        one = "" if value is None else f" (its slope from the {'right' if side == 1 else 'left'} is {_show(value)})"
        left, right = (None, value) if side == 1 else (value, None)
        return self._result("undefined", left, right, None,
                            f"{self.label} is not defined to the {missing} of {at}, an end of its domain, "
                            f"so f′({at}) does not exist{one}")

    def _jump(self, limits: dict[int, sympy.Expr], f0: sympy.Expr) -> Differentiability:
        at = _show(self.point)
        return self._result("jump", None, None, None,
                            f"{self.label} jumps at {at}: it tends to {_show(limits[-1])} from the left and "
                            f"{_show(limits[1])} from the right, while f({at}) = {_show(f0)}; it is not "
                            f"continuous there, so f′({at}) does not exist")

    def _vertical(self, left: float, right: float) -> Differentiability:
        at = _show(self.point)
        slopes = f"slope {_show(left)} from the left, {_show(right)} from the right"
        if math.isinf(left) and math.isinf(right) and left != right:
            what = "a cusp (a vertical tangent from both sides, pointing opposite ways)"
        elif math.isinf(left) and math.isinf(right):
            what = "a vertical tangent"
        else:
            what = "a vertical half-tangent"
        return self._result("vertical", left, right, None,
                            f"{self.label} has {what} at {at}: {slopes}, so f′({at}) does not exist")

    # -- the numeric cross-check -------------------------------------------------------------
    def numeric(self, why: str) -> Differentiability:
        """One-sided quotients in 40-digit arithmetic at steps scaled to the nearest special point."""
        at = _show(self.point)
        head = f"sympy {why} whether {self.label} is differentiable at {at}; "
        if self.nearest is None:
            try:
                with time_box(NEAREST_SECONDS):
                    self._find_nearest()
            except (TimeBoxExpired, Exception):  # noqa: BLE001 - without it the steps are just not scaled
                pass
        try:
            f0 = _evaluate(self.form, self.x, self.point)
        except (OffDomain, ArithmeticError, ValueError, TypeError):
            return self._result("undefined", None, None, None,
                                head + f"f has no real value at {at}, so f′({at}) does not exist", numeric=True)
        scale = 1.0 if self.nearest is None else min(1.0, abs(float(number(self.nearest - self.point))))
        found = {side: _quotients(self.form, self.x, self.point, side, scale, f0) for side in (-1, 1)}
        h_min = _show(NUMERIC_STEPS[-1] * scale)
        for side, name in ((-1, "left"), (1, "right")):
            if len(found[side][0]) < len(NUMERIC_STEPS) // 2:
                return self._result("undefined", None, None, None,
                                    head + f"f has no real values just to the {name} of {at}, "
                                    f"so f′({at}) does not exist", numeric=True)
        if not all(_continuous(gaps, f0) for _, gaps in found.values()):
            return self._result("jump", None, None, None,
                                head + f"f(x₀ ± h) does not approach f({at}) as h shrinks to {h_min}: "
                                "it looks discontinuous there, so without a derivative", numeric=True)
        left, right = _settled(found[-1][0]), _settled(found[1][0])
        if left is None or right is None:
            return self._result("unclear", left, right, None,
                                head + f"the one-sided difference quotients (h down to {h_min}) do not settle",
                                numeric=True)
        suggest = head + f"the one-sided quotients (h down to {h_min}) suggest "
        if math.isinf(left) or math.isinf(right):
            return self._result("vertical", left, right, None,
                                suggest + f"slopes {_show(left)} from the left and {_show(right)} from the right: "
                                "a vertical tangent or a cusp", numeric=True)
        if abs(left - right) <= 1e-6 * max(1.0, abs(left), abs(right)):
            slope = (left + right) / 2  # the central quotient: the one-sided errors cancel
            return self._result("differentiable", left, right, slope,
                                suggest + f"f′({at}) ≈ {_show(slope)}", numeric=True)
        return self._result("corner", left, right, None,
                            suggest + f"a corner: slope {_show(left)} from the left, {_show(right)} from the right",
                            numeric=True)


def _reason(node: sympy.Expr, x: sympy.Symbol, point: sympy.Expr) -> str:
    """Why ``node`` fails at ``point``, in words, for the commonest cases ("" if none fits)."""
    if node.is_Pow and node.exp.has(x):
        return " (a power with a variable exponent needs a positive base)"
    if node.is_Pow:
        base = node.base.xreplace({x: point})
        if not is_bad(base) and is_zero(base) and node.exp.is_negative:
            return " (it would divide by zero)"
        if not is_bad(base) and not node.exp.is_integer:
            return " (an even root of a negative number is not real)"
    if isinstance(node, sympy.log):
        return " (ln needs a positive number)"
    if isinstance(node, (sympy.tan, sympy.sec, sympy.cot, sympy.csc)):
        return " (it has a vertical asymptote there)"
    return ""


def _evaluate(form: sympy.Expr, x: sympy.Symbol, at: sympy.Expr) -> sympy.Float:
    """f(at) to NUMERIC_DIGITS digits: the quotients' subtractions lose no digits that matter."""
    value = point_value(form, x, at)
    return value.evalf(NUMERIC_DIGITS)


def _quotients(form: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, side: int, scale: float,
               f0: sympy.Float) -> tuple[list[float], list[float]]:
    """(f(x₀ ± h) − f(x₀)) / (±h) and |f(x₀ ± h) − f(x₀)| at h = scale·NUMERIC_STEPS, skipping
    the h where f has no value."""
    quotients, gaps = [], []
    for step in NUMERIC_STEPS:
        h = sympy.Float(step * scale, NUMERIC_DIGITS)
        try:
            change = _evaluate(form, x, point + side * h) - f0
        except (OffDomain, ArithmeticError, ValueError, TypeError):
            continue
        quotients.append(float(change / (side * h)))
        gaps.append(abs(float(change)))
    return quotients, gaps


def _continuous(gaps: list[float], f0: sympy.Float) -> bool:
    """Whether |f(x₀ ± h) − f(x₀)| shrinks with h (a jump keeps it near the jump's size)."""
    if len(gaps) < 4:
        return False
    return gaps[-1] <= 1e-9 * max(1.0, abs(float(f0))) or gaps[-1] < 0.5 * gaps[-4]


def _settled(quotients: list[float]) -> float | None:
    """The value the last quotients agree on, ±inf if they grow tenfold a decade, else None."""
    if len(quotients) < 4:
        return None
    a, b, c = quotients[-3:]
    if abs(c - b) <= 1e-6 * max(1.0, abs(c)) and abs(b - a) <= 1e-5 * max(1.0, abs(b)):
        return c
    if abs(c) > 1e3 and abs(c) > 2 * abs(b) > 4 * abs(a) and c * b > 0:  # ∛x: ×10^(2/3) a decade
        return math.copysign(math.inf, c)
    return None


def _limit(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, side: int) -> sympy.Expr | None:
    value = sympy.limit(expr, x, point, "+" if side > 0 else "-")
    return value if _decided(value) else None


def _slope(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, side: int, f0: sympy.Expr) -> sympy.Expr | None:
    """The one-sided derivative: the limit of (f(x₀ ± h) − f(x₀)) / (±h) as h → 0⁺, for f
    continuous from that side.

    The limit of f′ from that side is tried first: when it exists (or is ±∞) it is the
    one-sided derivative (mean value theorem), and sympy finds it faster (arcsin at 1: 0.05 s
    against 0.4 s). When it does not (x² sin(1/x)), the quotient's limit decides."""
    through_derivative = sympy.limit(sympy.diff(expr, x), x, point, "+" if side > 0 else "-")
    if _decided(through_derivative):
        return through_derivative
    h = sympy.Symbol("h", positive=True)
    quotient = (expr.xreplace({x: point + side * h}) - f0) / (side * h)
    value = sympy.limit(quotient, h, 0, "+")
    return value if _decided(value) else None


def _decided(value: sympy.Expr) -> bool:
    """A limit sympy could find: a real number or ±∞ (not a Limit, an AccumBounds, nan, zoo)."""
    if value in (sympy.oo, -sympy.oo):
        return True
    return value.is_number and not isinstance(value, sympy.AccumBounds) and not is_bad(value)


def _finite(value: sympy.Expr) -> bool:
    return value not in (sympy.oo, -sympy.oo)


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    if not (_finite(a) and _finite(b)):
        return a == b
    return abs(number(a - b)) <= sympy.Float(10) ** -30 * max(1, abs(number(a)))


def _as_float(value: sympy.Expr) -> float:
    if value == sympy.oo:
        return math.inf
    if value == -sympy.oo:
        return -math.inf
    return float(number(value))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _show(value: float | sympy.Expr) -> str:
    """A number as a student reads it: 0.01, 3333.33, 1.0783·10⁸, 10⁻⁶, π/2, −1, ∞."""
    if isinstance(value, sympy.Basic):
        if value in (sympy.oo, -sympy.oo):
            return "∞" if value == sympy.oo else "−∞"
        decimal = value.is_Rational and all(p in (2, 5) for p in sympy.factorint(value.q))
        if not decimal and sympy.count_ops(value) <= 3 and value.is_number:
            from calcgui.core.steps import plain_text

            return plain_text(value).replace("pi", "π").replace("-", "−")
        value = float(number(value))
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    if 1e-4 <= abs(value) < 1e6:
        text = f"{value:.6g}"
    else:
        mantissa, exponent = f"{value:.4e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        power = f"10{str(int(exponent)).translate(_SUPERSCRIPT)}"
        text = power if mantissa in ("1", "-1") else f"{mantissa}·{power}"
        text = "-" + text if mantissa == "-1" else text
    return text.replace("-", "−")
