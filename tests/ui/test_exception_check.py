"""The UI tests' own check: an exception that escapes a Qt callback fails the test, even
where pytest-qt's capture is switched off."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

RAISING_CALLBACKS = '''
import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton


def boom(*_args):
    raise IndexError("raised in a callback")


class Emitter(QObject):
    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_timer(qtbot):
    QTimer.singleShot(0, boom)
    qtbot.wait(30)


@pytest.mark.qt_no_exception_capture
def test_slot_of_a_python_emit(qtbot):
    emitter = Emitter()
    emitter.fired.connect(boom)
    emitter.fired.emit()


@pytest.mark.qt_no_exception_capture
def test_slot_of_a_click(qtbot):
    button = QPushButton("go")
    qtbot.addWidget(button)
    button.clicked.connect(boom)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_quiet(qtbot):
    QTimer.singleShot(0, lambda: None)
    qtbot.wait(10)
'''


def test_an_exception_in_a_qt_callback_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_callbacks=RAISING_CALLBACKS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=4, errors=3)  # the check fails each in its teardown
    result.stdout.fnmatch_lines(["*1 exception(s) escaped a Qt slot, timer or event handler*",
                                 "*IndexError: raised in a callback*"])
