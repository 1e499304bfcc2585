"""The side panel of the Descent pane: which optimizers race and how (learning rates,
hyper-parameters, clipping, schedule), the play / step / reset controls, the step counter, the
legend and the "diverged" badge. It holds widgets only; the race itself is the pane's."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget,
)

from calcgui.core.descent import Clipping, Schedule
from calcgui.state import MAX_STEPS, RaceSettings
from calcgui.ui.appearance import appearance, badge_style, follow
from calcgui.ui.optimizer_panel import OptimizerPanel

CLIPPING = (("no clipping", "none"), ("clip by norm", "norm"), ("clip by value", "value"))
#: The speed setting k (1 … 20, as a scene stores it) plays k steps per frame of a nominal
#: 60 frames/s, measured in wall time: k × 60 steps per second however long a frame takes.
STEPS_PER_SECOND_PER_LEVEL = 60
SCHEDULES = (("constant lr", "constant"), ("step decay", "step"), ("exponential decay", "exponential"),
             ("cosine", "cosine"), ("linear warm-up", "warmup"))


class RaceControls(QWidget):
    """``changed`` fires when a setting that changes the runs is edited (optimizers, their
    learning rates and hyper-parameters, clipping, schedule); ``speed_changed`` for speed."""

    changed = Signal()
    speed_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optimizers = OptimizerPanel()
        self.optimizers.changed.connect(self.changed)
        self.play_button = QPushButton("▶ Play")
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(lambda on: self.play_button.setText("❚❚ Pause" if on else "▶ Play"))
        self.step_button = QPushButton("Step")
        self.reset_button = QPushButton("Reset")
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 20)
        self.speed.setValue(2)
        self.speed.setToolTip("animation speed, in steps per second")
        self.speed.setMinimumWidth(80)  # pixels: room to drag, at any zoom
        self.speed_label = QLabel()
        self.speed.valueChanged.connect(lambda _v: (self._show_speed(), self.speed_changed.emit()))
        self._show_speed()
        self.counter = QLabel("step 0")
        self.clip_mode = QComboBox()
        for label, mode in CLIPPING:
            self.clip_mode.addItem(label, mode)
        self.clip_value = QDoubleSpinBox()
        self.clip_value.setRange(1e-3, 1e4)
        self.clip_value.setValue(1.0)
        self.clip_value.setPrefix("at ")
        self.schedule = QComboBox()
        for label, kind in SCHEDULES:
            self.schedule.addItem(label, kind)
        for widget in (self.clip_mode, self.schedule):
            widget.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.clip_value.valueChanged.connect(lambda _v: self.changed.emit())
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.badge = QLabel()
        self.badge.setObjectName("divergedBadge")
        self.badge.setWordWrap(True)
        self.badge.hide()
        self._lay_out()
        follow(self, self._restyle)

    def _restyle(self) -> None:
        """The step counter at the "readout" size; the diverged badge in the theme's error colour."""
        self.counter.setFont(appearance().font("readout", bold=True))
        self.badge.setStyleSheet(badge_style() + " font-weight: bold;")

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        for widget in (self.play_button, self.step_button, self.reset_button, self.speed, self.speed_label, self.counter):
            controls.addWidget(widget)
        options = QHBoxLayout()
        for widget in (self.clip_mode, self.clip_value, self.schedule):
            options.addWidget(widget)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 0, 0, 0)
        column.addLayout(controls)  # first: Play and the step count stay in view when the panel scrolls
        column.addWidget(self.optimizers)
        column.addLayout(options)
        column.addWidget(self.badge)
        column.addWidget(self.legend)
        column.addStretch(1)

    def steps_per_second(self) -> float:
        """How fast the race plays, in steps per second of wall time."""
        return float(self.speed.value() * STEPS_PER_SECOND_PER_LEVEL)

    def _show_speed(self) -> None:
        self.speed_label.setText(f"{self.steps_per_second():.0f} steps/s")

    # -- what the runs need -------------------------------------------------------------------
    def clipping(self) -> Clipping:
        return Clipping(self.clip_mode.currentData(), self.clip_value.value())

    def schedule_in_force(self) -> Schedule:
        return Schedule(self.schedule.currentData(), total_steps=MAX_STEPS)

    # -- settings -------------------------------------------------------------------------------
    def race_fields(self) -> dict[str, object]:
        """The fields of a :class:`RaceSettings` that these controls hold."""
        return {"optimizers": self.optimizers.optimizer_settings(), "clipping": self.clip_mode.currentData(),
                "clip_value": self.clip_value.value(), "schedule": self.schedule.currentData(),
                "speed": self.speed.value()}

    def apply(self, race: RaceSettings) -> None:
        """Show ``race``'s optimizers and options without announcing each change."""
        widgets = (self.optimizers, self.clip_mode, self.clip_value, self.schedule, self.speed)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.optimizers.apply_settings(race.optimizers)
            self.clip_mode.setCurrentIndex(self.clip_mode.findData(race.clipping))
            self.clip_value.setValue(race.clip_value)
            self.schedule.setCurrentIndex(self.schedule.findData(race.schedule))
            self.speed.setValue(race.speed)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._show_speed()
