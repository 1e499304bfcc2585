"""Fixtures for driving the real window with qtbot: one warm worker serves all UI tests."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from types import TracebackType

import pytest
from PySide6.QtCore import QStandardPaths
from pytestqt.qtbot import QtBot

from calcgui.state import SharedFunctions
from calcgui.ui.main_window import MainWindow
from calcgui.ui.plot_style import configure_pyqtgraph
from calcgui.ui.worker_bridge import SymbolicWorker

#: Generous: a cold worker on a loaded CI machine still answers well inside this.
RESULT_TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def no_exception_escapes_qt() -> Iterator[None]:
    """Fail the test if an exception escaped a slot, a timer or an event handler.

    PySide6 hands such an exception to ``sys.excepthook`` and carries on, so in the app it is
    a traceback on stderr and a half-drawn pane: the issue "never raise in an event handler"
    wants each one to be a failing test. pytest-qt's own capture does this too (slots of
    Python- and C++-emitted signals, QTimer callbacks; overrides of virtuals raise in the
    caller), but it can be switched off per test or per run (``qt_no_exception_capture``);
    this check cannot, and it is installed over pytest-qt's hook for the test's duration.
    """
    caught: list[tuple[type[BaseException], BaseException, TracebackType | None]] = []
    previous = sys.excepthook

    def collect(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        caught.append((kind, value, tb))
        traceback.print_exception(kind, value, tb, file=sys.stderr)

    sys.excepthook = collect
    try:
        yield
    finally:
        sys.excepthook = previous
    if caught:
        count = len(caught)
        report = "".join("".join(traceback.format_exception(kind, value, tb)) for kind, value, tb in caught)
        caught.clear()  # do not keep the frames (and their widgets) alive
        pytest.fail(f"{count} exception(s) escaped a Qt slot, timer or event handler:\n{report}", pytrace=False)


@pytest.fixture(scope="session")
def worker(qapp: object) -> Iterator[SymbolicWorker]:
    QStandardPaths.setTestModeEnabled(True)  # no test reads or writes the user's own session
    configure_pyqtgraph()
    w = SymbolicWorker()
    yield w
    w.close()


@pytest.fixture
def window(qtbot: QtBot, worker: SymbolicWorker) -> Iterator[MainWindow]:
    win = MainWindow(SharedFunctions(), worker=worker)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=RESULT_TIMEOUT_MS)
    yield win


def settle(qtbot: QtBot, win: MainWindow) -> None:
    """Wait until every pane has its results (typeset included)."""
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=RESULT_TIMEOUT_MS)


def settle_on(qtbot: QtBot, win: MainWindow, text: str) -> None:
    """Wait until the Derivative pane shows the results (or the error) for ``text``."""
    pane = win.panes["derivative"]
    qtbot.waitUntil(lambda: pane.settled_text == text and not win.is_busy(), timeout=RESULT_TIMEOUT_MS)
