"""sigmoid, relu, softplus: derivatives, exact values, stable numpy code, LaTeX."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
import sympy

from calcgui.core.known_functions import FUNCTIONS, relu, sigmoid, softplus
from calcgui.core.sampling import compile_function

x = sympy.Symbol("x", real=True)


def test_derivatives() -> None:
    assert sympy.diff(sigmoid(x), x) == sigmoid(x) * (1 - sigmoid(x))
    assert sympy.diff(relu(x), x) == sympy.Heaviside(x)
    assert sympy.diff(softplus(x), x) == sigmoid(x)
    # and they agree with the textbook definitions
    for mine, definition in ((sigmoid(x), 1 / (1 + sympy.exp(-x))), (softplus(x), sympy.log(1 + sympy.exp(x)))):
        difference = sympy.diff(mine, x).rewrite(sympy.exp) - sympy.diff(definition, x)
        assert sympy.simplify(difference) == 0


def test_exact_values() -> None:
    assert sigmoid(0) == sympy.Rational(1, 2)
    assert relu(3) == 3 and relu(-2) == 0
    assert softplus(0) == sympy.log(2)
    assert sigmoid(x).is_real and relu(x).is_real and softplus(x).is_real


def test_rewrites() -> None:
    assert relu(x).rewrite(sympy.Max) == sympy.Max(0, x)
    assert sigmoid(x).rewrite(sympy.exp) == 1 / (1 + sympy.exp(-x))


@pytest.mark.parametrize(("expr", "reference"), [
    (sigmoid(x), lambda v: 1 / (1 + np.exp(-v))),
    (relu(x), lambda v: np.maximum(0, v)),
    (softplus(x), lambda v: np.log1p(np.exp(v))),
    (sympy.diff(sigmoid(x), x), lambda v: np.exp(-v) / (1 + np.exp(-v)) ** 2),
    (sympy.diff(softplus(x), x), lambda v: 1 / (1 + np.exp(-v))),
])
def test_numpy_code_matches_definitions_and_never_overflows(expr: sympy.Expr, reference: object) -> None:
    f = compile_function(expr)
    grid = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(f(grid), reference(grid), rtol=1e-12, atol=1e-15)  # type: ignore[operator]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        extremes = f(np.array([-800.0, 800.0]))
    assert np.isfinite(extremes).all()


def test_latex() -> None:
    assert sympy.latex(sigmoid(x)) == r"\sigma\left(x\right)"
    assert sympy.latex(relu(x)) == r"\operatorname{ReLU}\left(x\right)"
    assert sympy.latex(softplus(x)) == r"\operatorname{softplus}\left(x\right)"


def test_functions_survive_the_trip_to_the_worker() -> None:
    expr = sigmoid(x) * relu(x) + softplus(x)
    assert pickle.loads(pickle.dumps(expr)) == expr


def test_every_inverse_named_in_the_table_exists() -> None:
    assert all(f.inverse in FUNCTIONS for f in FUNCTIONS.values() if f.inverse)


def test_sigmoid_is_accurate_relatively_far_out() -> None:
    """Deep in the left tail σ(x) ≈ e^x is tiny but must still be right to the last digits:
    1/2(1 + tanh(x/2)) loses it (relative error ~1e-4 at x = -30)."""
    f = compile_function(sigmoid(x))
    grid = np.array([-30.0, -50.0, -700.0, 30.0])
    np.testing.assert_allclose(f(grid), 1 / (1 + np.exp(-grid)), rtol=1e-13)


@pytest.mark.parametrize(("expr", "latex"), [
    (sigmoid(x) ** 2, r"\sigma^{2}\left(x\right)"),
    (relu(x) ** 3, r"\operatorname{ReLU}^{3}\left(x\right)"),
    (softplus(x) ** 2, r"\operatorname{softplus}^{2}\left(x\right)"),
    (1 / sigmoid(x) ** 2, r"\frac{1}{\sigma^{2}\left(x\right)}"),
])
def test_latex_of_powers(expr: sympy.Expr, latex: str) -> None:
    """sympy's printer passes ``exp`` for a power of a function (as for sin²x)."""
    assert sympy.latex(expr) == latex
