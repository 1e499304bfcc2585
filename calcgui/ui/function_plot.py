"""Plot of several functions of x that re-samples itself whenever the view moves."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from calcgui.core.display_range import (
    NumericFunction, framing_range, interesting_x_range, mask_outside, robust_range,
)
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import CurveStyle, restyle_plot, style_plot

#: Samples across the visible x-range: one per device pixel of the plot's width, within
#: these bounds. More is invisible and costs paint time: an antialiased 1,600-point curve
#: took ~10 ms to draw, and typing repaints three of them.
SAMPLES = 1600
MIN_SAMPLES = 400
DEFAULT_X_RANGE = (-5.0, 5.0)


class FunctionPlot(pg.PlotWidget):
    """Curves y = f_i(x) in the given styles, with axes through the origin and a legend.

    The functions are compiled numpy functions; the plot evaluates them over the visible
    range each time the user pans or zooms, so curves stay smooth at every zoom level, and
    masks non-finite values and poles as gaps.
    """

    def __init__(self, styles: Sequence[CurveStyle], *, framed_by: Sequence[int] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._styles = list(styles)
        #: the curves whose values decide the y-range (say f and f', not the steeper f'')
        self._framed_by = list(framed_by) if framed_by is not None else list(range(len(styles)))
        self._functions: list[NumericFunction | None] = [None] * len(styles)
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setMenuEnabled(False)
        item.hideButtons()
        for side in ("left", "bottom"):
            item.getAxis(side).setStyle(maxTickLevel=1)  # major and minor grid only: cleaner, and a quarter faster to paint
        self.legend = item.addLegend(offset=(10, 10))
        self.origin_lines = [pg.InfiniteLine(pos=0, angle=angle) for angle in (0, 90)]
        for line in self.origin_lines:
            item.addItem(line, ignoreBounds=True)
        self.curves = [item.plot(name=style.name) for style in self._styles]
        self.overlays: list[tuple[pg.PlotDataItem, NumericFunction]] = []
        self._overlay_styles: list[CurveStyle] = []
        style_plot(self)
        follow(self, self._restyle)
        view = self.getViewBox()
        view.disableAutoRange()
        view.setRange(xRange=DEFAULT_X_RANGE, yRange=(-1, 1), padding=0)
        self._resample_timer = QTimer(self)
        self._resample_timer.setSingleShot(True)
        self._resample_timer.setInterval(0)
        self._resample_timer.timeout.connect(self.resample)
        view.sigRangeChanged.connect(lambda *_: self._resample_timer.start())
        view.sigResized.connect(lambda *_: self._resample_timer.start())  # samples follow the width

    # -- public -----------------------------------------------------------------------------
    def set_functions(self, functions: Sequence[NumericFunction | None], *, frame: bool = True) -> None:
        """Plot ``functions`` (None hides a curve); ``frame`` moves the view to show them."""
        self._functions = list(functions)
        if frame:
            self.frame()
        else:
            self.resample()

    def frame(self) -> None:
        """Show where the curves' roots, turning points and domain edges are, framed to fit."""
        present = [fn for fn in self._functions if fn is not None]
        x_range = interesting_x_range(present) or DEFAULT_X_RANGE
        self.getViewBox().setXRange(*x_range, padding=0)
        self.fit_y()
        self.resample()

    def set_overlays(self, overlays: Sequence[tuple[CurveStyle, NumericFunction]]) -> None:
        """Extra curves drawn over the main ones (say, a chain step's inner and outer
        functions), replacing any shown before; they do not change the framing."""
        if not overlays and not self.overlays:
            return
        item = self.getPlotItem()
        for curve, _fn in self.overlays:
            item.removeItem(curve)
            self.legend.removeItem(curve)
        self.overlays = [(item.plot(pen=style.pen(), name=style.name), fn) for style, fn in overlays]
        self._overlay_styles = [style for style, _fn in overlays]
        restyle_plot(self)  # the new legend entries too
        self.resample()

    def _restyle(self) -> None:
        """Curves and the axes through the origin in the current zoom and theme."""
        look = appearance()
        for line in self.origin_lines:
            line.setPen(pg.mkPen(look.theme.muted, width=look.pen_width(1)))
        for style, curve in zip(self._styles, self.curves):
            curve.setPen(style.pen())
        for style, (curve, _fn) in zip(self._overlay_styles, self.overlays):
            curve.setPen(style.pen())

    def show_range(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """Show exactly this rectangle (a restored view)."""
        self.getViewBox().setRange(xRange=x_range, yRange=y_range, padding=0)
        self.resample()

    def set_curve_visible(self, index: int, visible: bool) -> None:
        self.curves[index].setVisible(visible)

    def x_range(self) -> tuple[float, float]:
        lo, hi = self.getViewBox().viewRange()[0]
        return float(lo), float(hi)

    def y_range(self) -> tuple[float, float]:
        lo, hi = self.getViewBox().viewRange()[1]
        return float(lo), float(hi)

    def fit_y(self) -> None:
        """Frame the visible curves' values over the current x-range (poles ignored)."""
        x = self._grid()
        visible = [i for i, (fn, curve) in enumerate(zip(self._functions, self.curves))
                   if fn is not None and curve.isVisible()]
        framing = [i for i in visible if i in self._framed_by] or visible
        if not framing:
            lo, hi = robust_range([])
        else:  # the first curve is f: the others may widen its range, not flatten it
            first, *rest = [self._functions[i](x) for i in framing]  # type: ignore[misc]
            lo, hi = framing_range(first, rest)
        self.getViewBox().setYRange(lo, hi, padding=0)

    def resample(self) -> None:
        """Evaluate every function over the visible range and redraw."""
        x = self._grid()
        y_lo, y_hi = self.y_range()
        pairs = [*zip(self._functions, self.curves), *((fn, curve) for curve, fn in self.overlays)]
        for fn, curve in pairs:
            if fn is None:
                curve.setData([], [])
                continue
            y = mask_outside(fn(x), y_lo, y_hi)
            curve.setData(x, y, connect="finite")

    def sample_count(self) -> int:
        """One sample per device pixel across the plot, within MIN_SAMPLES … SAMPLES."""
        pixels = self.getViewBox().width() * self.devicePixelRatioF()
        return int(min(max(round(pixels), MIN_SAMPLES), SAMPLES))

    def _grid(self) -> np.ndarray:
        lo, hi = self.x_range()
        return np.linspace(lo, hi, self.sample_count())
