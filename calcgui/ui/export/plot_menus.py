"""Right-click on any plot or map: export it as PNG (2× for slides), SVG, or its data as CSV;
right-click on the 3D view: PNG; right-click on the quotient table: CSV.

Installed over the whole window: every pyqtgraph ViewBox found gets the three actions (in
pyqtgraph's own menu where the plot has one; as the whole menu where the plot had switched
its menu off). Plots made later (a mode switch, a tab shown for the first time) get them at
the next scan: on every pane switch and every time the panes settle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from calcgui.ui.export import plot_export

if TYPE_CHECKING:
    from calcgui.ui.export.window_exports import Exports

#: The actions' texts, as the menus show them.
PNG_TEXT = "Export PNG (2× for slides)…"
SVG_TEXT = "Export SVG…"
CSV_TEXT = "Export data as CSV…"
GL_TEXT = "Export 3D view as PNG…"
TABLE_TEXT = "Export table as CSV…"
#: Marks a ViewBox or widget already given its actions.
_INSTALLED = "_calcgui_export_actions"


def view_boxes(root: QWidget) -> list[pg.ViewBox]:
    """Every ViewBox of every pyqtgraph view under ``root`` (colour bars' excepted)."""
    found = []
    for view in root.findChildren(pg.GraphicsView):
        scene = view.scene()
        if scene is None:
            continue
        for item in scene.items():
            if isinstance(item, pg.ViewBox) and not isinstance(plot_export.plot_item_of(item), pg.ColorBarItem):
                found.append(item)
    return found


def export_actions(view_box: pg.ViewBox, exports: Exports, parent: QMenu) -> list[QAction]:
    """The three actions for ``view_box``, each asking for a file and writing it."""
    def action(text: str, kind: str, save: Callable[[Path], None]) -> QAction:
        act = QAction(text, parent)
        act.triggered.connect(lambda _checked=False: exports.export_to_file(kind, save))
        return act

    item = plot_export.plot_item_of(view_box)
    return [action(PNG_TEXT, "png", lambda path: plot_export.save_png(item, path)),
            action(SVG_TEXT, "svg", lambda path: plot_export.save_svg(item, path)),
            action(CSV_TEXT, "csv", lambda path: plot_export.save_csv(view_box, path))]


def install_plot_menus(root: QWidget, exports: Exports) -> int:
    """Give every ViewBox under ``root`` that has none yet the export actions; how many got them."""
    count = 0
    for view_box in view_boxes(root):
        if getattr(view_box, _INSTALLED, None) is not None:
            continue
        if view_box.menuEnabled():
            menu = view_box.menu
            menu.addSeparator()
        else:  # the plot wanted no pyqtgraph menu: the export actions are its whole menu
            views = view_box.scene().views()
            menu = QMenu(views[0] if views else None)
            view_box.setMenuEnabled(True)
            view_box.getMenu = lambda _event, menu=menu: menu  # type: ignore[method-assign]
        menu.addActions(export_actions(view_box, exports, menu))
        setattr(view_box, _INSTALLED, menu)
        count += 1
    return count


def export_menu(view_box: pg.ViewBox) -> QMenu | None:
    """The menu a right-click on ``view_box`` shows, once the actions are installed."""
    return getattr(view_box, _INSTALLED, None)
