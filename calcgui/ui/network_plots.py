"""The network mode's three plots: the loss per step, the decision boundary over the data, and
‖δ‖ per layer on a log axis (vanishing and exploding gradients).

Each plot draws numbers it is given (from :mod:`calcgui.ui.network_run`) into items made once;
updating replaces their data, so a training run adds no items. Values that cannot go on a log
axis (0, inf, NaN) are masked before drawing: numpy would warn about their logarithm.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from calcgui.core.backprop import DecisionGrid
from calcgui.core.contours import level_lines
from calcgui.ui.log_axis import LogAxis
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import BLUE, GREEN, VERMILLION, colour, pen, restyle_plot, style_plot

__all__ = ["BoundaryPlot", "DeltaNormPlot", "LossPlot", "positive"]

#: The boundary image: class 0's colour (blue) through white to class 1's (vermillion), pale
#: so that the points and the boundary line stand out on it.
_BOUNDARY_COLOURS = [(166, 206, 233), (255, 255, 255), (244, 190, 160)]


def positive(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """``values`` with everything a log axis cannot show (≤ 0, inf, NaN) as NaN."""
    array = np.asarray(values, dtype=np.float64)
    keep = np.isfinite(array) & (array > 0)
    return np.where(keep, array, np.nan)


def _style(plot: pg.PlotWidget, bottom: str, left: str) -> None:
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.showGrid(x=True, y=True, alpha=0.25)
    for side in ("left", "bottom"):
        item.getAxis(side).enableAutoSIPrefix(False)  # "×0.001" on a log axis misleads
    item.setLabel("bottom", bottom)
    item.setLabel("left", left)
    style_plot(plot)  # sizes and colours from the zoom and the theme


class LossPlot(pg.PlotWidget):
    """The loss after each step, on a log axis (a falling loss spans decades)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"left": LogAxis("left")})  # labels that never overlap
        _style(self, "step", "loss")
        self.getPlotItem().setLogMode(y=True)
        self.curve = self.plot(connect="finite")
        follow(self, lambda: self.curve.setPen(pen(GREEN)))

    def show_history(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """The curve, framed from step 0 to at least step 10 (one point alone frames oddly)."""
        self.curve.setData(steps, positive(losses))
        view = self.getPlotItem().getViewBox()
        view.setXRange(0.0, max(10.0, float(steps[-1]) if len(steps) else 0.0), padding=0.02)
        view.enableAutoRange(axis="y")


class BoundaryPlot(pg.PlotWidget):
    """The network's output over the plane (pale blue: class 0, pale vermillion: class 1), its
    decision boundary at output ½, and the data points, circles for class 0 and squares for
    class 1 (the shape tells the class without colour)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _style(self, "x₁", "x₂")
        item = self.getPlotItem()
        item.setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(pg.ColorMap([0.0, 0.5, 1.0], _BOUNDARY_COLOURS).getLookupTable(nPts=256))
        self.image.setZValue(-10)
        self.addItem(self.image)
        # the boundary from the core's vectorised level lines (pyqtgraph's IsocurveItem walks
        # the grid in Python: about 50 ms for 101², on the UI thread)
        self.boundary = pg.PlotDataItem(connect="pairs")
        self.boundary.setZValue(5)
        self.addItem(self.boundary)
        self.points = [pg.ScatterPlotItem(symbol=symbol) for symbol in ("o", "s")]
        for points in self.points:
            points.setZValue(10)
            self.addItem(points)
        self.grid: DecisionGrid | None = None
        follow(self, self._restyle)

    def _restyle(self) -> None:
        """On the pale image: black lines and outlines whatever the theme; zoomed sizes."""
        self.boundary.setPen(pen("#000000", 2.5))
        for points, color in zip(self.points, (BLUE, VERMILLION)):
            points.setBrush(pg.mkBrush(colour(color)))
            points.setPen(pen("#000000", 1))
            points.setSize(appearance().pixels(11))

    def show_data(self, X: np.ndarray, y: np.ndarray) -> None:  # noqa: N803 (the data matrix's usual name)
        for label, points in enumerate(self.points):
            rows = X[y == label]
            points.setData(rows[:, 0], rows[:, 1])

    def show_grid(self, grid: DecisionGrid) -> None:
        """The output of ``grid`` (one output unit), clipped to [0, 1], and its ½ contour."""
        self.grid = grid
        shown = np.clip(np.nan_to_num(grid.outputs[:, :, 0], nan=0.5, posinf=1.0, neginf=0.0), 0.0, 1.0)
        xs, ys = grid.xs, grid.ys
        dx, dy = (xs[-1] - xs[0]) / (len(xs) - 1), (ys[-1] - ys[0]) / (len(ys) - 1)
        self.image.setImage(shown, levels=(0.0, 1.0), autoLevels=False)
        self.image.setRect(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        line = level_lines(xs, ys, shown, [grid.level if grid.level is not None else 0.5])[0]
        points = line.segments.reshape(-1, 2)
        self.boundary.setData(points[:, 0], points[:, 1])

    def frame(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        self.getPlotItem().getViewBox().setRange(xRange=x_range, yRange=y_range, padding=0)


class DeltaNormPlot(pg.PlotWidget):
    """‖δ‖ per layer (1 = first hidden layer … L = output) on a log axis: this network's now,
    and with ``compare`` on, sigmoid's and ReLU's at initial weights made for each (Glorot's,
    He's) for the same depth and seed, so vanishing gradients show as a curve falling towards
    layer 1."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"left": LogAxis("left")})
        _style(self, "layer (last = output)", "‖δ‖")
        item = self.getPlotItem()
        item.setLogMode(y=True)
        self.legend = item.addLegend(offset=(-10, -10))
        self.current = self.plot(symbol="o", name="this network", connect="finite")
        self.sigmoid = self.plot(symbol="t", name="sigmoid, Glorot init", connect="finite")
        self.relu = self.plot(symbol="s", name="ReLU, He init", connect="finite")
        self.norms: dict[str, tuple[float, ...]] = {}
        restyle_plot(self)  # the legend, made after _style
        follow(self, self._restyle)

    def _restyle(self) -> None:
        curves = ((self.current, GREEN, Qt.PenStyle.SolidLine), (self.sigmoid, BLUE, Qt.PenStyle.DashLine),
                  (self.relu, VERMILLION, Qt.PenStyle.DashDotLine))
        for curve, color, dash in curves:
            curve.setPen(pen(color, style=dash))
            curve.setSymbolBrush(colour(color))
            curve.setSymbolSize(appearance().pixels(9))

    def show_norms(self, current: Sequence[float], sigmoid: Sequence[float] | None = None,
                   relu: Sequence[float] | None = None) -> None:
        """Draw the curves; ``sigmoid`` and ``relu`` None hide the comparison."""
        self.norms = {"current": tuple(current)}
        for name, curve, norms in (("current", self.current, current), ("sigmoid", self.sigmoid, sigmoid),
                                   ("relu", self.relu, relu)):
            if norms is None:
                curve.setData([], [])
                curve.hide()
                self._legend_visible(curve, False)
                continue
            self.norms[name] = tuple(norms)
            curve.setData(np.arange(1, len(norms) + 1, dtype=np.float64), positive(norms))
            curve.show()
            self._legend_visible(curve, True)
        self.getPlotItem().getAxis("bottom").setTicks([[(k, str(k)) for k in range(1, len(current) + 1)]])

    def _legend_visible(self, curve: pg.PlotDataItem, visible: bool) -> None:
        listed = any(sample.item is curve for sample, _label in self.legend.items)
        if visible and not listed:
            self.legend.addItem(curve, curve.name())
        elif not visible and listed:
            self.legend.removeItem(curve)
