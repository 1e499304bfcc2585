"""The window makes the pane it opens on first and the others once that one has its results;
a pane asked for earlier (switched to, or given a scene) is made then, with its settings."""

from __future__ import annotations

from dataclasses import replace

from conftest import RESULT_TIMEOUT_MS, settle
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcgui.state import Scene, SharedFunctions
from calcgui.ui.main_window import MainWindow
from calcgui.ui.worker_bridge import SymbolicWorker


def new_window(qtbot: QtBot, worker: SymbolicWorker, **kwargs: object) -> MainWindow:
    win = MainWindow(SharedFunctions(), worker=worker, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.resize(1200, 800)
    return win


def built(win: MainWindow) -> list[str]:
    return [name for name, _pane in win.panes.built()]


def test_the_first_pane_is_made_alone_and_the_others_after_its_results(qtbot: QtBot,
                                                                     worker: SymbolicWorker) -> None:
    win = new_window(qtbot, worker, pane="gradient")
    assert built(win) == ["gradient"]
    win.show()
    assert win.current_pane() is win.panes["gradient"] and win.panes["gradient"].isVisible()
    assert win.is_busy()  # the others are still to be made: nothing reads as settled yet
    settle(qtbot, win)
    assert built(win) == list(win.panes)
    shared = win.panes["derivative"].input.text()
    assert shared and win.panes["tangent"].input.text() == shared  # made later, same function
    assert win.scene().descent == Scene().descent  # as a pane made with the window starts


def test_a_scene_given_before_the_panes_are_made_reaches_each_of_them(qtbot: QtBot,
                                                                     worker: SymbolicWorker) -> None:
    default = Scene()
    scene = replace(
        default, pane="derivative", function="x^3 - x",
        derivative=replace(default.derivative, function="x^3 - x", shown=(True, False, True), tab="limit"),
        tangent=replace(default.tangent, function="x^3 - x", x0=0.75, h=-1e-3),
        gradient=replace(default.gradient, function="3x^2 + 2y", point=(1.0, 2.0), angle_degrees=-30.0,
                         grid=100, field=True),
    )
    win = new_window(qtbot, worker)
    win.show()
    win.apply_scene(scene)
    assert built(win) == ["derivative"]  # the others get theirs when they are made
    settle(qtbot, win)
    shown = win.scene()
    assert shown.derivative.tab == "limit" and shown.derivative.shown == (True, False, True)
    assert (shown.tangent.function, shown.tangent.x0, shown.tangent.h) == ("x^3 - x", 0.75, -1e-3)
    assert (shown.gradient.function, shown.gradient.point, shown.gradient.angle_degrees) == \
        ("3x^2 + 2y", (1.0, 2.0), -30.0)
    assert (shown.gradient.grid, shown.gradient.field) == (100, True)
    assert win.panes["tangent"].input.text() == "x^3 - x"


def test_a_pane_switched_to_is_made_then(qtbot: QtBot, worker: SymbolicWorker) -> None:
    win = new_window(qtbot, worker)
    win.build_rest = False  # as for a screenshot: nothing is made unless asked for
    win.show()
    settle(qtbot, win)
    assert built(win) == ["derivative"]  # and the window reads as settled without the others
    qtbot.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    descent = win.panes["descent"]
    assert built(win) == ["derivative", "descent"]
    assert win.current_pane() is descent and descent.isVisible()
    qtbot.waitUntil(lambda: descent.objective is not None and not win.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert len(descent.runs) >= 1  # a working race, not a stand-in
    assert "chain" in win.panes and not win.panes.is_built("chain")  # asking "in" makes nothing
