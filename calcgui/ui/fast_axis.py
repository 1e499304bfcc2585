"""Grid lines filled as rows of pixels: the same pixels as pyqtgraph's, 100 times as fast.

pyqtgraph draws an axis's ticks and grid lines with ``QPainter.drawLine`` and a translucent
pen (the grid is 25 % of the axis colour). Qt's raster engine draws a translucent line pixel by
pixel: 18 horizontal grid lines across a 650-pixel plot cost 3.8 ms (0.08 ms with an opaque
pen), and an axis's picture is replayed on every repaint of its plot (the Derivative plot's
axes: 3.5-6.6 ms of a 10-20 ms repaint). A thin line at y covers the pixel row floor(y) from
floor(x₀) to floor(x₁); filling exactly those pixels with the same colour blends them the
same way, as one span: 0.02 ms.

Such lines (exactly horizontal or vertical, a solid, square-capped cosmetic pen at most a
pixel wide) are kept out of the axis's recorded picture and filled when it is painted, in
device pixels, so that wherever the axis sits (layouts put axes at fractions of a pixel, and
a pixmap cache draws them at yet another offset) they land where pyqtgraph's would. Under a
painter that scales or rotates (a high-DPI screen), or one that does not paint pixels (an SVG
export), they are drawn as lines, as before.
tests/ui/test_fast_axis.py compares plots pixel for pixel with pyqtgraph's own drawing.
"""

from __future__ import annotations

import math
from types import MethodType

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEngine, QPen, QPicture, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

#: pyqtgraph versions whose ``AxisItem.paint`` :func:`paint_axis` follows.
VERIFIED_VERSIONS = frozenset({"0.14.0"})

#: An axis's fillable lines: colour, pen (for painters that scale) and the line.
FilledLine = tuple[QColor, QPen, QLineF]


def fillable(pen: QPen, start: QPointF, end: QPointF) -> bool:
    """Whether a tick from ``start`` to ``end`` drawn with ``pen`` is one row or column of
    pixels that :func:`pixels_of_line` can name."""
    axis_aligned = start.x() == end.x() or start.y() == end.y()
    return (axis_aligned and pen.isCosmetic() and pen.widthF() <= 1.0 and pen.style() == Qt.PenStyle.SolidLine
            and pen.capStyle() == Qt.PenCapStyle.SquareCap and pen.brush().style() == Qt.BrushStyle.SolidPattern)


def pixels_of_line(line: QLineF, device: QTransform) -> QRect:
    """The device pixels a thin axis-aligned ``line`` covers under a translation: from the
    floor of one end to the floor of the other, on the floor of its row or column."""
    x0, x1 = sorted((math.floor(line.x1() + device.dx()), math.floor(line.x2() + device.dx())))
    y0, y1 = sorted((math.floor(line.y1() + device.dy()), math.floor(line.y2() + device.dy())))
    return QRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1)


def _clear_of_edges(start: QPointF, end: QPointF, bounds: QRectF) -> bool:
    """Whether an axis-aligned line lies a pixel or more inside the item's bounds across its
    length: on the edge itself (the first tick of a range), Qt's clipping of a line differs
    from a fill's by a pixel, and such a line is drawn as pyqtgraph draws it."""
    if start.y() == end.y():
        return bounds.top() + 1 <= start.y() <= bounds.bottom() - 1
    return bounds.left() + 1 <= start.x() <= bounds.right() - 1


def paint_axis(axis: pg.AxisItem, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None) -> None:
    """pyqtgraph's ``AxisItem.paint``, with the fillable lines filled in device pixels."""
    if axis.picture is None:
        picture = QPicture()
        painter = QPainter(picture)
        filled: list[FilledLine] = []
        try:
            if axis.style["tickFont"]:
                painter.setFont(axis.style["tickFont"])
            specs = axis.generateDrawSpecs(painter)
            if specs is not None:
                axis_spec, ticks, texts = specs
                bounds = axis.boundingRect()
                drawn = []
                for pen, start, end in ticks:
                    if fillable(pen, start, end) and _clear_of_edges(start, end, bounds):
                        filled.append((pen.color(), QPen(pen), QLineF(start, end)))
                    else:
                        drawn.append((pen, start, end))
                axis.drawPicture(painter, axis_spec, drawn, texts)
        finally:
            painter.end()
        axis.picture = picture
        axis._filled_lines = filled
    axis.picture.play(p)  # the axis line, the other ticks and the labels
    device = p.deviceTransform()
    translation_only = device.type() in (QTransform.TransformationType.TxNone, QTransform.TransformationType.TxTranslate)
    on_pixels = translation_only and p.paintEngine().type() == QPaintEngine.Type.Raster  # not an SVG export
    p.save()
    try:
        if on_pixels:  # name device pixels, fill them in the painter's own coordinates
            for color, _pen, line in axis._filled_lines:
                p.fillRect(QRectF(pixels_of_line(line, device)).translated(-device.dx(), -device.dy()), color)
        else:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            for _color, pen, line in axis._filled_lines:
                p.setPen(pen)
                p.drawLine(line)
    finally:
        p.restore()  # an unbalanced painter crashes Qt


def use_fast_grid(axis: pg.AxisItem) -> None:
    """Paint ``axis`` with :func:`paint_axis`, if this pyqtgraph's painting was checked
    against it; safe to call again."""
    if pg.__version__ in VERIFIED_VERSIONS and "paint" not in vars(axis):
        axis._filled_lines = []
        axis.paint = MethodType(paint_axis, axis)  # type: ignore[method-assign]
        axis.picture = None
        axis.update()


def use_stock_drawing(axis: pg.AxisItem) -> None:
    """Back to pyqtgraph's own painting of ``axis`` (for the test that compares both)."""
    if vars(axis).pop("paint", None) is not None:
        axis.picture = None
        axis.update()

