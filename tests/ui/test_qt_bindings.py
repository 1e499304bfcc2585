"""Guards against binding bugs that would crash the app after minutes of use."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter


def test_drawing_lines_keeps_none_alive(qapp: object) -> None:
    """PySide6 6.12.0 drops a reference to None on every QPainter.drawLine(QPointF, QPointF);
    on Python 3.11 the interpreter aborts ("deallocating None") after ~10k axis paints."""
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    a, b = QPointF(1, 1), QPointF(60, 60)
    before = sys.getrefcount(None)
    for _ in range(500):
        painter.drawLine(a, b)
    painter.end()
    assert sys.getrefcount(None) >= before - 50
