"""The hyper-parameter map: computed in the background, drawn as it is, clickable, cancellable."""

from __future__ import annotations

import threading

import numpy as np
from mouse import click
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcgui.core import descent
from calcgui.core.sweep import SweepCancelled
from calcgui.ui.sweep_map import STEPS, SweepPanel, grid_values

ROSENBROCK = descent.objective("(1 - x)^2 + 100(y - x^2)^2")
START = (-1.5, 2.0)


def rosenbrock_sweep(name, lrs, betas, steps, progress):  # noqa: ANN001, ANN201 (the panel's callback)
    return descent.sweep(ROSENBROCK, START, name, lrs, betas, steps, progress=progress)


def _panel(qtbot: QtBot) -> SweepPanel:
    panel = SweepPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    panel.set_sweep(rosenbrock_sweep)
    return panel


def test_map_shows_the_final_losses_of_the_core_sweep(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    qtbot.mouseClick(panel.compute, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30_000)
    assert panel.progress.value() == 100
    lrs, betas = grid_values()
    expected = descent.sweep(ROSENBROCK, START, "adam", lrs, betas, STEPS)
    with np.errstate(divide="ignore"):
        shown = panel.plot.image.image
    np.testing.assert_array_equal(shown, np.log10(np.maximum(expected, 1e-300)).T)
    diverged = int(np.isnan(expected).sum())
    assert f"({diverged} of 10000)" in panel.caption.text()
    assert panel.plot.getPlotItem().getAxis("left").labelText == "β₁"


def test_clicking_a_cell_hands_its_values_to_the_race(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.compute.click()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30_000)
    lrs, betas = grid_values()
    with qtbot.waitSignal(panel.picked, timeout=2_000) as picked:
        click(qtbot, panel.plot, (float(np.log10(lrs[70])), float(betas[40])))
    assert picked.args == ["adam", lrs[70], betas[40]]


def test_cancel_drops_the_running_map(qtbot: QtBot) -> None:
    release = threading.Event()
    calls: list[str] = []

    def slow_sweep(name, lrs, betas, steps, progress):  # noqa: ANN001, ANN202
        calls.append(name)
        while progress(0.5) is not False:
            release.wait(0.01)
        raise SweepCancelled("cancelled")

    panel = _panel(qtbot)
    panel.set_sweep(slow_sweep)
    panel.compute.click()
    qtbot.waitUntil(lambda: panel.progress.value() == 50)
    assert panel.is_running() and not panel.compute.isEnabled()
    panel.cancel.click()
    assert not panel.is_running() and panel.compute.isEnabled()
    qtbot.wait(50)
    assert panel.plot.image.image is None
    assert calls == ["adam"]


def test_gd_is_not_offered_because_it_has_no_beta(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    offered = [panel.optimizer.itemData(i) for i in range(panel.optimizer.count())]
    assert offered == ["momentum", "nesterov", "rmsprop", "adam", "adamw"]
