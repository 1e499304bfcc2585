"""Where P goes when the function changes: kept while on screen, else near it, never by a pole."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from calcgui.core.point_placement import comfortable, in_view, place_point
from calcgui.core.sampling import compile_function

x = sympy.Symbol("x", real=True)


def fn(text_expr: sympy.Expr):  # noqa: ANN201
    return compile_function(text_expr)


def test_one_over_x_from_p_at_zero_goes_beside_the_pole_but_on_screen() -> None:
    """The issue's case: |x| at 0, then 1/x, framed on [-2, 2] × [-8.1, 8.1]."""
    f = fn(1 / x)
    view = ((-2.0, 2.0), (-8.1, 8.1))
    x0 = place_point(f, 0.0, *view)
    assert x0 > 0  # of the two equally good sides, the right one
    y0 = 1 / x0
    assert -8.1 * 0.6 <= y0 <= 8.1 * 0.6  # f(x₀) well inside the view, not −400
    assert abs(-1 / x0**2) < 100  # a slope a class can read, not −160000
    assert x0 == pytest.approx(float(f"{x0:.2g}"))  # a round number


def test_a_valid_x0_is_kept() -> None:
    assert place_point(fn(x**3), 1.3, (-3.0, 3.0), (-5.0, 5.0)) == 1.3
    assert place_point(fn(sympy.sqrt(x)), 0.0, (-1.0, 4.0), (-0.5, 2.5)) == 0.0  # the domain's end


def test_outside_the_domain_p_moves_to_the_nearest_comfortable_point() -> None:
    x0 = place_point(fn(sympy.log(x)), -1.0, (-1.0, 5.0), (-3.0, 2.0))
    assert x0 > 0 and comfortable(fn(sympy.log(x)), x0, (-1.0, 5.0), (-3.0, 2.0))
    assert x0 < 1.0  # the nearest, not the middle of the view


def test_off_screen_value_near_a_pole_is_not_kept() -> None:
    f = fn(sympy.tan(x))
    view = ((-4.0, 4.0), (-6.0, 6.0))
    assert not in_view(f, 1.5707, *view)
    x0 = place_point(f, 1.5707, *view)
    assert abs(np.tan(x0)) <= 6.0 * 0.6 and abs(x0 - 1.5707) < 0.6


def test_nowhere_defined_keeps_x0() -> None:
    assert place_point(fn(sympy.log(-x**2 - 1)), 0.5, (-1.0, 1.0), (-1.0, 1.0)) == 0.5
