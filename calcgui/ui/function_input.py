"""The box where a student types a function, with debounced live feedback and inline errors."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QMenu, QToolButton, QVBoxLayout, QWidget,
)

#: Typing pauses this long before the function is recomputed.
DEBOUNCE_MS = 150

_ERROR_STYLE = "QLineEdit { border: 2px solid #C0392B; border-radius: 3px; padding: 2px; }"


class FunctionInput(QWidget):
    """``label [ text box ] [Examples ▾]`` and, under it, the current error.

    Emits :attr:`settled` with the text once typing pauses, or at once on Enter or when an
    example is picked. The error stays until the next result, so the user always sees why
    the picture did not change.
    """

    settled = Signal(str)

    def __init__(self, label: str, examples: Sequence[str] = (), *,
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(label)
        self.line_edit = QLineEdit()
        self.line_edit.setPlaceholderText(placeholder)
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setAccessibleName(label)
        self.label.setBuddy(self.line_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("inputError")
        self.error_label.setStyleSheet("color: #B03A2E;")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self._error = ""

        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.line_edit, 1)
        if examples:
            row.addWidget(self._examples_button(examples))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.error_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_settled)
        self.line_edit.textEdited.connect(lambda _text: self._timer.start())
        self.line_edit.returnPressed.connect(self._emit_settled)

    def _examples_button(self, examples: Sequence[str]) -> QToolButton:
        button = QToolButton()
        button.setText("Examples")
        button.setToolTip("Try a function")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for example in examples:
            action = QAction(example, menu)
            action.triggered.connect(lambda _=False, text=example: self.set_text(text))
            menu.addAction(action)
        button.setMenu(menu)
        return button

    # -- public -----------------------------------------------------------------------------
    def text(self) -> str:
        return self.line_edit.text()

    def set_text(self, text: str) -> None:
        """Show ``text`` and settle on it at once (programmatic, not typing)."""
        self.line_edit.setText(text)
        self._emit_settled()

    def show_error(self, message: str, position: int | None = None) -> None:
        """Show ``message`` under the box; with a position, point at the character."""
        self._error = message
        text = message
        typed = self.line_edit.text()
        if position is not None and 0 <= position <= len(typed):
            pointer = typed[:position].replace("<", "&lt;")
            rest = typed[position:].replace("<", "&lt;")
            marker = (f"<code>{pointer}<span style='background:#F5B7B1'>"
                      f"{rest[:1] or '&nbsp;'}</span>{rest[1:]}</code>")
            text = f"{message.replace('<', '&lt;')}<br>{marker}"
            self.error_label.setTextFormat(Qt.TextFormat.RichText)
        else:
            self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setText(text)
        self.error_label.show()
        self.line_edit.setStyleSheet(_ERROR_STYLE)

    def clear_error(self) -> None:
        self._error = ""
        self.error_label.clear()
        self.error_label.hide()
        self.line_edit.setStyleSheet("")

    def error_text(self) -> str:
        """The error as the user reads it (empty when there is none)."""
        return self._error

    def _emit_settled(self) -> None:
        self._timer.stop()
        self.settled.emit(self.line_edit.text())
