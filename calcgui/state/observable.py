"""The function being studied, shared by every pane, as a plain observable (no Qt).

Typed in one pane, it is there in the next: panes read it and connect to its events. It used
to be a QObject with Qt signals; a plain object keeps the state layer testable without a
QApplication, and the UI's callbacks run on the UI thread anyway (setters are called there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calcgui.state.settings import DEFAULT_FUNCTION, DEFAULT_SURFACE

__all__ = ["Event", "SharedFunctions"]


class Event:
    """A tiny signal: callbacks run in the order they were connected, each time it is emitted.

    Emitting works on a snapshot, so a callback may connect or disconnect any callback (itself
    included) safely: one disconnected during an emit is not called later in that emit, and one
    connected during an emit is first called at the next one. A callback's exception propagates.
    """

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Remove ``callback`` (its earliest connection); ValueError if it is not connected."""
        try:
            self._callbacks.remove(callback)
        except ValueError:
            raise ValueError(f"{callback!r} is not connected") from None

    def emit(self, *args: Any) -> None:
        for callback in tuple(self._callbacks):
            if callback in self._callbacks:
                callback(*args)


class SharedFunctions:
    """The shared f(x) and f(x, y), each announced once per actual change with the new text."""

    def __init__(self, function_text: str = DEFAULT_FUNCTION, surface_text: str = DEFAULT_SURFACE) -> None:
        self._function_text = _text(function_text)
        self._surface_text = _text(surface_text)
        self.function_changed = Event()
        self.surface_changed = Event()

    @property
    def function_text(self) -> str:
        """f(x) as the user last typed it successfully."""
        return self._function_text

    def set_function_text(self, text: str) -> None:
        if _text(text) != self._function_text:
            self._function_text = text
            self.function_changed.emit(text)

    @property
    def surface_text(self) -> str:
        """f(x, y) as the user last typed it successfully."""
        return self._surface_text

    def set_surface_text(self, text: str) -> None:
        if _text(text) != self._surface_text:
            self._surface_text = text
            self.surface_changed.emit(text)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a function text must be a str, not {type(value).__name__}")
    return value
