"""A filled contour map of f(x, y): colour map, colour bar and labelled level lines, at a 1:1
aspect ratio. The Gradient pane's view and the Descent pane's map draw their overlays on it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from calcgui.core.contours import LevelLine, level_lines, nice_levels
from calcgui.core.display_range import robust_range

#: The view settles this long after a pan or zoom before the grid is recomputed.
RANGE_SETTLE_MS = 120
COLORMAP = "viridis"
LEVEL_COUNT = 12


class ContourMap(pg.PlotWidget):
    """Colour map + labelled level lines; ``clicked`` carries the data point of a left click,
    ``view_settled`` fires after the user panned or zoomed."""

    clicked = Signal(float, float)
    view_settled = Signal()

    def __init__(self, parent: QWidget | None = None, view_box: pg.ViewBox | None = None) -> None:
        super().__init__(parent, viewBox=view_box) if view_box is not None else super().__init__(parent)
        item = self.getPlotItem()
        item.setAspectLocked(True)
        item.setLabel("bottom", "x")
        item.setLabel("left", "y")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get(COLORMAP), interactive=False, width=14)
        self.colorbar.setImageItem(self.image, insert_in=item)
        self.levels = pg.PlotDataItem(pen=pg.mkPen((255, 255, 255, 170), width=1.2), connect="pairs")
        self.addItem(self.levels)
        self._level_labels: list[pg.TextItem] = []
        self.scene().sigMouseClicked.connect(self._scene_clicked)
        self._settle = QTimer(self, singleShot=True, interval=RANGE_SETTLE_MS)
        self._settle.timeout.connect(self.view_settled)
        item.getViewBox().sigRangeChangedManually.connect(self._panned_or_zoomed)
        #: the rectangle asked for by show_ranges, fitted again to each new size of the widget
        #: (the map keeps x and y at one scale) until the user pans or zooms
        self._wanted: tuple[tuple[float, float], tuple[float, float]] | None = None

    # -- the map ----------------------------------------------------------------------------
    def show_grid(self, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, *, log_colors: bool = False) -> tuple[float, float]:
        """Colour map and level lines of z[j, i] = f(xs[i], ys[j]); returns the colour range.

        ``log_colors`` colours by log10(f − min + ε): the only way to see the valley of a
        surface such as Rosenbrock, whose values span six decades.
        """
        shown = z
        if log_colors and np.isfinite(z).any():
            shown = np.log10(z - np.nanmin(z) + 1e-3)
        finite = shown[np.isfinite(shown)]
        lo, hi = robust_range([finite], pad=0.0) if finite.size else (0.0, 1.0)
        if not hi > lo:
            lo, hi = lo - 1.0, lo + 1.0
        dx, dy = (xs[-1] - xs[0]) / max(len(xs) - 1, 1), (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        self.image.setImage(np.clip(shown, lo, hi), autoLevels=False)
        self.image.setRect(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        self.colorbar.setLevels((lo, hi))
        self.colorbar.axis.setLabel("log₁₀(f − min)" if log_colors else "f(x, y)")
        levels = nice_levels(lo, hi, LEVEL_COUNT)
        if log_colors:  # level lines at round values of f, spaced evenly in the log colours
            floor = np.nanmin(z)
            self.set_level_lines(level_lines(xs, ys, shown, levels),
                                 names=[f"{10 ** lv + floor - 1e-3:.3g}" for lv in levels])
        else:
            self.set_level_lines(level_lines(xs, ys, z, levels))
        return lo, hi

    def set_level_lines(self, lines: list[LevelLine], names: list[str] | None = None) -> None:
        for label in self._level_labels:
            self.removeItem(label)
        self._level_labels = []
        segments = [line.segments.reshape(-1, 2) for line in lines if len(line.segments)]
        points = np.concatenate(segments) if segments else np.empty((0, 2))
        self.levels.setData(points[:, 0], points[:, 1])
        for k, line in enumerate(lines):
            spot = line.label_position()
            if spot is None:
                continue
            text = names[k] if names is not None else f"{line.level:g}"
            label = pg.TextItem(text, color="k", fill=pg.mkBrush(255, 255, 255, 200), anchor=(0.5, 0.5))
            label.setPos(*spot)
            label.setZValue(5)
            self.addItem(label)
            self._level_labels.append(label)

    def level_labels(self) -> list[str]:
        return [label.toPlainText() for label in self._level_labels]

    # -- the view ---------------------------------------------------------------------------
    def view_ranges(self) -> tuple[tuple[float, float], tuple[float, float]]:
        (x0, x1), (y0, y1) = self.getPlotItem().getViewBox().viewRange()
        return (x0, x1), (y0, y1)

    def shown_rectangle(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The rectangle this map is showing as a person chose it: the one asked for (which the
        widget's shape may pad on one side), or wherever they panned and zoomed to."""
        return self._wanted if self._wanted is not None else self.view_ranges()

    def show_ranges(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """Show this rectangle, centred and whole, now and whenever the widget is resized
        (a pane laid out later, a window of another shape), until the user pans or zooms."""
        self._wanted = (x_range, y_range)
        self.getPlotItem().getViewBox().setRange(xRange=x_range, yRange=y_range, padding=0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        wanted = self.__dict__.get("_wanted")  # None while the base class is being built
        if wanted is not None:
            self.getPlotItem().getViewBox().setRange(xRange=wanted[0], yRange=wanted[1], padding=0)

    def _panned_or_zoomed(self, *_: object) -> None:
        self._wanted = None
        self._settle.start()

    def _scene_clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.isAccepted():  # type: ignore[attr-defined]
            return
        view_box = self.getPlotItem().getViewBox()
        scene_pos = event.scenePos()  # type: ignore[attr-defined]
        if not view_box.sceneBoundingRect().contains(scene_pos):
            return
        pos: QPointF = view_box.mapSceneToView(scene_pos)
        self.clicked.emit(float(pos.x()), float(pos.y()))
