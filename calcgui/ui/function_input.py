"""The box where a student types a function, with debounced live feedback and inline errors."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QMenu, QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from calcgui.core.tokenizer import MAX_LENGTH
from calcgui.ui.appearance import appearance, follow

#: Typing pauses this long before the function is recomputed.
DEBOUNCE_MS = 150
#: The error shows this many typed characters either side of the one it points at.
CONTEXT_CHARS = 30
#: Longer messages are cut (they may quote a long name the user typed).
MESSAGE_CHARS = 240
CUT_NOTICE = (f"That was longer than {MAX_LENGTH} characters, the longest function calcgui reads, "
              f"so it was cut there.")


def _error_style() -> str:
    """The box's red border while it holds an error, in the theme's error colour."""
    return f"QLineEdit {{ border: 2px solid {appearance().theme.error}; border-radius: 3px; padding: 2px; }}"


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
        self.line_edit.setMaxLength(MAX_LENGTH)  # a 100,000-character paste is cut, not laid out
        self.label.setBuddy(self.line_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("inputError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the message wraps within the box's width and never makes the window wider
        self.error_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error_label.setMinimumWidth(0)
        self.error_label.hide()
        self._error = ""
        self._error_html = ""
        self._error_position: int | None = None
        self._notice = ""
        self._just_cut = False

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
        self.line_edit.textEdited.connect(self._edited)
        self.line_edit.inputRejected.connect(self._cut)
        self.line_edit.returnPressed.connect(self._emit_settled)
        follow(self, self._restyle)

    def _restyle(self) -> None:
        """The box and its label at the "input" size (read from the back of a hall), the
        error in the theme's error colour. The fonts are set on the box itself, not
        inherited: Qt drops an inherited font when the box's style sheet changes, which
        once shrank the box from 14 pt to 9 pt for good after the first typing error."""
        look = appearance()
        for widget in (self.label, self.line_edit):
            widget.setFont(look.font("input"))
        self.error_label.setFont(look.font("body"))
        self.error_label.setStyleSheet(f"color: {look.theme.error};")
        if self._error_html:  # again, with the theme's mark under the character
            self.show_error(self._error, self._error_position)

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
        """Show ``message`` under the box; with a position, point at the character (showing
        only the typed text around it, so a long input never makes the label wide)."""
        self._error, self._error_position = message, position
        shown = _escape(_shorten(message, MESSAGE_CHARS))
        typed = self.line_edit.text()
        if position is not None and 0 <= position <= len(typed):
            start, end = max(0, position - CONTEXT_CHARS), position + CONTEXT_CHARS
            before = ("…" if start else "") + typed[start:position]
            rest = typed[position:end] + ("…" if end < len(typed) else "")
            mark = appearance().theme.error_mark
            shown += (f"<br><code>{_escape(before)}<span style='background:{mark}'>"
                      f"{_escape(rest[:1]) or '&nbsp;'}</span>{_escape(rest[1:])}</code>")
        self._error_html = shown
        self._show()

    def clear_error(self) -> None:
        self._error = self._error_html = ""
        self._show()

    def _show(self) -> None:
        """The notice of a cut paste (if any), then the error (if any), under the box."""
        parts = [f"<i>{_escape(self._notice)}</i>"] if self._notice else []
        parts += [self._error_html] if self._error_html else []
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.setText("<br>".join(parts))
        self.error_label.setVisible(bool(parts))
        self.line_edit.setStyleSheet(_error_style() if self._error_html else "")
        self.line_edit.setFont(appearance().font("input"))  # a style sheet change must not shrink it

    @property
    def debounce_ms(self) -> int:
        """How long typing must pause before the text is computed."""
        return self._timer.interval()

    @debounce_ms.setter
    def debounce_ms(self, milliseconds: int) -> None:
        self._timer.setInterval(milliseconds)

    def notice(self) -> str:
        """The note about a cut paste, while it applies (empty otherwise)."""
        return self._notice

    def _cut(self) -> None:
        if len(self.line_edit.text()) >= MAX_LENGTH:
            self._notice, self._just_cut = CUT_NOTICE, True
            self._show()

    def _edited(self, _text: str) -> None:
        if self._just_cut:
            self._just_cut = False
        elif self._notice:
            self._notice = ""
            self._show()
        self._timer.start()

    def error_text(self) -> str:
        """The error as the user reads it (empty when there is none)."""
        return self._error

    def _emit_settled(self) -> None:
        self._timer.stop()
        self.settled.emit(self.line_edit.text())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
