"""Gradient descent pane: optimizers racing on a surface, animated on the contour map and the
3D surface, with loss and ‖∇f‖ per step; or, in 1D mode, a ball rolling down f(x)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSlider, QSplitter, QStackedWidget,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from calcgui.core.compiled import compile_objective
from calcgui.core.descent import Clipping, Descent, Objective, Schedule
from calcgui.core.jobs import descent_job
from calcgui.core.optimizers import LABELS
from calcgui.core.surfaces import PRESETS, TITLES
from calcgui.ui.app_state import AppState
from calcgui.ui.contour_map import ContourMap
from calcgui.ui.optimizer_panel import COLORS, OptimizerPanel
from calcgui.ui.panes.base import Pane
from calcgui.ui.surface_view import SurfaceView
from calcgui.ui.worker_bridge import SymbolicWorker

CHANNEL = "descent"
FRAME_MS = 16
MAX_STEPS = 5000
GRID = 160
CUSTOM = "custom"
DEFAULT_SURFACE = "rosenbrock"


class DescentPane(Pane):
    """State: the objective, the start point, one :class:`Descent` per enabled optimizer, and
    the step counter they share."""

    title = "Gradient descent"
    channel = CHANNEL
    shares = None  # the surface only when it is typed (not a preset); f(x) in 1D mode
    prepare = staticmethod(compile_objective)

    def __init__(self, state: AppState, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        super().__init__(state, worker, label="f =", placeholder="e.g. x^2 + 10y^2", parent=parent)
        self.objective: Objective | None = None
        self.runs: dict[str, Descent] = {}
        self.step_count = 0
        self.start = (-1.5, 2.0)
        self.domain: tuple[tuple[float, float], ...] = ((-2.0, 2.0), (-1.0, 3.0))
        self.min_value = float("nan")
        self._build()
        self._timer = QTimer(self, interval=FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self.begin()
        self.surface_box.setCurrentIndex(list(TITLES).index(DEFAULT_SURFACE))

    # -- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        self.mode = QComboBox()
        self.mode.addItems(["2D: f(x, y)", "1D: f(x)"])
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.surface_box = QComboBox()
        for name, title in TITLES.items():
            self.surface_box.addItem(title, name)
        self.surface_box.addItem("Your own f(x, y)", CUSTOM)
        self.surface_box.currentIndexChanged.connect(self._preset_picked)
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.surface_box)
        top.addLayout(self.input_row, 1)

        self.map = ContourMap()
        self.map.clicked.connect(self.set_start)
        self.start_marker = pg.TargetItem(pos=self.start, size=16, movable=True, symbol="s",
                                          pen=pg.mkPen("k", width=2), brush=pg.mkBrush("w"), label="start",
                                          labelOpts={"offset": (10, -14), "color": "k"})
        self.start_marker.setZValue(30)
        self.start_marker.sigPositionChangeFinished.connect(
            lambda item: self.set_start(item.pos().x(), item.pos().y()))
        self.map.addItem(self.start_marker)
        self.surface_view = SurfaceView()
        self.curve_plot = pg.PlotWidget()
        self.curve_plot.getPlotItem().showGrid(x=True, y=True, alpha=0.25)
        self.curve_plot.getPlotItem().setLabel("bottom", "x")
        self.curve = self.curve_plot.plot(pen=pg.mkPen("#333333", width=3))
        self.curve_plot.scene().sigMouseClicked.connect(self._curve_clicked)
        self.iterates = QTableWidget(0, 3)
        self.iterates.setHorizontalHeaderLabels(["step", "x", "f(x)"])
        self.iterates.verticalHeader().hide()
        self.iterates.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        one_d = QSplitter(Qt.Orientation.Horizontal)
        one_d.addWidget(self.curve_plot)
        one_d.addWidget(self.iterates)
        one_d.setSizes([700, 260])
        two_d = QSplitter(Qt.Orientation.Horizontal)
        two_d.addWidget(self.map)
        two_d.addWidget(self.surface_view)
        two_d.setSizes([460, 400])
        self.views = QStackedWidget()
        self.views.addWidget(two_d)
        self.views.addWidget(one_d)
        self.paths: dict[str, pg.PlotDataItem] = {}
        self.heads: dict[str, pg.PlotDataItem] = {}
        self.tangents: dict[str, pg.PlotDataItem] = {}
        self.balls: dict[str, pg.PlotDataItem] = {}
        for name, color in COLORS.items():
            self.paths[name] = self.map.plot(pen=pg.mkPen(color, width=3), symbol="o", symbolSize=4,
                                             symbolBrush=color, symbolPen=None)
            self.heads[name] = self.map.plot(symbol="o", symbolSize=13, symbolBrush=color, symbolPen="k", pen=None)
            self.paths[name].setZValue(20)
            self.heads[name].setZValue(21)
            self.tangents[name] = self.curve_plot.plot(pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine))
            self.balls[name] = self.curve_plot.plot(pen=None, symbol="o", symbolBrush=color, symbolPen="k")

        self.optimizers = OptimizerPanel()
        self.optimizers.changed.connect(self._recompute)
        self.play = QPushButton("▶ Play")
        self.play.setCheckable(True)
        self.play.toggled.connect(self._toggle_play)
        self.step_button = QPushButton("Step")
        self.step_button.clicked.connect(lambda: self.advance(1))
        self.reset_button = QPushButton("Reset")
        self.reset_button.clicked.connect(self.reset)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 20)
        self.speed.setValue(2)
        self.speed.setToolTip("steps per frame")
        self.speed.setMinimumWidth(80)
        self.counter = QLabel("step 0")
        self.counter.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.clip_mode = QComboBox()
        self.clip_mode.addItems(["no clipping", "clip by norm", "clip by value"])
        self.clip_value = QDoubleSpinBox()
        self.clip_value.setRange(1e-3, 1e4)
        self.clip_value.setValue(1.0)
        self.clip_value.setPrefix("at ")
        self.schedule = QComboBox()
        for label, kind in (("constant lr", "constant"), ("step decay", "step"), ("exponential decay", "exponential"),
                            ("cosine", "cosine"), ("linear warm-up", "warmup")):
            self.schedule.addItem(label, kind)
        for widget in (self.clip_mode, self.schedule):
            widget.currentIndexChanged.connect(lambda _i: self._recompute())
        self.clip_value.valueChanged.connect(lambda _v: self._recompute())
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.badge = QLabel()
        self.badge.setObjectName("divergedBadge")
        self.badge.setStyleSheet("color: white; background: #C0392B; padding: 6px; border-radius: 4px; font-weight: bold;")
        self.badge.hide()

        controls = QHBoxLayout()
        for widget in (self.play, self.step_button, self.reset_button, QLabel("speed"), self.speed, self.counter):
            controls.addWidget(widget)
        options = QHBoxLayout()
        for widget in (self.clip_mode, self.clip_value, self.schedule):
            options.addWidget(widget)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(4, 0, 0, 0)
        column.addWidget(self.optimizers)
        column.addLayout(options)
        column.addLayout(controls)
        column.addWidget(self.badge)
        column.addWidget(self.legend)
        column.addStretch(1)

        self.loss_plot = pg.PlotWidget(title="loss per step")
        self.loss_plot.getPlotItem().setLogMode(y=True)
        self.norm_plot = pg.PlotWidget(title="‖∇f‖ per step")
        self.norm_plot.getPlotItem().setLogMode(y=True)
        self.loss_curves: dict[str, pg.PlotDataItem] = {}
        self.norm_curves: dict[str, pg.PlotDataItem] = {}
        for name, color in COLORS.items():
            self.loss_curves[name] = self.loss_plot.plot(pen=pg.mkPen(color, width=2.5))
            self.norm_curves[name] = self.norm_plot.plot(pen=pg.mkPen(color, width=2.5))
        for plot in (self.loss_plot, self.norm_plot):
            plot.getPlotItem().setLabel("bottom", "step")
            plot.getPlotItem().showGrid(x=True, y=True, alpha=0.25)

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.views)
        upper.addWidget(side)
        upper.setSizes([860, 420])
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.loss_plot)
        lower.addWidget(self.norm_plot)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setSizes([540, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)

    # -- public -----------------------------------------------------------------------------
    def variables(self) -> tuple[str, ...]:
        return ("x",) if self.mode.currentIndex() == 1 else ("x", "y")

    def job_args(self, text: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return descent_job, (text, self.variables())

    def set_start(self, x: float, y: float = 0.0) -> None:
        """Start every optimizer from here; the paths so far are recomputed at once."""
        self.start = (float(x), float(y))
        self.start_marker.blockSignals(True)
        self.start_marker.setPos(QPointF(*self.start))
        self.start_marker.blockSignals(False)
        self._recompute()

    def advance(self, steps: int) -> None:
        steps = min(steps, MAX_STEPS - self.step_count)
        if steps <= 0 or not self.runs:
            self.play.setChecked(False)
            return
        for run in self.runs.values():
            run.advance(steps)
        self.step_count += steps
        self._draw()

    def reset(self) -> None:
        self.play.setChecked(False)
        self.step_count = 0
        self._recompute()

    # -- runs -------------------------------------------------------------------------------
    def _clipping(self) -> Clipping:
        mode = ("none", "norm", "value")[self.clip_mode.currentIndex()]
        return Clipping(mode, self.clip_value.value())

    def _recompute(self) -> None:
        """New runs from the start with the current settings, advanced to the current step."""
        if self.objective is None or len(self.objective.variables) != len(self.variables()):
            return  # a function for the other mode is still being compiled
        start = self.start[: len(self.variables())]
        schedule = Schedule(self.schedule.currentData(), total_steps=MAX_STEPS)
        self.runs = {}
        for setting in self.optimizers.settings():
            if setting.enabled:
                self.runs[setting.name] = Descent(self.objective, start, setting.name, setting.lr, setting.hyper,
                                                  clipping=self._clipping(), schedule=schedule, bounds=self.domain)
                self.runs[setting.name].advance(self.step_count)
        self._draw()

    def _tick(self) -> None:
        self.advance(self.speed.value())
        if all(run.diverged_at is not None for run in self.runs.values()):
            self.play.setChecked(False)

    def _toggle_play(self, playing: bool) -> None:
        self.play.setText("❚❚ Pause" if playing else "▶ Play")
        (self._timer.start if playing else self._timer.stop)()

    # -- drawing ----------------------------------------------------------------------------
    def _draw(self) -> None:
        self.counter.setText(f"step {self.step_count}")
        two_d = len(self.variables()) == 2
        legend, diverged = [], []
        shift = self.min_value if math.isfinite(self.min_value) else 0.0
        for name in COLORS:
            run = self.runs.get(name)
            if run is None:
                for item in (self.paths[name], self.heads[name], self.loss_curves[name], self.norm_curves[name],
                             self.tangents[name], self.balls[name]):
                    item.setData([], [])
                self.surface_view.set_line(name, None, COLORS[name])
                continue
            points, losses = run.points, run.losses
            finite = np.all(np.isfinite(points), axis=1) & np.isfinite(losses)
            pts, ls = points[finite], losses[finite]
            steps = np.arange(len(losses))[finite]
            gap = np.maximum(ls - shift, 1e-16) if shift else np.abs(ls) + 1e-16
            self.loss_curves[name].setData(steps, gap)
            norms = run.grad_norms[finite]
            self.norm_curves[name].setData(steps, np.maximum(norms, 1e-16))
            if two_d:
                self.paths[name].setData(pts[:, 0], pts[:, 1])
                self.heads[name].setData(pts[-1:, 0], pts[-1:, 1])
                self.surface_view.set_line(name, np.c_[pts, ls], COLORS[name], width=3, on_top=True)
            else:
                self._draw_ball(name, pts[:, 0], ls, run)
            if run.diverged_at is not None:
                diverged.append(f"{LABELS[name]} diverged at step {run.diverged_at}")
                legend.append(f"<span style='color:{COLORS[name]}'>■</span> {LABELS[name]}: <b>diverged</b>")
            else:
                legend.append(f"<span style='color:{COLORS[name]}'>■</span> {LABELS[name]}: loss {ls[-1]:.4g}")
        if two_d and self.runs:
            heads = [r.points[np.all(np.isfinite(r.points), axis=1)][-1] for r in self.runs.values()]
            values = [r.losses[np.isfinite(r.losses)][-1] for r in self.runs.values()]
            self.surface_view.set_points("heads", np.c_[np.array(heads), values],
                                         [COLORS[n] for n in self.runs], size=14)
        self.legend.setText("<br>".join(legend))
        self.badge.setText("  ".join(diverged))
        self.badge.setVisible(bool(diverged))
        if not two_d:
            self._fill_iterates()

    def _draw_ball(self, name: str, xs: np.ndarray, fs: np.ndarray, run: Descent) -> None:
        self.heads[name].setData([], [])
        x, f = xs[-1], fs[-1]
        slope = float(run.gradients[len(xs) - 1][0]) if len(run.gradients) >= len(xs) else float("nan")
        sizes = np.full(len(xs), 6.0)
        sizes[-1] = 18.0  # the ball; the earlier iterates stay as a trail
        self.balls[name].setData(xs, fs, symbolSize=sizes)
        if math.isfinite(slope):
            half = 0.15 * (self.domain[0][1] - self.domain[0][0])
            self.tangents[name].setData([x - half, x + half], [f - slope * half, f + slope * half])
        else:
            self.tangents[name].setData([], [])

    def _fill_iterates(self) -> None:
        run = next(iter(self.runs.values()), None)
        if run is None:
            self.iterates.setRowCount(0)
            return
        shown = min(len(run.points), 200)
        self.iterates.setRowCount(shown)
        for row in range(shown):
            for col, text in enumerate((str(row), f"{run.points[row][0]:.10g}", f"{run.losses[row]:.6g}")):
                self.iterates.setItem(row, col, QTableWidgetItem(text))

    # -- results ----------------------------------------------------------------------------
    def show_result(self, payload: object) -> None:
        if isinstance(payload, Objective):
            self.input.clear_error()
            self.last_error = ""
            self.objective = payload
            self._new_objective()

    def _new_objective(self) -> None:
        assert self.objective is not None
        if len(self.variables()) == 1:
            self._state.set_function_text(self._job_text)
            lo, hi = self.domain[0]
            xs = np.linspace(lo, hi, 600)
            self.curve.setData(xs, self.objective.value(xs[:, None]))
        else:
            if self.surface_box.currentData() == CUSTOM:
                self._state.set_surface_text(self._job_text)
            (x0, x1), (y0, y1) = self.domain
            xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
            z = self.objective.value(np.stack(np.meshgrid(xs, ys), axis=-1))
            spread = np.nanmax(z) - np.nanmin(z) if np.isfinite(z).any() else 0
            self.map.show_grid(xs, ys, z, log_colors=bool(spread > 1e3))
            self.map.show_ranges((x0, x1), (y0, y1))
            self.surface_view.set_surface(xs, ys, z)
        self.step_count = 0
        self._recompute()

    # -- interaction --------------------------------------------------------------------------
    def _preset_picked(self, _index: int) -> None:
        name = self.surface_box.currentData()
        if name == CUSTOM or self.mode.currentIndex() == 1:
            self.input.setEnabled(True)
            return
        surface = PRESETS[name]
        self.domain, self.min_value = surface.domain, surface.min_value
        self.start = tuple(surface.start)
        self.start_marker.blockSignals(True)
        self.start_marker.setPos(QPointF(*self.start))
        self.start_marker.blockSignals(False)
        self.input.set_text(surface.text)

    def _mode_changed(self, index: int) -> None:
        self.play.setChecked(False)
        self.runs, self.step_count = {}, 0
        self.views.setCurrentIndex(index)
        self.surface_box.setEnabled(index == 0)
        if index == 1:
            self.domain, self.min_value = ((-12.0, 12.0),), float("nan")
            self.start = (10.0, 0.0)
            self.optimizers.set_enabled_names(("gd",))
            self.optimizers.set_lr("gd", 0.1)
            self.input.set_text(self._state.function_text)
        else:
            self._preset_picked(self.surface_box.currentIndex())

    def _curve_clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        view_box = self.curve_plot.getPlotItem().getViewBox()
        pos = view_box.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        self.set_start(float(pos.x()))
