"""Gradient descent pane: optimizers racing on a surface, animated on the contour map and the
3D surface, with loss and ‖∇f‖ per step; or, in 1D mode, a ball rolling down f(x)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, QPointF, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from calcgui.core.compiled import compile_objective
from calcgui.core.descent import Descent, Objective
from calcgui.core.jobs import descent_job
from calcgui.core.optimizers import LABELS
from calcgui.core.surfaces import PRESETS, TITLES
from calcgui.state import MAX_STEPS, DescentSettings, RaceSettings, SharedFunctions, default_race_1d, default_race_2d
from calcgui.ui.ball_view import BallView
from calcgui.ui.contour_map import ContourMap
from calcgui.ui.descent_insights import TAB_INSIDE, TAB_MAP, DescentInsights
from calcgui.ui.descent_replay import RunReplayer, RunSpec
from calcgui.ui.log_axis import LogAxis
from calcgui.ui.optimizer_panel import COLORS
from calcgui.ui.panes.base import FUNCTION_CHANGE, Pane
from calcgui.ui.race_controls import RaceControls
from calcgui.ui.race_plots import SLOW_PARTS, RacePlots
from calcgui.ui.surface_view import SurfaceView
from calcgui.ui.worker_bridge import SymbolicWorker

CHANNEL = "descent"
FRAME_MS = 16
#: A replay of at most this many steps (over all runs that changed, ~30 µs each) is done at
#: once, in the frame that asked for it; a longer one goes to a thread, debounced.
REPLAY_AT_ONCE = 400
#: After a stall, the animation catches up at most this much wall time's worth of steps.
MAX_CATCH_UP_S = 0.25
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
        #: the settings each run in ``runs`` was made with (a run whose spec is unchanged is kept)
        self._specs: dict[str, RunSpec] = {}
        self._replayer = RunReplayer(self)
        self._replayer.finished.connect(self._replayed)
        self.step_count = 0
        self._frame = 0
        self._pending_step = 0
        self.start: tuple[float, float] = (-1.5, 2.0)
        self.domain: tuple[tuple[float, float], ...] = CUSTOM_DOMAIN
        self.min_value = float("nan")
        #: each mode's race as last left, so that switching modes never loses either
        self._races = {"2d": default_race_2d(), "1d": default_race_1d()}
        self._shown_mode = "2d"
        self._build()
        self._timer = QTimer(self, interval=FRAME_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        #: wall time since the last frame, and the fraction of a step it left over
        self._clock = QElapsedTimer()
        self._owed = 0.0
        #: the step a lesson's "race to step N" stops at (None: play until paused)
        self._stop_at: int | None = None
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
        self.note = QLabel()
        self.note.setObjectName("presetNote")
        self.note.setWordWrap(True)

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
        # the map (square on most presets) gets the width to fill its height; a missing 3D
        # view needs only the room of its message
        if self.surface_view.available:
            two_d.setSizes([560, 380])
        else:
            self.surface_view.setMaximumWidth(170)
            two_d.setSizes([900, 170])
        two_d.setStretchFactor(0, 1)
        self.views = QStackedWidget()
        self.views.addWidget(two_d)
        self.views.addWidget(one_d)

        self.controls = side = RaceControls()
        self.optimizers, self.play_button, self.counter = side.optimizers, side.play_button, side.counter
        self.step_button, self.reset_button, self.speed = side.step_button, side.reset_button, side.speed
        self.legend, self.badge = side.legend, side.badge
        side.changed.connect(self._race_edited)
        side.speed_changed.connect(lambda: self.changed.emit("speed"))
        self.play_button.toggled.connect(self._toggle_play)
        self.step_button.clicked.connect(lambda: self.step(1))
        self.reset_button.clicked.connect(self.reset_animation)

        self.loss_plot = pg.PlotWidget(title="loss per step", axisItems={"left": LogAxis("left")})
        self.norm_plot = pg.PlotWidget(title="‖∇f‖ per step", axisItems={"left": LogAxis("left")})
        self.plots = RacePlots(self.map, self.loss_plot, self.norm_plot, self.surface_view, COLORS)
        self.paths, self.heads = self.plots.paths, self.plots.heads
        self.loss_curves, self.norm_curves = self.plots.loss_curves, self.plots.norm_curves

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.views)
        upper.addWidget(side)
        upper.setSizes([860, 420])
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.loss_plot)
        lower.addWidget(self.norm_plot)
        self.insights = DescentInsights(lower, self.map, self.optimizers, COLORS)
        self.insights.picked_setting.connect(lambda: self.changed.emit("race"))
        self._make_pickable()
        self._body = body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(self.insights)
        self.insights.currentChanged.connect(self._make_room)
        body.setSizes([540, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(body, 1)

    def _make_pickable(self) -> None:
        """Click a path, its head or its name in the legend to look inside that optimizer."""
        for name in COLORS:
            for item in (self.plots.path_lines[name].history, self.plots.path_lines[name].recent):
                item.curve.setClickable(True, width=10)
                item.sigClicked.connect(lambda _item, *_a, n=name: self.insights.pick(n))
        self.heads.sigClicked.connect(lambda _item, points, *_a: self.insights.pick(points[0].data()))
        self.legend.linkActivated.connect(self.insights.pick)

    def _make_room(self, tab: int) -> None:
        """The (γ, β) map needs height to click a cell in, the equations to show Adam's six
        lines: give them almost half the pane (the race stays in view above)."""
        sizes = self._body.sizes()
        if tab in (TAB_INSIDE, TAB_MAP) and sum(sizes) and sizes[1] < 0.45 * sum(sizes):
            self._body.setSizes([int(0.55 * sum(sizes)), int(0.45 * sum(sizes))])

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
        steps = min(steps, (MAX_STEPS if self._stop_at is None else self._stop_at) - self.step_count)
        if steps <= 0 or not self.runs or all(run.diverged_at is not None for run in self.runs.values()):
            self.play_button.setChecked(False)
            return
        for run in self.runs.values():
            run.advance(steps)
        self.step_count += steps
        self._draw()

    def reset(self) -> None:
        self.play_button.setChecked(False)
        self.step_count = 0
        self._recompute()

    # -- the transport ----------------------------------------------------------------------
    def play(self, until: int | None = None) -> bool:
        """Run the race (or the ball); with ``until``, from the start if it is reached already."""
        if until is not None and self.step_count >= until:
            self.reset()
        self.play_button.setChecked(True)
        self._stop_at = until  # after the toggle, which forgets an earlier target
        return True

    def is_playing(self) -> bool:
        return self.play_button.isChecked()

    def stop(self) -> None:
        self.play_button.setChecked(False)

    def step(self, delta: int) -> bool:
        """Forward: the next steps at once. Back: the runs are replayed to the earlier step."""
        if delta > 0:
            self.advance(delta)
        elif self.step_count > 0:
            self.stop()
            self.step_count = max(0, self.step_count + delta)
            self._recompute()
        self.changed.emit("step")
        return True

    def reset_animation(self) -> bool:
        self.reset()
        self.changed.emit("")
        return True

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
        self.play_button.setChecked(False)
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
        self._show_note(preset.note if preset else "")
        self._place_start(race.start[0], race.start[1] if len(race.start) > 1 else 0.0)
        self._pending_step = race.step
        same = (self.objective is not None and race.function == self.accepted_text
                and len(self.objective.variables) == len(self.variables()) and not self.is_busy())
        if same:
            self._new_objective()
        else:
            self._replayer.cancel()  # a replay for the function being left must not land
            self.runs, self.step_count = {}, 0
            self.apply_function(race.function)

    def _show_note(self, note: str) -> None:
        """The preset's explanation under its name, and as the list's tooltip: why this
        surface is worth a race."""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.surface_box.setToolTip(note)

    def _place_start(self, x: float, y: float) -> None:
        self.start = (float(x), float(y))
        self.start_marker.blockSignals(True)
        self.start_marker.setPos(QPointF(*self.start))
        self.start_marker.blockSignals(False)

    # -- runs -------------------------------------------------------------------------------

    def _recompute(self) -> None:
        """Runs from the start with the current settings, at the current step. A run whose
        settings did not change is kept; the others are replayed at once when that is quick,
        otherwise in a thread once the controls rest (the old run stays on screen meanwhile)."""
        if self.objective is None or len(self.objective.variables) != len(self.variables()):
            return  # a function for the other mode is still being compiled
        specs = self._wanted_specs()
        self.insights.set_race(self.objective, self.start[: len(self.variables())], tuple(self.domain),
                               self.controls.clipping(), self.controls.schedule_in_force())
        kept = {name: self.runs[name] for name, spec in specs.items()
                if self._specs.get(name) == spec and name in self.runs and self.runs[name].step <= self.step_count}
        stale = [spec for name, spec in specs.items() if name not in kept]
        self._replayer.cancel()
        if len(stale) * self.step_count <= REPLAY_AT_ONCE:
            for spec in stale:
                kept[spec.name] = spec.build(self.objective)
                kept[spec.name].advance(self.step_count)
            self._adopt(kept, specs)
            return
        self._adopt({**kept, **{s.name: self.runs[s.name] for s in stale if s.name in self.runs}}, specs,
                    replayed=set(kept))
        self._replayer.request(self.objective, stale, self.step_count)

    def _wanted_specs(self) -> dict[str, RunSpec]:
        """name -> the spec of each enabled optimizer's run, in the panel's order."""
        start = self.start[: len(self.variables())]
        schedule, clipping = self.controls.schedule_in_force(), self.controls.clipping()
        return {s.name: RunSpec(s.name, tuple(start), s.lr, tuple(sorted(s.hyper.items())), clipping, schedule,
                                tuple(self.domain))
                for s in self.optimizers.settings() if s.enabled}

    def _adopt(self, runs: dict[str, Descent], specs: dict[str, RunSpec], replayed: set[str] | None = None) -> None:
        """Show ``runs`` (in ``specs``' order); ``replayed`` names those made with ``specs``
        (all of them by default; the others are stale, awaiting their replay)."""
        self.runs = {name: runs[name] for name in specs if name in runs}
        self._specs = {name: spec for name, spec in specs.items() if replayed is None or name in replayed}
        self._draw()

    def _replayed(self, runs: dict[str, Descent]) -> None:
        """A replay landed: catch up with steps the animation took meanwhile, and show it."""
        specs = self._wanted_specs()
        merged = dict(self.runs)
        for name, run in runs.items():
            if name in specs and run.step <= self.step_count:
                run.advance(self.step_count - run.step)
                merged[name] = run
                self._specs[name] = specs[name]
        self.runs = {name: merged[name] for name in specs if name in merged}
        self._draw()
        self.maybe_settled()

    def is_busy(self) -> bool:
        """Computing a function, or replaying runs for settings just changed."""
        return super().is_busy() or self._replayer.busy()

    def _tick(self) -> None:
        """Advance by the steps the wall time since the last frame owes at the chosen speed."""
        elapsed = self._clock.restart() / 1000.0
        rate = self.controls.steps_per_second()
        self._owed = min(self._owed + elapsed * rate, max(1.0, rate * MAX_CATCH_UP_S))
        steps = int(self._owed)
        self._owed -= steps
        if steps:
            self.advance(steps)
        if all(run.diverged_at is not None for run in self.runs.values()):
            self.play_button.setChecked(False)

    def _toggle_play(self, playing: bool) -> None:
        self._stop_at = None
        if playing:
            self._clock.start()
            self._owed = 0.0
            self._timer.start()
        else:
            self._timer.stop()
            self._draw()  # the per-step plots catch up with the frames they skipped
            self.changed.emit("step")  # the step reached is part of the scene

    # -- drawing ----------------------------------------------------------------------------
    def _draw(self) -> None:
        self.counter.setText(f"step {self.step_count}")
        two_d = len(self.variables()) == 2
        self._frame += 1
        # while playing, each slow part on a frame of its own: loss, then 3D, then ‖∇f‖
        # (each ~20 times a second at 60 frames a second)
        playing = self.play_button.isChecked()
        parts = (SLOW_PARTS[self._frame % len(SLOW_PARTS)],) if playing else SLOW_PARTS
        self.plots.show(self.runs, self.domain, self.min_value, two_d, self.step_count, parts=parts)
        legend, problems = [], []
        text_color = self.legend.palette().color(QPalette.ColorRole.WindowText).name()
        for name, run in self.runs.items():
            # the name is a link: a click looks inside that optimizer
            swatch = (f"<span style='color:{COLORS[name]}'>■</span> <a href='{name}' "
                      f"style='color:{text_color}; text-decoration:none'>{LABELS[name]}</a>")
            if run.start_problem is not None:
                problems.append(run.start_problem)
                legend.append(f"{swatch}: <b>{run.start_problem}</b>")
            elif run.diverged_at is not None:
                problems.append(f"{LABELS[name]} diverged at step {run.diverged_at}")
                legend.append(f"{swatch}: <b>diverged</b>")
            else:
                legend.append(f"{swatch}: loss {run.losses[-1]:.4g}")
        self.legend.setText("<br>".join(legend))
        badge = list(dict.fromkeys(problems))  # every run shares the start: say its problem once
        self.badge.setText("  ".join(badge))
        self.badge.setVisible(bool(badge))
        if not two_d:
            self.ball_view.show_runs(self.runs, self.domain[0])
        self.insights.show_runs(self.runs, two_d)

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
        self._specs = {}  # a new objective: no run can be kept
        self.plots.forget()
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
