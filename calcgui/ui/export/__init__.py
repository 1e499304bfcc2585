"""Exports: plots and maps as PNG / SVG / CSV, the 3D view and the window as PNG, animations
as GIF, tables as CSV, and all of it headless from the command line.

The window makes one call, :func:`add_export_actions`; the panes know nothing of exports
(what each pane offers is read in :mod:`~calcgui.ui.export.pane_views`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from calcgui.ui.export.window_exports import Exports

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow

__all__ = ["Exports", "add_export_actions"]


def add_export_actions(window: MainWindow, file_menu: QMenu) -> Exports:
    """Put the export entries in ``file_menu`` before Quit and the right-click menus on every
    view; returns the window's :class:`Exports`."""
    exports = Exports(window)
    entries = [exports.window_action, exports.gif_action, exports.table_action]
    quit_action = next((action for action in file_menu.actions() if action.text().replace("&", "") == "Quit"), None)
    file_menu.insertActions(quit_action, entries)  # type: ignore[arg-type]  # None: at the end
    file_menu.insertSeparator(quit_action)  # type: ignore[arg-type]
    file_menu.aboutToShow.connect(exports.update_actions)
    window.stack.currentChanged.connect(lambda _index: (exports.update_actions(), exports.install_menus()))
    window.settled.connect(exports.install_menus)
    exports.install_menus()
    exports.update_actions()
    return exports
