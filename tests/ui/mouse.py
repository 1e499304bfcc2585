"""Real mouse gestures on a pyqtgraph plot, sent as QMouseEvents to its viewport."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

#: Longer than pyqtgraph's default mouse rate limit (100 Hz).
MOVE_INTERVAL_MS = 12


def to_pixels(plot: pg.PlotWidget, x: float, y: float) -> QPointF:
    """Where the data point (x, y) is on the plot's viewport."""
    view = plot.getPlotItem().getViewBox()
    return QPointF(plot.mapFromScene(view.mapViewToScene(QPointF(x, y))))


def _send(plot: pg.PlotWidget, kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton,
          buttons: Qt.MouseButton) -> None:
    viewport = plot.viewport()
    QApplication.sendEvent(viewport, QMouseEvent(kind, pos, viewport.mapToGlobal(pos), button, buttons,
                                                 Qt.KeyboardModifier.NoModifier))


def drag(qtbot: QtBot, plot: pg.PlotWidget, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Press, move in steps and release with the left button, as a mouse does (pausing between
    moves: pyqtgraph drops moves that come faster than its mouse rate limit)."""
    a, b = to_pixels(plot, *start), to_pixels(plot, *end)
    _send(plot, QEvent.Type.MouseButtonPress, a, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    for k in range(1, 13):
        qtbot.wait(MOVE_INTERVAL_MS)
        _send(plot, QEvent.Type.MouseMove, a + (b - a) * (k / 12), Qt.MouseButton.NoButton,
              Qt.MouseButton.LeftButton)
    _send(plot, QEvent.Type.MouseButtonRelease, b, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    qtbot.wait(10)


def click(qtbot: QtBot, plot: pg.PlotWidget, at: tuple[float, float]) -> None:
    """A left click (press and release without moving) at the data point ``at``."""
    pos = to_pixels(plot, *at)
    _send(plot, QEvent.Type.MouseButtonPress, pos, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    _send(plot, QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    qtbot.wait(10)
