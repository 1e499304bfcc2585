"""Python's cyclic garbage collection, moved to the GUI thread.

The collector normally runs on whichever thread happens to allocate when a generation fills
up. The symbolic worker's dispatcher thread allocates a great deal (it unpickles results and
compiles them with lambdify), so it was often the one to collect the reference cycles that
widgets and pyqtgraph items form with their connected slots, destroying QObjects off the GUI
thread. Besides being unsafe, that deadlocks: the collecting thread holds Qt's connection
lock inside ~QObject and waits for the GIL to ask Python about an override, while the GUI
thread holds the GIL and waits for that lock in QObject::connect. The test suite hung so on
a busy machine (the GUI thread building a pane, the dispatcher in compile_function).

So automatic collection is switched off and a timer on the GUI thread collects instead, with
Python's own thresholds, the way pyqtgraph's GarbageCollector does.

A full collection walks every object the process holds: ~140,000 once the window is up
(modules, classes, sympy's caches, the panes' widgets), 64-83 ms on the GUI thread, the
longest stall while a student typed. Once start-up is over, :func:`freeze_start_up` moves
what exists then (long-lived by nature) out of the collector's sight, so later collections
walk only what was made since.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

#: How often the GUI thread looks whether a generation is due.
INTERVAL_MS = 100


class GuiThreadCollector(QObject):
    """Collects, on its timer, each generation whose count has passed its threshold."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(INTERVAL_MS)
        gc.disable()

    def collect_due(self) -> int:
        """Collect the oldest generation that is due (and so the younger ones); return how
        many unreachable objects were found. A generation is due when it and every younger
        one have passed their thresholds, as in Python's own collector."""
        due = -1
        for generation, (count, threshold) in enumerate(zip(gc.get_count(), self._thresholds)):
            if threshold == 0 or count <= threshold:
                break
            due = generation
        return gc.collect(due) if due >= 0 else 0


def collect_garbage_on_gui_thread() -> None:
    """From now on, collect garbage on the GUI thread only; once per application (later
    calls do nothing). Call it on the GUI thread once the QApplication exists."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() != app.thread():
        raise RuntimeError("call this on the GUI thread, once the QApplication exists")
    if app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app)


def freeze_start_up() -> None:
    """Collect once, then keep everything alive now out of later collections (gc.freeze).
    Call once the window has shown its first results; later calls do nothing."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()
