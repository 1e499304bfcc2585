"""Secant → tangent pane driven with the mouse, the keyboard and the controls."""

from __future__ import annotations

import numpy as np
import pytest
import mouse
from conftest import RESULT_TIMEOUT_MS
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.tangent import TangentPane


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


def test_no_derivative_at_a_corner(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "|x|")
    pane.set_x0(0.0)
    assert pane.message.isVisible() and "No derivative" in pane.message.text()
    assert pane.tangent_value.text() == "does not exist"
    assert pane.plot.tangent.getData()[0] is None or len(pane.plot.tangent.getData()[0]) == 0
    pane.set_x0(1.0)
    assert not pane.message.isVisible()


def test_p_does_not_leave_the_domain(qtbot: QtBot, window: MainWindow) -> None:
    pane = tangent_pane(qtbot, window, "ln x")
    pane.set_x0(2.0)
    assert not pane.set_x0(-1.0)
    assert pane.x0 == 2.0 and "outside the domain" in pane.message.text()


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
