"""The function being studied, shared by every pane: typed in one, there in the next."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

DEFAULT_FUNCTION = "2x^2 + 3x + 1"


class AppState(QObject):
    """App-wide state that panes read and update; a change is announced once."""

    function_changed = Signal(str)

    def __init__(self, function_text: str = DEFAULT_FUNCTION, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._function_text = function_text

    @property
    def function_text(self) -> str:
        """f(x) as the user last typed it successfully."""
        return self._function_text

    def set_function_text(self, text: str) -> None:
        if text != self._function_text:
            self._function_text = text
            self.function_changed.emit(text)
