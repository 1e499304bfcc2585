"""Gradient descent pane: optimizers racing on a surface, animated on the contour map and the
3D surface, with loss and ‖∇f‖ per step; or, in 1D mode, a ball rolling down f(x)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from calcgui.core.compiled import compile_objective
from calcgui.core.descent import Descent, Objective
from calcgui.core.jobs import descent_job
from calcgui.core.optimizers import LABELS
from calcgui.core.surfaces import PRESETS, TITLES
from calcgui.state import MAX_STEPS, DescentSettings, RaceSettings, SharedFunctions, default_race_1d, default_race_2d
from calcgui.ui.ball_view import BallView
from calcgui.ui.contour_map import ContourMap
from calcgui.ui.optimizer_panel import COLORS
from calcgui.ui.panes.base import FUNCTION_CHANGE, Pane
from calcgui.ui.race_controls import RaceControls
from calcgui.ui.surface_view import SurfaceView
from calcgui.ui.worker_bridge import SymbolicWorker

CHANNEL = "descent"
FRAME_MS = 16
GRID = 160
CUSTOM = "custom"
MODES = ("2d", "1d")
#: Where a typed f(x, y) is shown, and a 1D race's x-range.
CUSTOM_DOMAIN = ((-3.0, 3.0), (-3.0, 3.0))
ONE_D_DOMAIN = ((-12.0, 12.0),)


class DescentPane(Pane):
    """State: the objective, the start point, one :class:`Descent` per enabled optimizer, and
    the step counter they share."""

    title = "Gradient descent"
    channel = CHANNEL
    shares = None  # the surface only when it is typed (not a preset); f(x) in 1D mode
    prepare = staticmethod(compile_objective)

    def __init__(self, state: SharedFunctions, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        super().__init__(state, worker, label="f =", placeholder="e.g. x^2 + 10y^2", parent=parent)
        self.objective: Objective | None = None
        self.runs: dict[str, Descent] = {}
        self.step_count = 0
        self._pending_step = 0
        self.start: tuple[float, float] = (-1.5, 2.0)
        self.domain: tuple[tuple[float, float], ...] = CUSTOM_DOMAIN
        self.min_value = float("nan")
        #: each mode's race as last left, so that switching modes never loses either
        self._races = {"2d": default_race_2d(), "1d": default_race_1d()}
        self._shown_mode = "2d"
        self._build()
        self._timer = QTimer(self, interval=FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self.begin()
        self._load_race(self._races["2d"], "2d")

    # -- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        self.mode = QComboBox()
        self.mode.addItems(["2D: f(x, y)", "1D: f(x)"])
        self.mode.currentIndexChanged.connect(self._mode_picked)
        self.surface_box = QComboBox()
        for name, title in TITLES.items():
            self.surface_box.addItem(title, name)
        self.surface_box.addItem("Your own f(x, y)", CUSTOM)
        self.surface_box.currentIndexChanged.connect(lambda _i: (self._preset_picked(), self.changed.emit("")))
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.surface_box)
        top.addLayout(self.input_row, 1)

        self.map = ContourMap()
        self.map.clicked.connect(self._start_picked)
        self.start_marker = pg.TargetItem(pos=self.start, size=16, movable=True, symbol="s",
                                          pen=pg.mkPen("k", width=2), brush=pg.mkBrush("w"), label="start",
                                          labelOpts={"offset": (10, -14), "color": "k"})
        self.start_marker.setZValue(30)
        self.start_marker.sigPositionChangeFinished.connect(
            lambda item: self._start_picked(item.pos().x(), item.pos().y()))
        self.map.addItem(self.start_marker)
        self.surface_view = SurfaceView()
        self.ball_view = one_d = BallView()
        self.iterates = one_d.iterates
        one_d.start_picked.connect(self._start_picked)
        two_d = QSplitter(Qt.Orientation.Horizontal)
        two_d.addWidget(self.map)
        two_d.addWidget(self.surface_view)
        two_d.setSizes([460, 400])
        self.views = QStackedWidget()
        self.views.addWidget(two_d)
        self.views.addWidget(one_d)
        self.paths: dict[str, pg.PlotDataItem] = {}
        self.heads: dict[str, pg.PlotDataItem] = {}
        for name, color in COLORS.items():
            self.paths[name] = self.map.plot(pen=pg.mkPen(color, width=3), symbol="o", symbolSize=4,
                                             symbolBrush=color, symbolPen=None)
            self.heads[name] = self.map.plot(symbol="o", symbolSize=13, symbolBrush=color, symbolPen="k", pen=None)
            self.paths[name].setZValue(20)
            self.heads[name].setZValue(21)

        self.controls = side = RaceControls()
        self.optimizers, self.play, self.counter = side.optimizers, side.play, side.counter
        self.step_button, self.reset_button, self.speed = side.step_button, side.reset_button, side.speed
        self.legend, self.badge = side.legend, side.badge
        side.changed.connect(self._race_edited)
        side.speed_changed.connect(lambda: self.changed.emit("speed"))
        self.play.toggled.connect(self._toggle_play)
        self.step_button.clicked.connect(lambda: (self.advance(1), self.changed.emit("step")))
        self.reset_button.clicked.connect(lambda: (self.reset(), self.changed.emit("")))

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
    def mode_key(self) -> str:
        """"2d" or "1d": the mode of the race on screen."""
        return self._shown_mode

    def variables(self) -> tuple[str, ...]:
        return ("x",) if self.mode_key() == "1d" else ("x", "y")

    def settings(self) -> DescentSettings:
        races = dict(self._races)
        races[self.mode_key()] = self._race_on_screen()
        return DescentSettings(mode=self.mode_key(), two_d=races["2d"], one_d=races["1d"])

    def apply(self, settings: DescentSettings) -> None:
        self._races = {"2d": settings.two_d, "1d": settings.one_d}
        self._load_race(self._races[settings.mode], settings.mode)

    def job_args(self, text: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return descent_job, (text, self.variables())

    def set_start(self, x: float, y: float = 0.0) -> None:
        """Start every optimizer from here; the paths so far are recomputed at once."""
        self._place_start(x, y)
        self._recompute()

    def advance(self, steps: int) -> None:
        steps = min(steps, MAX_STEPS - self.step_count)
        if steps <= 0 or not self.runs or all(run.diverged_at is not None for run in self.runs.values()):
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

    # -- races ------------------------------------------------------------------------------
    def _race_on_screen(self) -> RaceSettings:
        one_d = self.mode_key() == "1d"
        fallback = self._races[self.mode_key()].function
        return RaceSettings(function=self.accepted_text or fallback,
                            surface=CUSTOM if one_d else self.surface_box.currentData(),
                            start=self.start[:1] if one_d else self.start, step=self.step_count,
                            **self.controls.race_fields())  # type: ignore[arg-type]

    def _load_race(self, race: RaceSettings, mode: str) -> None:
        """Show ``race`` in ``mode``: widgets, domain, start; the runs reach its step once its
        function is compiled (at once when it is the one shown)."""
        self.play.setChecked(False)
        index = MODES.index(mode)
        for box, value in ((self.mode, index), (self.surface_box, self.surface_box.findData(race.surface))):
            box.blockSignals(True)
            box.setCurrentIndex(value)
            box.blockSignals(False)
        self._shown_mode = mode
        self.views.setCurrentIndex(index)
        self.surface_box.setEnabled(mode == "2d")
        self.controls.apply(race)
        preset = PRESETS[race.surface] if mode == "2d" and race.surface != CUSTOM else None
        self.domain = preset.domain if preset else (ONE_D_DOMAIN if mode == "1d" else CUSTOM_DOMAIN)
        self.min_value = preset.min_value if preset else float("nan")
        self._place_start(race.start[0], race.start[1] if len(race.start) > 1 else 0.0)
        self._pending_step = race.step
        same = (self.objective is not None and race.function == self.accepted_text
                and len(self.objective.variables) == len(self.variables()) and not self.is_busy())
        if same:
            self._new_objective()
        else:
            self.runs, self.step_count = {}, 0
            self.apply_function(race.function)

    def _place_start(self, x: float, y: float) -> None:
        self.start = (float(x), float(y))
        self.start_marker.blockSignals(True)
        self.start_marker.setPos(QPointF(*self.start))
        self.start_marker.blockSignals(False)

    # -- runs -------------------------------------------------------------------------------

    def _recompute(self) -> None:
        """New runs from the start with the current settings, advanced to the current step."""
        if self.objective is None or len(self.objective.variables) != len(self.variables()):
            return  # a function for the other mode is still being compiled
        start = self.start[: len(self.variables())]
        schedule, clipping = self.controls.schedule_in_force(), self.controls.clipping()
        self.runs = {}
        for setting in self.optimizers.settings():
            if setting.enabled:
                self.runs[setting.name] = Descent(self.objective, start, setting.name, setting.lr, setting.hyper,
                                                  clipping=clipping, schedule=schedule, bounds=self.domain)
                self.runs[setting.name].advance(self.step_count)
        self._draw()

    def _tick(self) -> None:
        self.advance(self.speed.value())
        if all(run.diverged_at is not None for run in self.runs.values()):
            self.play.setChecked(False)

    def _toggle_play(self, playing: bool) -> None:
        (self._timer.start if playing else self._timer.stop)()
        if not playing:
            self.changed.emit("step")  # the step reached is part of the scene

    # -- drawing ----------------------------------------------------------------------------
    def _draw(self) -> None:
        self.counter.setText(f"step {self.step_count}")
        two_d = len(self.variables()) == 2
        legend, problems = [], []
        heads, head_colors = [], []
        for name in COLORS:
            run = self.runs.get(name)
            if run is None:
                for item in (self.paths[name], self.heads[name], self.loss_curves[name], self.norm_curves[name]):
                    item.setData([], [])
                self.surface_view.set_line(name, None, COLORS[name])
                continue
            pts, ls, steps = self._drawable(run)
            self._draw_curves(name, run, ls, steps)
            if two_d:
                self.paths[name].setData(pts[:, 0], pts[:, 1])
                self.heads[name].setData(pts[-1:, 0], pts[-1:, 1])
                self.surface_view.set_line(name, np.c_[pts, ls] if len(pts) else None, COLORS[name], width=3,
                                           on_top=True)
                if len(pts):
                    heads.append((*pts[-1], ls[-1]))
                    head_colors.append(COLORS[name])
            swatch = f"<span style='color:{COLORS[name]}'>■</span> {LABELS[name]}"
            if run.start_problem is not None:
                problems.append(run.start_problem)
                legend.append(f"{swatch}: <b>{run.start_problem}</b>")
            elif run.diverged_at is not None:
                problems.append(f"{LABELS[name]} diverged at step {run.diverged_at}")
                legend.append(f"{swatch}: <b>diverged</b>")
            else:
                legend.append(f"{swatch}: loss {ls[-1]:.4g}")
        if two_d:
            self.surface_view.set_points("heads", np.array(heads) if heads else None, head_colors, size=14)
        self.legend.setText("<br>".join(legend))
        badge = list(dict.fromkeys(problems))  # every run shares the start: say its problem once
        self.badge.setText("  ".join(badge))
        self.badge.setVisible(bool(badge))
        if not two_d:
            self.ball_view.show_runs(self.runs, self.domain[0])

    def _drawable(self, run: Descent) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The run's points with a finite loss, clipped to the map's domain (a diverged step
        may lie 1e15 away: drawn at the edge it points the way it went), their losses and
        step numbers."""
        points, losses = run.points, run.losses
        finite = np.all(np.isfinite(points), axis=1) & np.isfinite(losses)
        box = np.array(self.domain, dtype=float)
        pts = np.clip(points[finite], box[:, 0], box[:, 1])
        return pts, losses[finite], np.arange(len(losses))[finite]

    def _draw_curves(self, name: str, run: Descent, losses: np.ndarray, steps: np.ndarray) -> None:
        """Loss (above the known minimum, when there is one) and ‖∇f‖ per step, on log axes."""
        shift = self.min_value if math.isfinite(self.min_value) else 0.0
        norms = run.grad_norms[steps]
        shown = np.isfinite(norms)
        gap = np.maximum(losses - shift, 1e-16) if shift else np.abs(losses) + 1e-16
        self.loss_curves[name].setData(steps, gap)
        self.norm_curves[name].setData(steps[shown], np.maximum(norms[shown], 1e-16))

    # -- results ----------------------------------------------------------------------------
    def show_result(self, payload: object) -> None:
        if isinstance(payload, Objective):
            self.objective = payload
            self.input.clear_error()
            self.last_error = ""
            if self.accepted_text != self._job_text:
                self.accepted_text = self._job_text
                self.changed.emit(FUNCTION_CHANGE)
            if len(self.variables()) == 1:
                self.share("function")
            elif self.surface_box.currentData() == CUSTOM:
                self.share("surface")
            self._new_objective()

    def _new_objective(self) -> None:
        assert self.objective is not None
        if len(self.variables()) == 1:
            lo, hi = self.domain[0]
            xs = np.linspace(lo, hi, 600)
            self.ball_view.show_curve(xs, self.objective.value(xs[:, None]))
        else:
            (x0, x1), (y0, y1) = self.domain
            xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
            z = self.objective.value(np.stack(np.meshgrid(xs, ys), axis=-1))
            spread = np.nanmax(z) - np.nanmin(z) if np.isfinite(z).any() else 0
            self.map.show_grid(xs, ys, z, log_colors=bool(spread > 1e3))
            self.map.show_ranges((x0, x1), (y0, y1))
            self.surface_view.set_surface(xs, ys, z)
        self.step_count, self._pending_step = self._pending_step, 0
        self._recompute()

    # -- interaction --------------------------------------------------------------------------
    def _race_edited(self) -> None:
        self._recompute()
        self.changed.emit("race")

    def _start_picked(self, x: float, y: float = 0.0) -> None:
        self.set_start(x, y)
        self.changed.emit("start")

    def _preset_picked(self) -> None:
        """A surface was picked from the list: a preset brings its domain, start and formula."""
        name = self.surface_box.currentData()
        race = self._race_on_screen()
        if name == CUSTOM:
            self._load_race(replace(race, surface=CUSTOM, step=0), "2d")
            return
        surface = PRESETS[name]
        self._load_race(replace(race, surface=name, function=surface.text, start=tuple(surface.start), step=0), "2d")

    def _mode_picked(self, index: int) -> None:
        """The user switched 2D ↔ 1D: keep the race being left, show the other one; 1D rolls
        a ball down the f(x) the other panes study."""
        self._races[self._shown_mode] = self._race_on_screen()
        race = self._races[MODES[index]]
        if MODES[index] == "1d":
            race = replace(race, function=self._state.function_text, step=0)
        self._load_race(race, MODES[index])
        self.changed.emit("")
