"""Scenes through the real window: save and reopen every pane, bad files change nothing,
undo and redo, the 1D / 2D races kept apart, and the session kept between runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import mouse
import numpy as np
import pytest
from conftest import RESULT_TIMEOUT_MS, settle
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from calcgui.state import History, Scene, SharedFunctions, scene_file
from calcgui.ui.main_window import MainWindow
from calcgui.ui.scene_files import EXAMPLES, examples_folder
from calcgui.ui.session import SessionStore
from calcgui.ui.worker_bridge import SymbolicWorker


def open_window(qtbot: QtBot, worker: SymbolicWorker, session: SessionStore | None = None) -> MainWindow:
    win = MainWindow(SharedFunctions(), worker=worker, session=session)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    settle_fully(qtbot, win)
    return win


def settle_fully(qtbot: QtBot, win: MainWindow) -> None:
    """Every pane shows its results and the window records changes again."""
    settle(qtbot, win)
    qtbot.waitUntil(lambda: win._recording and not win.is_busy(), timeout=RESULT_TIMEOUT_MS)  # noqa: SLF001
    for pane in win.panes.values():
        flush = getattr(pane, "flush", None)
        if flush is not None:
            flush()


def patient_history(window: MainWindow) -> None:
    """Changes with one merge key are one undo step even when a loaded machine spaces them by
    more than the usual second (the moves of a drag, a function adopted by the other panes)."""
    window.history = History(window.scene(), merge_seconds=600)


@pytest.fixture
def warnings(window: MainWindow) -> Iterator[list[str]]:
    """What the window would have shown in a message box (tests never block on one)."""
    shown: list[str] = []
    window.files.warn = lambda _title, message: shown.append(message)  # type: ignore[method-assign]
    yield shown


def a_teachers_scene() -> Scene:
    """Every pane moved away from its defaults, as a teacher preparing a lecture would."""
    scene = scene_file.load(examples_folder() / "rosenbrock-race.calcgui")
    return replace(
        scene, pane="tangent", function="x^3 - x",
        derivative=replace(scene.derivative, function="(2x + 3)^2", shown=(True, False, True), tab="limit"),
        tangent=replace(scene.tangent, function="x^3 - x", x0=0.75, h=-1e-3, view=None),
        gradient=replace(scene.gradient, function="3x^2 + 2y", point=(1.0, 2.0), angle_degrees=-30.0, grid=100,
                         field=True),
    )


def test_a_scene_saved_and_reopened_is_the_same_in_every_pane(qtbot: QtBot, window: MainWindow,
                                                               worker: SymbolicWorker, tmp_path: Path) -> None:
    window.apply_scene(a_teachers_scene())
    settle_fully(qtbot, window)
    path = tmp_path / "lecture.calcgui"
    assert window.files.save_to(path)
    before = window.scene()
    assert before.descent.two_d.step == 300 and before.tangent.x0 == 0.75

    other = open_window(qtbot, worker)
    assert other.files.open_path(path)
    settle_fully(qtbot, other)
    after = other.scene()
    assert after == before
    assert other.windowTitle().startswith("lecture.calcgui")
    descent = other.panes["descent"]
    assert descent.step_count == 300 and sorted(descent.runs) == ["adam", "gd", "momentum"]
    assert descent.counter.text() == "step 300"
    np.testing.assert_allclose(descent.runs["adam"].points, window.panes["descent"].runs["adam"].points)


def test_reopened_panes_look_the_same(qtbot: QtBot, window: MainWindow, worker: SymbolicWorker,
                                      tmp_path: Path) -> None:
    window.apply_scene(a_teachers_scene())
    settle_fully(qtbot, window)
    path = tmp_path / "look.calcgui"
    window.files.save_to(path)
    other = open_window(qtbot, worker)
    other.files.open_path(path)
    settle_fully(qtbot, other)
    for name in ("derivative", "tangent", "gradient", "descent"):
        window.show_pane(name)
        other.show_pane(name)
        qtbot.wait(50)
        first, second = window.panes[name].grab().toImage(), other.panes[name].grab().toImage()
        assert first == second, f"the {name} pane looks different after reopening"


BAD_FILES = {
    "not JSON": b"this is not a scene",
    "truncated": b'{"format": "calcgui-scene", "version": 1, "pane": "deriv',
    "empty": b"",
    "binary": bytes(range(256)),
    "another format": b'{"format": "something-else", "version": 1}',
    "newer version": b'{"format": "calcgui-scene", "version": 7}',
    "hostile function": None,
    "NaN": None,
}


def bad_file(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind.replace(' ', '-')}.calcgui"
    content = BAD_FILES[kind]
    if content is None:
        good = scene_file.dumps(Scene())
        if kind == "hostile function":
            text = good.replace('"2x^2 + 3x + 1"', '"__import__(\'os\').system(\'ls\')"', 1)
        else:
            text = good.replace('"x0": 1.0', '"x0": NaN', 1)
        assert text != good
        content = text.encode()
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_says_what_is_wrong_and_changes_nothing(qtbot: QtBot, window: MainWindow,
                                                           warnings: list[str], tmp_path: Path, kind: str) -> None:
    window.panes["derivative"].set_function("x^3")
    settle_fully(qtbot, window)
    before, title = window.scene(), window.windowTitle()
    path = bad_file(kind, tmp_path)
    assert not window.files.open_path(path)
    assert len(warnings) == 1 and path.name in warnings[0]
    settle_fully(qtbot, window)
    assert window.scene() == before and window.windowTitle() == title


def test_undo_takes_back_a_whole_drag_and_redo_brings_it_back(qtbot: QtBot, window: MainWindow) -> None:
    window.show_pane("tangent")
    pane = window.panes["tangent"]
    settle_fully(qtbot, window)
    qtbot.waitUntil(pane.plot.isVisible)
    qtbot.wait(50)  # the pane just shown is laid out: P is where the mouse will press
    patient_history(window)
    x_before = pane.x0
    (px, py), _q = pane.plot.points()
    mouse.drag(qtbot, pane.plot, (px, py), (px - 1.0, py))
    qtbot.waitUntil(lambda: window.history.can_undo, timeout=2000)
    moved = pane.x0
    assert moved != pytest.approx(x_before)
    window.undo_action.trigger()
    settle_fully(qtbot, window)
    assert pane.x0 == pytest.approx(x_before)  # one step took back every move of the drag
    assert not window.history.can_undo
    window.redo_action.trigger()
    settle_fully(qtbot, window)
    assert pane.x0 == pytest.approx(moved)


def test_undo_a_typed_function(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.panes["derivative"]
    pane.input.debounce_ms = 60_000  # only Enter computes: "x" on a busy machine is not a step
    settle_fully(qtbot, window)
    patient_history(window)
    edit = pane.input.line_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "x^3")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.accepted_text == "x^3", timeout=RESULT_TIMEOUT_MS)
    settle_fully(qtbot, window)
    qtbot.waitUntil(lambda: window.history.can_undo, timeout=2000)
    window.activateWindow()  # shortcuts reach the active window, as on a desktop
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    pane.plot.setFocus()  # in the box itself, Ctrl+Z undoes the typing, as in any text box
    qtbot.keyClick(pane.plot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pane.accepted_text == "2x^2 + 3x + 1", timeout=RESULT_TIMEOUT_MS)
    assert pane.input.text() == "2x^2 + 3x + 1"


def test_switching_descent_to_1d_and_back_keeps_the_2d_race(qtbot: QtBot, window: MainWindow) -> None:
    window.show_pane("descent")
    pane = window.panes["descent"]
    settle_fully(qtbot, window)
    pane.optimizers.set_lr("adam", 0.02)
    pane.advance(40)
    race = pane.settings().two_d
    pane.mode.setCurrentIndex(1)
    settle_fully(qtbot, window)
    assert list(pane.runs) == ["gd"] and pane.start[0] == 10.0
    pane.mode.setCurrentIndex(0)
    settle_fully(qtbot, window)
    assert pane.settings().two_d == race
    assert sorted(pane.runs) == ["adam", "gd", "momentum"] and pane.step_count == 40
    assert pane.runs["gd"].diverged_at is None  # not the lone GD at lr 0.1 of before


def test_a_dropped_scene_file_opens(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "dropped.calcgui"
    scene_file.save(replace(Scene(), pane="gradient", surface="x^2 + y^2",
                            gradient=replace(Scene().gradient, function="x^2 + y^2")), path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the window says it takes the file, as the cursor shows
    drop = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    settle_fully(qtbot, window)
    assert window.current_pane_name() == "gradient"
    assert window.panes["gradient"].accepted_text == "x^2 + y^2"


@pytest.mark.parametrize("stem", [stem for stem, _title in EXAMPLES])
def test_every_example_opens_as_an_untitled_scene(qtbot: QtBot, window: MainWindow, stem: str) -> None:
    path = examples_folder() / f"{stem}.calcgui"
    assert window.files.open_path(path, as_file=False)
    settle_fully(qtbot, window)
    assert window.files.path is None and window.scene().pane == scene_file.load(path).pane


def test_the_session_is_restored_and_a_damaged_one_moved_aside(qtbot: QtBot, worker: SymbolicWorker,
                                                               tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    first = open_window(qtbot, worker, store)
    first.panes["derivative"].set_function("sin x")
    settle_fully(qtbot, first)
    first.close()
    scene, message = SessionStore(tmp_path).load_scene()
    assert message == "" and scene is not None and scene.derivative.function == "sin x"

    store.session_path.write_text("{ damaged")
    scene, message = SessionStore(tmp_path).load_scene()
    assert scene is None and "could not be restored" in message
    assert not store.session_path.exists() and len(list(tmp_path.glob("session-damaged-*"))) == 1


def test_the_title_marks_unsaved_changes_and_quitting_asks(qtbot: QtBot, window: MainWindow,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "class.calcgui"
    assert window.files.save_to(path)
    assert window.windowTitle() == "class.calcgui[*] — calcgui" and not window.isWindowModified()
    window.show_pane("gradient")
    pane = window.panes["gradient"]
    pane.angle_box.setValue(90)  # as if typed: v turns, the scene changes
    qtbot.waitUntil(window.isWindowModified, timeout=2000)
    asked: list[str] = []

    def cancel() -> QMessageBox.StandardButton:
        asked.append("asked")
        return QMessageBox.StandardButton.Cancel

    window.files.ask_to_discard = cancel  # type: ignore[method-assign]
    assert not window.close() and window.isVisible() and asked == ["asked"]
    window.files.ask_to_discard = lambda: QMessageBox.StandardButton.Save  # type: ignore[method-assign]
    assert window.close()
    assert scene_file.load(path).gradient.angle_degrees == pytest.approx(90)
