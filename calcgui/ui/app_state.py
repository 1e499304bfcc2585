"""The function being studied, shared by every pane: typed in one, there in the next."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

DEFAULT_FUNCTION = "2x^2 + 3x + 1"
DEFAULT_SURFACE = "2x^2 - y^2"


class AppState(QObject):
    """App-wide state that panes read and update; a change is announced once."""

    function_changed = Signal(str)
    surface_changed = Signal(str)

    def __init__(self, function_text: str = DEFAULT_FUNCTION, parent: QObject | None = None, *,
                 surface_text: str = DEFAULT_SURFACE) -> None:
        super().__init__(parent)
        self._function_text = function_text
        self._surface_text = surface_text

    @property
    def function_text(self) -> str:
        """f(x) as the user last typed it successfully."""
        return self._function_text

    def set_function_text(self, text: str) -> None:
        if text != self._function_text:
            self._function_text = text
            self.function_changed.emit(text)

    @property
    def surface_text(self) -> str:
        """f(x, y) as the user last typed it successfully."""
        return self._surface_text

    def set_surface_text(self, text: str) -> None:
        if text != self._surface_text:
            self._surface_text = text
            self.surface_changed.emit(text)
