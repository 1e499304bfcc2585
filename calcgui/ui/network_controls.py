"""The network mode's side panel: the network's shape, its data, how it learns, and the buttons
that step through one pass (Forward, Backward, Update weights) or train.

It holds widgets only. Each edit is announced as ``edited(field, value)`` with the name of the
:class:`~calcgui.state.network.NetworkSettings` field it sets; the mode owns the settings and
decides what the edit changes (a new network, or only the next step).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout, QHBoxLayout, QPushButton,
    QSpinBox, QVBoxLayout, QWidget,
)

from calcgui.ui.appearance import appearance, follow
from calcgui.state.network import (
    CLIP_RANGE, LR_RANGE, MAX_HIDDEN_LAYERS, MAX_SEED, MAX_TRAIN_STEPS, MAX_UNITS, NetworkSettings,
)

__all__ = ["ACTIVATION_NAMES", "DATA_NAMES", "LOSS_NAMES", "NetworkControls"]

ACTIVATION_NAMES = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU"}
LOSS_NAMES = {"cross_entropy": "cross entropy", "mse": "mean squared error"}
DATA_NAMES = {"single": "one example", "xor": "XOR", "moons": "two moons", "line": "line"}
_SEED_TOP = MAX_SEED
#: The buttons a teacher clicks while talking: large enough to hit and to read from the back.
#: The step buttons' text size (a role of calcgui.ui.appearance.POINTS): large, pressed in front of a class.
BUTTON_ROLE = "heading"


class NetworkControls(QWidget):
    """``edited(field, value)``: the user set a settings field. The buttons are public
    attributes: the mode connects them."""

    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hidden_layers = self._spin(1, MAX_HIDDEN_LAYERS, "hidden layers (up to 10 for the vanishing-gradient demo)")
        self.units = self._spin(1, MAX_UNITS, "units in each hidden layer")
        self.activation = self._combo(ACTIVATION_NAMES)
        self.loss = self._combo(LOSS_NAMES)
        self.data = self._combo(DATA_NAMES)
        self.lr = self._double(*LR_RANGE, 4, "learning rate: how far each step goes")
        self.clip_on = QCheckBox("clip ‖∇L‖ at")
        self.clip = self._double(*CLIP_RANGE, 3, "largest global gradient norm a step may use")
        self.weight_decay = self._double(0.0, 1.0, 4, "L2 weight decay: each step also pulls every weight towards 0")
        self.seed = self._spin(0, _SEED_TOP, "the random seed of the initial weights")
        self.new_weights = QPushButton("New weights")
        self.new_weights.setToolTip("next seed: a new random start")
        self.train_steps = self._spin(1, MAX_TRAIN_STEPS, "how many steps Train runs")
        self.compare = QCheckBox("compare sigmoid vs ReLU")
        self.compare.setToolTip("‖δ‖ per layer of sigmoid (Glorot's initial weights) and ReLU (He's), "
                                "same depth and seed: sigmoid's fade towards the input, ReLU's do not")

        self.forward = QPushButton("Forward ▸")
        self.forward.setToolTip("compute the next layer's values, input to output")
        self.backward = QPushButton("◂ Backward")
        self.backward.setToolTip("compute the next layer's δ = ∂L/∂z, output to input")
        self.update_weights = QPushButton("Update weights")
        self.update_weights.setToolTip("one step of gradient descent: w ← w − lr·∂L/∂w")
        self.train = QPushButton("Train")
        self.train.setCheckable(True)
        self.reset = QPushButton("Reset")
        self.reset.setToolTip("back to the initial weights of this seed")
        for button in (self.forward, self.backward, self.update_weights, self.train, self.reset):
            follow(button, lambda button=button: (button.setFont(appearance().font(BUTTON_ROLE, button.font(), bold=True)),
                                                  button.setMinimumHeight(round(appearance().pixels(38)))))
        self._wire()
        self._lay_out()

    # -- construction -----------------------------------------------------------------------
    def _spin(self, low: int, high: int, tip: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setToolTip(tip)
        return box

    def _double(self, low: float, high: float, decimals: int, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(decimals)
        box.setRange(low, high)
        box.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        box.setToolTip(tip)
        return box

    def _combo(self, names: dict[str, str]) -> QComboBox:
        box = QComboBox()
        for value, name in names.items():
            box.addItem(name, value)
        return box

    def _wire(self) -> None:
        for name in ("hidden_layers", "units", "seed", "train_steps", "lr", "weight_decay"):
            box = getattr(self, name)
            box.valueChanged.connect(lambda value, name=name: self.edited.emit(name, value))
        for name in ("activation", "loss", "data"):
            box = getattr(self, name)
            box.currentIndexChanged.connect(lambda _i, name=name, box=box: self.edited.emit(name, box.currentData()))
        self.clip_on.toggled.connect(lambda _on: self._clip_edited())
        self.clip.valueChanged.connect(lambda _v: self._clip_edited())
        self.compare.toggled.connect(lambda on: self.edited.emit("compare", on))
        self.new_weights.clicked.connect(lambda: self.seed.setValue(self.seed.value() + 1 if self.seed.value() < _SEED_TOP else 0))
        self.train.toggled.connect(self._train_toggled)
        self.train_steps.valueChanged.connect(lambda _v: self._train_toggled(self.train.isChecked()))

    def _clip_edited(self) -> None:
        self.clip.setEnabled(self.clip_on.isChecked())
        self.edited.emit("clip", self.clip.value() if self.clip_on.isChecked() else None)

    def _train_toggled(self, on: bool) -> None:
        self.train.setText("■ Stop" if on else f"Train {self.train_steps.value()} steps")

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("hidden layers", self.hidden_layers)
        form.addRow("units per layer", self.units)
        form.addRow("activation", self.activation)
        form.addRow("loss", self.loss)
        form.addRow("data", self.data)
        form.addRow("learning rate", self.lr)
        form.addRow(self.clip_on, self.clip)
        form.addRow("L2 weight decay", self.weight_decay)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.new_weights)
        form.addRow("seed", seed_row)
        form.addRow("train steps", self.train_steps)
        form.addRow(self.compare)
        buttons = QGridLayout()
        buttons.addWidget(self.forward, 0, 0)
        buttons.addWidget(self.backward, 0, 1)
        buttons.addWidget(self.update_weights, 1, 0, 1, 2)
        buttons.addWidget(self.train, 2, 0)
        buttons.addWidget(self.reset, 2, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addStretch(1)

    # -- settings -----------------------------------------------------------------------------
    def show_settings(self, settings: NetworkSettings) -> None:
        """Show ``settings`` without announcing any change."""
        widgets = (self.hidden_layers, self.units, self.activation, self.loss, self.data, self.lr, self.clip_on,
                   self.clip, self.weight_decay, self.seed, self.train_steps, self.compare)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.hidden_layers.setValue(settings.hidden_layers)
            self.units.setValue(settings.units)
            for box, value in ((self.activation, settings.activation), (self.loss, settings.loss),
                               (self.data, settings.data)):
                box.setCurrentIndex(box.findData(value))
            self.lr.setValue(settings.lr)
            self.clip_on.setChecked(settings.clip is not None)
            if settings.clip is not None:
                self.clip.setValue(settings.clip)
            self.clip.setEnabled(settings.clip is not None)
            self.weight_decay.setValue(settings.weight_decay)
            self.seed.setValue(min(settings.seed, _SEED_TOP))
            self.train_steps.setValue(settings.train_steps)
            self.compare.setChecked(settings.compare)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._train_toggled(self.train.isChecked())
