"""Difference quotients in float64 against values computed independently, round-off and all."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from calcgui.core.sampling import compile_function
from calcgui.core.secant import (
    EPS, TABLE_STEPS, best_steps, differentiability, error_curves, quotient_table, secant_slope,
)

x = sympy.Symbol("x", real=True)


def fn(expr: sympy.Expr):  # noqa: ANN201
    return compile_function(expr)


def test_seed_value_x_squared_at_3() -> None:
    assert secant_slope(fn(x**2), 3.0, 1e-4) == pytest.approx(6.0001, abs=1e-9)


def test_secant_slope_converges_to_the_tangent() -> None:
    f = fn(sympy.sin(x) * sympy.exp(x))
    exact = math.cos(0.7) * math.exp(0.7) + math.sin(0.7) * math.exp(0.7)
    assert abs(secant_slope(f, 0.7, 1e-6) - exact) < 1e-5


def test_table_matches_an_independent_computation() -> None:
    x0, exact = 1.3, 3 * 1.3**2
    rows = quotient_table(fn(x**3), x0, exact)
    assert [row.h for row in rows] == list(TABLE_STEPS)
    for row in rows:
        h = row.h
        forward = ((x0 + h) ** 3 - x0**3) / h  # the same float64 operations, written out
        backward = (x0**3 - (x0 - h) ** 3) / h
        central = ((x0 + h) ** 3 - (x0 - h) ** 3) / (2 * h)
        assert row.forward == pytest.approx(forward, rel=1e-12, abs=1e-12)
        assert row.backward == pytest.approx(backward, rel=1e-12, abs=1e-12)
        assert row.central == pytest.approx(central, rel=1e-12, abs=1e-12)
        assert row.forward_error == pytest.approx(abs(forward - exact), rel=1e-9, abs=1e-12)


def test_error_falls_like_h_and_h_squared_then_round_off_wins() -> None:
    h, forward, central = error_curves(fn(sympy.exp(x)), 1.0, math.e)
    slope_forward = np.polyfit(np.log10(h[(h <= 1e-2) & (h >= 1e-5)]),
                               np.log10(forward[(h <= 1e-2) & (h >= 1e-5)]), 1)[0]
    slope_central = np.polyfit(np.log10(h[(h <= 1e-1) & (h >= 1e-3)]),
                               np.log10(central[(h <= 1e-1) & (h >= 1e-3)]), 1)[0]
    assert slope_forward == pytest.approx(1, abs=0.1)
    assert slope_central == pytest.approx(2, abs=0.1)
    best = h[np.nanargmin(forward)]
    assert 1e-10 < best < 1e-6  # the bottom of the V, near √ε
    assert np.nanmax(forward[h < 1e-13]) > np.nanmin(forward)  # round-off climbs back up


def test_best_steps_are_the_textbook_values() -> None:
    forward, central = best_steps(3.0)
    assert forward == pytest.approx(math.sqrt(EPS) * 3)
    assert central == pytest.approx(EPS ** (1 / 3) * 3)
    assert best_steps(0.1) == pytest.approx((math.sqrt(EPS), EPS ** (1 / 3)))


@pytest.mark.parametrize(("expr", "x0", "verdict"), [
    (sympy.Abs(x), 0.0, "corner"),
    (sympy.Abs(x - 2), 2.0, "corner"),
    (sympy.cbrt(x), 0.0, "vertical"),
    (sympy.sqrt(sympy.Abs(x)), 0.0, "vertical"),
    (x**2, 3.0, "differentiable"),
    (sympy.Abs(x), 1.0, "differentiable"),
    (sympy.log(x), -1.0, "undefined"),
    (sympy.sqrt(x), 0.0, "undefined"),
])
def test_differentiability_verdicts(expr: sympy.Expr, x0: float, verdict: str) -> None:
    result = differentiability(fn(expr), x0)
    assert result.verdict == verdict, result.message
    assert (result.message == "") == (verdict == "differentiable")


def test_corner_reports_both_slopes() -> None:
    result = differentiability(fn(sympy.Abs(x)), 0.0)
    assert result.left == pytest.approx(-1) and result.right == pytest.approx(1)
    assert "-1" in result.message and "1" in result.message
