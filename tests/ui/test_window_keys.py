"""The keys a teacher presses: Space / → / ← / R on each pane's animation, Ctrl+1…5 and
Ctrl+Tab between panes, F5 presentation, F11 full screen, Esc; Help's shortcut list and quick
guide; Edit → Copy as LaTeX. Keys are sent to the focused widget, as a keyboard would."""

from __future__ import annotations

import pytest
from conftest import RESULT_TIMEOUT_MS, settle_on
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QTextBrowser, QWidget
from pytestqt.qtbot import QtBot
from test_descent_pane import descent_pane

from calcgui.ui import guide
from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.tangent import SLIDER_STEPS, TangentPane


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key, modifiers)


def test_space_right_left_and_r_drive_the_descent_race(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    press(qtbot, pane.map, Qt.Key.Key_Space)
    assert pane.is_playing() and pane.play_button.isChecked()
    qtbot.waitUntil(lambda: pane.step_count >= 5, timeout=RESULT_TIMEOUT_MS)
    press(qtbot, pane.map, Qt.Key.Key_Space)
    assert not pane.is_playing()
    reached = pane.step_count
    press(qtbot, pane.map, Qt.Key.Key_Right)
    assert pane.step_count == reached + 1 and pane.counter.text() == f"step {reached + 1}"
    press(qtbot, pane.map, Qt.Key.Key_Left)
    press(qtbot, pane.map, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.step_count == reached - 1
    assert all(len(run.points) == reached for run in pane.runs.values())  # replayed to the earlier step
    press(qtbot, pane.map, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.step_count == 0 and pane.counter.text() == "step 0"


def test_a_race_played_to_a_step_stops_there(qtbot: QtBot, window: MainWindow) -> None:
    """What a lesson's slide asks on arrival: run the race to step N, from the start."""
    pane = descent_pane(qtbot, window)
    pane.step(40)
    assert pane.play(until=25)
    assert pane.step_count == 0  # step 40 is past 25: from the start again
    qtbot.waitUntil(lambda: not pane.is_playing(), timeout=RESULT_TIMEOUT_MS)
    assert pane.step_count == 25
    press(qtbot, pane.map, Qt.Key.Key_Space)  # Space afterwards plays on, past the old target
    qtbot.waitUntil(lambda: pane.step_count > 30, timeout=RESULT_TIMEOUT_MS)
    pane.stop()


def test_space_animates_h_and_arrows_step_a_decade(qtbot: QtBot, window: MainWindow) -> None:
    window.show_pane("tangent")
    pane = window.panes["tangent"]
    assert isinstance(pane, TangentPane)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=RESULT_TIMEOUT_MS)
    press(qtbot, pane.slider, Qt.Key.Key_R)
    assert pane.slider.value() == 0 and pane.h == pytest.approx(1.0)
    press(qtbot, pane.slider, Qt.Key.Key_Right)
    assert pane.h == pytest.approx(0.1)
    press(qtbot, pane.slider, Qt.Key.Key_Right)
    press(qtbot, pane.slider, Qt.Key.Key_Left)
    assert pane.h == pytest.approx(0.1)
    press(qtbot, pane.slider, Qt.Key.Key_Space)
    assert pane.is_playing() and pane.animate.text() == "Pause"
    qtbot.waitUntil(lambda: pane.slider.value() > SLIDER_STEPS // 12, timeout=RESULT_TIMEOUT_MS)
    press(qtbot, pane.slider, Qt.Key.Key_Space)
    assert not pane.is_playing() and pane.animate.text() == "Animate h → 0"


def test_the_tangent_plot_keeps_its_arrows_for_moving_p(qtbot: QtBot, window: MainWindow) -> None:
    window.show_pane("tangent")
    pane = window.panes["tangent"]
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=RESULT_TIMEOUT_MS)
    x0, h = pane.x0, pane.h
    press(qtbot, pane.plot, Qt.Key.Key_Right)
    assert pane.x0 > x0 and pane.h == h


def test_a_pane_without_animation_says_so(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window.panes["derivative"].plot, Qt.Key.Key_Space)
    assert "Derivative has nothing to play" in window.statusBar().currentMessage()


def test_typing_keeps_space_arrows_and_r(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    edit = pane.input.line_edit
    edit.setFocus()
    edit.setCursorPosition(0)
    for key in (Qt.Key.Key_R, Qt.Key.Key_Space, Qt.Key.Key_Right):
        qtbot.keyClick(edit, key)
    assert edit.text().startswith("r ") and not pane.is_playing() and pane.step_count == 0


def test_ctrl_digits_and_ctrl_tab_switch_panes(qtbot: QtBot, window: MainWindow) -> None:
    names = list(window.panes)
    for number, name in enumerate(names, start=1):
        press(qtbot, window.switcher, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_pane_name() == name
    press(qtbot, window.switcher, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.current_pane_name() == names[0]  # round from the last to the first
    press(qtbot, window.switcher, Qt.Key.Key_Backtab,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_pane_name() == names[-1]


def test_f5_presents_and_esc_leaves_everything(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.current_pane()
    press(qtbot, pane, Qt.Key.Key_F5)
    assert window.is_presenting() and window.presentation_action.isChecked()
    assert window.switcher.isHidden() and window.menuBar().isHidden() and window.statusBar().isHidden()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    press(qtbot, pane, Qt.Key.Key_F5)
    assert not window.is_presenting()
    assert not window.switcher.isHidden() and not window.menuBar().isHidden() and not window.statusBar().isHidden()
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    press(qtbot, pane, Qt.Key.Key_F5)
    press(qtbot, pane, Qt.Key.Key_Escape)
    assert not window.is_presenting() and not window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.leave_action.isEnabled()  # Esc is the widgets' own again


def test_f11_toggles_full_screen_and_esc_leaves_it(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.current_pane()
    press(qtbot, pane, Qt.Key.Key_F11)
    assert window.windowState() & Qt.WindowState.WindowFullScreen and window.full_screen_action.isChecked()
    assert not window.is_presenting() and not window.menuBar().isHidden()
    press(qtbot, pane, Qt.Key.Key_F11)
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    press(qtbot, pane, Qt.Key.Key_F11)
    press(qtbot, pane, Qt.Key.Key_Escape)
    assert not window.windowState() & Qt.WindowState.WindowFullScreen and not window.full_screen_action.isChecked()


def test_every_teaching_key_is_shown_in_a_menu_and_in_the_shortcut_list(window: MainWindow) -> None:
    rows = guide.shortcut_rows(window)
    listed = {keys for _where, keys, _does in rows}
    native = QKeySequence.SequenceFormat.NativeText
    for key in ("Space", "Right", "Left", "R", "Ctrl+1", "Ctrl+5", "Ctrl+Tab", "F5", "F11", "Esc", "Ctrl+Shift+C"):
        assert any(QKeySequence(key).toString(native) in keys for keys in listed), key
    where = {does: menu for menu, _keys, does in rows}
    assert where["Play / pause"] == "Animation" and where["Presentation"] == "View"
    assert where["Copy as LaTeX"] == "Edit" and where["Chain rule"] == "View → Panes"


def test_help_dialogs_show_the_shortcuts_and_a_guide_for_every_pane(qtbot: QtBot, window: MainWindow) -> None:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    actions = {a.text(): a for a in help_menu.actions()}
    actions["&Keyboard shortcuts"].trigger()
    dialog = window.findChildren(QDialog)[-1]
    text = dialog.findChild(QTextBrowser, "guideText").toPlainText()
    assert "Presentation" in text and "Play / pause" in text and "move P along the curve" in text
    dialog.close()
    actions["&Quick guide"].trigger()
    dialog = window.findChildren(QDialog)[-1]
    text = dialog.findChild(QTextBrowser, "guideText").toPlainText()
    for pane in window.panes.values():
        assert pane.title in text
    assert "Copy as LaTeX" in text and "F5" in text
    dialog.close()


def test_copy_as_latex_copies_the_formulas_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.panes["derivative"]
    pane.set_function("2x^2 + 3x + 1")
    settle_on(qtbot, window, "2x^2 + 3x + 1")
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    copy = next(a for a in edit_menu.actions() if a.text() == "Copy as &LaTeX")
    copy.trigger()
    lines = QGuiApplication.clipboard().text().splitlines()
    shown = [label.latex() for label in pane.formulas]
    assert lines[:3] == shown and "4 x + 3" in shown[1]
    assert window.statusBar().currentMessage().startswith("Copied")
