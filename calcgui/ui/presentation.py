"""Presentation mode (F5): the window as a teacher projects it.

Entering hides everything that is not the lesson's content (the pane list, the menu bar, the
status bar), goes full screen, and makes text and lines larger; leaving (F5 again, or Esc)
puts back exactly what was there before, including a zoom the teacher had chosen. Full screen
alone (F11) is independent of it; Esc leaves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow


@dataclass(frozen=True)
class _Before:
    """What presentation mode changed, to put back on leaving."""

    full_screen: bool
    maximized: bool
    switcher: bool
    menu_bar: bool
    status_bar: bool


class Presentation:
    """Turns ``window``'s presentation mode on and off (its actions call :meth:`toggle`)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._before: _Before | None = None

    @property
    def active(self) -> bool:
        return self._before is not None

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        window = self.window
        # isHidden, not isVisible: what was hidden on purpose, even while the window is not shown
        self._before = _Before(window.isFullScreen(), window.isMaximized(), not window.switcher.isHidden(),
                               not window.menuBar().isHidden(), not window.statusBar().isHidden())
        window.switcher.hide()
        window.menuBar().hide()
        window.statusBar().hide()
        window.showFullScreen()
        window.presentation_changed.emit(True)

    def leave(self) -> None:
        before, self._before = self._before, None
        if before is None:
            return
        window = self.window
        window.switcher.setVisible(before.switcher)
        window.menuBar().setVisible(before.menu_bar)
        window.statusBar().setVisible(before.status_bar)
        if not before.full_screen:
            window.showMaximized() if before.maximized else window.showNormal()
        window.presentation_changed.emit(False)
