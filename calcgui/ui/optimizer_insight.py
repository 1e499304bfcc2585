"""Inside the optimizer: pick one of the racing optimizers and read its last step as
equations with numbers; switch on arrows that show, at every optimizer's current point, the
plain gradient step, the step it will take, its velocity, and its per-coordinate learning rate.

The numbers come from the runs' own records (:meth:`Descent.step_record`) and the arrows from
their state, so what is written is what the race did. This widget decides what to show; the
map's arrows are drawn by :class:`~calcgui.ui.internals_overlay.InternalsOverlay`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from calcgui.core.descent import Descent
from calcgui.core.optimizers import LABELS
from calcgui.core.update_rules import effective_lr, explain_record
from calcgui.ui.internals_overlay import Internals
from calcgui.ui.step_equations import StepEquations

#: The arrow toggles: (kind in InternalsOverlay.KINDS or "effective_lr", check box text, tip).
TOGGLES = (
    ("gradient", "−γ·g", "the plain gradient step from each optimizer's current point"),
    ("update", "next step", "the step each optimizer takes next, momentum and scaling included"),
    ("momentum", "velocity", "−γ × the velocity the optimizer carries (momentum buffer b, or Adam's m̂)"),
    ("effective_lr", "γ per coordinate", "Adam's, RMSProp's and AdaGrad's learning rate in each coordinate"),
)


def velocity(run: Descent, lr: float) -> np.ndarray | None:
    """−γ × the running average of the gradient the optimizer keeps, as a step; None when it
    keeps none (GD, AdaGrad, RMSProp without momentum) or has not stepped yet."""
    state, name = run.optimizer.state, run.optimizer.name
    if name in ("adam", "adamw") and "exp_avg" in state:
        beta1 = run.optimizer.hyper["betas"][0]
        return -lr * np.asarray(state["exp_avg"]) / (1.0 - beta1**run.step)
    if "momentum_buffer" in state:
        return -lr * np.asarray(state["momentum_buffer"])
    return None


def next_update(run: Descent) -> np.ndarray | None:
    """The step the run takes next, from a copy of its optimizer (the run is not moved)."""
    if run.diverged_at is not None:
        return None
    optimizer = copy.deepcopy(run.optimizer)
    optimizer.lr = run.schedule.lr_at(run.base_lr, run.step)
    point = np.array(run.points[-1])
    with np.errstate(all="ignore"):
        return optimizer.step(point, run.clipping.apply(np.array(run.gradients[-1]))) - point


def internals(name: str, color: str, run: Descent) -> Internals:
    """What the map's arrows show for ``run`` at its current point."""
    point = np.array(run.points[-1])
    lr = run.schedule.lr_at(run.base_lr, run.step)
    with np.errstate(all="ignore"):
        plain = -lr * run.clipping.apply(np.array(run.gradients[-1]))
        scale = effective_lr(name, run.optimizer.hyper, run.step, lr, run.optimizer.state) if run.step else None
    return Internals(name, color, point, plain, next_update(run), velocity(run, lr) if run.step else None, scale)


class OptimizerInsight(QWidget):
    """The picker, the arrow toggles and the equations of the picked optimizer's last step.

    ``arrows_changed`` fires when a toggle changes; ``picked`` when another optimizer is
    chosen here (the pane also calls :meth:`pick` when a path or legend name is clicked).
    """

    arrows_changed = Signal()
    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox()
        self.choice.setAccessibleName("optimizer to look inside")
        self.choice.currentIndexChanged.connect(lambda _i: self.picked.emit(self.current() or ""))
        self.toggles: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel("Inside"))
        row.addWidget(self.choice)
        row.addSpacing(12)
        row.addWidget(QLabel("Arrows on the map:"))
        for kind, text, tip in TOGGLES:
            box = QCheckBox(text)
            box.setToolTip(tip)
            box.toggled.connect(lambda _on: self.arrows_changed.emit())
            self.toggles[kind] = box
            row.addWidget(box)
        row.addStretch(1)
        self.equations = StepEquations()
        scroll = QScrollArea()
        scroll.setWidget(self.equations)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(row)
        layout.addWidget(scroll, 1)

    # -- choice -------------------------------------------------------------------------------
    def current(self) -> str | None:
        return self.choice.currentData()

    def pick(self, name: str) -> None:
        index = self.choice.findData(name)
        if index >= 0:
            self.choice.setCurrentIndex(index)

    def offer(self, names: list[str]) -> None:
        """The racing optimizers; the pick survives while its optimizer races."""
        if [self.choice.itemData(i) for i in range(self.choice.count())] == names:
            return
        keep = self.current()
        self.choice.blockSignals(True)
        self.choice.clear()
        for name in names:
            self.choice.addItem(LABELS[name], name)
        self.choice.setCurrentIndex(max(0, self.choice.findData(keep)))
        self.choice.blockSignals(False)

    # -- content ------------------------------------------------------------------------------
    def arrow_kinds(self) -> dict[str, bool]:
        return {kind: box.isChecked() for kind, box in self.toggles.items()}

    def show_runs(self, runs: Mapping[str, Descent]) -> None:
        """Write out the picked optimizer's last step (or say why there is none)."""
        self.offer(list(runs))
        name = self.current()
        run = runs.get(name) if name else None
        if run is None:
            self.equations.show_message("Switch on an optimizer to look inside it.")
            return
        taken = run.step if run.diverged_at is None else run.diverged_at
        if taken == 0:
            self.equations.show_message(
                f"{LABELS[name]} has not stepped yet: press Step or Play, and its first step's "
                "equations appear here with their numbers.", title=f"Inside {LABELS[name]}")
            return
        explained = explain_record(name, run.optimizer.hyper, run.step_record(taken - 1))
        self.equations.show_step(explained)
        if run.diverged_at is not None:
            self.equations.title.setText(f"{explained.title} — the step where it diverged")

    def overlay_entries(self, runs: Mapping[str, Descent], colors: Mapping[str, str]) -> list[Internals]:
        """Arrows for every run that can still move; none when no toggle is on."""
        if not any(self.arrow_kinds().values()):
            return []
        return [internals(name, colors[name], run) for name, run in runs.items()
                if run.diverged_at is None and np.isfinite(run.points[-1]).all()]

