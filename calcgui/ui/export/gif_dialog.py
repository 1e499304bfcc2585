"""The "Export animation as GIF" dialog: frame size, frame rate and length."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget,
)

from calcgui.ui.export.animations import Animation
from calcgui.ui.export.gif_render import GifOptions

#: Sizes offered besides the view's own (16:10, like most projectors' native modes).
SIZES = ((640, 400), (960, 600), (1280, 800))
FPS_RANGE = (5, 30)
DEFAULT_FPS = 15
DEFAULT_SECONDS = 4
MAX_FRAMES = 1200


class GifDialog(QDialog):
    """Asks for the GIF's size, frame rate and length; :meth:`options` is the answer."""

    def __init__(self, animation: Animation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export animation as GIF")
        self.animation = animation
        view = animation.view
        self.size_box = QComboBox()
        self.size_box.addItem(f"the view's size ({view.width()} × {view.height()})", None)
        for width, height in SIZES:
            self.size_box.addItem(f"{width} × {height}", (width, height))
        self.fps = QSpinBox()
        self.fps.setRange(*FPS_RANGE)
        self.fps.setValue(DEFAULT_FPS)
        self.fps.setSuffix(" frames/s")
        self.length = QSpinBox()
        self.length.setRange(1, MAX_FRAMES)
        self.length.setValue(DEFAULT_SECONDS)
        self.unit = QComboBox()
        self.unit.addItems(["seconds", "frames"])
        length_row = QHBoxLayout()
        length_row.addWidget(self.length, 1)
        length_row.addWidget(self.unit)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Size", self.size_box)
        form.addRow("Frame rate", self.fps)
        form.addRow("Length", length_row)
        form.addRow(self.summary)
        form.addRow(buttons)
        for signal in (self.fps.valueChanged, self.length.valueChanged, self.unit.currentIndexChanged):
            signal.connect(self._update_summary)
        self._update_summary()

    def options(self) -> GifOptions:
        fps = self.fps.value()
        frames = self.length.value() * fps if self.unit.currentText() == "seconds" else self.length.value()
        return GifOptions(self.size_box.currentData(), fps, max(2, min(frames, MAX_FRAMES)))

    def _update_summary(self) -> None:
        options = self.options()
        self.summary.setText(f"{options.frames} frames, {options.seconds:.3g} s. "
                             f"{self.animation.describe(options.seconds)}")
