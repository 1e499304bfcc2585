"""The optimizers of the Descent pane: a checkbox in each one's colour, its learning rate on a
log slider (1e-5 … 10) and the hyper-parameters that make it what it is (momentum, betas)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QGridLayout, QLabel, QSlider, QWidget

from calcgui.core.optimizers import LABELS, NAMES
from calcgui.state import DEFAULT_LR, DEFAULT_ON, OptimizerSettings
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import BLUE, GREEN, OCHRE, ORANGE, PURPLE, SKY, VERMILLION

#: Each optimizer's colour, by its light-theme name (the theme gives the colour drawn).
COLORS = {"gd": VERMILLION, "momentum": ORANGE, "nesterov": OCHRE, "adagrad": SKY, "rmsprop": GREEN,
          "adam": BLUE, "adamw": PURPLE}
LOG_MIN, LOG_MAX, TICKS_PER_DECADE = -5, 1, 100


@dataclass(frozen=True)
class OptimizerSetting:
    name: str
    enabled: bool
    lr: float
    hyper: dict[str, Any]


def _spin(value: float, low: float, high: float, step: float, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(4)  # β₂ = 0.9999 must survive a scene's round trip
    box.setSingleStep(step)
    box.setValue(value)
    box.setToolTip(tip)
    return box


class OptimizerPanel(QWidget):
    """One row per optimizer; ``changed`` fires on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        self.boxes: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self.lr_labels: dict[str, QLabel] = {}
        self.extras: dict[str, dict[str, QDoubleSpinBox]] = {}
        self._lrs: dict[str, float] = dict(DEFAULT_LR)
        for row, name in enumerate(NAMES):
            box = QCheckBox(LABELS[name])
            box.setChecked(name in DEFAULT_ON)
            follow(box, lambda box=box, name=name: box.setStyleSheet(
                f"QCheckBox {{ color: {appearance().theme.ink(COLORS[name])}; font-weight: bold; }}"))
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(LOG_MIN * TICKS_PER_DECADE, LOG_MAX * TICKS_PER_DECADE)
            slider.setValue(round(math.log10(DEFAULT_LR[name]) * TICKS_PER_DECADE))
            slider.setToolTip("learning rate, on a log scale from 10⁻⁵ to 10")
            slider.setAccessibleName(f"{LABELS[name]} learning rate")
            label = QLabel()
            follow(label, lambda label=label: label.setMinimumWidth(round(appearance().pixels(72))))
            extras = self._extras(name)
            for col, widget in enumerate((box, slider, label)):
                grid.addWidget(widget, row, col)
            for col, widget in enumerate(extras.values(), start=3):
                grid.addWidget(widget, row, col)
            box.toggled.connect(lambda _on: self.changed.emit())
            slider.valueChanged.connect(lambda _v, n=name: self._lr_moved(n))
            for widget in extras.values():
                widget.valueChanged.connect(lambda _v: self.changed.emit())
            self.boxes[name], self.sliders[name], self.lr_labels[name], self.extras[name] = box, slider, label, extras
            self._show_lr(name)
        grid.setColumnStretch(1, 1)

    @staticmethod
    def _extras(name: str) -> dict[str, QDoubleSpinBox]:
        if name == "momentum":
            return {"momentum": _spin(0.9, 0.0, 0.999, 0.05, "momentum μ")}
        if name == "nesterov":  # Nesterov's lookahead needs some momentum (torch.optim refuses 0)
            return {"momentum": _spin(0.9, 0.001, 0.999, 0.05, "momentum μ (above 0)")}
        if name == "rmsprop":
            return {"alpha": _spin(0.99, 0.0, 0.999, 0.01, "smoothing constant α")}
        if name in ("adam", "adamw"):
            return {"beta1": _spin(0.9, 0.0, 0.999, 0.05, "β₁ (momentum of the gradient)"),
                    "beta2": _spin(0.999, 0.0, 0.9999, 0.001, "β₂ (of the squared gradient)")}
        return {}

    # -- public -----------------------------------------------------------------------------
    def lr(self, name: str) -> float:
        """The learning rate in force: exactly what was set, or the slider's value once moved."""
        return self._lrs[name]

    def set_lr(self, name: str, lr: float) -> None:
        self._place_lr(name, lr)
        self.changed.emit()

    def _place_lr(self, name: str, lr: float) -> None:
        """Keep ``lr`` exactly (a scene's 0.05 stays 0.05) and put the slider nearest to it."""
        self._lrs[name] = float(lr)
        slider = self.sliders[name]
        slider.blockSignals(True)
        slider.setValue(round(math.log10(lr) * TICKS_PER_DECADE))
        slider.blockSignals(False)
        self._show_lr(name)

    def use_setting(self, name: str, lr: float, beta_field: str, beta: float) -> None:
        """Race ``name`` with this lr and β (a cell of the hyper-parameter map): switch it on,
        set both, and fire ``changed`` once. ``beta_field`` is the row's box: momentum, alpha
        or beta1."""
        box = self.extras[name][beta_field]
        for widget in (self.boxes[name], box):
            widget.blockSignals(True)
        self.boxes[name].setChecked(True)
        box.setValue(beta)
        for widget in (self.boxes[name], box):
            widget.blockSignals(False)
        self.set_lr(name, lr)

    def set_enabled_names(self, names: tuple[str, ...]) -> None:
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(name in names)
            box.blockSignals(False)
        self.changed.emit()

    def settings(self) -> list[OptimizerSetting]:
        result = []
        for name in NAMES:
            extras = {key: box.value() for key, box in self.extras[name].items()}
            hyper: dict[str, Any] = {}
            if "momentum" in extras:
                hyper["momentum"] = extras["momentum"]
            if "alpha" in extras:
                hyper["alpha"] = extras["alpha"]
            if "beta1" in extras:
                hyper["betas"] = (extras["beta1"], extras["beta2"])
            result.append(OptimizerSetting(name, self.boxes[name].isChecked(), self.lr(name), hyper))
        return result

    def optimizer_settings(self) -> dict[str, OptimizerSettings]:
        """Every optimizer's row as the state layer's settings."""
        result = {}
        for name in NAMES:
            extras = {key: box.value() for key, box in self.extras[name].items()}
            result[name] = OptimizerSettings(self.boxes[name].isChecked(), self.lr(name), **extras)
        return result

    def apply_settings(self, settings: Mapping[str, OptimizerSettings]) -> None:
        """Show ``settings`` (every optimizer's row); ``changed`` fires once at the end."""
        for name, setting in settings.items():
            widgets = [self.boxes[name], self.sliders[name], *self.extras[name].values()]
            for widget in widgets:
                widget.blockSignals(True)
            self.boxes[name].setChecked(setting.enabled)
            self._place_lr(name, setting.lr)
            for key, box in self.extras[name].items():
                box.setValue(getattr(setting, key))
            for widget in widgets:
                widget.blockSignals(False)
            self._show_lr(name)
        self.changed.emit()

    def _lr_moved(self, name: str) -> None:
        self._lrs[name] = 10.0 ** (self.sliders[name].value() / TICKS_PER_DECADE)
        self._show_lr(name)
        self.changed.emit()

    def _show_lr(self, name: str) -> None:
        self.lr_labels[name].setText(f"lr {self.lr(name):.2g}")
