"""The small plots of the Gradient pane: the two slices with their tangent lines (the partial
derivatives as slopes), and D_v f against the direction's angle."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from calcgui.core.display_range import robust_range, steady_range
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import BLUE, GREY, VERMILLION, cache_axes, colour, label_fill, pen, style_plot


class SlicePlot(pg.PlotWidget):
    """One slice of the surface, such as f(x, y0), with its tangent line at P.

    The tangent's slope is the partial derivative: that is all a partial derivative is.
    """

    def __init__(self, title: str, axis: str, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = color
        item = self.getPlotItem()
        item.setTitle(title)
        item.setLabel("bottom", axis)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setMenuEnabled(False)
        self.curve = item.plot()
        self.tangent = item.plot()
        self.marker = item.plot(symbol="o", pen=None)
        self.slope_label = pg.TextItem(anchor=(0, 0), fill=label_fill())
        self.slope_label.setParentItem(item.getViewBox())
        self.slope_label.setPos(6, 4)
        self.slope = float("nan")
        self._shown_y: tuple[float, float] | None = None
        cache_axes(self)
        style_plot(self)
        follow(self, self._restyle)

    def reframe(self) -> None:
        """Frame the next slice exactly (a new function or view), not within the last frame."""
        self._shown_y = None

    def _restyle(self) -> None:
        self.curve.setPen(pen(self._color))
        self.tangent.setPen(pen("k", 2, Qt.PenStyle.DashLine))
        self.marker.setSymbolBrush(colour(VERMILLION))
        self.marker.setSymbolPen(pen("k", 1))
        self.marker.setSymbolSize(appearance().pixels(11))

    def show_slice(self, s: np.ndarray, values: np.ndarray, s0: float, f0: float, slope: float,
                   slope_text: str) -> None:
        self.slope = slope
        values = np.where(np.isfinite(values), values, np.nan)  # undefined or infinite: a gap
        self.curve.setData(s, values, connect="finite")
        self.marker.setData(*(([s0], [f0]) if math.isfinite(f0) else ([], [])))
        if math.isfinite(slope) and math.isfinite(f0):
            self.tangent.setData(s[[0, -1]], f0 + slope * (s[[0, -1]] - s0))
        else:
            self.tangent.setData([], [])
        self.slope_label.setText(slope_text)
        # finite values only: ±inf never sets a range; while P moves, the frame stays if it fits
        self._shown_y = steady_range(self._shown_y, robust_range([values, np.array([f0])]))
        view_box = self.getPlotItem().getViewBox()
        view_box.setRange(xRange=(s[0], s[-1]), yRange=self._shown_y, padding=0)


class DirectionalPlot(pg.PlotWidget):
    """D_v f against the angle of v̂: a cosine whose peak |∇f| sits at ∇f's angle and whose
    zeros sit along the level line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.getPlotItem()
        item.setTitle("D<sub>v</sub>f = ∇f·v against the angle of v")
        item.setLabel("bottom", "angle of v (degrees)")
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setMenuEnabled(False)
        item.getAxis("bottom").setTicks([[(a, f"{a}°") for a in range(-180, 181, 90)]])
        self.curve = item.plot()
        self.peak = pg.InfiniteLine(angle=90, label="along ∇f", labelOpts={"position": 0.9})
        self.zeros = [pg.InfiniteLine(angle=90, label="level line", labelOpts={"position": 0.12}) for _ in range(2)]
        self.maximum = pg.InfiniteLine(angle=0, label="|∇f|", labelOpts={"position": 0.05})
        for line in (self.peak, *self.zeros, self.maximum):
            item.addItem(line)
        self.marker = item.plot(symbol="o", pen=None)
        self._shown_y: tuple[float, float] | None = None
        cache_axes(self)
        style_plot(self)
        follow(self, self._restyle)

    def reframe(self) -> None:
        """Frame the next curve exactly (a new function or view), not within the last frame."""
        self._shown_y = None

    def _restyle(self) -> None:
        """Lines in the theme's colours, their labels in the same colours made readable."""
        theme = appearance().theme
        self.curve.setPen(pen(BLUE))
        lines = ((self.peak, VERMILLION, 2, Qt.PenStyle.DashLine), (self.maximum, VERMILLION, 1, Qt.PenStyle.DotLine),
                 *((zero, GREY, 1.5, Qt.PenStyle.DotLine) for zero in self.zeros))
        for line, color, width, dash in lines:
            line.setPen(pen(color, width, dash))
            line.label.setColor(theme.plot_ink(color))
        self.marker.setSymbolBrush(colour(BLUE))
        self.marker.setSymbolPen(pen("k", 1))
        self.marker.setSymbolSize(appearance().pixels(12))

    def show_curve(self, degrees: np.ndarray, values: np.ndarray, norm: float, gradient_degrees: float,
                   current_degrees: float, current_value: float) -> None:
        """``values``, ``norm`` and ``current_value`` are NaN or ±inf where ∇f is undefined:
        then nothing is drawn but the axes (pyqtgraph cannot range over non-finite numbers)."""
        values = np.where(np.isfinite(values), values, np.nan)
        self.curve.setData(degrees, values, connect="finite")
        shown = math.isfinite(current_value)
        self.marker.setData(*(([current_degrees], [current_value]) if shown else ([], [])))
        has_direction = math.isfinite(gradient_degrees) and math.isfinite(norm)
        for line, offset in zip((self.peak, *self.zeros), (0, 90, -90)):
            angle = (gradient_degrees + offset + 180) % 360 - 180 if has_direction else 0
            line.setValue(angle)
            line.setVisible(has_direction)
        self.maximum.setValue(norm if math.isfinite(norm) else 0.0)
        self.maximum.setVisible(has_direction)
        span = max(norm if math.isfinite(norm) else 1.0, 1e-9) * 1.15
        self._shown_y = steady_range(self._shown_y, (-span, span))
        self.getPlotItem().getViewBox().setRange(xRange=(-180, 180), yRange=self._shown_y, padding=0)
