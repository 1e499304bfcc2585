"""The window's exports: the File menu's entries, the right-click menus, and the one place
that asks for a file name and says what went wrong.

Dialogs go through :meth:`Exports.ask_path`, :meth:`Exports.ask_gif_options` and
:meth:`Exports.warn`, which tests replace (as :meth:`SceneFiles.warn`), so that every path
through the menus runs headless.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from calcgui.ui.export import pane_views, plot_menus
from calcgui.ui.export.animations import Animation, animation_of
from calcgui.ui.export.files import ExportError, write_image, write_text
from calcgui.ui.export.gif_dialog import GifDialog
from calcgui.ui.export.gif_render import GifOptions, GifRender

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.surface_view import SurfaceView

FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "csv": "CSV table (*.csv)",
           "gif": "Animated GIF (*.gif)"}
WINDOW_TEXT = "Export window as PNG…"
GIF_TEXT = "Export animation as GIF…"


class Exports(QObject):
    """Everything the window exports; made once per window by :func:`add_export_actions`."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        self.folder = Path(pictures or Path.home())
        #: the GIF being rendered, and its progress dialog
        self.render: GifRender | None = None
        self.progress: QProgressDialog | None = None
        self.window_action = self._action(WINDOW_TEXT, self.export_window)
        self.gif_action = self._action(GIF_TEXT, self.export_animation)
        self.table_action = self._action(plot_menus.TABLE_TEXT, self.export_table)

    def _action(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- replaceable dialogs ----------------------------------------------------------------
    def ask_path(self, kind: str, suggested: str) -> Path | None:
        """Where to save a ``kind`` ("png", "svg", "csv", "gif") file; None when cancelled."""
        name, _ = QFileDialog.getSaveFileName(self.window, f"Export {kind.upper()}", str(self.folder / suggested),
                                              FILTERS[kind])
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == f".{kind}" else path.with_name(f"{path.name}.{kind}")

    def ask_gif_options(self, animation: Animation) -> GifOptions | None:
        dialog = GifDialog(animation, self.window)
        return dialog.options() if dialog.exec() == GifDialog.DialogCode.Accepted else None

    def warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self.window, title, message)

    # -- menus ------------------------------------------------------------------------------
    def update_actions(self) -> None:
        """Enable the File menu's entries for what the current pane has, and name its table."""
        pane = self.window.current_pane()
        animation = animation_of(pane)
        self.gif_action.setEnabled(animation is not None)
        self.gif_action.setText(f"Export animation ({animation.title}) as GIF…" if animation else GIF_TEXT)
        self.table_action.setEnabled(pane_views.table_maker(pane) is not None)
        self.table_action.setText(f"Export {pane_views.table_name(pane)} as CSV…")

    def install_menus(self) -> None:
        """Right-click menus on every plot, map, 3D view and the quotient table (again for
        views made since the last call: they are skipped once they have theirs)."""
        from calcgui.ui.surface_view import SurfaceView

        plot_menus.install_plot_menus(self.window, self)
        for view in self.window.findChildren(SurfaceView):
            if getattr(view, "_calcgui_export_3d", False):
                continue
            view._calcgui_export_3d = True  # type: ignore[attr-defined]
            action = QAction(plot_menus.GL_TEXT, view)
            action.triggered.connect(lambda _checked=False, v=view: self.export_3d(v))
            view.addAction(action)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        if not self.window.panes.is_built("tangent"):  # its menu comes when it is made and shown
            return
        table = self.window.panes["tangent"].table
        if not table.actions():
            action = QAction(plot_menus.TABLE_TEXT, table)
            action.triggered.connect(lambda _checked=False: self.export_table(self.window.panes["tangent"]))
            table.addAction(action)
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- exports ----------------------------------------------------------------------------
    def export_to_file(self, kind: str, save: Callable[[Path], None], suggested: str = "") -> bool:
        """Ask where, then ``save(path)``; a failure is one message, never a traceback."""
        path = self.ask_path(kind, suggested or f"{self.window.current_pane_name()}.{kind}")
        if path is None:
            return False
        self.folder = path.parent
        try:
            save(path)
        except ExportError as error:
            self.warn("Export failed", str(error))
            return False
        except Exception as error:  # pyqtgraph's exporters, Qt's encoders: say it, keep going
            self.warn("Export failed", f"{path.name} could not be written: {error}")
            return False
        self.window.statusBar().showMessage(f"Saved {path}", 8000)
        return True

    def export_window(self) -> bool:
        return self.export_to_file("png", lambda path: write_image(self.window.grab().toImage(), path),
                                   "calcgui-window.png")

    def export_3d(self, view: SurfaceView) -> bool:
        if view.view is None:
            self.warn("No 3D view to export", view.message.text().split("\n")[0])
            return False
        return self.export_to_file("png", lambda path: write_image(view.image(), path), "surface-3d.png")

    def export_table(self, pane: object = None) -> bool:
        pane = pane or self.window.current_pane()
        make = pane_views.table_maker(pane)
        if make is None:
            self.warn("No table to export", "This pane shows no table yet.")
            return False
        name = pane_views.table_name(pane).replace(" ", "-")
        return self.export_to_file("csv", lambda path: write_text(make().csv_text(), path), f"{name}.csv")

    def export_animation(self) -> GifRender | None:
        """Ask for the GIF's settings and file, then render it with a progress dialog."""
        if self.render is not None and self.render.is_running():
            self.warn("A GIF is being exported", "Wait for the GIF being exported, or cancel it first.")
            return None
        pane = self.window.current_pane()
        animation = animation_of(pane)
        if animation is None:
            self.warn("No animation here", "This pane has no animation to export.")
            return None
        if pane.is_busy():
            self.warn("Still computing", "This pane is still computing; export the animation once it is done.")
            return None
        options = self.ask_gif_options(animation)
        if options is None:
            return None
        path = self.ask_path("gif", f"{self.window.current_pane_name()}.gif")
        if path is None:
            return None
        self.folder = path.parent
        return self.start_gif(animation, path, options)

    def start_gif(self, animation: Animation, path: Path, options: GifOptions) -> GifRender:
        render = self.render = GifRender(animation, path, options, self)
        progress = self.progress = QProgressDialog(f"Rendering {path.name}…", "Cancel", 0, 2 * options.frames,
                                                   self.window)
        progress.setWindowTitle("Export animation as GIF")
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(render.cancel)
        render.progressed.connect(lambda done, encoded, total: (
            progress.setValue(done + encoded),
            progress.setLabelText(f"{path.name}: frame {done} of {total} drawn, {encoded} encoded")))
        render.finished.connect(lambda ok, message: self._gif_finished(path, ok, message))
        render.start()
        return render

    def _gif_finished(self, path: Path, ok: bool, message: str) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if ok:
            self.window.statusBar().showMessage(f"Saved {path}", 8000)
        elif message:
            self.warn("GIF export failed", message)
        else:
            self.window.statusBar().showMessage("GIF export cancelled", 5000)
