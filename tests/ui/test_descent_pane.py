"""Gradient descent pane driven with clicks, buttons and sliders."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import RESULT_TIMEOUT_MS
from mouse import click
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.descent import DescentPane


def descent_pane(qtbot: QtBot, win: MainWindow) -> DescentPane:
    win.show_pane("descent")
    pane = win.panes["descent"]
    assert isinstance(pane, DescentPane)
    qtbot.waitUntil(lambda: pane.objective is not None and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    return pane


def wait_for(qtbot: QtBot, pane: DescentPane, text: str) -> None:
    qtbot.waitUntil(lambda: pane.settled_text == text and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)


def test_rosenbrock_race_opens_with_three_optimizers(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    assert pane.surface_box.currentText() == "Rosenbrock"
    assert sorted(pane.runs) == ["adam", "gd", "momentum"]
    assert pane.counter.text() == "step 0"


def test_clicking_the_map_sets_the_start(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    click(qtbot, pane.map, (0.5, 2.5))
    assert pane.start == pytest.approx((0.5, 2.5), abs=0.05)
    for run in pane.runs.values():
        assert run.points[0] == pytest.approx(pane.start)
    xs, ys = pane.paths["adam"].getData()
    assert (xs[0], ys[0]) == pytest.approx(pane.start)


def test_play_then_pause_advances_the_counter_and_the_paths(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    qtbot.mouseClick(pane.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.step_count >= 20, timeout=5000)
    qtbot.mouseClick(pane.play, Qt.MouseButton.LeftButton)
    steps = pane.step_count
    qtbot.wait(100)
    assert pane.step_count == steps  # paused
    assert pane.counter.text() == f"step {steps}"
    xs, _ = pane.paths["momentum"].getData()
    assert len(xs) == steps + 1
    assert "Adam: loss" in pane.legend.text()


def test_changing_lr_while_paused_recomputes_the_path(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
    pane.advance(30)
    before = np.c_[pane.paths["adam"].getData()].copy()
    pane.optimizers.sliders["adam"].setValue(pane.optimizers.sliders["adam"].value() - 100)  # lr ÷ 10
    after = np.c_[pane.paths["adam"].getData()]
    assert after.shape == before.shape and pane.step_count == 31
    assert not np.allclose(after[1:], before[1:])
    assert pane.runs["adam"].lrs[0] == pytest.approx(pane.optimizers.lr("adam"))


def test_raising_gd_learning_rate_diverges_with_a_badge(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.optimizers.set_lr("gd", 0.1)
    pane.advance(50)
    assert pane.runs["gd"].diverged_at is not None
    assert pane.badge.isVisible() or not pane.isVisible()
    assert f"GD diverged at step {pane.runs['gd'].diverged_at}" in pane.badge.text()
    assert "GD: <b>diverged</b>" in pane.legend.text()
    xs, ys = pane.paths["gd"].getData()
    assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))  # nothing non-finite is drawn


def test_one_dimensional_mode_reproduces_the_seed_sequence(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.mode.setCurrentIndex(1)
    pane.set_function("x^2")
    wait_for(qtbot, pane, "x^2")
    assert pane.start[0] == 10.0 and list(pane.runs) == ["gd"]
    for _ in range(10):
        qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
    points = pane.runs["gd"].points[:, 0]
    assert points[1:4] == pytest.approx([8.0, 6.4, 5.12], abs=1e-12)
    assert points[10] == pytest.approx(1.073741824, abs=1e-12)
    assert pane.iterates.item(10, 1).text() == "1.073741824"
    pane.optimizers.set_lr("gd", 0.9)
    assert np.all(np.sign(pane.runs["gd"].points[1:6, 0]) == [-1, 1, -1, 1, -1])  # oscillates
    pane.optimizers.set_lr("gd", 1.5)
    pane.advance(200)
    assert pane.runs["gd"].diverged_at is not None and "diverged" in pane.badge.text()


def test_typed_surface_and_bad_input(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.surface_box.setCurrentIndex(pane.surface_box.count() - 1)  # your own f(x, y)
    pane.set_function("x^2 + 10y^2")
    wait_for(qtbot, pane, "x^2 + 10y^2")
    assert pane.objective is not None and str(pane.objective.expr) == "x**2 + 10*y**2"
    objective = pane.objective
    pane.set_function("x^2 + w")
    wait_for(qtbot, pane, "x^2 + w")
    assert pane.input.error_text()
    assert pane.objective is objective
