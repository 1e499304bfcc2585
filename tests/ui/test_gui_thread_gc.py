"""Garbage is collected on the GUI thread only, so that no QObject dies on the runner's thread."""

from __future__ import annotations

import gc
import threading

from conftest import RESULT_TIMEOUT_MS
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from calcgui.ui.gui_thread_gc import GuiThreadCollector, collect_garbage_on_gui_thread
from calcgui.ui.worker_bridge import SymbolicWorker


class Cycle:
    """Garbage only the cyclic collector can free; it notes the thread that freed it."""

    freed_on: set[int] = set()

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.add(threading.get_ident())


def test_the_worker_moves_collection_to_the_gui_thread_once(worker: SymbolicWorker) -> None:
    collect_garbage_on_gui_thread()  # a second call changes nothing
    assert not gc.isenabled()
    assert len(QCoreApplication.instance().findChildren(GuiThreadCollector)) == 1


def test_cycles_made_on_another_thread_are_freed_on_the_gui_thread(qtbot: QtBot, worker: SymbolicWorker) -> None:
    Cycle.freed_on.clear()

    def churn() -> None:
        for _ in range(10 * gc.get_threshold()[0]):  # far past the youngest generation's threshold
            Cycle()

    thread = threading.Thread(target=churn)
    thread.start()
    thread.join()
    assert Cycle.freed_on == set()  # nothing collected where it was allocated
    qtbot.waitUntil(lambda: bool(Cycle.freed_on), timeout=RESULT_TIMEOUT_MS)
    assert Cycle.freed_on == {threading.main_thread().ident}
