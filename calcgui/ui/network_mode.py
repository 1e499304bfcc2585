"""Network mode of the Chain rule / backprop pane: a small network a teacher steps through one
layer at a time (Forward, Backward), updates once (Update weights) or trains, while the diagram,
the loss, the decision boundary and ‖δ‖ per layer follow.

The widget is self-contained (no Pane base): the pane embeds it, reads :meth:`NetworkMode.settings`
for its scene and undo history, calls :meth:`NetworkMode.apply` to restore one, and listens to
``changed``. The numbers come from :class:`~calcgui.ui.network_run.NetworkRun`; this module
only decides what is shown when.

Training runs on the UI thread in timer ticks: a step of the largest network (10 × 8 units, 200
examples) costs about 0.3 ms, so a tick does as many steps as its wall-clock pace asks for, up to
a budget of 4 ms, and then draws (bench/bench_network_view.py measures the whole tick).
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from calcgui.core.backprop import ForwardPass, Gradients
from calcgui.state.network import NetworkSettings
from calcgui.ui.appearance import appearance, badge_style, follow, scrolling
from calcgui.ui.network_controls import ACTIVATION_NAMES, NetworkControls
from calcgui.ui.network_diagram import DiagramData, NetworkDiagram
from calcgui.ui.network_plots import BoundaryPlot, DeltaNormPlot, LossPlot
from calcgui.ui.network_run import NetworkRun, Update, describe_example, format_value

__all__ = ["NetworkMode"]

FRAME_MS = 30
#: "Train N" takes about this long (at least MIN_RATE steps per second), so a teacher can talk over it.
TRAIN_SECONDS = 4.0
MIN_RATE = 60.0
#: A tick's steps stop after this long, leaving the rest of the frame for drawing.
STEP_BUDGET_S = 0.004
#: While training, the loss and ‖δ‖ plots are redrawn at most this often, and the decision
#: boundary at most every BOUNDARY_EVERY_S, on a coarser grid.
PLOTS_EVERY_S = 0.1
BOUNDARY_EVERY_S = 0.25
#: The decision grid's side: 101 points, fewer for a deep network, whose forward pass over the
#: grid costs samples × Σ(in·out) multiply-adds: this many keeps it near 5 ms (10 × 8: 61²).
RESOLUTION = 101
GRID_WORK = 2.2e6
MIN_RESOLUTION = 31
#: The readouts' text size (a role of calcgui.ui.appearance.POINTS).
READOUT_ROLE = "readout"
#: The plots' column: a square-ish decision boundary, and the diagram keeps the rest.
PLOTS_WIDTH = 360
#: The example whose values the neurons show.
EXAMPLE = 0
#: Fields whose change means a different network (new initial weights, training starts over).
REBUILD_FIELDS = ("hidden_layers", "units", "activation", "loss", "data", "seed")
#: Fields edited with spin boxes: a run of arrow clicks is one undo step.
_MERGED_FIELDS = ("hidden_layers", "units", "lr", "clip", "weight_decay", "seed", "train_steps")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class NetworkMode(QWidget):
    """``changed(merge_key)`` fires on every edit of the settings by the user ("" for one that
    stands alone, "network.<field>" for spin-box runs that undo as one step)."""

    changed = Signal(str)

    def __init__(self, settings: NetworkSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else NetworkSettings()
        self.run = NetworkRun(self._settings)
        self.forward_layers = 0  #: layers whose values are shown (0: only the inputs)
        self.backward_layers = 0  #: layers whose δ are shown, counted from the output
        self._pass: ForwardPass | None = None
        self._grads: Gradients | None = None
        self.last_update: Update | None = None
        self._train_goal = self._train_from = 0
        self._train_clock = self._boundary_clock = self._plots_clock = 0.0
        self._rate = MIN_RATE
        self._build()
        self._timer = QTimer(self, interval=FRAME_MS)
        self._timer.timeout.connect(self.tick)
        self.apply(self._settings)

    # -- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        self.controls = controls = NetworkControls()
        controls.setMaximumWidth(330)
        controls.edited.connect(self._edited)
        controls.forward.clicked.connect(self.forward_step)
        controls.backward.clicked.connect(self.backward_step)
        controls.update_weights.clicked.connect(self.update_weights)
        controls.train.toggled.connect(self._train_toggled)
        controls.reset.clicked.connect(self.reset)
        self.diagram = NetworkDiagram()
        self.caption = self._label(wrap=True)
        self.status = self._label(wrap=True)
        # readouts wrap: the pane must fit a 1000-pixel-wide window beside the pane list
        self.loss_readout = self._label(wrap=True, bold=True)
        self.norm_readout = self._label(wrap=True)
        self.badge = self._label(wrap=True, bold=True)
        self.badge.setObjectName("divergedBadge")
        follow(self.badge, lambda: self.badge.setStyleSheet(badge_style()))
        self.badge.hide()
        self.loss_plot = LossPlot()
        self.boundary_plot = BoundaryPlot()
        self.delta_plot = DeltaNormPlot()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.loss_plot, "loss per step")
        self.tabs.addTab(self.delta_plot, "‖δ‖ per layer")

        centre = QWidget()
        middle = QVBoxLayout(centre)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addWidget(self.caption)
        middle.addWidget(self.diagram, 1)
        middle.addWidget(self.status)
        middle.addWidget(self.loss_readout)
        middle.addWidget(self.norm_readout)
        middle.addWidget(self.badge)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.boundary_plot)
        plots.addWidget(self.tabs)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(centre)
        splitter.addWidget(plots)
        splitter.setStretchFactor(0, 1)  # the diagram takes what the window gains
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([PLOTS_WIDTH * 2, PLOTS_WIDTH])
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(scrolling(controls))  # zoomed in, the controls scroll rather than being cut off
        row.addWidget(splitter, 1)

    def _label(self, *, wrap: bool = False, bold: bool = False) -> QLabel:
        label = QLabel()
        follow(label, lambda: label.setFont(appearance().font(READOUT_ROLE, label.font(), bold=bold)))
        label.setWordWrap(wrap)
        return label

    # -- settings -------------------------------------------------------------------------------
    def settings(self) -> NetworkSettings:
        return self._settings

    def apply(self, settings: NetworkSettings) -> None:
        """Show ``settings`` and rebuild the network from its seed (no ``changed``)."""
        self.stop()
        self._settings = settings
        self.controls.show_settings(settings)
        self._rebuild()

    def _edited(self, name: str, value: object) -> None:
        old, new = self._settings, dataclasses.replace(self._settings, **{name: value})
        if new == old:
            return
        self._settings = new
        if any(getattr(old, field) != getattr(new, field) for field in REBUILD_FIELDS):
            self.stop()
            self._rebuild()
        else:
            self.run.settings = new
            self._show_norms()
        self.changed.emit(f"network.{name}" if name in _MERGED_FIELDS else "")

    def _rebuild(self) -> None:
        """A fresh run of the settings' network at its initial weights: the lesson starts over."""
        s = self._settings
        self.run = NetworkRun(s)
        self.forward_layers = self.backward_layers = 0
        self._weights_changed()
        self.last_update = None
        hidden = ACTIVATION_NAMES[s.activation]
        output = "output σ" if s.loss == "cross_entropy" else "output (linear)"
        self.diagram.set_architecture(s.sizes, hidden, output)
        examples = len(self.run.X)
        edges = "" if examples == 1 else f"; edges: ∂L/∂w over all {examples} examples"
        self.caption.setText(f"{describe_example(self.run.data, EXAMPLE)}{edges}")
        self.status.setText("Click Forward ▸ to compute the network layer by layer.")
        self.boundary_plot.show_data(self.run.X, self.run.Y)
        self.boundary_plot.frame(*self.run.ranges())
        self._redraw(final=True)

    # -- one pass, step by step ---------------------------------------------------------------------
    @property
    def layers(self) -> int:
        return len(self._settings.sizes) - 1

    def forward_step(self) -> None:
        """Compute (show) the next layer's values; after the output, start over at layer 1."""
        if self.training:
            return
        if self.forward_layers >= self.layers:
            self.forward_layers = self.backward_layers = 0
        self.forward_layers += 1
        self.status.setText(self._forward_text(self.forward_layers))
        self._draw_diagram()

    def backward_step(self) -> None:
        """Compute (show) the next layer's δ and ∂L/∂w, from the output back (finishing the forward
        pass first if it was not finished)."""
        if self.training:
            return
        if self.backward_layers >= self.layers or self.forward_layers < self.layers:
            self.backward_layers = 0
        self.forward_layers = self.layers
        self.backward_layers += 1
        self.status.setText(self._backward_text(self.layers - self.backward_layers + 1))
        self._draw_diagram()

    def _forward_text(self, layer: int) -> str:
        s = self._settings
        a = "x" if layer == 1 else f"a{str(layer - 1).translate(_SUPERSCRIPTS)}"
        z = f"z{str(layer).translate(_SUPERSCRIPTS)} = W{str(layer).translate(_SUPERSCRIPTS)}·{a} + b"
        if layer < self.layers:
            return f"Forward, layer {layer} of {self.layers}: {z}, then a = {s.activation}(z)."
        output = self.current_pass().output[EXAMPLE, 0]
        rule = "ŷ = σ(z)" if s.loss == "cross_entropy" else "ŷ = z (a linear output for mean squared error)"
        return (f"Forward, output: {z}, {rule} = {format_value(float(output))} for this example. "
                f"Loss over all {len(self.run.X)}: L = {format_value(self.current_gradients().loss)}.")

    def _backward_text(self, layer: int) -> str:
        n = len(self.run.X)
        if layer == self.layers:
            start = "(ŷ − y)" if self._settings.loss == "cross_entropy" else "2(ŷ − y)"
            return (f"Backward, output: δ = ∂L/∂z = {start}/{n} (the loss is a mean over {n}), "
                    f"and ∂L/∂W = δᵀ·a of the layer before.")
        up = str(layer + 1).translate(_SUPERSCRIPTS)
        return (f"Backward, layer {layer}: δ = (δ{up}·W{up}) ⊙ {self._settings.activation}′(z) — the chain rule "
                f"through layer {layer + 1}; then ∂L/∂W = δᵀ·a.")

    def current_pass(self) -> ForwardPass:
        if self._pass is None:
            self._pass = self.run.forward()
        return self._pass

    def current_gradients(self) -> Gradients:
        if self._grads is None:
            self._grads = self.run.backward()
        return self._grads

    def _weights_changed(self) -> None:
        self._pass = self._grads = None

    def diagram_data(self) -> DiagramData:
        """What the diagram shows at this stage of the pass."""
        run, layers = self.current_pass(), self.layers
        values = [run.activations[0][EXAMPLE]] + [
            run.activations[c][EXAMPLE] if c <= self.forward_layers else None for c in range(1, layers + 1)]
        zs = [run.zs[c - 1][EXAMPLE] if c <= self.forward_layers else None for c in range(1, layers + 1)]
        shown_from = layers - self.backward_layers  # layers with index ≥ this have their δ shown
        grads = self.current_gradients() if self.backward_layers else None
        deltas = [grads.deltas[k][EXAMPLE] if grads is not None and k >= shown_from else None for k in range(layers)]
        dws = [grads[k][0] if grads is not None and k >= shown_from else None for k in range(layers)]
        if self.backward_layers:
            active: int | None = shown_from + 1
        else:
            active = self.forward_layers or None
        return DiagramData(self.run.network.params, values, zs, deltas, dws, active, len(self.run.X))

    def _draw_diagram(self) -> None:
        self.diagram.draw(self.diagram_data())

    # -- updating the weights --------------------------------------------------------------------
    def update_weights(self) -> None:
        """One step of gradient descent on the whole data set, shown as loss before → after."""
        if self.training:
            return
        update = self.run.update()
        if update is not None:
            self.last_update = update
            trend = "falling" if update.after < update.before else "rising: try a smaller learning rate"
            self.status.setText(f"Update: every weight moved by −lr·∂L/∂w (lr = {format_value(self._settings.lr)}).")
            self._after_steps(final=True)
            self.loss_readout.setText(f"loss {format_value(update.before)} → {format_value(update.after)} "
                                      f"after step {self.run.step_count} ({trend})")
        else:
            self._after_steps(final=True)

    def advance(self, steps: int) -> int:
        """Train ``steps`` steps now (no animation) and show the result; returns the steps taken."""
        done = self.run.train(steps)
        self.status.setText(f"Trained {done} steps.")
        self._after_steps(final=True)
        return done

    @property
    def training(self) -> bool:
        return self._timer.isActive()

    def _train_toggled(self, on: bool) -> None:
        if not on:
            self.stop()
            return
        if self.run.diverged_at is not None:
            self.controls.train.setChecked(False)
            return
        steps = self._settings.train_steps
        self._train_from, self._train_goal = self.run.step_count, self.run.step_count + steps
        self._rate = max(MIN_RATE, steps / TRAIN_SECONDS)
        self._train_clock = self._boundary_clock = self._plots_clock = time.perf_counter()
        for button in (self.controls.forward, self.controls.backward, self.controls.update_weights):
            button.setEnabled(False)
        self.diagram.set_moving(True)
        self._timer.start()

    def tick(self) -> None:
        """One animation frame: the steps the wall clock asks for (within the budget), then draw."""
        now = time.perf_counter()
        due = min(self._train_goal, self._train_from + max(1, int((now - self._train_clock) * self._rate)))
        if due > self.run.step_count:
            self.run.train(due - self.run.step_count, deadline=now + STEP_BUDGET_S)
        finished = self.run.step_count >= self._train_goal or self.run.diverged_at is not None
        if finished:
            self.stop()
        else:
            self._after_steps(final=False)

    def stop(self) -> None:
        """Stop training (if it runs) and draw the final state."""
        if not self._timer.isActive():
            return
        self._timer.stop()
        self.diagram.set_moving(False)
        for button in (self.controls.forward, self.controls.backward, self.controls.update_weights):
            button.setEnabled(True)
        self.controls.train.blockSignals(True)
        self.controls.train.setChecked(False)
        self.controls.train.blockSignals(False)
        self.controls.show_settings(self._settings)  # the button's text
        self.status.setText(f"Trained {self.run.step_count - self._train_from} steps.")
        self._after_steps(final=True)

    def reset(self) -> None:
        """Back to the seed's initial weights, with the history cleared."""
        self.stop()
        self._rebuild()

    def _after_steps(self, *, final: bool) -> None:
        self._weights_changed()
        self.forward_layers, self.backward_layers = self.layers, 0
        if self.run.diverged_at is None:
            self.loss_readout.setText(f"loss {format_value(self.current_gradients().loss)} after step {self.run.step_count}")
            if self.training:
                self.status.setText(f"Training: step {self.run.step_count} of {self._train_goal}.")
        self._redraw(final=final)

    # -- drawing -------------------------------------------------------------------------------------
    def _redraw(self, *, final: bool) -> None:
        """The diagram every frame; the plots (whose axes cost most of a frame to repaint) at
        most every PLOTS_EVERY_S, the decision grid every BOUNDARY_EVERY_S, all when ``final``."""
        self._draw_diagram()
        now = time.perf_counter()
        if final or now - self._plots_clock >= PLOTS_EVERY_S:
            self._plots_clock = now
            current = self.current_gradients().loss if self.run.diverged_at is None else None
            self.loss_plot.show_history(*self.run.history(current))
            self._show_norms()
        if final or now - self._boundary_clock >= BOUNDARY_EVERY_S:
            self._boundary_clock = now
            grid = self.run.boundary(self.grid_resolution(final=final))
            if grid is not None:
                self.boundary_plot.show_grid(grid)
        if self.run.diverged_at is not None:
            self.badge.setText(self.run.divergence)
            self.badge.show()
            self.loss_readout.setText(f"stopped: diverged at step {self.run.diverged_at}")
        else:
            self.badge.hide()
        if self.run.step_count == 0 and self.run.diverged_at is None and self.last_update is None:
            self.loss_readout.setText(f"loss {format_value(self.current_gradients().loss)} at the initial weights")

    def grid_resolution(self, *, final: bool) -> int:
        """Samples per side of the decision grid: fewer for deep networks, half while training."""
        sizes = self._settings.sizes
        work = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        side = min(RESOLUTION, int((GRID_WORK / work) ** 0.5))
        return max(MIN_RESOLUTION, side if final else side // 2)

    def _show_norms(self) -> None:
        """‖δ‖ per layer (and sigmoid's and ReLU's when comparing), and the gradient's global norm
        before and after clipping."""
        grads = self.current_gradients()
        compare = self._settings.compare
        self.delta_plot.show_norms(grads.delta_norms,
                                   self.run.initial_delta_norms("sigmoid") if compare else None,
                                   self.run.initial_delta_norms("relu") if compare else None)
        norm = self.run.gradient_norm(grads)
        clip = self._settings.clip
        if clip is None:
            text = f"gradient norm ‖∇L‖ = {format_value(norm)} (no clipping)"
        elif norm > clip:
            text = f"gradient norm ‖∇L‖ = {format_value(norm)} → clipped to {format_value(self.run.clipped(norm))}"
        else:
            text = f"gradient norm ‖∇L‖ = {format_value(norm)}, under the clip of {format_value(clip)}: unchanged"
        self.norm_readout.setText(text)
