"""Secant → tangent pane: drag → redraw latency.

Sends real mouse-move events that drag P along x^3 - x, and times each from the event to
the plot (curve, P, Q, secant, tangent) having been repainted, offscreen, software raster.
The table and the error plot refresh at most every 80 ms while dragging; their refresh is
timed separately.

    .venv/bin/python bench/bench_tangent_drag.py [moves] [--json]
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_support import count_argument, open_pane, p95, print_json, wants_json  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from calcgui.ui.panes.tangent import TangentPane  # noqa: E402


@dataclass(frozen=True)
class DragTimes:
    """Milliseconds per mouse move (the first 5 left out) and per coalesced refresh."""

    x_from: float
    x_to: float
    redraw: list[float]
    refresh: list[float]


def measure_drag(moves: int) -> DragTimes:
    app, window = open_pane("tangent", "x^3 - x")
    pane = window.panes["tangent"]
    assert isinstance(pane, TangentPane)
    for _ in range(20):
        QCoreApplication.processEvents()
    pane.set_x0(-1.5)
    plot, view, viewport = pane.plot, pane.plot.getViewBox(), pane.plot.viewport()

    def pixels(x: float, y: float) -> QPointF:
        return QPointF(plot.mapFromScene(view.mapViewToScene(QPointF(x, y))))

    def send(kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        QApplication.sendEvent(viewport, QMouseEvent(kind, pos, viewport.mapToGlobal(pos), button, buttons,
                                                     Qt.KeyboardModifier.NoModifier))

    (px, py), _ = plot.points()
    start = pixels(px, py)
    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    latencies, secondary = [], []
    for k in range(1, moves + 1):
        target = QPointF(start.x() + 300 * k / moves, start.y())
        began = time.perf_counter()
        send(QEvent.Type.MouseMove, target, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
        viewport.repaint()
        latencies.append((time.perf_counter() - began) * 1000)
        if k % 10 == 0:  # what the coalesced refresh costs when it fires
            began = time.perf_counter()
            pane.flush()
            pane.errors.viewport().repaint()
            pane.table.viewport().repaint()
            secondary.append((time.perf_counter() - began) * 1000)
    send(QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    handled = [lat for lat in latencies[5:]]
    result = DragTimes(px, pane.x0, handled, secondary)
    window.worker.close()
    del app
    return result


def main() -> None:
    times = measure_drag(count_argument(200))
    if wants_json():
        print_json(times)
        return
    handled, secondary = times.redraw, times.refresh
    print(f"drag → redraw over {len(handled)} mouse moves (P dragged from x0 = {times.x_from:.2f} to {times.x_to:.2f})")
    print(f"  median {statistics.median(handled):.1f} ms   p95 {p95(handled):.1f} ms   (goal median ≤ 8 ms)")
    print(f"  table + error plot refresh (≤ every 80 ms while dragging): median "
          f"{statistics.median(secondary):.1f} ms   p95 {p95(secondary):.1f} ms")


if __name__ == "__main__":
    main()
