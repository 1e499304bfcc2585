"""Garbage is collected on the GUI thread only, so that no QObject dies on the runner's thread."""

from __future__ import annotations

import gc
import threading
import time

import pytest
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
    """Another thread keeps making garbage cycles (as the runner's thread does) until some
    have been freed: only the GUI thread's timer ever frees them. (A count of net allocations
    says when a generation is due, so a single batch might never be: other frees lower it.)"""
    Cycle.freed_on.clear()
    stop = threading.Event()

    def churn() -> None:
        for _ in range(500):  # at most 500,000 cycles, should nothing ever free them
            if stop.is_set():
                return
            for _ in range(1000):
                Cycle()
            time.sleep(0.01)  # let the GUI thread run its timer

    thread = threading.Thread(target=churn)
    thread.start()
    try:
        qtbot.waitUntil(lambda: bool(Cycle.freed_on), timeout=RESULT_TIMEOUT_MS)
    finally:
        stop.set()
        thread.join()
    assert Cycle.freed_on == {threading.main_thread().ident}


@pytest.mark.parametrize(("counts", "collected"), [
    ((700, 50, 50), None), ((701, 0, 0), 0), ((701, 11, 0), 1), ((701, 11, 11), 2), ((701, 10, 11), 0),
])
def test_the_oldest_due_generation_is_collected(counts: tuple[int, int, int], collected: int | None,
                                                worker: SymbolicWorker, monkeypatch: pytest.MonkeyPatch) -> None:
    """As Python's own collector decides (thresholds 700, 10, 10): a generation is due when
    it and every younger one have passed their thresholds."""
    (collector,) = QCoreApplication.instance().findChildren(GuiThreadCollector)
    generations: list[int] = []
    monkeypatch.setattr(gc, "get_count", lambda: counts)
    monkeypatch.setattr(gc, "collect", lambda generation=2: generations.append(generation) or 0)
    monkeypatch.setattr(collector, "_thresholds", (700, 10, 10))
    collector.collect_due()
    assert generations == ([] if collected is None else [collected])


def test_once_start_up_is_over_its_objects_are_out_of_later_collections(
        qtbot: QtBot, worker: SymbolicWorker) -> None:
    """A full collection walked ~140,000 objects (64-83 ms on the GUI thread, the longest
    stall while typing); once a window has its first results, what exists is frozen, so a
    collection walks only what was made since."""
    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow

    gc.unfreeze()  # what an earlier test's window froze: this one starts the count again
    assert gc.get_freeze_count() == 0
    win = MainWindow(SharedFunctions(), worker=worker)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.is_busy() and win._recording, timeout=RESULT_TIMEOUT_MS)  # noqa: SLF001
    frozen = gc.get_freeze_count()
    assert frozen > 50_000  # the modules, classes and widgets of start-up
    assert len(gc.get_objects()) < frozen / 5  # what a collection still walks
