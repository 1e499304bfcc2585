"""Secant → tangent pane driven with the mouse, the keyboard and the controls."""

from __future__ import annotations

import math

import numpy as np
import pytest
import mouse
from conftest import RESULT_TIMEOUT_MS, settle
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcgui.core.differentiability import Differentiability
from calcgui.state import SharedFunctions
from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.tangent import CHECKING, TangentPane
from calcgui.ui.worker_bridge import SymbolicWorker


def tangent_pane(qtbot: QtBot, win: MainWindow, text: str) -> TangentPane:
    win.show_pane("tangent")
    pane = win.panes["tangent"]
    assert isinstance(pane, TangentPane)
    pane.set_function(text)
    qtbot.waitUntil(lambda: pane.settled_text == text and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    return pane


def drag(qtbot: QtBot, pane: TangentPane, start: tuple[float, float], end: tuple[float, float]) -> None:
    mouse.drag(qtbot, pane.plot, start, end)


def test_dragging_p_moves_x0_and_the_secant(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^3 - x")
    pane.set_h(0.5)
    before = pane.plot.secant.getData()[1].copy()
    (px, py), _ = pane.plot.points()
    drag(qtbot, pane, (px, py), (px - 1.0, py))
    assert pane.x0 == pytest.approx(px - 1.0, abs=0.05)
    (new_px, new_py), (qx, qy) = pane.plot.points()
    assert new_py == pytest.approx(new_px**3 - new_px, abs=1e-9)  # P stays on the curve
    assert qx == pytest.approx(new_px + 0.5) and qy == pytest.approx(qx**3 - qx, abs=1e-9)
    assert not np.allclose(pane.plot.secant.getData()[1], before)
    slope = pane.secant_slope()
    xs, ys = pane.plot.secant.getData()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(slope)


def test_dragging_q_changes_h(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^2")
    pane.set_x0(1.0)
    pane.set_h(0.8)
    _, (qx, qy) = pane.plot.points()
    drag(qtbot, pane, (qx, qy), (1.3, qy))
    assert pane.h == pytest.approx(0.3, abs=0.05)
    assert pane.slider.value() == round(-100 * np.log10(abs(pane.h)))


def test_small_h_gives_the_tangent_slope(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "sin x e^x")
    pane.set_x0(0.7)
    pane.slider.setValue(600)  # h = 1e-6, through the slider
    assert pane.h == pytest.approx(1e-6)
    assert abs(pane.secant_slope() - pane.tangent_slope()) < 1e-5
    exact = np.exp(0.7) * (np.cos(0.7) + np.sin(0.7))  # (sin x e^x)' by hand
    assert pane.tangent_slope() == pytest.approx(exact, rel=1e-12)
    assert pane.tangent_value.text() == f"= {exact:.12g}"


def test_table_shows_the_seed_value(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^2")
    pane.set_x0(3.0)
    pane.flush()
    row = [pane.table.item(r, 0).text() for r in range(pane.table.rowCount())].index("1e-4")
    assert float(pane.table.item(row, 1).text()) == pytest.approx(6.0001, abs=1e-9)
    h = 1e-4
    assert float(pane.table.item(row, 5).text()) == pytest.approx(((3 + h) ** 2 - (3 - h) ** 2) / (2 * h))
    best = pane.table.best_row(2)
    errors = [float(pane.table.item(r, 2).text()) for r in range(pane.table.rowCount())]
    assert best == int(np.argmin(errors))


def test_p_does_not_leave_the_domain(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "ln x")
    pane.set_x0(2.0)
    assert not pane.set_x0(-1.0)
    assert pane.x0 == 2.0 and "outside the domain" in pane.message.text()  # at once, before the core's why


def test_keyboard_moves_p_and_changes_h(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^2")
    pane.set_x0(1.0)
    pane.set_h(0.1)
    pane.plot.setFocus()
    qtbot.keyClick(pane.plot, Qt.Key.Key_Right)
    assert pane.x0 > 1.0
    qtbot.keyClick(pane.plot, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert pane.h == pytest.approx(0.1 * 10**-0.1)


def test_animate_shrinks_h_and_pauses(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^2")
    pane.set_h(1.0)
    qtbot.mouseClick(pane.animate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.h < 1e-2, timeout=5000)
    qtbot.mouseClick(pane.animate, Qt.MouseButton.LeftButton)  # pause
    paused = pane.h
    qtbot.wait(200)
    assert pane.h == paused and pane.animate.text() == "Animate h → 0"


def test_function_is_shared_with_the_derivative_pane(qtbot: QtBot, window: MainWindow) -> None:
    tangent_pane(qtbot, window, "x^4")
    derivative = window.panes["derivative"]
    qtbot.waitUntil(lambda: derivative.input.text() == "x^4", timeout=RESULT_TIMEOUT_MS)


def test_p_is_drawn_over_q_when_they_meet(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^2")
    assert pane.plot.p_marker.zValue() > pane.plot.q_marker.zValue()


def test_h_goes_to_zero_in_the_stated_time_whatever_the_frame_rate(qtbot: QtBot, window: MainWindow) -> None:
    """The animation follows the clock: halfway through its 5 s, h is at 1e-6, wherever the
    ticks fell; at 5 s it has reached 1e-12 and stops."""
    from calcgui.ui.panes.tangent import ANIMATION_SECONDS

    pane = tangent_pane(qtbot, window, "x^2")
    now = [100.0]
    pane.clock = lambda: now[0]
    pane.slider.setValue(pane.slider.maximum())
    pane.animate.setChecked(True)  # restarts from h = 1
    assert pane.slider.value() == 0
    now[0] += ANIMATION_SECONDS / 2
    pane._animate_step()  # one late tick, as on a slow projector
    assert abs(pane.h) == pytest.approx(1e-6)
    now[0] += ANIMATION_SECONDS / 2
    pane._animate_step()
    assert abs(pane.h) == pytest.approx(1e-12) and not pane.animate.isChecked()


# -- whether f′(x₀) exists: the core's verdict, from the worker (issue #13) -----------------------
def verdict_at(qtbot: QtBot, pane: TangentPane, x0: float) -> Differentiability:
    """Put P at x0 and wait for the worker's verdict on it."""
    assert pane.set_x0(x0)
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    verdict = pane.verdict()
    assert verdict is not None and verdict.x0 == pytest.approx(x0)
    return verdict


def tangent_drawn(pane: TangentPane) -> bool:
    xs = pane.plot.tangent.getData()[0]
    return xs is not None and len(xs) > 0


@pytest.mark.parametrize(("text", "x0", "slope"), [
    ("ln x", 0.01, 100.0),  # said "not defined on both sides"; its own table converges to 100
    ("sqrt x", 0.005, 1 / (2 * math.sqrt(0.005))),
    ("cbrt x", 1e-6, 1e-6 ** (-2 / 3) / 3),  # said "a vertical tangent or a cusp"; 3333.3
    ("cbrt x", 1e-4, 1e-4 ** (-2 / 3) / 3),  # said "have not settled"
    ("tan x", 1.57, 1 / math.cos(1.57) ** 2),
    ("tan x", 1.5707, 1 / math.cos(1.5707) ** 2),  # said "cusp"; the slope is 1.078·10⁸
])
def test_a_derivative_near_a_singularity_is_shown(qtbot: QtBot, window: MainWindow, text: str, x0: float,
                                                  slope: float) -> None:
    pane = tangent_pane(qtbot, window, text)
    verdict = verdict_at(qtbot, pane, x0)
    assert verdict.verdict == "differentiable"
    assert pane.message.text() == verdict.message and "does not exist" not in pane.message.text()
    assert pane.message.text().startswith("f′(") and "is differentiable" in pane.message.text()
    assert float(pane.tangent_value.text().removeprefix("= ")) == pytest.approx(slope, rel=1e-9)
    xs, ys = pane.plot.tangent.xData, pane.plot.tangent.yData  # as set, before display clipping
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(slope, rel=1e-6)  # drawn with that slope
    assert not pane.plot.half_tangent_rays()


def rays(pane: TangentPane) -> list[tuple[float, float]]:
    """Each one-sided tangent drawn, as its direction (dx, dy) from P."""
    return [(end[0] - start[0], end[1] - start[1]) for start, end in pane.plot.half_tangent_rays()]


@pytest.mark.parametrize(("text", "kind", "words"), [
    ("|x|", "corner", "has a corner at 0: slope −1 from the left, 1 from the right"),
    ("relu(x)", "corner", "has a corner at 0: slope 0 from the left, 1 from the right"),
    ("cbrt x", "vertical", "has a vertical tangent at 0"),
    ("sqrt(|x|)", "vertical", "has a cusp"),
    ("sign x", "jump", "jumps at 0"),
])
def test_no_derivative_says_why_and_draws_no_tangent(qtbot: QtBot, window: MainWindow, text: str, kind: str,
                                                      words: str) -> None:
    pane = tangent_pane(qtbot, window, text)
    verdict = verdict_at(qtbot, pane, 0.0)
    assert verdict.verdict == kind
    assert pane.message.text() == verdict.message
    assert words in pane.message.text() and pane.message.text().endswith("so f′(0) does not exist")
    assert pane.tangent_value.text() == "does not exist" and not tangent_drawn(pane)
    drawn = rays(pane)
    if text == "|x|":  # the one-sided tangents: y = −x to the left of P, y = x to the right
        (lx, ly), (rx, ry) = drawn
        assert lx < 0 < rx and ly / lx == pytest.approx(-1) and ry / rx == pytest.approx(1)
    elif text == "relu(x)":
        (lx, ly), (rx, ry) = drawn
        assert lx < 0 < rx and ly == 0 and ry / rx == pytest.approx(1)
    elif text == "cbrt x":  # vertical: down on the left, up on the right, one vertical line
        (lx, ly), (rx, ry) = drawn
        assert lx == rx == 0 and ly < 0 < ry
    elif text == "sqrt(|x|)":  # a cusp: both halves point up
        (lx, ly), (rx, ry) = drawn
        assert lx == rx == 0 and ly > 0 and ry > 0
    else:
        assert drawn == []  # a jump has no one-sided tangents at P
    pane.set_x0(1.0)  # and away from 0 the tangent is back
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert tangent_drawn(pane) and not pane.plot.half_tangent_rays()


@pytest.mark.parametrize("x0", [0.0, -1.0])
def test_ln_x_at_zero_and_below_is_refused_with_the_reason(qtbot: QtBot, window: MainWindow, x0: float) -> None:
    pane = tangent_pane(qtbot, window, "ln x")
    verdict_at(qtbot, pane, 2.0)
    assert not pane.set_x0(x0)
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    at = "0" if x0 == 0 else "−1"
    assert pane.message.text() == (f"ln x is not defined at {at} (ln needs a positive number), "
                                   f"so f′({at}) does not exist. P stays at x₀ = 2.")
    assert pane.x0 == 2.0 and pane.tangent_value.text() == "= 0.5" and tangent_drawn(pane)


def test_while_the_worker_decides_the_pane_says_it_is_checking(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "|x|")
    verdict_at(qtbot, pane, 1.0)
    pane.set_x0(0.0)
    assert pane.message.text() == CHECKING  # not the sentence for x₀ = 1
    assert not tangent_drawn(pane)  # the quotients' first guess: no tangent at a corner
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert "corner at 0" in pane.message.text()


def test_a_verdict_for_an_older_p_or_text_is_never_shown(qtbot: QtBot, window: MainWindow) -> None:
    """P moves, and then the function changes, while verdicts are in flight: every sentence
    shown is "checking…" or the one for the P and the function on screen at that moment."""
    pane = tangent_pane(qtbot, window, "ln x")
    shown: list[tuple[str, float, str]] = []
    say = pane.message.setText

    def record(text: str) -> None:
        shown.append((pane.accepted_text, pane.x0, text))
        say(text)

    pane.message.setText = record  # type: ignore[method-assign]
    for x0 in (0.01, 0.5, 3.0):
        assert pane.set_x0(x0)
    pane.set_function("x^3")
    qtbot.waitUntil(lambda: pane.accepted_text == "x^3" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.x0 == 3.0 and pane.message.text() == "f′(3) = 27: x^3 is differentiable at 3"
    assert len(shown) > 2
    for text, x0, message in shown:
        assert message == CHECKING or (message.startswith(f"f′({x0:g})") and f" {text} " in message), \
            (text, x0, message)


def test_a_dragged_p_ends_with_the_cores_sentence(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "ln x")
    verdict_at(qtbot, pane, 2.0)
    (px, py), _ = pane.plot.points()
    drag(qtbot, pane, (px, py), (px - 1.5, float(np.log(px - 1.5))))
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.x0 == pytest.approx(0.5, abs=0.1)
    verdict = pane.verdict()
    assert verdict is not None and verdict.x0 == pane.x0
    assert pane.message.text() == verdict.message
    assert float(pane.tangent_value.text().removeprefix("= ")) == pytest.approx(1 / pane.x0, rel=1e-9)


# -- P when the function changes -------------------------------------------------------------
def test_p_moves_into_the_domain_and_the_view_when_the_function_changes(qtbot: QtBot, window: MainWindow) -> None:
    """|x| with P at 0, then 1/x: P used to land at −0.0025 (f = −400, off screen)."""
    pane = tangent_pane(qtbot, window, "|x|")
    verdict_at(qtbot, pane, 0.0)
    pane.set_function("1/x")
    qtbot.waitUntil(lambda: pane.accepted_text == "1/x" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    (px, py), _ = pane.plot.points()
    (x_lo, x_hi), (y_lo, y_hi) = pane.plot.x_range(), pane.plot.y_range()
    assert px == pane.x0 and x_lo < px < x_hi and y_lo < py < y_hi
    assert py == pytest.approx(1 / px)
    verdict = pane.verdict()
    assert verdict is not None and verdict.verdict == "differentiable" and abs(pane.tangent_slope()) < 100


def test_p_stays_where_it_is_valid_when_the_function_changes(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^2")
    verdict_at(qtbot, pane, 1.3)
    pane.set_function("x^3 - x")
    qtbot.waitUntil(lambda: pane.accepted_text == "x^3 - x" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.x0 == 1.3 and pane.plot.points()[0][1] == pytest.approx(1.3**3 - 1.3)


# -- a failed or timed-out job never leaves the formulas and the plot disagreeing -----------------
@pytest.fixture
def quick_window(qtbot: QtBot, worker: SymbolicWorker):  # noqa: ANN201
    quick = SymbolicWorker(time_limit=0.5)
    win = MainWindow(SharedFunctions(), worker=quick)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    try:
        settle(qtbot, win)
        yield win
    finally:
        quick.close()


def test_typesetting_that_times_out_leaves_no_old_formula(qtbot: QtBot, quick_window: MainWindow) -> None:
    from tangent_jobs import derivatives_then_stall

    pane = tangent_pane(qtbot, quick_window, "x^2")
    pane.job_args = lambda text: (derivatives_then_stall, (text, "x"))  # type: ignore[method-assign]
    pane.set_function("x^3")
    qtbot.waitUntil(lambda: pane.settled_text == "x^3" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert "too long" in pane.last_error and pane.accepted_text == "x^3"
    (px, py), _ = pane.plot.points()
    assert py == pytest.approx(px**3)  # the plot shows x^3 ...
    assert "2*x" not in pane.derivative_formula.plain_text()  # ... and f′ of x^2 is gone
    assert pane.derivative_formula.plain_text().startswith("f′(x) of x^3 could not be typeset")
    assert not pane.kept_note.isVisible()


def test_a_function_that_times_out_leaves_the_previous_one_said_plainly(qtbot: QtBot,
                                                                       quick_window: MainWindow) -> None:
    from slow_jobs import endless_job

    pane = tangent_pane(qtbot, quick_window, "x^2")
    formula = pane.derivative_formula.plain_text()
    pane.job_args = lambda text: (endless_job, (text, "x"))  # type: ignore[method-assign]
    pane.set_function("e^x^x^x^x")
    qtbot.waitUntil(lambda: pane.settled_text == "e^x^x^x^x" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert "too long" in pane.input.error_text() and pane.accepted_text == "x^2"
    (px, py), _ = pane.plot.points()
    assert py == pytest.approx(px**2) and pane.derivative_formula.plain_text() == formula  # one function
    assert pane.kept_note.isVisible()
    assert pane.kept_note.text().startswith("Still showing f(x) = x^2: the plot, P, the numbers and f′(x)")


def test_the_note_on_the_kept_function_goes_when_a_new_one_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "x^2")
    pane.set_function("x^2 +")
    qtbot.waitUntil(lambda: pane.settled_text == "x^2 +" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.kept_note.isVisible() and pane.kept_note.text().startswith("Still showing f(x) = x^2:")
    pane.set_function("x^3")
    qtbot.waitUntil(lambda: pane.settled_text == "x^3" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert not pane.kept_note.isVisible()


def test_a_scene_whose_function_fails_still_decides_its_p_on_the_kept_function(qtbot: QtBot,
                                                                              window: MainWindow) -> None:
    """A scene moves P and brings a function that fails (a typo, or a time-out on a loaded
    machine): P is on the function still shown, and its verdict is asked for, not awaited for
    ever (the pane stayed "checking…" and busy, and the window never settled)."""
    from calcgui.state import TangentSettings

    pane = tangent_pane(qtbot, window, "x^2")
    pane.apply(TangentSettings(function="x^^2", x0=0.75, h=1e-3))
    qtbot.waitUntil(lambda: pane.settled_text == "x^^2" and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.accepted_text == "x^2" and pane.x0 == 0.75
    assert pane.verdict() is not None and pane.verdict().slope == pytest.approx(1.5)
    assert pane.tangent_value.text() == "= 1.5"
