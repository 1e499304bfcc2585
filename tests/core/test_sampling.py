"""Numeric evaluation for plots: values, real odd roots, NaN for undefined, poles as gaps."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy

from calcgui.core.display_range import mask_outside, robust_range, steady_range
from calcgui.core.sampling import compile_function

x = sympy.Symbol("x", real=True)


def test_values_match_numpy() -> None:
    f = compile_function(2 * x**2 + 3 * x + 1)
    grid = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(f(grid), 2 * grid**2 + 3 * grid + 1)


def test_odd_roots_are_real_for_negative_x() -> None:
    grid = np.array([-8.0, -1.0, 0.0, 27.0])
    np.testing.assert_allclose(compile_function(sympy.cbrt(x))(grid), [-2, -1, 0, 3])
    np.testing.assert_allclose(compile_function(x ** sympy.Rational(2, 3))(grid), [4, 1, 0, 9])
    np.testing.assert_allclose(compile_function(x ** sympy.Rational(-1, 3))(np.array([-8.0])), [-0.5])


def test_undefined_values_are_nan_without_warnings() -> None:
    grid = np.array([-2.0, -1.0, 0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logs = compile_function(sympy.log(x))(grid)
        roots = compile_function(sympy.sqrt(x))(grid)
        inverse = compile_function(1 / x)(grid)
    assert np.isnan(logs[:2]).all() and logs[3] == 0
    assert np.isnan(roots[:2]).all() and roots[3] == 1
    assert not np.isfinite(inverse[2])


def test_constant_function_has_the_grid_shape() -> None:
    grid = np.linspace(0, 1, 5)
    values = compile_function(sympy.Integer(4))(grid)
    assert values.shape == (5,) and (values == 4).all()


def test_two_variables() -> None:
    y = sympy.Symbol("y", real=True)
    f = compile_function(x**2 - y**2, ("x", "y"))
    assert f(np.array([3.0]), np.array([2.0]))[0] == 5.0


def test_robust_range_ignores_a_pole() -> None:
    grid = np.linspace(-5, 5, 1601)  # includes x = 0
    lo, hi = robust_range([compile_function(1 / x)(grid)])
    assert -60 < lo < -1 and 1 < hi < 60


def test_robust_range_of_a_constant_is_a_window_around_it() -> None:
    assert robust_range([np.full(10, 3.0)]) == (2.0, 4.0)
    assert robust_range([np.full(10, np.nan)]) == (-1.0, 1.0)


@pytest.mark.parametrize("expr", [1 / x, sympy.tan(x), 1 / (x - 1) ** 3])
def test_poles_become_gaps_not_spikes(expr: sympy.Expr) -> None:
    grid = np.linspace(-5, 5, 1600)
    values = compile_function(expr)(grid)
    lo, hi = robust_range([values])
    shown = mask_outside(values, lo, hi)
    a, b = shown[:-1], shown[1:]
    drawn = np.isfinite(a) & np.isfinite(b)
    across = drawn & (np.sign(a) != np.sign(b)) & (np.abs(b - a) > (hi - lo))
    assert not across.any(), "a line segment jumps across a pole"
    assert np.isnan(shown).any()
    in_view = np.isfinite(values) & (values >= lo) & (values <= hi)
    assert (in_view & ~np.isfinite(shown)).sum() <= 2  # all of the curve in view stays


def test_mask_keeps_a_continuous_steep_curve() -> None:
    grid = np.linspace(-1, 1, 1600)
    values = 50 * grid
    assert np.isfinite(mask_outside(values, -60, 60)).all()


def test_interesting_range_frames_roots_and_turning_points() -> None:
    from calcgui.core.display_range import interesting_x_range

    cubic = [compile_function(e) for e in (x**3 - x, 3 * x**2 - 1, 6 * x)]
    lo, hi = interesting_x_range(cubic)
    assert -2.5 < lo < -1 and 1 < hi < 2.5  # roots ±1 and turning points ±0.58, not ±5
    lo, hi = interesting_x_range([compile_function(sympy.log(x))])
    assert lo <= 0 and hi >= 1  # the domain's edge and the root
    assert interesting_x_range([compile_function(sympy.exp(x))]) is None  # nothing to frame: keep the view
    lo, hi = interesting_x_range([compile_function(sympy.sin(x))])
    assert (lo, hi) == (-10.0, 10.0)


def test_fast_oscillation_is_framed_near_the_origin() -> None:
    from calcgui.core.display_range import interesting_x_range

    chirp = sympy.sin(16 * x**2)
    lo, hi = interesting_x_range([compile_function(e) for e in (chirp, chirp.diff(x), chirp.diff(x, 2))])
    assert -3 < lo < 0 < hi < 3


def test_steps_become_gaps_but_steep_smooth_curves_stay() -> None:
    grid = np.linspace(-5, 5, 1601)
    step = mask_outside(np.sign(grid - 0.003), -1.2, 1.2)
    a, b = step[:-1], step[1:]
    assert not (np.isfinite(a) & np.isfinite(b) & (np.abs(b - a) > 1)).any()
    assert np.isfinite(step).sum() >= 1598
    smooth = mask_outside(np.tanh(40 * grid), -1.2, 1.2)
    assert np.isfinite(smooth).all()


def test_window_starts_near_the_edge_of_the_domain() -> None:
    from calcgui.core.display_range import interesting_x_range

    lo, hi = interesting_x_range([compile_function(sympy.log(x)), compile_function(1 / x)])
    assert -0.6 < lo < 0 and hi > 3


def test_pole_does_not_squash_the_y_range() -> None:
    grid = np.linspace(-2, 2, 1600)
    lo, hi = robust_range([compile_function(1 / x)(grid), compile_function(-1 / x**2)(grid)])
    assert hi - lo < 80


def test_roots_on_grid_points_and_double_roots_are_framed() -> None:
    from calcgui.core.display_range import interesting_x_range

    quadratic = 2 * x**2 + 3 * x + 1  # roots -1 and -1/2, vertex -3/4: all on the search grid
    lo, hi = interesting_x_range([compile_function(e) for e in (quadratic, quadratic.diff(x))])
    assert -4 < lo < -1 and -0.5 < hi < 2
    lo, hi = interesting_x_range([compile_function((2 * x + 3) ** 2)])
    assert lo < -1.5 < hi and hi - lo < 6


def test_derivatives_are_drawn_only_where_f_is_defined() -> None:
    """ln x: f′ = 1/x and f″ = −1/x² have values for x < 0, but ln x does not exist there."""
    from calcgui.core.compiled import compile_derivatives
    from calcgui.core.jobs import derivative_curves
    from calcgui.core.differentiate import derivatives

    f, first, second = compile_derivatives(derivative_curves(derivatives(sympy.log(x), "x", simplify=False))).functions
    grid = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    assert np.isnan(first(grid)[:3]).all() and np.isnan(second(grid)[:3]).all()
    np.testing.assert_allclose(first(grid)[3:], [2.0, 0.5])
    np.testing.assert_allclose(second(grid)[3:], [-4.0, -0.25])


def test_factorial_is_drawn_as_gamma_of_x_plus_one() -> None:
    """x! was accepted and typeset but every value was NaN: a blank plot. Its derivatives
    (Γ·ψ, Γ·(ψ² + ψ′)) are drawn too, against mpmath's values."""
    import mpmath

    from calcgui.core.compiled import compile_derivatives
    from calcgui.core.jobs import derivative_curves
    from calcgui.core.differentiate import derivatives

    grid = np.array([-2.5, -0.5, 0.5, 1.0, 3.0, 4.5, 12.25])
    f, first, second = compile_derivatives(derivative_curves(derivatives(sympy.factorial(x), "x", simplify=False))).functions
    for fn, order in ((f, 0), (first, 1), (second, 2)):
        expected = [float(mpmath.diff(lambda t: mpmath.gamma(t + 1), v, order)) for v in grid]
        np.testing.assert_allclose(fn(grid), expected, rtol=1e-9)
    np.testing.assert_allclose(f(np.array([0.0, 5.0])), [1.0, 120.0])
    assert np.isnan(f(np.array([-1.0, -2.0]))).all()  # poles of Γ(x + 1)


def test_x_to_the_x_is_framed_on_its_minimum_at_one_over_e() -> None:
    """x^x opened on x ∈ [−10, 6.6] with y up to 7·10⁵ (its isolated values at the negative
    whole numbers counted as domain edges): the minimum 0.69 at 1/e was invisible."""
    from calcgui.core.display_range import framing_range, interesting_x_range

    f, df = compile_function(x**x), compile_function(sympy.diff(x**x, x))
    lo, hi = interesting_x_range([f, df])
    assert -0.5 < lo < 0 < 1 / np.e < 1.5 < hi < 3
    grid = np.linspace(lo, hi, 1600)
    y_lo, y_hi = framing_range(f(grid), [df(grid)])
    assert y_lo < 0 < 0.69 < 1 < y_hi and y_hi - y_lo < 12
    lo, hi = interesting_x_range([compile_function(e) for e in (x**3, 3 * x**2, 6 * x)])
    assert hi - lo >= 4  # plain powers keep their window


# -- a steady frame for a curve that moves a little at a time (a slice while P is dragged) -----
def test_steady_range_keeps_a_frame_that_still_fits_well() -> None:
    assert steady_range((-1.0, 1.0), (-0.6, 0.9)) == (-1.0, 1.0)  # inside, fills 75 %
    assert steady_range((-1.0, 1.0), (-0.5, 0.5)) == (-1.0, 1.0)  # exactly half: still kept


def test_steady_range_reframes_with_headroom_when_the_curve_leaves_or_shrinks() -> None:
    lo, hi = steady_range((-1.0, 1.0), (-0.5, 1.5))  # out at the top: 15 % of 2 added each side
    assert (lo, hi) == pytest.approx((-0.8, 1.8))
    lo, hi = steady_range((-1.0, 1.0), (0.0, 0.4))  # a sliver of the frame: frame it again
    assert (lo, hi) == pytest.approx((-0.06, 0.46))


def test_steady_range_without_a_frame_or_with_non_finite_numbers_gives_what_is_wanted() -> None:
    assert steady_range(None, (2.0, 3.0)) == (2.0, 3.0)
    assert steady_range((-1.0, float("nan")), (2.0, 3.0)) == (2.0, 3.0)
    assert steady_range((-1.0, 1.0), (-float("inf"), 0.5)) == (-float("inf"), 0.5)


def test_a_curve_rising_steadily_is_reframed_every_few_steps_not_every_step() -> None:
    shown, changes = None, 0
    for k in range(100):  # the curve's range grows by 1 % a step
        wanted = robust_range([np.linspace(0.0, 1.0 + 0.01 * k, 50)])
        new = steady_range(shown, wanted)
        changes += new != shown
        shown = new
        assert shown[0] <= wanted[0] and wanted[1] <= shown[1]  # never cut off
    assert changes < 12
