"""Fixtures for driving the real window with qtbot: one warm worker serves all UI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths
from pytestqt.qtbot import QtBot

from calcgui.state import SharedFunctions
from calcgui.ui.main_window import MainWindow
from calcgui.ui.plot_style import configure_pyqtgraph
from calcgui.ui.worker_bridge import SymbolicWorker

#: Generous: a cold worker on a loaded CI machine still answers well inside this.
RESULT_TIMEOUT_MS = 20_000


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
