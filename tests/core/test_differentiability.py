"""The differentiability verdict against the mathematics: the cases of issue #13, and a sweep
of the derivative corpus checked against a truth computed here independently with sympy."""

from __future__ import annotations

import math

import pytest
import sympy
from sympy.calculus.util import continuous_domain

from calcgui.core import differentiability, parse
from calcgui.core.differentiability import Differentiability
from tests.core.derivative_corpus import CORPUS

x = sympy.Symbol("x", real=True)
PI = sympy.pi


#: The tests give sympy all the time it needs, so that a busy machine never turns a symbolic
#: verdict into the numeric cross-check (which has its own tests, with no time at all).
SECONDS = 60.0


def verdict(text: str, x0: float | sympy.Expr) -> Differentiability:
    return differentiability(parse(text), x0, var="x", name=text, seconds=SECONDS)


# -- the cases a class saw -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "x0", "slope"), [
    ("ln x", 0.01, 100.0),
    ("sqrt x", 0.005, 0.5 / math.sqrt(0.005)),
    ("cbrt(x)", 1e-6, 1 / 3 * 1e-6 ** (-2 / 3)),
    ("cbrt(x)", 1e-4, 1 / 3 * 1e-4 ** (-2 / 3)),
    ("tan x", 1.57, 1 / math.cos(1.57) ** 2),
    ("tan x", 1.5707, 1 / math.cos(1.5707) ** 2),
    ("1/x", 1e-3, -1e6),
    ("x|x|", 0.0, 0.0),
    ("x^2", 3.0, 6.0),
    ("|x|", 0.5, 1.0),
    ("x^(2/3)", -1.0, -2 / 3),  # real roots, as the plot draws them
])
def test_differentiable_near_a_singularity(text: str, x0: float, slope: float) -> None:
    result = verdict(text, x0)
    assert result.verdict == "differentiable", result.message
    assert result.slope == pytest.approx(slope, rel=1e-9)
    assert result.left == result.right == result.slope
    assert result.message.startswith("f′(")
    assert not result.numeric


def test_the_sentence_names_the_nearest_singularity() -> None:
    assert verdict("ln x", 0.01).message == (
        "f′(0.01) = 100: ln x is differentiable at 0.01 (its nearest singularity, x = 0, is 0.01 away)")
    result = verdict("tan x", 1.5707)
    assert result.slope == pytest.approx(1.0778e8, rel=1e-3)
    assert "x = π/2" in result.message and result.singularity == pytest.approx(math.pi / 2)
    assert verdict("cbrt(x)", 1e-6).message.startswith("f′(10⁻⁶) = 3333.33")


@pytest.mark.parametrize(("text", "x0", "left", "right"), [
    ("|x|", 0.0, -1.0, 1.0),
    ("relu(x)", 0.0, 0.0, 1.0),
    ("max(x, 0)", 0.0, 0.0, 1.0),
    ("|x - 2|", 2.0, -1.0, 1.0),
    ("|x^2 - 4|", -2.0, -4.0, 4.0),
    ("relu(2x - 1)", 0.5, 0.0, 2.0),
    ("min(x, x^2)", 1.0, 2.0, 1.0),
])
def test_corners(text: str, x0: float, left: float, right: float) -> None:
    result = verdict(text, x0)
    assert result.verdict == "corner", result.message
    assert (result.left, result.right, result.slope) == (left, right, None)
    assert "corner" in result.message and "does not exist" in result.message


def test_corner_sentence() -> None:
    assert verdict("|x|", 0.0).message == (
        "|x| has a corner at 0: slope −1 from the left, 1 from the right, so f′(0) does not exist")


def test_vertical_tangent_and_cusp() -> None:
    cube = verdict("cbrt(x)", 0.0)
    assert (cube.verdict, cube.left, cube.right) == ("vertical", math.inf, math.inf)
    assert cube.message.startswith("cbrt(x) has a vertical tangent at 0")
    cusp = verdict("√|x|", 0.0)
    assert (cusp.verdict, cusp.left, cusp.right) == ("vertical", -math.inf, math.inf)
    assert "cusp" in cusp.message


@pytest.mark.parametrize(("text", "x0"), [("sign(x)", 0.0), ("floor(x)", 1.0), ("floor(x)", -2.0),
                                          ("ceil(2x)", 0.5), ("arccot x", 0.0)])
def test_jumps(text: str, x0: float) -> None:
    result = verdict(text, x0)
    assert result.verdict == "jump", result.message
    assert "not continuous" in result.message


def test_floor_between_integers_is_flat() -> None:
    result = verdict("floor(x)", 0.5)
    assert (result.verdict, result.slope) == ("differentiable", 0.0)


@pytest.mark.parametrize(("text", "x0"), [
    ("ln x", 0.0), ("ln x", -1.0), ("ln x", -0.5), ("1/x", 0.0), ("tan x", PI / 2),
    ("tan x", 1.5707963267948966), ("sqrt x", 0.0), ("sqrt x", -1.0), ("x/|x|", 0.0), ("arcsin x", 1.0),
])
def test_undefined(text: str, x0: float | sympy.Expr) -> None:
    result = verdict(text, x0)
    assert result.verdict == "undefined", result.message
    assert result.slope is None


def test_undefined_sentences() -> None:
    assert verdict("ln x", -1.0).message.startswith("ln x is not defined at −1")
    assert "π/2" in verdict("tan x", 1.5707963267948966).message  # the float nearest π/2 is π/2
    end = verdict("sqrt x", 0.0)
    assert (end.left, end.right) == (None, math.inf) and "end of its domain" in end.message


def test_a_filled_hole_is_named_but_not_claimed() -> None:
    """x² sin(1/x) as typed is undefined at 0; the sentence says what filling it would give."""
    result = verdict("x^2 sin(1/x)", 0.0)
    assert result.verdict == "undefined"
    assert "its limit there is 0" in result.message and "f′(0) = 0" in result.message


def test_numeric_cross_check_says_so_when_sympy_gives_up() -> None:
    result = differentiability(parse("ln x"), 0.01, seconds=0.0)
    assert result.numeric and result.verdict == "differentiable"
    assert result.slope == pytest.approx(100, rel=1e-6)
    assert "could not decide" in result.message and "suggest" in result.message
    corner = differentiability(parse("|x - 2|"), 2.0, seconds=0.0)
    assert corner.numeric and corner.verdict == "corner"
    assert corner.left == pytest.approx(-1) and corner.right == pytest.approx(1)
    numeric = {text: differentiability(parse(text), x0, seconds=0.0).verdict
               for text, x0 in (("cbrt(x)", 0.0), ("sign(x)", 0.0), ("arcsin x", 1.0), ("ln x", -1.0))}
    assert numeric == {"cbrt(x)": "vertical", "sign(x)": "jump", "arcsin x": "undefined", "ln x": "undefined"}


# -- the sweep -----------------------------------------------------------------------------------

FIXED = (-3, -2, sympy.Rational(-3, 2), -1, sympy.Rational(-1, 2), sympy.Rational(-1, 10), 0,
         sympy.Rational(1, 10), sympy.Rational(1, 2), 1, sympy.Rational(3, 2), PI / 2, 2, 3)
NEAR = sympy.Rational(1, 10**6)
SPAN = sympy.Interval(-3, 3)


def real_roots(expr: sympy.Expr) -> sympy.Expr:
    """Odd roots as real roots, as the app draws them (sympy's own real_root)."""
    return expr.replace(
        lambda e: e.is_Pow and e.exp.is_Rational and e.exp.q % 2 == 1 and not e.exp.is_Integer,
        lambda e: sympy.real_root(e.base ** e.exp.p, e.exp.q))


def singular_points(g: sympy.Expr) -> set[sympy.Expr]:
    """Where g or g′ may fail: ends of their continuous domains, zeros of |u|, sign, max-ties."""
    found: set[sympy.Expr] = set()
    for h in (g, sympy.diff(g, x)):
        try:
            domain = continuous_domain(h, x, SPAN)
        except (NotImplementedError, ValueError, TypeError):
            continue
        found |= set(domain.boundary) if domain != sympy.EmptySet else set()
    rewritten = g.rewrite(sympy.Max)
    for node in sympy.preorder_traversal(rewritten):
        if isinstance(node, (sympy.Abs, sympy.sign, sympy.Heaviside)):
            found |= set(sympy.solveset(node.args[0], x, SPAN))
        elif isinstance(node, (sympy.Max, sympy.Min)):
            for i, a in enumerate(node.args):
                for b in node.args[i + 1:]:
                    found |= set(sympy.solveset(a - b, x, SPAN))
    return {s for s in found if s.is_real and -3 <= s <= 3}


def at(expr: sympy.Expr, x0: sympy.Expr) -> sympy.Expr:
    """expr at x0 to 30 digits (numerically: x^x at 10⁻⁶ built exactly takes forever)."""
    return sympy.N(expr, 30, subs={x: x0})


def finite_real(n: sympy.Expr) -> bool:
    return n.is_real is True and n.is_finite is True and not n.has(sympy.nan)


def truth(g: sympy.Expr, x0: sympy.Expr, singular: bool) -> tuple[str, sympy.Expr | None] | None:
    """The verdict sympy's own limits give (None when sympy cannot say)."""
    d = sympy.diff(g, x)
    value = at(g, x0)
    if not singular and finite_real(value) and finite_real(at(d, x0)):
        return "differentiable", at(d, x0)
    exact = g.subs(x, x0)  # singular points are exact numbers: 1/(x - 1) at 1 is zoo, not 1e30
    if not finite_real(value) or exact.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return "undefined", None
    near = sympy.Rational(1, 10**15)
    if not (finite_real(at(g, x0 - near)) and finite_real(at(g, x0 + near))):
        return "undefined", None
    try:
        limits = [sympy.limit(g, x, x0, side) for side in "-+"]
        slopes = [sympy.limit(d, x, x0, side) for side in "-+"]
    except (NotImplementedError, ValueError, TypeError):
        return None  # sympy cannot take these limits (max, min): the explicit cases cover them
    if any(not (v.is_number and (finite_real(v) or v in (sympy.oo, -sympy.oo))) for v in limits + slopes):
        return None
    if any(abs(sympy.N(v, 30) - value) > 1e-25 for v in limits):
        return "jump", None
    if any(v in (sympy.oo, -sympy.oo) for v in slopes):
        return "vertical", None
    if abs(sympy.N(slopes[0] - slopes[1], 30)) > 1e-25:
        return "corner", None
    return "differentiable", slopes[0]


def sweep_points(g: sympy.Expr) -> tuple[list[sympy.Expr], set[sympy.Expr]]:
    singular = singular_points(g)
    points = list(FIXED)
    for s in sorted(singular, key=float):
        points += [s, s - NEAR, s + NEAR]
    return points, singular


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", CORPUS)
def test_sweep_agrees_with_sympy(text: str) -> None:
    expr = parse(text)
    g = real_roots(expr)
    points, singular = sweep_points(g)
    for x0 in points:
        expected = truth(g, x0, any(sympy.N(x0 - s, 30) == 0 for s in singular))
        if expected is None:
            continue
        result = differentiability(expr, x0, var="x", name=text, seconds=SECONDS)
        assert result.verdict == expected[0], f"{text} at {x0}: {result.message}"
        if expected[1] is not None:
            assert result.slope == pytest.approx(float(sympy.N(expected[1], 30)), rel=1e-9, abs=1e-12), \
                f"{text} at {x0}"


def test_the_worker_job_returns_the_verdict_for_typed_text() -> None:
    from calcgui.core.jobs import differentiability_job

    result = differentiability_job("ln x", 0.01)
    assert isinstance(result, Differentiability)
    assert (result.verdict, result.slope) == ("differentiable", 100.0)
    assert result.message.startswith("f′(0.01) = 100: ln x is differentiable")
    assert differentiability_job("|x|", 0).verdict == "corner"
