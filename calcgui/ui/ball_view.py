"""The Descent pane's 1D view: a ball rolling down f(x), with its tangent, its trail of
iterates, and the table of x and f(x) per step. Clicking the curve picks the start."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableWidget, QTableWidgetItem, QWidget

from calcgui.core.descent import Descent
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.optimizer_panel import COLORS
from calcgui.ui.plot_style import colour, pen, style_plot

#: The iterates table lists at most this many steps.
MAX_ROWS = 200
#: The tangent drawn at the ball is this fraction of the x-range wide on each side.
TANGENT_HALF_WIDTH = 0.15


class BallView(QSplitter):
    """The curve with each optimizer's ball, and the iterates of the first one."""

    start_picked = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.curve_plot = pg.PlotWidget()
        self.curve_plot.getPlotItem().showGrid(x=True, y=True, alpha=0.25)
        self.curve_plot.getPlotItem().setLabel("bottom", "x")
        self.curve = self.curve_plot.plot()
        self.curve_plot.scene().sigMouseClicked.connect(self._clicked)
        self.iterates = QTableWidget(0, 3)
        self.iterates.setHorizontalHeaderLabels(["step", "x", "f(x)"])
        self.iterates.verticalHeader().hide()
        self.iterates.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.addWidget(self.curve_plot)
        self.addWidget(self.iterates)
        self.setSizes([700, 260])
        self.tangents: dict[str, pg.PlotDataItem] = {}
        self.balls: dict[str, pg.PlotDataItem] = {}
        for name in COLORS:
            self.tangents[name] = self.curve_plot.plot()
            self.balls[name] = self.curve_plot.plot(pen=None, symbol="o")
        style_plot(self.curve_plot)
        follow(self, self._restyle)

    def _restyle(self) -> None:
        self.curve.setPen(pen("k"))
        for name, color in COLORS.items():
            self.tangents[name].setPen(pen(color, 2, Qt.PenStyle.DashLine))
            self.balls[name].setSymbolBrush(colour(color))
            self.balls[name].setSymbolPen(pen("k", 1))
            sizes = self.balls[name].opts.get("symbolSize")
            if isinstance(sizes, np.ndarray) and len(sizes):  # a trail, then the ball
                self.balls[name].setSymbolSize(_sizes(len(sizes)))

    def show_curve(self, xs: np.ndarray, fs: np.ndarray) -> None:
        """f over the x-range; where f is undefined or infinite (ln x for x ≤ 0), a gap."""
        self.curve.setData(xs, np.where(np.isfinite(fs), fs, np.nan), connect="finite")

    def show_runs(self, runs: Mapping[str, Descent], x_range: tuple[float, float]) -> None:
        """Each run's ball, trail and tangent; the first run's iterates in the table."""
        for name in COLORS:
            run = runs.get(name)
            if run is None:
                self.balls[name].setData([], [])
                self.tangents[name].setData([], [])
            else:
                self._draw_ball(name, run, x_range)
        self._fill_iterates(next(iter(runs.values()), None))

    def _draw_ball(self, name: str, run: Descent, x_range: tuple[float, float]) -> None:
        # only iterates in view: a diverged step 1e15 away has an f that would flatten the plot
        xs_all = run.points[:, 0]
        shown = np.isfinite(xs_all) & np.isfinite(run.losses) & (xs_all >= x_range[0]) & (xs_all <= x_range[1])
        xs, fs = xs_all[shown], run.losses[shown]
        if not len(xs):
            self.balls[name].setData([], [])
            self.tangents[name].setData([], [])
            return
        x, f = xs[-1], fs[-1]
        slope = float(run.gradients[np.flatnonzero(shown)[-1]][0])
        self.balls[name].setData(xs, fs, symbolSize=_sizes(len(xs)))
        if math.isfinite(slope):
            half = TANGENT_HALF_WIDTH * (x_range[1] - x_range[0])
            self.tangents[name].setData([x - half, x + half], [f - slope * half, f + slope * half])
        else:
            self.tangents[name].setData([], [])

    def _fill_iterates(self, run: Descent | None) -> None:
        if run is None:
            self.iterates.setRowCount(0)
            return
        shown = min(len(run.points), MAX_ROWS)
        self.iterates.setRowCount(shown)
        for row in range(shown):
            loss = run.losses[row]
            f_text = f"{loss:.6g}" if math.isfinite(loss) else "undefined"
            for col, text in enumerate((str(row), f"{run.points[row][0]:.10g}", f_text)):
                self.iterates.setItem(row, col, QTableWidgetItem(text))

    def _clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        view_box = self.curve_plot.getPlotItem().getViewBox()
        pos = view_box.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        self.start_picked.emit(float(pos.x()))


def _sizes(count: int) -> np.ndarray:
    """Marker sizes of a run's iterates: a small trail, then the ball (zoomed)."""
    sizes = np.full(count, appearance().pixels(6.0))
    sizes[-1] = appearance().pixels(18.0)
    return sizes
