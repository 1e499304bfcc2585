"""A filled contour map of f(x, y): colour map, colour bar and labelled level lines, at a 1:1
aspect ratio. The Gradient pane's view and the Descent pane's map draw their overlays on it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from calcgui.core.contours import LevelLine, level_lines, log_levels, nice_levels
from calcgui.core.label_placement import place_labels
from calcgui.core.display_range import robust_range
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import label_fill, style_plot

#: The view settles this long after a pan or zoom before the grid is recomputed.
RANGE_SETTLE_MS = 120
COLORMAP = "viridis"
LEVEL_COUNT = 12
#: log colours show log10(f − min + LOG_EPSILON): the minimum itself has no logarithm.
LOG_EPSILON = 1e-3


def log_bar_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Ticks of a colour bar that shows log10(f − min + ε), at whole decades of f − min and
    named by those values (0.01, 1, 100, 10⁴), not by their logarithms."""
    ticks = []
    for k in range(math.floor(lo) - 1, math.ceil(hi) + 2):
        value = math.log10(10.0 ** k + LOG_EPSILON)
        if lo <= value <= hi and 10.0 ** k > LOG_EPSILON / 2:
            ticks.append((value, f"{10.0 ** k:g}" if -3 <= k <= 4 else f"10{str(k).translate(_SUPERSCRIPT)}"))
    return ticks


def level_name(value: float) -> str:
    """A level as a person writes it: 1000 and 0.003, not 1e+03 and 3e-03."""
    return f"{value:.6g}" if 1e-4 <= abs(value) < 1e6 else f"{value:.3g}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


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
        self.colorbar.axis.enableAutoSIPrefix(False)  # values as they are: no "(x0.001)"
        self.levels = pg.PlotDataItem(connect="pairs")
        self.addItem(self.levels)
        self._level_labels: list[pg.TextItem] = []
        self._lines: list[LevelLine] = []
        self._placed_for: tuple[object, ...] | None = None
        self._extent: tuple[tuple[float, float], tuple[float, float]] | None = None
        #: (xs, ys, z) of the map shown: its values, which the colours only approximate (exports)
        self.grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.scene().sigMouseClicked.connect(self._scene_clicked)
        self._settle = QTimer(self, singleShot=True, interval=RANGE_SETTLE_MS)
        self._settle.timeout.connect(self.view_settled)
        item.getViewBox().sigRangeChangedManually.connect(self._panned_or_zoomed)
        item.getViewBox().sigRangeChanged.connect(lambda *_: self.place_level_labels())
        item.getViewBox().sigResized.connect(lambda *_: self.place_level_labels())
        #: the rectangle asked for by show_ranges, fitted again to each new size of the widget
        #: (the map keeps x and y at one scale) until the user pans or zooms
        self._wanted: tuple[tuple[float, float], tuple[float, float]] | None = None
        style_plot(self)
        follow(self, self._restyle_map)

    def _restyle_map(self) -> None:
        """Level lines a little see-through white on any colour map, at the zoomed width; the
        labels (restyled with the plot) take new room, so they are placed again."""
        self.levels.setPen(pg.mkPen((255, 255, 255, 170), width=appearance().pen_width(1.2)))
        self._placed_for = None
        self.place_level_labels()

    # -- the map ----------------------------------------------------------------------------
    def show_grid(self, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, *, log_colors: bool = False) -> tuple[float, float]:
        """Colour map and level lines of z[j, i] = f(xs[i], ys[j]); returns the colour range.

        ``log_colors`` colours by log10(f − min + ε): the only way to see the valley of a
        surface such as Rosenbrock, whose values span six decades. Its level lines are still
        at round values of f, and its colour bar is labelled in f − min.
        """
        self.grid = (xs, ys, z)
        shown = z
        floor = float(np.nanmin(z)) if np.isfinite(z).any() else 0.0
        if log_colors and np.isfinite(z).any():
            with np.errstate(all="ignore"):
                shown = np.log10(z - floor + LOG_EPSILON)
        finite = shown[np.isfinite(shown)]
        lo, hi = robust_range([finite], pad=0.0) if finite.size else (0.0, 1.0)
        if not hi > lo:
            lo, hi = lo - 1.0, lo + 1.0
        dx, dy = (xs[-1] - xs[0]) / max(len(xs) - 1, 1), (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        self.image.setImage(np.clip(shown, lo, hi), autoLevels=False)
        self.image.setRect(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        self._extent = ((float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1])))
        self.colorbar.setLevels((lo, hi))
        if log_colors:
            self.colorbar.axis.setLabel("f − min (log scale)")
            self.colorbar.axis.setTicks([log_bar_ticks(lo, hi)])
            above = log_levels(max(10 ** lo - LOG_EPSILON, LOG_EPSILON), 10 ** hi - LOG_EPSILON, LEVEL_COUNT)
            # at round values of f itself where the minimum is ~0 (it is, on every preset)
            offset = 0.0 if len(above) and abs(floor) < 0.5 * above[0] else floor
            levels = above + offset
            levels = levels[levels > floor]
            self.set_level_lines(level_lines(xs, ys, z, levels), names=[level_name(lv) for lv in levels])
        else:
            self.colorbar.axis.setLabel("f(x, y)")
            self.colorbar.axis.setTicks(None)  # pyqtgraph's own, at the values as they are
            self.set_level_lines(level_lines(xs, ys, z, nice_levels(lo, hi, LEVEL_COUNT)))
        return lo, hi

    def set_level_lines(self, lines: list[LevelLine], names: list[str] | None = None) -> None:
        """Draw the lines; label those whose label has room (see :meth:`place_level_labels`)."""
        for label in self._level_labels:
            self.removeItem(label)
        self._level_labels = []
        self._lines = [line for line in lines if len(line.segments)]
        segments = [line.segments.reshape(-1, 2) for line in self._lines]
        points = np.concatenate(segments) if segments else np.empty((0, 2))
        self.levels.setData(points[:, 0], points[:, 1])
        for k, line in enumerate(lines):
            if not len(line.segments):
                continue
            text = names[k] if names is not None else f"{line.level:g}"
            label = pg.TextItem(text, color=appearance().theme.plot_foreground, fill=label_fill(), anchor=(0.5, 0.5))
            label.setFont(appearance().font("plot_label"))
            label.setZValue(5)
            label.setVisible(False)
            self.addItem(label)
            self._level_labels.append(label)
        self._placed_for = None
        self.place_level_labels()

    def place_level_labels(self) -> None:
        """Show the labels that fit: none overlapping another, none across the map's edge.

        Runs when the lines change and when the map's scale or extent does (a resize, a
        zoom), since a label's size in data units depends on both; not when it merely
        repaints, so a race's frames cost nothing here."""
        view_box = self.getPlotItem().getViewBox()
        pixel = view_box.viewPixelSize()
        ranges = self.view_ranges()
        key = (round(float(pixel[0]), 12), round(float(pixel[1]), 12))
        if key == self._placed_for and self._labels_inside():
            return  # the same scale, merely panned, every label still in view: leave them
        if not all(np.isfinite(p) and p > 0 for p in pixel) or view_box.width() < 2 or view_box.height() < 2:
            return  # not laid out yet: placed at the first resize
        self._placed_for = key
        sizes = []
        for label in self._level_labels:
            rect = label.boundingRect()
            sizes.append((rect.width() * float(pixel[0]), rect.height() * float(pixel[1])))
        (x0, x1), (y0, y1) = ranges
        if self._extent is not None:  # on the map itself, not on the blank around it
            (gx0, gx1), (gy0, gy1) = self._extent
            x0, x1, y0, y1 = max(x0, gx0), min(x1, gx1), max(y0, gy0), min(y1, gy1)
        spots = place_labels([line.segments for line in self._lines], sizes, ((x0, x1), (y0, y1)))
        for label, spot in zip(self._level_labels, spots):
            if spot is not None:
                label.setPos(*spot)
            label.setVisible(spot is not None)

    def _labels_inside(self) -> bool:
        frame = self.getPlotItem().getViewBox().sceneBoundingRect()
        return all(frame.contains(label.sceneBoundingRect()) for label in self.shown_level_labels())

    def level_labels(self) -> list[str]:
        """The texts of the labels shown."""
        return [label.toPlainText() for label in self._level_labels if label.isVisible()]

    def shown_level_labels(self) -> list[pg.TextItem]:
        return [label for label in self._level_labels if label.isVisible()]

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
