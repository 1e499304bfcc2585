"""The curve with a secant through P = (x0, f(x0)) and Q = (x0 + h, f(x0 + h)), and the
tangent at P. Both points are dragged with the mouse and stay on the curve."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QWidget

from calcgui.core.display_range import NumericFunction
from calcgui.ui.function_plot import FunctionPlot
from calcgui.ui.plot_style import BLUE, GREEN, VERMILLION, CurveStyle, brush, pen, style_target

HALF_NAME = "one-sided tangents"


class SecantPlot(FunctionPlot):
    """f with draggable P and Q; emits what the user asked for, the pane decides.

    ``x0_dragged`` and ``q_dragged`` carry the x the mouse points at; the pane validates it
    (domain) and calls :meth:`show_points` with the accepted values.
    """

    x0_dragged = Signal(float)
    q_dragged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([CurveStyle("f(x)", BLUE)], parent=parent)
        self._f: NumericFunction | None = None
        self._x0 = 0.0
        self._h = 1.0
        self._tangent_slope: float | None = None
        self._half_slopes: tuple[float | None, float | None] | None = None
        self.secant = self.getPlotItem().plot(name="secant")
        self.tangent = self.getPlotItem().plot(name="tangent")
        self.half_tangents = self.getPlotItem().plot()  # in the legend only when drawn
        self.p_marker = pg.TargetItem(pos=(0, 0), movable=True, label="P", labelOpts={"offset": (12, -12)})
        self.q_marker = pg.TargetItem(pos=(1, 0), movable=True, label="Q", labelOpts={"offset": (12, -12)})
        for marker in (self.p_marker, self.q_marker):
            self.addItem(marker)
        self.q_marker.setZValue(10)
        self.p_marker.setZValue(11)  # P stays visible (and grabbable) when Q reaches it
        self._placing = False
        self.p_marker.sigPositionChanged.connect(lambda item: self._dragged(item, self.x0_dragged))
        self.q_marker.sigPositionChanged.connect(lambda item: self._dragged(item, self.q_dragged))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for side in ("left", "bottom"):  # major grid only: this plot repaints on every drag
            self.getPlotItem().getAxis(side).setStyle(maxTickLevel=0)
        self._restyle()

    def _restyle(self) -> None:
        super()._restyle()
        if not hasattr(self, "p_marker"):
            return  # still being built: called again at the end of __init__
        self.secant.setPen(pen(VERMILLION))
        self.tangent.setPen(pen(GREEN, style=Qt.PenStyle.DashLine))
        # one-sided tangents where f′(x₀) does not exist: thinner, dotted, never mistaken for the tangent
        self.half_tangents.setPen(pen(GREEN, 2, Qt.PenStyle.DotLine))
        style_target(self.p_marker, 18, pen("k", 2), brush(VERMILLION))
        style_target(self.q_marker, 14, pen("k", 2), brush("w"))

    # -- public -----------------------------------------------------------------------------
    def set_function(self, f: NumericFunction, *, frame: bool) -> None:
        self._f = f
        self.set_functions([f], frame=frame)

    def show_points(self, x0: float, h: float, tangent_slope: float | None,
                    half_slopes: tuple[float | None, float | None] | None = None) -> None:
        """Put P at x0 and Q at x0 + h on the curve; draw the secant and (if any) the tangent.

        ``half_slopes`` (left, right) are one-sided slopes where there is no tangent (a corner,
        a vertical tangent or cusp, an end of the domain): each is drawn as a half-line from P
        on its own side, vertical for ±inf; None leaves that side out."""
        self._x0, self._h, self._tangent_slope = x0, h, tangent_slope
        self._half_slopes = half_slopes
        self._draw_lines()

    def half_tangent_rays(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        """The one-sided tangents drawn, as (start, end) pairs: start is P."""
        xs, ys = self.half_tangents.xData, self.half_tangents.yData  # as set, before display clipping
        if xs is None or len(xs) == 0:
            return []
        return [((float(xs[i]), float(ys[i])), (float(xs[i + 1]), float(ys[i + 1]))) for i in range(0, len(xs), 3)]

    def points(self) -> tuple[tuple[float, float], tuple[float, float]]:
        p, q = self.p_marker.pos(), self.q_marker.pos()
        return (p.x(), p.y()), (q.x(), q.y())

    def resample(self) -> None:
        super().resample()
        if hasattr(self, "secant"):
            self._draw_lines()

    # -- drawing ----------------------------------------------------------------------------
    def _draw_lines(self) -> None:
        if self._f is None:
            return
        y0, yq = (float(v) for v in self._f(np.array([self._x0, self._x0 + self._h])))
        self._placing = True
        self.p_marker.setPos(QPointF(self._x0, y0))
        self.q_marker.setPos(QPointF(self._x0 + self._h, yq))
        self._placing = False
        lo, hi = self.x_range()
        xs = np.array([lo, hi])
        with np.errstate(all="ignore"):
            slope = (yq - y0) / self._h
        if np.isfinite(slope) and np.isfinite(y0):
            self.secant.setData(xs, y0 + slope * (xs - self._x0))
        else:
            self.secant.setData([], [])
        if self._tangent_slope is not None and np.isfinite(self._tangent_slope):
            self.tangent.setData(xs, y0 + self._tangent_slope * (xs - self._x0))
        else:
            self.tangent.setData([], [])
        self._draw_half_tangents(y0)

    def _draw_half_tangents(self, y0: float) -> None:
        """Each one-sided tangent from P to the edge of the view on its side (NaN-separated)."""
        (lo, hi), (y_lo, y_hi) = self.x_range(), self.y_range()
        xs: list[float] = []
        ys: list[float] = []
        for side, slope in zip((-1, 1), self._half_slopes or (None, None)):
            if slope is None or np.isnan(slope) or not np.isfinite(y0):
                continue
            if np.isinf(slope):  # straight up or down: the curve leaves P that way on this side
                end_x, end_y = self._x0, (y_hi if side * slope > 0 else y_lo) + side * np.sign(slope) * (y_hi - y_lo)
            else:
                end_x = hi if side > 0 else lo
                end_y = y0 + slope * (end_x - self._x0)
            xs += [self._x0, end_x, np.nan]
            ys += [y0, end_y, np.nan]
        self.half_tangents.setData(np.array(xs), np.array(ys), connect="finite")
        legend = self.getPlotItem().legend
        named = any(label.text == HALF_NAME for _sample, label in legend.items)
        if xs and not named:
            legend.addItem(self.half_tangents, HALF_NAME)
        elif not xs and named:
            legend.removeItem(self.half_tangents)

    def _dragged(self, item: pg.TargetItem, signal: Signal) -> None:
        if not self._placing:
            signal.emit(float(item.pos().x()))
