"""The hyper-parameter map: final loss over a grid of (learning rate, β), one run per cell.

Distill's momentum article shows such a map; here it is computed for the surface and start on
screen (:func:`calcgui.core.descent.sweep`, all runs stepped together as one numpy batch) on a
background thread, with a progress bar and Cancel. Dark cells are low final losses; hatched grey
cells diverged. Clicking a cell hands its (lr, β) to the race.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from calcgui.core.optimizers import LABELS
from calcgui.core.update_rules import format_vector
from calcgui.core.sweep import BETA_NAMES as SWEPT
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import pen, style_plot

#: What the swept β is called on the map's axis, per optimizer that has one.
BETA_NAMES: dict[str, str] = {
    name: {"momentum": "momentum μ", "alpha": "α", "beta1": "β₁"}[swept] for name, swept in SWEPT.items()}
#: The grid of the issue: 100 learning rates from 10⁻⁵ to 10 (log-spaced) × 100 values of β.
GRID = 100
LOG_LR_RANGE = (-5.0, 1.0)
BETA_RANGE = (0.0, 0.99)
STEPS = 300


def grid_values(count: int = GRID) -> tuple[np.ndarray, np.ndarray]:
    """The learning rates (log-spaced) and βs (evenly spaced) of the map's cells."""
    return (np.logspace(*LOG_LR_RANGE, count), np.linspace(*BETA_RANGE, count))


@dataclass(frozen=True, eq=False)
class SweepResult:
    optimizer: str
    lrs: np.ndarray
    betas: np.ndarray
    losses: np.ndarray  #: (len(lrs), len(betas)); NaN where the run diverged
    context: object = None  #: what the race was when the map was computed


class _LogLrAxis(pg.AxisItem):
    """Ticks at whole powers of ten of a log₁₀ axis, written 10⁻³ rather than −3."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph override)
        superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
        return [f"10{str(int(round(v))).translate(superscript)}" if abs(v - round(v)) < 1e-6
                else "" for v in values]

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph override)
        return [(1.0, [float(k) for k in range(math.ceil(minVal), math.floor(maxVal) + 1)])]


class SweepPlot(pg.PlotWidget):
    """The map itself; ``picked`` carries the clicked cell's (lr, β)."""

    picked = Signal(float, float)
    #: what lies under the pointer, as a sentence ("" off the map)
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": _LogLrAxis("bottom")})
        item = self.getPlotItem()
        item.setLabel("bottom", "learning rate γ")
        item.setLabel("left", "β")
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self.hatch = pg.QtWidgets.QGraphicsRectItem()
        self.hatch.setBrush(QBrush(QColor(150, 150, 150), Qt.BrushStyle.BDiagPattern))
        self.hatch.setPen(pg.mkPen(None))
        self.hatch.setZValue(-20)
        self.addItem(self.hatch)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False,
                                        width=14, label="log₁₀ final loss")
        self.colorbar.setImageItem(self.image, insert_in=item)
        item.getAxis("left").enableAutoSIPrefix(False)  # β as 0.9, never "900 (x0.001)"
        # the race's setting: a white cross edged in black, visible on dark and light cells
        self.markers = [pg.ScatterPlotItem(symbol="+", brush=None) for _ in range(2)]
        for marker in self.markers:
            self.addItem(marker)
        style_plot(self)
        follow(self, self._restyle)
        self._result: SweepResult | None = None
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._moved)

    def _restyle(self) -> None:
        """The cross at the zoomed size; black and white whatever the theme (on the colour map)."""
        for marker, (color, width) in zip(self.markers, (("#000000", 5), ("#FFFFFF", 2))):
            marker.setPen(pen(color, width))
            marker.setSize(appearance().pixels(18))

    def show_result(self, result: SweepResult) -> None:
        self._result = result
        log_lrs, betas = np.log10(result.lrs), result.betas
        with np.errstate(all="ignore"):
            shown = np.log10(np.maximum(result.losses, 1e-300))
        finite = shown[np.isfinite(shown)]
        # colours span the middle 98 % of the cells: a few runs that blew up to 10⁹ without
        # diverging must not wash the rest of the map into one colour
        lo, hi = (float(np.percentile(finite, 1)), float(np.percentile(finite, 99))) if finite.size else (0.0, 1.0)
        if not hi > lo:
            lo, hi = lo - 1.0, lo + 1.0
        dx, dy = _spacing(log_lrs), _spacing(betas)
        rect = pg.QtCore.QRectF(log_lrs[0] - dx / 2, betas[0] - dy / 2,
                                log_lrs[-1] - log_lrs[0] + dx, betas[-1] - betas[0] + dy)
        self.image.setImage(shown.T, autoLevels=False)  # rows = β, columns = lr
        self.image.setRect(rect)
        self.colorbar.setLevels((lo, hi))
        self.hatch.setRect(rect)
        self.getPlotItem().getViewBox().setRange(rect, padding=0.0)
        self.getPlotItem().setLabel("left", BETA_NAMES[result.optimizer])

    def result(self) -> SweepResult | None:
        return self._result

    @property
    def result_context(self) -> object:
        return None if self._result is None else self._result.context

    def mark(self, lr: float, beta: float) -> None:
        """Where the race's current setting lies on the map."""
        for marker in self.markers:
            marker.setData([math.log10(lr)], [beta])

    def cell_at(self, log_lr: float, beta: float) -> tuple[float, float] | None:
        """The (lr, β) of the cell under a point of the map, or None outside it."""
        result = self._result
        if result is None:
            return None
        log_lrs = np.log10(result.lrs)
        i = int(np.argmin(np.abs(log_lrs - log_lr)))
        j = int(np.argmin(np.abs(result.betas - beta)))
        if abs(log_lrs[i] - log_lr) > _spacing(log_lrs) or abs(result.betas[j] - beta) > _spacing(result.betas):
            return None
        return float(result.lrs[i]), float(result.betas[j])

    def describe(self, lr: float, beta: float) -> str:
        """One cell in words: its values and how its run ended."""
        result = self._result
        assert result is not None
        loss = result.losses[int(np.flatnonzero(result.lrs == lr)[0]), int(np.flatnonzero(result.betas == beta)[0])]
        ending = "diverged" if np.isnan(loss) else f"final loss {format_vector(loss)}"
        return f"γ = {format_vector(lr)}, {BETA_NAMES[result.optimizer]} = {format_vector(beta)}: {ending}"

    def _moved(self, scene_pos: QPointF) -> None:
        point = self.getPlotItem().getViewBox().mapSceneToView(scene_pos)
        cell = self.cell_at(point.x(), point.y())
        self.hovered.emit("" if cell is None else self.describe(*cell))

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        view = self.getPlotItem().getViewBox()
        point: QPointF = view.mapSceneToView(event.scenePos())
        cell = self.cell_at(point.x(), point.y())
        if cell is not None:
            self.picked.emit(*cell)


def _spacing(values: np.ndarray) -> float:
    return float(values[1] - values[0]) if len(values) > 1 else 1.0


def _emit(signal, *args: object) -> None:
    """Emit from the sweep thread; the panel may have been closed meanwhile (nothing to tell)."""
    try:
        signal.emit(*args)
    except RuntimeError:  # "Internal C++ object already deleted"
        pass


class _Relay(QObject):
    """Carries the background thread's progress and result to the UI thread (queued)."""

    progress = Signal(int, float)
    finished = Signal(int, object)


class SweepPanel(QWidget):
    """Optimizer choice, Compute / Cancel, progress, the map and a caption.

    ``sweep`` is the function that fills a map (``(optimizer, lrs, betas, steps, progress)``
    → losses, with ``progress(fraction)`` returning False to stop); the pane supplies one bound
    to its surface and start. ``picked`` carries (optimizer, lr, β) of a clicked cell.
    """

    picked = Signal(str, float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optimizer = QComboBox()
        for name, beta in BETA_NAMES.items():
            self.optimizer.addItem(f"{LABELS[name]}: (γ, {beta})", name)
        self.optimizer.setCurrentIndex(list(BETA_NAMES).index("adam"))
        self.compute = QPushButton("Compute map")
        self.cancel = QPushButton("Cancel")
        self.cancel.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setAccessibleName("cell under the pointer")
        self.plot = SweepPlot()
        self.plot.hovered.connect(self.readout.setText)
        row = QHBoxLayout()
        for widget in (self.optimizer, self.compute, self.cancel):
            row.addWidget(widget)
        row.addWidget(self.progress, 1)
        row.addWidget(self.readout, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        self._sweep: Callable[..., np.ndarray] | None = None
        self._context: object = None
        self._generation = 0
        self._cancelled = threading.Event()
        self._relay = _Relay(self)
        self._relay.progress.connect(self._progressed)
        self._relay.finished.connect(self._finished)
        self.compute.clicked.connect(self.start)
        self.cancel.clicked.connect(self.stop)
        self.plot.picked.connect(lambda lr, beta: self.picked.emit(self.current_optimizer(), lr, beta))
        self.caption.setText(f"Final loss after {STEPS} steps for each (γ, β): dark is low, hatched "
                             "grey diverged. Click a cell to race with its values.")

    def current_optimizer(self) -> str:
        return self.optimizer.currentData()

    def set_sweep(self, sweep: Callable[..., np.ndarray] | None, context: object = None) -> None:
        """The function for the race on screen; ``context`` names what it depends on (surface,
        start, the other hyper-parameters). A map of another context is marked as such, and
        one being computed for it is cancelled."""
        if context == self._context and sweep is not None and self._sweep is not None:
            self._sweep = sweep
            return
        self._sweep, self._context = sweep, context
        if self.is_running():
            self.stop()
        self.compute.setEnabled(sweep is not None)
        if self.plot.result() is not None and self.plot.result_context != context:
            self.caption.setText("This map is of the race as it was: the surface, start or other "
                                 "settings have changed since. Compute it again for this race.")

    def is_running(self) -> bool:
        return self.cancel.isEnabled()

    def start(self) -> None:
        if self._sweep is None:
            return
        self.stop()
        self._generation += 1
        generation, sweep, name = self._generation, self._sweep, self.current_optimizer()
        context = self._context
        cancelled = self._cancelled = threading.Event()
        lrs, betas = grid_values()
        relay = self._relay

        def work() -> None:
            def report(fraction: float) -> bool:
                _emit(relay.progress, generation, fraction)
                return not cancelled.is_set()
            try:
                losses = sweep(name, lrs, betas, STEPS, report)
                outcome: object = SweepResult(name, lrs, betas, np.asarray(losses), context)
            except Exception as error:  # cancelled, or a surface whose gradient fails: said
                outcome = error
            _emit(relay.finished, generation, outcome)

        self.progress.setValue(0)
        self.compute.setEnabled(False)
        self.cancel.setEnabled(True)
        threading.Thread(target=work, name="sweep", daemon=True).start()

    def stop(self) -> None:
        """Cancel a running map; its late result is dropped."""
        self._cancelled.set()
        self._generation += 1
        self.cancel.setEnabled(False)
        self.compute.setEnabled(self._sweep is not None)

    def _progressed(self, generation: int, fraction: float) -> None:
        if generation == self._generation:
            self.progress.setValue(round(100 * fraction))

    def _finished(self, generation: int, outcome: object) -> None:
        if generation != self._generation:
            return
        self.cancel.setEnabled(False)
        self.compute.setEnabled(self._sweep is not None)
        if isinstance(outcome, SweepResult):
            self.progress.setValue(100)
            self.plot.show_result(outcome)
            diverged = int(np.isnan(outcome.losses).sum())
            self.caption.setText(
                f"{LABELS[outcome.optimizer]}: final loss after {STEPS} steps for each (γ, "
                f"{BETA_NAMES[outcome.optimizer]}); dark is low, hatched grey diverged "
                f"({diverged} of {outcome.losses.size}). Click a cell to race with its values.")
        else:
            self.caption.setText(f"The map could not be computed: {outcome}")
