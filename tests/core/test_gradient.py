"""Partials, gradient, directional derivative and level lines against sympy and geometry."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from calcgui.core import parse
from calcgui.core.contours import level_line, nice_levels
from calcgui.core.gradient import (
    compile_surface, directional_curve, directional_derivative, evaluate_grid, field_segments, partials,
    tangent_plane,
)
from calcgui.core.jobs import TYPESETTING, GradientFormulas, gradient_job

X, Y = sympy.symbols("x y", real=True)

SEEDS = {  # the seeds' examples with hand-written partials
    "3x^2 + 2y": (6 * X, 2 + 0 * X),
    "2y^3x^2": (4 * X * Y**3, 6 * X**2 * Y**2),
    "x^2 + y^2": (2 * X, 2 * Y),
    "x^2 - y^2": (2 * X, -2 * Y),
    "2x^2 - y^2": (4 * X, -2 * Y),
}


@pytest.mark.parametrize("text", SEEDS)
def test_partials_of_the_seeds_match_hand_derivatives(text: str) -> None:
    p = partials(parse(text, variables=("x", "y")))
    fx, fy = SEEDS[text]
    assert sympy.simplify(p.fx - fx) == 0
    assert sympy.simplify(p.fy - fy) == 0


@pytest.mark.parametrize("text", ["sin x cos y", "x e^(-x^2 - y^2)", "(1 - x)^2 + 100(y - x^2)^2",
                                  "ln(1 + x^2 + y^2)", "sqrt(x^2 + y^2 + 1)"])
def test_numbers_at_points_match_sympy_and_finite_differences(text: str) -> None:
    expr = parse(text, variables=("x", "y"))
    surface = compile_surface(partials(expr))
    for x0, y0 in [(0.3, -0.7), (1.2, 0.4), (-1.5, 2.0)]:
        point = surface.at(x0, y0)
        subs = {X: x0, Y: y0}
        assert point.value == pytest.approx(float(expr.subs(subs)), rel=1e-12, abs=1e-12)
        assert point.fx == pytest.approx(float(sympy.diff(expr, X).subs(subs)), rel=1e-10, abs=1e-12)
        h = 1e-6
        fd_y = (surface.at(x0, y0 + h).value - surface.at(x0, y0 - h).value) / (2 * h)
        assert point.fy == pytest.approx(fd_y, rel=1e-5, abs=1e-6)


def test_directional_derivative_worked_example() -> None:
    # 2x² − y² at (1, 1): ∇f = (4, −2); along 45°: (4 − 2)/√2 = √2.
    point = compile_surface(partials(parse("2x^2 - y^2", variables=("x", "y")))).at(1, 1)
    d = directional_derivative(point, math.pi / 4)
    assert d.value == pytest.approx(math.sqrt(2))
    assert d.worked == "∇f·v = 4·0.7071 + (-2)·0.7071 = 1.414"


def test_directional_derivative_peaks_at_norm_along_gradient_and_vanishes_on_level_line() -> None:
    point = compile_surface(partials(parse("2x^2 - y^2", variables=("x", "y")))).at(0.8, -1.3)
    angles = np.linspace(-math.pi, math.pi, 100_001)
    values = directional_curve(point, angles)
    best = angles[np.argmax(values)]
    assert values.max() == pytest.approx(point.norm, rel=1e-9)
    assert best == pytest.approx(point.angle, abs=1e-4)
    assert math.cos(best) * point.norm == pytest.approx(point.fx, rel=1e-4)
    along_level = directional_derivative(point, point.angle + math.pi / 2)
    assert along_level.value == pytest.approx(0, abs=1e-12)


def test_gradient_is_perpendicular_to_the_level_line_through_the_point() -> None:
    surface = compile_surface(partials(parse("2x^2 - y^2", variables=("x", "y"))))
    point = surface.at(1.0, 0.5)
    grid = evaluate_grid(surface, (-2, 2), (-2, 2), 401, with_gradient=False)
    line = level_line(grid.xs, grid.ys, grid.z, point.value)
    near = line.segments[np.argmin(np.sum((line.segments.mean(axis=1) - (1.0, 0.5)) ** 2, axis=1))]
    tangent = near[1] - near[0]
    cosine = (tangent @ (point.fx, point.fy)) / (np.linalg.norm(tangent) * point.norm)
    assert abs(cosine) < 1e-2


def test_tangent_plane_touches_the_surface_to_second_order() -> None:
    surface = compile_surface(partials(parse("sin x cos y", variables=("x", "y"))))
    point = surface.at(0.4, 0.9)
    for h in (1e-2, 1e-3):
        x, y = np.array([0.4 + h]), np.array([0.9 - h])
        gap = abs(surface.f(x, y)[0] - tangent_plane(point, x, y)[0])
        assert gap < 2 * h**2


def test_grid_matches_direct_evaluation_and_rows_are_y() -> None:
    surface = compile_surface(partials(parse("3x^2 + 2y", variables=("x", "y"))))
    grid = evaluate_grid(surface, (-1, 1), (0, 2), 5)
    assert grid.z[0, -1] == pytest.approx(3 * 1 + 2 * 0)  # x = 1, y = 0
    assert grid.z[-1, 0] == pytest.approx(3 * 1 + 2 * 2)  # x = −1, y = 2
    assert np.all(grid.gy == 2)  # ∂f/∂y = 2, broadcast over the whole grid


def test_field_arrows_point_along_the_gradient_and_fit_their_cells() -> None:
    surface = compile_surface(partials(parse("x^2 + y^2", variables=("x", "y"))))
    grid = evaluate_grid(surface, (-2, 2), (-2, 2), 100)
    segments = field_segments(grid, 10, 4.0)
    start, direction = segments[:, 0], segments[:, 1] - segments[:, 0]
    cross = start[:, 0] * direction[:, 1] - start[:, 1] * direction[:, 0]
    assert np.allclose(cross, 0, atol=1e-12)          # radial, like ∇(x² + y²) = 2(x, y)
    assert np.all(np.sum(start * direction, axis=1) >= 0)  # outwards: uphill
    assert np.linalg.norm(direction, axis=1).max() <= 0.9 * 4.0 / 10 + 1e-12


def test_level_line_of_a_circle_lies_on_the_circle() -> None:
    xs = ys = np.linspace(-2, 2, 201)
    z = xs[None, :] ** 2 + ys[:, None] ** 2
    line = level_line(xs, ys, z, 1.0)
    radii = np.linalg.norm(line.segments, axis=2)
    assert len(line.segments) > 100
    assert np.allclose(radii, 1.0, atol=2e-3)
    label = line.label_position()
    assert label is not None and math.hypot(*label) == pytest.approx(1, abs=2e-3)


def test_level_lines_skip_undefined_cells_and_handle_saddles() -> None:
    xs = ys = np.linspace(-1, 1, 101)
    z = xs[None, :] ** 2 - ys[:, None] ** 2
    z[:, :10] = np.nan
    line = level_line(xs, ys, z, 0.0)  # the saddle's level set: the lines y = ±x
    assert np.all(line.segments[..., 0] >= xs[9])
    assert np.allclose(np.abs(line.segments[..., 0]), np.abs(line.segments[..., 1]), atol=1e-9)


def test_nice_levels_are_round_and_inside() -> None:
    levels = nice_levels(-3.7, 18.2, 10)
    assert levels.min() > -3.7 and levels.max() < 18.2
    steps = np.diff(levels)
    assert np.allclose(steps, steps[0]) and steps[0] in (1, 2, 2.5, 5)
    assert nice_levels(1.0, 1.0).size == 0


def test_gradient_job_yields_partials_then_typeset_gradient() -> None:
    results = list(gradient_job("2y^3x^2"))
    assert sympy.simplify(results[0].fx - 4 * X * Y**3) == 0
    assert results[1] == TYPESETTING  # the runner's cue to give typesetting its own limit
    formulas = results[2]
    assert isinstance(formulas, GradientFormulas)
    assert [f.plain for f in formulas.formulas][3] == "∇f = (4*x*y**3, 6*x**2*y**2)"
    assert all(f.svg for f in formulas.formulas)


def test_gradient_job_rejects_other_variables() -> None:
    from calcgui.core import ParseError

    with pytest.raises(ParseError):
        list(gradient_job("x + z"))
