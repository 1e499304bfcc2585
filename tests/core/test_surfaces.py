"""Preset loss surfaces against the literature: formulas, minima, values, domains."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
import sympy
from sympy import Rational as R

from calcgui.core.sampling import compile_function
from calcgui.core.surfaces import PRESETS, TITLES, Surface, ill_conditioned

x, y = sympy.symbols("x y", real=True)
pi, E = sympy.pi, sympy.E

#: The same functions written independently, in sympy.
REFERENCE = {
    "bowl": x**2 + y**2,
    "ill_conditioned": x**2 + 10 * y**2,
    "saddle": x**2 - y**2,
    "rosenbrock": (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "himmelblau": (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "beale": (R(3, 2) - x + x * y) ** 2 + (R(9, 4) - x + x * y**2) ** 2 + (R(21, 8) - x + x * y**3) ** 2,
    "booth": (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "rastrigin": 2 * 10 + (x**2 - 10 * sympy.cos(2 * pi * x)) + (y**2 - 10 * sympy.cos(2 * pi * y)),
    "ackley": (-20 * sympy.exp(-R(1, 5) * sympy.sqrt((x**2 + y**2) / 2))
               - sympy.exp((sympy.cos(2 * pi * x) + sympy.cos(2 * pi * y)) / 2) + E + 20),
    "six_hump_camel": (4 - R(21, 10) * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
    "styblinski_tang": sum(v**4 - 16 * v**2 + 5 * v for v in (x, y)) / 2,
    "matyas": R(26, 100) * (x**2 + y**2) - R(48, 100) * x * y,
}

#: Global minima and minimum values as the literature states them (Surjanovic & Bingham's
#: Virtual Library of Simulation Experiments; Wikipedia's "Test functions for optimization"),
#: with the number of digits given there as the tolerance.
LITERATURE = {
    "bowl": ([(0, 0)], 0.0, 0), "ill_conditioned": ([(0, 0)], 0.0, 0),
    "rosenbrock": ([(1, 1)], 0.0, 0),
    "himmelblau": ([(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)],
                   0.0, 6),
    "beale": ([(3, 0.5)], 0.0, 0), "booth": ([(1, 3)], 0.0, 0), "rastrigin": ([(0, 0)], 0.0, 0),
    "ackley": ([(0, 0)], 0.0, 0),
    "six_hump_camel": ([(0.0898, -0.7126), (-0.0898, 0.7126)], -1.0316, 4),
    "styblinski_tang": ([(-2.903534, -2.903534)], -78.33233, 5),
    "matyas": ([(0, 0)], 0.0, 0),
}

#: Minima that are kinks, where the gradient does not exist.
KINKS = {"ackley"}

WITH_MINIMA = [name for name in PRESETS if PRESETS[name].minima]


def gradient(surface: Surface) -> tuple[sympy.Expr, sympy.Expr]:
    return sympy.diff(surface.expr, x), sympy.diff(surface.expr, y)


def test_presets_in_display_order() -> None:
    assert list(PRESETS) == ["bowl", "ill_conditioned", "saddle", "rosenbrock", "himmelblau", "beale",
                             "booth", "rastrigin", "ackley", "six_hump_camel", "styblinski_tang", "matyas"]
    assert list(TITLES) == list(PRESETS)
    assert len(PRESETS) == len(REFERENCE)


@pytest.mark.parametrize("name", list(PRESETS))
def test_the_parsed_text_is_the_function(name: str) -> None:
    surface = PRESETS[name]
    assert surface.name == name and surface.title == TITLES[name]
    assert surface.expr.free_symbols <= {x, y}
    assert sympy.simplify(surface.expr - REFERENCE[name]) == 0
    rng = np.random.default_rng(3)
    points = rng.uniform(-2, 2, size=(20, 2))
    mine = compile_function(surface.expr, ("x", "y"))(points[:, 0], points[:, 1])
    theirs = sympy.lambdify((x, y), REFERENCE[name], "numpy")(points[:, 0], points[:, 1])
    np.testing.assert_allclose(mine, theirs, rtol=1e-13)


@pytest.mark.parametrize("name", WITH_MINIMA)
def test_minima_and_value_match_the_literature(name: str) -> None:
    surface = PRESETS[name]
    stated, value, digits = LITERATURE[name]
    assert len(surface.minima) == len(stated)
    tolerance = 0.6 * 10.0**-digits if digits else 1e-12
    for mine, theirs in zip(sorted(surface.minima), sorted(stated)):
        np.testing.assert_allclose(mine, theirs, atol=tolerance)
    assert surface.min_value == pytest.approx(value, abs=tolerance)
    f = sympy.lambdify((x, y), surface.expr, "numpy")
    for point in surface.minima:
        assert f(*point) == pytest.approx(surface.min_value, abs=1e-12)


@pytest.mark.parametrize("name", [n for n in WITH_MINIMA if n not in KINKS])
def test_the_gradient_vanishes_at_every_minimum(name: str) -> None:
    surface = PRESETS[name]
    df = sympy.lambdify((x, y), gradient(surface), "numpy")
    for point in surface.minima:  # the stored minima, to double precision
        assert np.abs(df(*point)).max() < 1e-9
    for point in LITERATURE[name][0]:  # and the literature's, to its digits
        assert np.abs(df(*point)).max() < 1e-3


def test_ackley_minimum_is_a_kink() -> None:
    """The gradient is undefined at (0, 0) (√ of x² + y²), yet f rises in every direction."""
    surface = PRESETS["ackley"]
    df = sympy.lambdify((x, y), gradient(surface), "numpy")
    with np.errstate(all="ignore"):
        assert np.isnan(df(0.0, 0.0)).all()
    f = sympy.lambdify((x, y), surface.expr, "numpy")
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    assert (f(1e-4 * np.cos(angles), 1e-4 * np.sin(angles)) > surface.min_value + 1e-4).all()


@pytest.mark.parametrize("name", list(PRESETS))
def test_no_grid_point_is_below_the_minimum(name: str) -> None:
    surface = PRESETS[name]
    (x0, x1), (y0, y1) = surface.domain
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    values = compile_function(surface.expr, ("x", "y"))(gx, gy)
    assert np.isfinite(values).all()
    assert values.min() >= surface.min_value - 1e-9
    if surface.minima:  # and the grid's best is near the minimum value (the domain shows it)
        assert values.min() - surface.min_value < 0.05 * (values.max() - values.min())


@pytest.mark.parametrize("name", list(PRESETS))
def test_minima_and_start_lie_inside_the_domain(name: str) -> None:
    surface = PRESETS[name]
    (x0, x1), (y0, y1) = surface.domain
    assert x0 < x1 and y0 < y1
    for px, py in (*surface.minima, surface.start):
        assert x0 <= px <= x1 and y0 <= py <= y1
    assert surface.start not in surface.minima
    assert surface.note.endswith(".") and len(surface.note) > 40 and surface.title


def test_the_saddle_is_unbounded_below() -> None:
    saddle = PRESETS["saddle"]
    assert saddle.minima == () and saddle.min_value == -np.inf
    assert "unbounded" in saddle.note
    assert saddle.expr.subs({x: 0, y: 10**6}) == -(10**12)
    grad = [sympy.diff(saddle.expr, v).subs({x: 0, y: 0}) for v in (x, y)]
    assert grad == [0, 0]  # a stationary point that is no minimum


def test_ill_conditioned_has_the_condition_number_asked_for() -> None:
    for condition in (1, 2.5, 10, 1000):
        surface = ill_conditioned(condition)
        hessian = np.array(sympy.hessian(surface.expr, (x, y)), dtype=float)
        eigenvalues = np.linalg.eigvalsh(hessian)
        assert eigenvalues.max() / eigenvalues.min() == pytest.approx(condition)
        assert surface.name == "ill_conditioned" and f"{condition:g}" in surface.title
    assert ill_conditioned(10) == PRESETS["ill_conditioned"]
    assert ill_conditioned(2.5).text == "x^2 + 2.5y^2"


@pytest.mark.parametrize("bad", [0.5, 0, -3, float("inf"), float("nan"), 1e7, "10", True])
def test_ill_conditioned_rejects_bad_condition_numbers(bad: object) -> None:
    with pytest.raises(ValueError, match="condition number"):
        ill_conditioned(bad)  # type: ignore[arg-type]


def test_presets_are_read_only() -> None:
    with pytest.raises(TypeError):
        PRESETS["bowl"] = PRESETS["saddle"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PRESETS["bowl"].start = (0.0, 0.0)  # type: ignore[misc]
    assert PRESETS["bowl"] is PRESETS["bowl"]  # parsed once
    with pytest.raises(KeyError):
        PRESETS["nope"]


def test_importing_and_listing_presets_needs_no_sympy() -> None:
    code = ("import sys, calcgui.core.surfaces as s\n"
            "names = list(s.PRESETS); titles = list(s.TITLES.values())\n"
            "sys.exit(1 if 'sympy' in sys.modules or len(names) != 12 else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
