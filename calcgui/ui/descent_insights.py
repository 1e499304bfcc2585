"""The Descent pane's lower half: tabs for the per-step plots, the inside of one optimizer and
the hyper-parameter map, plus the arrows on the map. The pane hands it the runs after each
frame and the race's context when it changes; everything else is wired here, so the pane
stays about racing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from calcgui.core import descent
from calcgui.core.descent import Descent, Objective
from calcgui.core.step_controls import Clipping, Schedule
from calcgui.core.sweep import BETA_NAMES
from calcgui.ui.contour_map import ContourMap
from calcgui.ui.internals_overlay import InternalsOverlay
from calcgui.ui.optimizer_insight import OptimizerInsight
from calcgui.ui.optimizer_panel import OptimizerPanel
from calcgui.ui.sweep_map import SweepPanel

#: The tabs, in order.
TAB_PLOTS, TAB_INSIDE, TAB_MAP = range(3)
#: The optimizer panel's box for each swept β.
_BETA_BOXES = {"momentum": "momentum", "alpha": "alpha", "beta1": "beta1"}


class DescentInsights(QTabWidget):
    """``picked_setting`` fires after a map cell set an optimizer's lr and β (an undoable edit)."""

    picked_setting = Signal()

    def __init__(self, plots: QWidget, map_: ContourMap, optimizers: OptimizerPanel,
                 colors: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map, self.optimizers, self.colors = map_, optimizers, dict(colors)
        self.insight = OptimizerInsight()
        self.sweep = SweepPanel()
        self.overlay = InternalsOverlay(map_.getPlotItem())
        self.arrow_note = QLabel()
        self.arrow_note.setWordWrap(True)
        inside = QWidget()
        column = QVBoxLayout(inside)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.insight, 1)
        column.addWidget(self.arrow_note)
        self.addTab(plots, "Loss and ‖∇f‖")
        self.addTab(inside, "Inside the optimizer")
        self.addTab(self.sweep, "Map of (γ, β)")
        self._runs: Mapping[str, Descent] = {}
        self._two_d = True
        self.insight.picked.connect(lambda _name: self._refresh())
        self.insight.arrows_changed.connect(self._refresh)
        self.currentChanged.connect(lambda _i: self._refresh())
        self.sweep.picked.connect(self._use_cell)
        self.sweep.optimizer.currentIndexChanged.connect(lambda _i: self._mark())

    # -- from the pane --------------------------------------------------------------------------
    def show_runs(self, runs: Mapping[str, Descent], two_d: bool) -> None:
        """A frame: the equations (when their tab is open) and the map's arrows follow it."""
        self._runs, self._two_d = runs, two_d
        self._refresh()

    def pick(self, name: str) -> None:
        """Look inside ``name`` (its path or legend name was clicked)."""
        self.insight.offer(list(self._runs))
        self.insight.pick(name)
        self.setCurrentIndex(TAB_INSIDE)

    def set_race(self, objective: Objective | None, start: tuple[float, ...],
                 domain: tuple[tuple[float, float], ...], clipping: Clipping, schedule: Schedule) -> None:
        """The race the map is computed for; a map of another race says it is out of date."""
        if objective is None:
            self.sweep.set_sweep(None)
            return
        hyper = {s.name: dict(s.hyper) for s in self.optimizers.settings()}
        context = (id(objective), tuple(start), tuple(domain), clipping, schedule,
                   tuple(sorted((name, _others(name, h)) for name, h in hyper.items() if name in BETA_NAMES)))

        def sweep(name: str, lrs: np.ndarray, betas: np.ndarray, steps: int,
                  progress: Callable[[float], bool]) -> np.ndarray:
            return descent.sweep(objective, start, name, lrs, betas, steps, hyper=_without_beta(name, hyper[name]),
                                 clipping=clipping, schedule=schedule, bounds=domain, progress=progress)

        self.sweep.set_sweep(sweep, context)
        self._mark()

    # -- inside ------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        if self.currentIndex() == TAB_INSIDE:
            self.insight.show_runs(self._runs)
        entries = self.insight.overlay_entries(self._runs, self.colors) if self._two_d else []
        self.overlay.enabled.update({k: on for k, on in self.insight.arrow_kinds().items() if k != "effective_lr"})
        self.overlay.show_effective_lr = self.insight.arrow_kinds()["effective_lr"]
        self.overlay.draw(entries)
        note = self.overlay.legend_text() if entries else ""
        if not self._two_d and any(self.insight.arrow_kinds().values()):
            note = "The arrows are drawn on the 2D map; in 1D the equations show the same numbers."
        self.arrow_note.setText(note)

    # -- the map ---------------------------------------------------------------------------------
    def _use_cell(self, name: str, lr: float, beta: float) -> None:
        self.optimizers.use_setting(name, lr, _BETA_BOXES[BETA_NAMES[name]], beta)
        self._mark()
        self.picked_setting.emit()

    def _mark(self) -> None:
        """Where the race's setting of the map's optimizer lies on the map."""
        name = self.sweep.current_optimizer()
        setting = next(s for s in self.optimizers.settings() if s.name == name)
        beta = _beta(name, setting.hyper)
        if beta is not None:
            self.sweep.plot.mark(setting.lr, beta)


def _beta(name: str, hyper: Mapping[str, Any]) -> float | None:
    swept = BETA_NAMES.get(name)
    if swept == "beta1":
        return float(hyper["betas"][0])
    return None if swept is None else float(hyper[swept])


def _without_beta(name: str, hyper: Mapping[str, Any]) -> dict[str, Any]:
    """The race's other hyper-parameters for a sweep of ``name`` (the swept β left out;
    Adam's β₂ stays as a pair whose β₁ the sweep replaces)."""
    swept = BETA_NAMES[name]
    return {k: v for k, v in hyper.items() if k != swept}


def _others(name: str, hyper: Mapping[str, Any]) -> tuple[Any, ...]:
    kept = _without_beta(name, hyper)
    if "betas" in kept:
        kept["betas"] = kept["betas"][1]
    return tuple(sorted(kept.items()))

