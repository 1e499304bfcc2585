"""Lessons through the real window: Ctrl+M adds the view as a slide; the strip reorders, renames
and deletes; a saved lesson reopens the same; PageDown / PageUp show each slide's scene; a
slide's arrival starts its animation; unsaved lessons are asked about."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import RESULT_TIMEOUT_MS, settle
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from calcgui.state import Arrival, Lesson, Scene, Slide, TangentSettings, lesson_file
from calcgui.ui.lessons import course_path
from calcgui.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def never_asked_on_close(window: MainWindow) -> None:
    """Closing the window at the end of a test discards its lesson (no dialog blocks the run)."""
    window.lessons.ask_to_discard = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]


@pytest.fixture
def warnings(window: MainWindow) -> Iterator[list[str]]:
    """What the lesson controller would have shown in a message box."""
    shown: list[str] = []
    window.lessons.warn = lambda _title, message: shown.append(message)  # type: ignore[method-assign]
    yield shown


def settled_on_slide(qtbot: QtBot, window: MainWindow, index: int) -> None:
    """Slide ``index`` is on screen and the window records changes again."""
    qtbot.waitUntil(lambda: window.lessons.index == index and not window.is_busy()
                    and window._recording, timeout=RESULT_TIMEOUT_MS)  # noqa: SLF001


def key(qtbot: QtBot, window: MainWindow, sequence: str) -> None:
    """Press ``sequence`` (e.g. "Ctrl+M", "PgDown") as the window's shortcut map sees it."""
    for action in window.actions():
        if action.shortcut().toString() == sequence and action.isEnabled():
            qtbot.keyClick(window, action.shortcut()[0].key(), action.shortcut()[0].keyboardModifiers())
            return
    raise AssertionError(f"no window action has the shortcut {sequence}")


def show(qtbot: QtBot, window: MainWindow, scene: Scene) -> None:
    window.apply_scene(scene)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window._recording, timeout=RESULT_TIMEOUT_MS)  # noqa: SLF001


TANGENT = Scene(pane="tangent", function="x^2", tangent=TangentSettings(function="x^2", x0=3.0, h=0.01))
GRADIENT = Scene(pane="gradient", surface="3x^2 + 2y")


def test_ctrl_m_adds_the_current_view_as_a_slide_after_the_current_one(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.lessons.is_open() and window.lessons.strip.isHidden()
    key(qtbot, window, "Ctrl+M")  # no lesson yet: one is started
    assert window.lessons.is_open() and not window.lessons.strip.isHidden()
    first = window.lessons.lesson.slides[0]
    assert first.title == "Derivative: 2x^2 + 3x + 1" and first.scene == window.scene()
    show(qtbot, window, TANGENT)
    key(qtbot, window, "Ctrl+M")
    show(qtbot, window, GRADIENT)
    window.lessons.go_to(0)
    settled_on_slide(qtbot, window, 0)
    key(qtbot, window, "Ctrl+M")  # inserted after slide 1, before the tangent slide
    lesson = window.lessons.lesson
    assert [s.scene.pane for s in lesson.slides] == ["derivative", "derivative", "tangent"]
    assert window.lessons.index == 1
    assert window.lessons.strip.titles() == ["1. Derivative: 2x^2 + 3x + 1", "2. Derivative: 2x^2 + 3x + 1",
                                             "3. Secant → tangent: x^2"]
    assert lesson.slides[2].scene.tangent.x0 == 3.0
    assert window.windowTitle().startswith("Untitled lesson[*] — slide 2/3: Derivative: 2x^2 + 3x + 1")
    assert window.isWindowModified()


def three_slides() -> Lesson:
    return Lesson("Three", (Slide("One", "first", Scene()), Slide("Two", "", TANGENT), Slide("Three", "", GRADIENT)))


def test_the_strip_reorders_renames_and_deletes(qtbot: QtBot, window: MainWindow) -> None:
    lessons = window.lessons
    lessons.open_lesson(three_slides(), None)
    settled_on_slide(qtbot, window, 0)
    strip = lessons.strip
    # drag the last row to the top: QListWidget's InternalMove moves the row in its model
    strip.list.model().moveRow(strip.list.rootIndex(), 2, strip.list.rootIndex(), 0)
    qtbot.waitUntil(lambda: [s.title for s in lessons.lesson.slides] == ["Three", "One", "Two"])
    assert strip.titles() == ["1. Three", "2. One", "3. Two"]
    assert lessons.index == 1 and lessons.slide.title == "One"  # the slide on screen stays current
    # rename: the row's text as the editor leaves it
    strip.list.item(2).setText("3. The secant")
    qtbot.waitUntil(lambda: lessons.lesson.slides[2].title == "The secant")
    assert strip.titles()[2] == "3. The secant"
    strip.list.item(0).setText("1.   ")  # an empty title is refused and the row restored
    qtbot.waitUntil(lambda: strip.titles()[0] == "1. Three")
    assert lessons.lesson.slides[0].title == "Three"
    # Del deletes the selected row
    strip.list.setCurrentRow(0)
    qtbot.keyClick(strip.list, Qt.Key.Key_Delete)
    assert [s.title for s in lessons.lesson.slides] == ["One", "The secant"]
    assert lessons.index == 0 and strip.titles() == ["1. One", "2. The secant"]
    # the note box edits the current slide's note
    strip.note.setPlainText("A note for the class.")
    strip.commit_note()
    assert lessons.lesson.slides[0].note == "A note for the class."
    assert lessons.banner.note.text() == "A note for the class."
    # deleting the slide on screen goes to the one that takes its place
    lessons.delete_slide(0)
    settled_on_slide(qtbot, window, 0)
    assert window.current_pane_name() == "tangent" and lessons.banner.title.text() == "1 / 1 · The secant"


def test_a_saved_lesson_reopens_the_same(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    lessons = window.lessons
    lessons.open_lesson(three_slides(), None)
    settled_on_slide(qtbot, window, 0)
    lessons.set_note(2, "Look at ∇f.")
    path = tmp_path / "three.calcgui-lesson"
    assert lessons.save_to(path) and not window.isWindowModified()
    assert window.windowTitle() == "three[*] — slide 1/3: One"
    saved = lessons.lesson
    assert lesson_file.load(path) == saved
    lessons.new_lesson()
    assert lessons.lesson == Lesson("Untitled lesson") and lessons.path is None
    assert lessons.open_path(path)
    settled_on_slide(qtbot, window, 0)
    assert lessons.lesson == saved and lessons.path == path and not lessons.modified


def test_page_down_and_page_up_show_each_slide_s_scene(qtbot: QtBot, window: MainWindow) -> None:
    descent = Scene(pane="descent")
    descent = descent.with_pane("descent", dataclasses.replace(
        descent.descent, mode="1d", one_d=dataclasses.replace(descent.descent.one_d, step=7)))
    lesson = Lesson("Nav", (Slide("Derivative", "d", Scene(function="x^3 - x", derivative=dataclasses.replace(
        Scene().derivative, function="x^3 - x", tab="limit"))), Slide("Tangent", "t", TANGENT),
        Slide("Descent", "", descent)))
    lessons = window.lessons
    lessons.open_lesson(lesson, None)
    settled_on_slide(qtbot, window, 0)
    assert window.current_pane_name() == "derivative"
    assert window.panes["derivative"].input.text() == "x^3 - x" and window.scene().derivative.tab == "limit"
    assert lessons.banner.isVisible() and lessons.banner.title.text() == "1 / 3 · Derivative"
    key(qtbot, window, "PgDown")
    settled_on_slide(qtbot, window, 1)
    tangent = window.panes["tangent"]
    assert window.current_pane_name() == "tangent" and tangent.input.text() == "x^2"
    assert (tangent.x0, tangent.h) == (3.0, 0.01)
    assert lessons.banner.title.text() == "2 / 3 · Tangent" and lessons.banner.note.text() == "t"
    assert window.windowTitle() == "Nav[*] — slide 2/3: Tangent"
    key(qtbot, window, "PgDown")
    settled_on_slide(qtbot, window, 2)
    pane = window.panes["descent"]
    assert window.current_pane_name() == "descent" and pane.mode_key() == "1d" and pane.step_count == 7
    assert not lessons.banner.note.isVisible()  # no note: only the title
    key(qtbot, window, "PgDown")  # past the last slide: nothing happens
    assert lessons.index == 2
    key(qtbot, window, "PgUp")
    settled_on_slide(qtbot, window, 1)
    assert window.current_pane_name() == "tangent"
    # undo goes back to the slide as it arrived, not to the slide before
    tangent.slider.setValue(tangent.slider.value() + 100)  # h a decade smaller, as a drag would
    qtbot.waitUntil(lambda: window.history.current.tangent.h == pytest.approx(0.001))
    window.undo()
    current = window.history.current
    assert (current.pane, current.tangent.x0, current.tangent.h) == ("tangent", 3.0, 0.01)


def test_in_presentation_the_arrows_turn_the_slides_and_the_banner_stays(qtbot: QtBot, window: MainWindow) -> None:
    lessons = window.lessons
    lessons.open_lesson(three_slides(), None)
    settled_on_slide(qtbot, window, 0)
    window.presentation.enter()
    try:
        assert window.is_presenting() and lessons.strip.isHidden() and lessons.banner.isVisible()
        key(qtbot, window, "Right")
        settled_on_slide(qtbot, window, 1)
        assert window.current_pane_name() == "tangent" and lessons.banner.isVisible()
        key(qtbot, window, "Left")
        settled_on_slide(qtbot, window, 0)
    finally:
        window.presentation.leave()
    assert not lessons.strip.isHidden()


def race_slide(step_to: int) -> Slide:
    scene = Scene(pane="descent")
    one_d = dataclasses.replace(scene.descent.one_d, step=0)
    return Slide("1D", "", scene.with_pane("descent", dataclasses.replace(scene.descent, mode="1d", one_d=one_d)),
                 Arrival(until_step=step_to))


def test_a_slide_s_arrival_runs_the_race_and_stops_at_its_step(qtbot: QtBot, window: MainWindow) -> None:
    lessons = window.lessons
    lessons.open_lesson(Lesson("Race", (Slide("Start", "", Scene()), race_slide(25))), None)
    settled_on_slide(qtbot, window, 0)
    pane = window.panes["descent"]
    assert not pane.is_playing()
    key(qtbot, window, "PgDown")
    qtbot.waitUntil(lambda: pane.step_count > 0, timeout=RESULT_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not pane.is_playing(), timeout=RESULT_TIMEOUT_MS)
    assert pane.step_count == 25
    x = pane.runs["gd"].points[-1][0]
    assert x == pytest.approx(10 * 0.8**25)  # x ← 0.8 x at lr 0.1: the run really stopped at step 25


def test_a_tangent_slide_animates_h_towards_zero_and_leaving_stops_it(qtbot: QtBot, window: MainWindow) -> None:
    start = dataclasses.replace(TANGENT, tangent=dataclasses.replace(TANGENT.tangent, h=1.0))
    lessons = window.lessons
    lessons.open_lesson(Lesson("h", (Slide("h → 0", "", start, Arrival()), Slide("Still", "", Scene()))), None)
    tangent = window.panes["tangent"]
    qtbot.waitUntil(lambda: tangent.is_playing(), timeout=RESULT_TIMEOUT_MS)
    qtbot.waitUntil(lambda: abs(tangent.h) < 0.5, timeout=RESULT_TIMEOUT_MS)  # h is shrinking
    lessons.next_slide()
    assert not tangent.is_playing()  # what the last slide started does not run on


def test_the_shipped_course_opens_from_the_menu_untitled(qtbot: QtBot, window: MainWindow) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Lesson")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Lesson") == titles.index("&Help") - 1
    course = next(a for a in menu.actions() if a.text() == "The course, end to end")
    course.trigger()
    settled_on_slide(qtbot, window, 0)
    assert window.lessons.path is None and len(window.lessons.lesson.slides) >= 10
    assert window.windowTitle().startswith("The course, end to end[*] — slide 1/")


def test_a_bad_lesson_file_changes_nothing(qtbot: QtBot, window: MainWindow, warnings: list[str],
                                           tmp_path: Path) -> None:
    bad = tmp_path / "bad.calcgui-lesson"
    bad.write_text('{"format": "calcgui-lesson", "version": 1, "title": "", "slides": []}')
    before = window.scene()
    assert not window.files.open_path(bad)  # File → Open dispatches on the suffix
    assert warnings == [f"{bad}: slides: must hold 1 to 200 slides, got 0"]
    assert not window.lessons.is_open() and window.scene() == before


def test_a_dropped_lesson_opens_as_a_lesson(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "dropped.calcgui-lesson"
    lesson_file.save(three_slides(), path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    settled_on_slide(qtbot, window, 0)
    assert window.lessons.path == path and window.lessons.lesson == three_slides()


@pytest.mark.parametrize(("answer", "closes", "saved"), [
    (QMessageBox.StandardButton.Cancel, False, False),
    (QMessageBox.StandardButton.Discard, True, False),
    (QMessageBox.StandardButton.Save, True, True),
])
def test_an_unsaved_lesson_is_asked_about(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                         answer: QMessageBox.StandardButton, closes: bool, saved: bool) -> None:
    path = tmp_path / "l.calcgui-lesson"
    lesson_file.save(three_slides(), path)
    lessons = window.lessons
    assert lessons.open_path(path)
    settled_on_slide(qtbot, window, 0)
    lessons.rename_slide(0, "Renamed")
    asked: list[str] = []
    lessons.ask_to_discard = lambda: (asked.append("asked"), answer)[1]  # type: ignore[method-assign]
    assert lessons.new_lesson() is closes
    assert asked == ["asked"]
    assert (lesson_file.load(path).slides[0].title == "Renamed") is saved


# -- the command line ----------------------------------------------------------------------------
def run_calcgui(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "calcgui", *args], capture_output=True, text=True, timeout=120,
                          env=env)


def test_lesson_on_the_command_line_shows_the_slide_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "slide.png"
    result = run_calcgui("--lesson", str(course_path()), "--slide", "3", "--screenshot", str(out), "--size", "1280x720")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    # the banner's bold title is dark text across the top left, above the pane list
    dark = sum(image.pixelColor(x, y).lightness() < 100 for x in range(0, 500, 2) for y in range(20, 70, 2))
    assert dark > 100


@pytest.mark.parametrize(("args", "message"), [
    (["--lesson", "{bad}"], "bad.calcgui-lesson: slide 1: title: must not be empty"),
    (["{bad}"], "bad.calcgui-lesson: slide 1: title: must not be empty"),  # FILE names a lesson by its suffix
    (["--lesson", "{course}", "--slide", "99"], "--slide 99: "),
])
def test_a_bad_lesson_on_the_command_line_exits_2_with_one_line(tmp_path: Path, args: list[str],
                                                                message: str) -> None:
    bad = tmp_path / "bad.calcgui-lesson"
    bad.write_text(course_path().read_text(encoding="utf-8").replace(
        '"title": "The derivative from first principles"', '"title": ""'))
    out = tmp_path / "never.png"
    filled = [arg.format(bad=bad, course=course_path()) for arg in args]
    result = run_calcgui(*filled, "--screenshot", str(out))
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and not out.exists()
