"""f(x, y) seen from above: a filled colour map with a colour bar, labelled level lines, the
point P the user clicks or drags, ∇f at P, the direction v̂ (its tip can be dragged round), the
two slice lines, the level line through P and, optionally, the gradient field.

The axes keep a 1:1 aspect ratio: without it the gradient would not look perpendicular to the
level line, which is the first thing a student should see here.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QWidget

from calcgui.core.contours import LevelLine
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.contour_map import ContourMap
from calcgui.ui.plot_style import BLUE, ORANGE, SKY, VERMILLION, brush, pen, style_target

ARROW_HEAD = 0.22  # arrowhead length as a fraction of the arrow


def arrow_segments(starts: np.ndarray, ends: np.ndarray, head: float = ARROW_HEAD,
                   min_head: float = 0.0) -> np.ndarray:
    """Shafts plus two-stroke heads as point pairs, shape (3m·2, 2), for ``connect="pairs"``."""
    starts, ends = np.atleast_2d(starts), np.atleast_2d(ends)
    vec = ends - starts
    length = np.linalg.norm(vec, axis=1, keepdims=True)
    size = np.maximum(head * length, min_head)
    unit = np.divide(vec, length, out=np.zeros_like(vec), where=length > 0)
    c, s = math.cos(math.radians(155)), math.sin(math.radians(155))
    left = ends + size * np.c_[c * unit[:, 0] - s * unit[:, 1], s * unit[:, 0] + c * unit[:, 1]]
    right = ends + size * np.c_[c * unit[:, 0] + s * unit[:, 1], -s * unit[:, 0] + c * unit[:, 1]]
    return np.stack([starts, ends, ends, left, ends, right], axis=1).reshape(-1, 2)


#: A press this close (pixels) to P or to v's tip grabs it; elsewhere a drag pans the view.
GRAB_RADIUS_PX = 14


class _HandleViewBox(pg.ViewBox):
    """A view box whose left drags move a handle (P or v's tip) when they start on one."""

    def __init__(self) -> None:
        super().__init__()
        self.handles: dict[str, pg.TargetItem] = {}
        self.on_handle_drag = lambda name, x, y: None
        self._grabbed: str | None = None

    def _handle_at(self, scene_pos: QPointF) -> str | None:
        for name, item in self.handles.items():
            if not item.isVisible():
                continue
            centre = self.mapViewToScene(item.pos())
            if (centre - scene_pos).manhattanLength() <= appearance().pixels(GRAB_RADIUS_PX) * 1.4:
                return name
        return None

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:  # noqa: N802 (Qt override)
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            super().mouseDragEvent(ev, axis)
            return
        if ev.isStart():  # type: ignore[attr-defined]
            self._grabbed = self._handle_at(ev.buttonDownScenePos())  # type: ignore[attr-defined]
        if self._grabbed is None:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()  # type: ignore[attr-defined]
        pos = self.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        self.on_handle_drag(self._grabbed, float(pos.x()), float(pos.y()))
        if ev.isFinish():  # type: ignore[attr-defined]
            self._grabbed = None


class ContourView(ContourMap):
    """The Gradient pane's map; emits what the user asked for, the pane decides and draws."""

    point_picked = Signal(float, float)      # a click on the map, or P dragged
    direction_dragged = Signal(float)        # the angle (radians) the v handle points at

    def __init__(self, parent: QWidget | None = None) -> None:
        self._view_box = _HandleViewBox()
        super().__init__(parent, view_box=self._view_box)
        self.clicked.connect(self.point_picked)
        self.field = pg.PlotDataItem(connect="pairs")
        self.addItem(self.field)
        self.level_through_p = pg.PlotDataItem(connect="pairs")
        self.addItem(self.level_through_p)
        self.x_slice = pg.PlotDataItem()
        self.y_slice = pg.PlotDataItem()
        self.gradient_arrow = pg.PlotDataItem(connect="pairs")
        self.direction_arrow = pg.PlotDataItem(connect="pairs")
        for overlay in (self.x_slice, self.y_slice, self.direction_arrow, self.gradient_arrow):
            self.addItem(overlay)
        self.point = pg.TargetItem(pos=(0, 0), movable=False, label="P")
        self.tip = pg.TargetItem(pos=(1, 0), movable=False, symbol="o")
        self.tip.setToolTip("Drag to turn the direction v")
        self.point.setToolTip("Drag P, or click anywhere on the map")
        self.point.setZValue(20)
        self.tip.setZValue(19)
        self.addItem(self.point)
        self.addItem(self.tip)
        self._p = (0.0, 0.0)
        self._view_box.handles = {"P": self.point, "tip": self.tip}
        self._view_box.on_handle_drag = self._handle_dragged
        follow(self, self._restyle_overlays)

    def _restyle_overlays(self) -> None:
        """Overlays drawn on the colour map: black outlines whatever the theme (the map's
        colours do not change with it), curve colours from the theme, zoomed widths."""
        black = "#000000"
        self.field.setPen(pen("#282828", 1.3, alpha=190))
        self.level_through_p.setPen(pen(black, 2.5, Qt.PenStyle.DashLine))
        self.x_slice.setPen(pen(ORANGE, 2.5, Qt.PenStyle.DashDotLine))
        self.y_slice.setPen(pen(SKY, 2.5, Qt.PenStyle.DashDotLine))
        self.gradient_arrow.setPen(pen(VERMILLION, 4))
        self.direction_arrow.setPen(pen(BLUE, 4))
        style_target(self.point, 16, pen(black, 2), brush(VERMILLION))
        style_target(self.tip, 13, pen(black, 1.5), brush(BLUE))

    # -- public -----------------------------------------------------------------------------
    def set_point(self, x: float, y: float) -> None:
        self._p = (x, y)
        self.point.setPos(QPointF(x, y))

    def set_level_through_point(self, line: LevelLine | None) -> None:
        points = line.segments.reshape(-1, 2) if line is not None and len(line.segments) else np.empty((0, 2))
        self.level_through_p.setData(points[:, 0], points[:, 1])

    def set_slices(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """The lines y = y0 (the slice f(x, y0)) and x = x0 (the slice f(x0, y)) through P."""
        x0, y0 = self._p
        self.x_slice.setData(list(x_range), [y0, y0])
        self.y_slice.setData([x0, x0], list(y_range))

    def set_gradient_arrow(self, end: tuple[float, float] | None) -> None:
        self._set_arrow(self.gradient_arrow, end)

    def set_direction_arrow(self, end: tuple[float, float] | None) -> None:
        self._set_arrow(self.direction_arrow, end)
        if end is not None:
            self.tip.setPos(QPointF(*end))
        self.tip.setVisible(end is not None)

    def set_field(self, segments: np.ndarray | None) -> None:
        if segments is None or not len(segments):
            self.field.setData([], [])
            return
        points = arrow_segments(segments[:, 0], segments[:, 1], head=0.3)
        self.field.setData(points[:, 0], points[:, 1])

    # -- drawing ----------------------------------------------------------------------------
    def _set_arrow(self, item: pg.PlotDataItem, end: tuple[float, float] | None) -> None:
        if end is None:
            item.setData([], [])
            return
        points = arrow_segments(np.array(self._p), np.array(end))
        item.setData(points[:, 0], points[:, 1])

    # -- interaction --------------------------------------------------------------------------
    def _handle_dragged(self, name: str, x: float, y: float) -> None:
        if name == "P":
            self.point_picked.emit(x, y)
            return
        dx, dy = x - self._p[0], y - self._p[1]
        if dx or dy:
            self.direction_dragged.emit(math.atan2(dy, dx))
