"""The shipped course in the window: every slide opens without an error and shows what its
title claims, and the descent slides' arrivals run to their step with the numbers the notes
promise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import RESULT_TIMEOUT_MS
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from calcgui.state import SharedFunctions, lesson_file
from calcgui.ui.lessons import course_path
from calcgui.ui.main_window import MainWindow
from calcgui.ui.worker_bridge import SymbolicWorker

COURSE = lesson_file.load(course_path())


@pytest.fixture(scope="module")
def patient_worker(qapp: object) -> Iterator[SymbolicWorker]:
    """A worker with a long time limit: here every slide must show its results, and a CI
    machine shared with other jobs can take more than the app's 3 s for five panes' jobs."""
    patient = SymbolicWorker(time_limit=30.0)
    yield patient
    patient.close()


@pytest.fixture
def window(qtbot: QtBot, patient_worker: SymbolicWorker) -> MainWindow:
    win = MainWindow(SharedFunctions(), worker=patient_worker)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    win.lessons.ask_to_discard = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=RESULT_TIMEOUT_MS)
    return win


def test_every_slide_opens_and_shows_its_scene(qtbot: QtBot, window: MainWindow) -> None:
    lessons = window.lessons
    lessons.play_on_arrival = False  # here: each slide as saved; the arrivals are tested below
    assert lessons.open_course()
    for index, slide in enumerate(COURSE.slides):
        if index:
            assert lessons.next_slide()
        qtbot.waitUntil(lambda: not window.is_busy() and window._recording, timeout=RESULT_TIMEOUT_MS)  # noqa: SLF001
        pane = window.current_pane()
        assert window.current_pane_name() == slide.scene.pane, slide.title
        assert pane.last_error == "", (slide.title, pane.last_error)
        assert lessons.banner.title.text() == f"{index + 1} / {len(COURSE.slides)} · {slide.title}"
        on_screen = window.scene()
        assert on_screen.pane_settings(slide.scene.pane) == slide.scene.pane_settings(slide.scene.pane) or \
            slide.scene.pane in ("derivative", "tangent", "gradient")  # their views are framed on screen
        assert pane.input.text() == {"derivative": slide.scene.derivative.function,
                                     "tangent": slide.scene.tangent.function,
                                     "gradient": slide.scene.gradient.function,
                                     "descent": (slide.scene.descent.one_d if slide.scene.descent.mode == "1d"
                                                 else slide.scene.descent.two_d).function,
                                     "chain": slide.scene.chain.function}[slide.scene.pane]
    assert not lessons.next_slide()  # the last slide


@pytest.mark.parametrize(("title", "final_x"), [
    ("Gradient descent in 1D: x² from x = 10, lr 0.1", 10 * 0.8**30),
    ("Learning rate too large: lr 1.05", 10 * (-1.1) ** 30),
])
def test_the_1d_slides_run_to_their_step_on_arrival(qtbot: QtBot, window: MainWindow, title: str,
                                                    final_x: float) -> None:
    lessons = window.lessons
    index = next(i for i, slide in enumerate(COURSE.slides) if slide.title == title)
    lessons.open_lesson(COURSE, None, slide=index)
    pane = window.panes["descent"]
    qtbot.waitUntil(lambda: pane.step_count > 0, timeout=RESULT_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not pane.is_playing(), timeout=RESULT_TIMEOUT_MS)
    assert pane.step_count == 30
    assert pane.runs["gd"].points[-1][0] == pytest.approx(final_x)


def test_the_clipping_slides_diverge_without_it_and_converge_with_it(qtbot: QtBot, window: MainWindow) -> None:
    lessons = window.lessons
    index = next(i for i, slide in enumerate(COURSE.slides) if slide.title.startswith("A step too large"))
    lessons.open_lesson(COURSE, None, slide=index)
    pane = window.panes["descent"]
    qtbot.waitUntil(lambda: pane.step_count > 0 and not pane.is_playing(), timeout=RESULT_TIMEOUT_MS)
    assert all(run.diverged_at is not None and run.diverged_at < 10 for run in pane.runs.values())
    lessons.next_slide()
    qtbot.waitUntil(lambda: lessons.index == index + 1 and pane.step_count > 0, timeout=RESULT_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not pane.is_playing(), timeout=60_000)
    assert pane.step_count == 500
    momentum = pane.runs["momentum"]
    assert momentum.diverged_at is None and momentum.points[-1] == pytest.approx([1.0, 1.0], abs=0.01)
