"""One spin box per variable of the typed expression: ``x = [1.000]  w = [0.500] …``.

It remembers the value of every allowed variable, shown or not, so a variable that disappears
from f and comes back (or survives a change of f) keeps the value the user gave it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QWidget

#: The boxes' range: wide enough for any lesson, the same bound as the settings'.
LIMIT = 1e6
DECIMALS = 3


class VariableBoxes(QWidget):
    """Spin boxes for :meth:`set_variables`' names; :attr:`edited` (name, value) fires when the
    user changes one (not when :meth:`set_values` does)."""

    edited = Signal(str, float)

    def __init__(self, values: Mapping[str, float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, float] = dict(values)
        self.boxes: dict[str, QDoubleSpinBox] = {}
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._widgets: list[QWidget] = []

    def names(self) -> tuple[str, ...]:
        return tuple(self.boxes)

    def set_variables(self, names: Sequence[str]) -> None:
        """Show a box for each of ``names`` (in that order), each at its remembered value."""
        if tuple(names) == self.names():
            return
        for widget in self._widgets:
            self._row.removeWidget(widget)
            widget.deleteLater()
        self._widgets, self.boxes = [], {}
        for name in names:
            label = QLabel(f"{name} =")
            box = QDoubleSpinBox()
            box.setRange(-LIMIT, LIMIT)
            box.setDecimals(DECIMALS)
            box.setSingleStep(0.1)
            box.setKeyboardTracking(False)  # typing "-1" is one change, not "-" then "-1"
            box.setAccessibleName(f"value of {name}")
            box.setToolTip(f"The value of {name} at which the graph is computed")
            box.setValue(self.values[name])
            box.setMaximumWidth(box.fontMetrics().horizontalAdvance("−0000.000") + 40)  # leave f its room
            box.valueChanged.connect(lambda value, n=name: self._edited(n, value))
            label.setBuddy(box)
            self._row.addWidget(label)
            self._row.addWidget(box)
            self._widgets += [label, box]
            self.boxes[name] = box

    def set_values(self, values: Mapping[str, float]) -> None:
        """Take ``values`` (some or all variables) without announcing them as edits."""
        self.values.update(values)
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.setValue(self.values[name])
            box.blockSignals(False)

    def _edited(self, name: str, value: float) -> None:
        self.values[name] = float(value)
        self.edited.emit(name, float(value))
