"""Derivatives by pieces, as a calculus course writes them, against sympy's own values."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from calcgui.core import parse
from calcgui.core.classical import classical_derivative, has_kinks
from calcgui.core.compiled import compile_derivatives
from calcgui.core.differentiate import derivatives
from calcgui.core.jobs import DerivativeFormulas, derivative_curves, derivative_job
from tests.core.derivative_corpus import CORPUS

x = sympy.Symbol("x", real=True)

#: text → {order: (excluded points with their reason)}
CASES = {
    "|x - 2|": {1: ((2, "no derivative"),), 2: ((2, "no derivative"),)},
    "relu(x)": {1: ((0, "no derivative"),), 2: ((0, "no derivative"),)},
    "x/|x|": {1: ((0, "undefined"),), 2: ((0, "undefined"),)},
    "max(x, 0)": {1: ((0, "no derivative"),), 2: ((0, "no derivative"),)},
    "|x^2 - 4|": {1: ((-2, "no derivative"), (2, "no derivative")), 2: ((-2, "no derivative"), (2, "no derivative"))},
    "sign(x)": {1: ((0, "no derivative"),), 2: ((0, "no derivative"),)},
    "x|x|": {1: (), 2: ((0, "no derivative"),)},
    "min(x, x^2)": {1: ((0, "no derivative"), (1, "no derivative")), 2: ((0, "no derivative"), (1, "no derivative"))},
}


def samples(kinks: list[float]) -> list[sympy.Rational]:
    """Points on each side of every kink, near and far."""
    points = [sympy.Rational(-7, 2), sympy.Rational(9, 2)]
    for k in kinks:
        points += [sympy.Rational(k) + d for d in (sympy.Rational(-1, 3), sympy.Rational(1, 1000),
                                                    sympy.Rational(-1, 1000), sympy.Rational(2, 7))]
    return points


@pytest.mark.parametrize("text", list(CASES))
@pytest.mark.parametrize("order", [1, 2])
def test_pieces_agree_with_sympy_off_the_kinks(text: str, order: int) -> None:
    expr = parse(text)
    result = classical_derivative(expr, "x", order)
    assert result is not None
    expected = CASES[text][order]
    assert [(e.point, e.reason) for e in result.excluded] == [(sympy.Integer(p), r) for p, r in expected]
    reference = sympy.diff(expr, x, order)
    for p in samples([p for p, _ in expected] or [0]):
        mine = result.expr.subs(x, p)
        theirs = reference.subs(x, p).replace(lambda e: isinstance(e, sympy.DiracDelta), lambda e: 0)
        assert sympy.N(mine - theirs, 20) == 0, f"{text} order {order} at {p}: {mine} vs {theirs}"
    for point, _ in expected:
        assert result.expr.subs(x, point) is sympy.nan  # no derivative there: a gap in the plot
    assert "DiracDelta" not in str(result.expr) and "Heaviside" not in str(result.expr)


def test_what_a_course_writes() -> None:
    assert classical_derivative(parse("|x - 2|"), "x", 1).text == "-1 for x < 2; 1 for x > 2; none at x = 2"
    assert classical_derivative(parse("|x - 2|"), "x", 2).text == "0 for x ≠ 2; none at x = 2"
    assert classical_derivative(parse("relu(x)"), "x", 1).text == "0 for x < 0; 1 for x > 0; none at x = 0"
    assert classical_derivative(parse("x/|x|"), "x", 1).text == "0 for x ≠ 0; undefined at x = 0"
    first = classical_derivative(parse("x|x|"), "x", 1)
    assert first.excluded == () and first.expr.subs(x, 0) == 0  # x|x| is differentiable at 0
    assert classical_derivative(parse("|x - 2|"), "x", 1).latex == (
        r"\begin{cases} -1 & x < 2 \\ 1 & x > 2 \\ \text{none} & x = 2 \end{cases}")


def test_smooth_functions_are_left_to_sympy() -> None:
    assert classical_derivative(parse("x^2 sin x"), "x", 1) is None
    assert not has_kinks(parse("sigmoid(x)"))


def test_derivatives_plot_gaps_not_spikes() -> None:
    d = derivatives(parse("|x - 2|"))
    f, first, second = compile_derivatives(derivative_curves(d)).functions
    with np.errstate(all="ignore"):
        assert np.array_equal(first(np.array([1.0, 3.0])), [-1.0, 1.0])
        assert np.isnan(first(np.array([2.0]))[0]) and np.isnan(second(np.array([2.0]))[0])
        assert second(np.array([1.0, 3.0])).tolist() == [0.0, 0.0]


KINKED = [text for text in CORPUS if has_kinks(parse(text))]


@pytest.mark.parametrize("text", KINKED)
def test_typeset_derivatives_have_no_distributions(text: str) -> None:
    *_, formulas = derivative_job(text)
    assert isinstance(formulas, DerivativeFormulas)
    for formula in formulas.formulas[1:]:
        for banned in ("delta", "theta", "Heaviside", "DiracDelta", "sign", "operatorname{sgn}"):
            assert banned not in formula.latex, (text, formula.latex)
        assert formula.svg is not None
