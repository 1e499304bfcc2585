"""Gradient pane driven with the mouse and the controls; numbers checked against sympy."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import RESULT_TIMEOUT_MS
from mouse import click, drag
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcgui.core import parse
from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.gradient import GradientPane

X, Y = sympy.symbols("x y", real=True)


def gradient_pane(qtbot: QtBot, win: MainWindow, text: str) -> GradientPane:
    win.show_pane("gradient")
    pane = win.panes["gradient"]
    assert isinstance(pane, GradientPane)
    pane.set_function(text)
    qtbot.waitUntil(lambda: pane.settled_text == text and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    return pane


def sympy_gradient(text: str, x0: float, y0: float) -> tuple[float, float]:
    expr = parse(text, variables=("x", "y"))
    return (float(sympy.diff(expr, X).subs({X: x0, Y: y0})), float(sympy.diff(expr, Y).subs({X: x0, Y: y0})))


def test_clicking_the_map_sets_the_point_and_its_gradient(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "2x^2 - y^2")
    click(qtbot, pane.contour, (-1.2, 1.6))
    assert pane.x0 == pytest.approx(-1.2, abs=0.05) and pane.y0 == pytest.approx(1.6, abs=0.05)
    fx, fy = sympy_gradient("2x^2 - y^2", pane.x0, pane.y0)
    point = pane.point()
    assert point is not None and (point.fx, point.fy) == pytest.approx((fx, fy))
    assert f"∂f/∂x = {fx:.5g}" in pane.numbers.text()
    assert pane.x_slice.slope == pytest.approx(fx) and pane.y_slice.slope == pytest.approx(fy)


def test_dragging_p_moves_it_and_the_slices_follow(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "sin x cos y")
    pane.set_point(0.5, 0.5)
    drag(qtbot, pane.contour, (0.5, 0.5), (-1.0, 2.0))
    assert (pane.x0, pane.y0) == pytest.approx((-1.0, 2.0), abs=0.05)
    xs, ys = pane.contour.y_slice.getData()  # the line x = x0 on the map
    assert xs[0] == pytest.approx(pane.x0)
    curve_x, curve_f = pane.x_slice.curve.getData()  # f(x, y0) against x
    assert curve_f[0] == pytest.approx(math.sin(curve_x[0]) * math.cos(pane.y0))


def test_the_slices_keep_their_frame_while_p_is_dragged_and_reframe_for_a_new_function(
        qtbot: QtBot, window: MainWindow) -> None:
    """While P is dragged, the slice and D_v f plots change their y-range (and so their tick
    labels) at most once or twice, not on every move, and the slice never leaves its frame;
    a new function frames its slices exactly again."""
    pane = gradient_pane(qtbot, window, "sin x cos y")
    pane.set_point(0.5, 0.5)
    plots = (pane.x_slice, pane.y_slice, pane.directional_plot)
    frames: list[list[tuple[float, float]]] = [[] for _ in plots]
    inside = []

    def moved(index: int) -> None:
        frames[index].append(tuple(plots[index].getPlotItem().getViewBox().viewRange()[1]))

    for index, plot in enumerate(plots):
        plot.getPlotItem().getViewBox().sigYRangeChanged.connect(lambda *_a, i=index: moved(i))
    def slice_inside() -> None:  # connected after the pane's own handler: sees the new slice
        lo, hi = pane.x_slice.getPlotItem().getViewBox().viewRange()[1]
        _, values = pane.x_slice.curve.getData()
        inside.append(lo <= np.nanmin(values) and np.nanmax(values) <= hi)

    pane.contour.point_picked.connect(slice_inside)
    drag(qtbot, pane.contour, (0.5, 0.5), (0.8, 0.8))
    assert (pane.x0, pane.y0) == pytest.approx((0.8, 0.8), abs=0.05)
    assert len(inside) >= 10 and all(inside)
    assert all(len(f) <= 2 for f in frames), frames  # before: a new range on each of the 12 moves
    pane = gradient_pane(qtbot, window, "10 sin x cos y")
    _, values = pane.x_slice.curve.getData()
    lo, hi = pane.x_slice.getPlotItem().getViewBox().viewRange()[1]
    span = np.nanmax(values) - np.nanmin(values)
    assert (lo, hi) == pytest.approx((np.nanmin(values) - 0.08 * span, np.nanmax(values) + 0.08 * span), rel=1e-3)


def test_gradient_arrow_is_perpendicular_to_the_level_line(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "2x^2 - y^2")
    pane.set_point(1.1, 0.45)
    xs, ys = pane.contour.gradient_arrow.getData()
    shaft = np.array([xs[1] - xs[0], ys[1] - ys[0]])
    lx, ly = pane.contour.level_through_p.getData()
    segments = np.c_[lx, ly].reshape(-1, 2, 2)
    nearest = segments[np.argmin(np.linalg.norm(segments.mean(axis=1) - (1.1, 0.45), axis=1))]
    tangent = nearest[1] - nearest[0]
    assert abs(shaft @ tangent) / (np.linalg.norm(shaft) * np.linalg.norm(tangent)) < 0.02


def test_turning_the_direction_peaks_at_the_gradient_norm(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "2x^2 - y^2")
    pane.set_point(1.0, 1.0)  # ∇f = (4, −2), |∇f| = √20
    pane.angle_box.setFocus()
    pane.angle_box.selectAll()
    qtbot.keyClicks(pane.angle_box, "90")
    assert "D<sub>v</sub>f = -2</b>" in pane.directional.text()  # along +y: ∂f/∂y
    values = []
    for degrees in range(-180, 180, 5):
        pane.angle_box.setValue(degrees)
        _, marker = pane.directional_plot.marker.getData()
        values.append((marker[0], degrees))
    best, best_degrees = max(values)
    assert best == pytest.approx(math.sqrt(20), rel=2e-3)
    assert best_degrees == pytest.approx(math.degrees(math.atan2(-2, 4)), abs=3)
    qtbot.mouseClick(pane.steepest_button, Qt.MouseButton.LeftButton)
    assert pane.angle_box.value() == round(math.degrees(math.atan2(-2, 4)))
    assert f"D<sub>v</sub>f = {math.sqrt(20):.4g}" in pane.directional.text()
    assert pane.directional_plot.peak.value() == pytest.approx(math.degrees(math.atan2(-2, 4)))


def test_dragging_the_tip_turns_the_direction(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "x^2 + y^2")
    pane.set_point(0.0, 0.0)
    pane.set_angle(0.0)
    tip_x, tip_y = pane.contour.tip.pos().x(), pane.contour.tip.pos().y()
    drag(qtbot, pane.contour, (tip_x, tip_y), (0.0, 1.0))
    assert pane.angle == pytest.approx(math.pi / 2, abs=0.03)
    assert pane.angle_box.value() == 90


def test_gradient_field_toggles(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "x^2 + y^2")
    assert pane.contour.field.getData()[0] is None or len(pane.contour.field.getData()[0]) == 0
    qtbot.mouseClick(pane.field_box, Qt.MouseButton.LeftButton)
    xs, ys = pane.contour.field.getData()
    assert len(xs) > 100
    starts = np.c_[xs, ys].reshape(-1, 6, 2)[:, 0]
    ends = np.c_[xs, ys].reshape(-1, 6, 2)[:, 1]
    assert np.all(np.sum(starts * (ends - starts), axis=1) >= -1e-12)  # uphill: away from the minimum


def test_level_lines_are_labelled_and_resolution_changes_the_grid(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "x^2 + y^2")
    assert len(pane.contour.level_labels()) >= 5
    pane.resolution.setCurrentIndex(0)
    assert pane.grid is not None and len(pane.grid.xs) == pane.resolution.currentData()


def test_bad_input_keeps_the_last_surface(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "x^2 + y^2")
    surface = pane.surface
    pane.set_function("x^2 + z")
    qtbot.waitUntil(lambda: pane.settled_text == "x^2 + z" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.input.error_text() and "z" in pane.input.error_text()
    assert pane.surface is surface


def test_typeset_partials_and_shared_surface(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "2y^3x^2")
    assert [label.plain_text() for label in pane.formulas] == [
        "f(x, y) = 2*x**2*y**3", "∂f/∂x = 4*x*y**3", "∂f/∂y = 6*x**2*y**2", "∇f = (4*x*y**3, 6*x**2*y**2)"]
    assert window.state.surface_text == "2y^3x^2"


def test_without_opengl_the_3d_area_explains_and_2d_works(qtbot: QtBot, window: MainWindow) -> None:
    pane = gradient_pane(qtbot, window, "2x^2 - y^2")
    if pane.surface_view.available:
        pytest.skip("this display has OpenGL; the fallback is tested in a subprocess")
    assert "OpenGL" in pane.surface_view.message.text()
    assert pane.surface_view.currentWidget().isAncestorOf(pane.surface_view.message)  # scrolls when zoomed
    assert pane.point() is not None


UNDEFINED_SOMEWHERE = ("sqrt(x^2 + y^2)", "ln(x^2 + y^2)", "1/x", "|x| + |y|", "x^(1/3)", "e^(x^2 + y^2)")
#: points where those functions or their gradients are undefined or infinite, on the unit
#: circle, and far away
AWKWARD = st.sampled_from([(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (0.6, 0.8), (-1.0, 0.0), (0.0, -2.5),
                           (1e6, 0.0), (-1e6, 1e6), (1e6, 1e6)])
POINTS = st.one_of(AWKWARD, st.tuples(st.floats(-3, 3), st.floats(-3, 3)))


def assert_only_finite_or_gaps(pane: GradientPane) -> None:
    """Every curve holds finite numbers or NaN gaps, never ±inf; markers hold finite numbers."""
    for plot in (pane.x_slice, pane.y_slice, pane.directional_plot):
        for item in plot.getPlotItem().listDataItems():
            xs, ys = item.getData()
            if xs is None:
                continue
            assert not np.isinf(xs).any() and not np.isinf(ys).any(), (plot, item)
            if item.opts["symbol"] is not None:
                assert np.isfinite(xs).all() and np.isfinite(ys).all(), (plot, item)


@pytest.mark.parametrize("text", UNDEFINED_SOMEWHERE)
def test_points_where_the_gradient_is_undefined_draw_and_say_so(
        qtbot: QtBot, window: MainWindow, text: str) -> None:
    pane = gradient_pane(qtbot, window, text)

    @settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(point=POINTS)
    def check(point: tuple[float, float]) -> None:
        pane.set_point(*point)
        assert_only_finite_or_gaps(pane)
        p = pane.point()
        assert p is not None
        if not math.isfinite(p.value):
            assert "f is not defined" in pane.numbers.text()
        elif not math.isfinite(p.fx):
            assert "∂f/∂x" in pane.numbers.text() and "undefined" in pane.numbers.text()

    check()
    pane.set_point(0.0, 0.0)
    if text in ("sqrt(x^2 + y^2)", "x^(1/3)"):
        assert "∂f/∂x is undefined" in pane.numbers.text() or "are undefined" in pane.numbers.text()


# -- maps (issue #13 part 6) -----------------------------------------------------------------------
def assert_labels_apart_and_in_view(contour: object, at_least: int = 3) -> None:
    """The labels as drawn, in pixels: no two boxes meet, each lies inside the map's view."""
    labels = contour.shown_level_labels()  # type: ignore[attr-defined]
    assert len(labels) >= at_least, contour.level_labels()  # type: ignore[attr-defined]
    frame = contour.getPlotItem().getViewBox().sceneBoundingRect()  # type: ignore[attr-defined]
    rects = [label.sceneBoundingRect() for label in labels]
    for k, rect in enumerate(rects):
        assert frame.contains(rect), labels[k].toPlainText()
        for j in range(k):
            assert not rect.intersects(rects[j]), (labels[k].toPlainText(), labels[j].toPlainText())


@pytest.mark.parametrize("text", ["2x^2 - y^2", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "x^3 - 3xy^2",
                                  "0.4 sin x cos y", "(1 - x)^2 + 100(y - x^2)^2"])
def test_level_labels_never_overlap(qtbot: QtBot, window: MainWindow, text: str) -> None:
    pane = gradient_pane(qtbot, window, text)
    qtbot.wait(10)
    assert_labels_apart_and_in_view(pane.contour)
    pane.contour.resize(pane.contour.width() - 60, pane.contour.height())  # a narrower map: placed again
    qtbot.waitUntil(lambda: pane.contour.getPlotItem().getViewBox().width() > 0)
    assert_labels_apart_and_in_view(pane.contour, at_least=2)


def test_colour_bar_labels_small_values_as_they_are(qtbot: QtBot, window: MainWindow) -> None:
    """0.4 sin x cos y once read "f(x, y) (x0.001)" with ticks ±400."""
    pane = gradient_pane(qtbot, window, "0.4 sin x cos y")
    axis = pane.contour.colorbar.axis
    assert not re.search(r"\(x\s*[0-9.e+-]+\)", axis.labelString()), axis.labelString()
    lo, hi = axis.range
    values = [value for spacing, ticks in axis.tickValues(lo, hi, 400) for value in ticks]
    names = axis.tickStrings(values, 1.0, min(abs(b - a) for a, b in zip(values, values[1:])))
    assert all(abs(float(name.replace("−", "-"))) <= 0.4 + 1e-9 for name in names), names
    assert any(float(name.replace("−", "-")) not in (0.0,) for name in names)
