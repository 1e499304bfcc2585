"""The main window: a pane switcher, menus, a status bar, and the scene the panes show.

The window turns the panes' settings into one :class:`~calcgui.state.Scene` and back, and
keeps its undo history: every pane announces a change with ``changed``, the window records
the scene once the event loop is idle (so one gesture is one record), and undo applies an
earlier scene. Files, recent files and the session are in :mod:`calcgui.ui.scene_files`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QScrollArea, QStackedWidget, QWidget,
)

import calcgui
from calcgui.state import History, Scene, SharedFunctions
from calcgui.ui import guide, window_actions
from calcgui.ui.app_icon import app_icon, icon_pixmap
from calcgui.ui.appearance import add_appearance_actions, appearance, follow
from calcgui.ui.lessons import add_lesson_menu
from calcgui.ui.export import add_export_actions
from calcgui.ui.gui_thread_gc import freeze_start_up
from calcgui.ui.pane_set import PaneSet
from calcgui.ui.panes import PANE_CLASSES, Pane
from calcgui.ui.presentation import Presentation
from calcgui.ui.scene_files import SceneFiles
from calcgui.ui.session import SessionStore
from calcgui.ui.worker_bridge import SymbolicWorker

#: While a scene is being applied, the window checks this often whether the panes are done.
SETTLE_POLL_MS = 30
#: The pane list is at most this wide at 100 % (scaled by the zoom); longer names wrap.
SWITCHER_MAX_PX = 110


class PaneScroller(QScrollArea):
    """A pane that fills the window while it fits, and scrolls (rather than being cut off, or
    growing the window past the screen) when a large zoom makes it need more room than a
    small projector has. Sized by hand: QScrollArea's own resizing asks a layout with wrapped
    text for its preferred height, and scrolled panes that fit."""

    def __init__(self, pane: QWidget | None = None) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(pane or QWidget())  # an empty stand-in until the pane is made

    def fit(self) -> None:
        pane, room = self.widget(), self.maximumViewportSize()
        need = pane.minimumSizeHint().expandedTo(pane.minimumSize())
        width = max(room.width(), need.width())
        height = max(room.height(), need.height())
        if width > room.width():  # a horizontal scroll bar takes height
            height = max(room.height() - self.horizontalScrollBar().sizeHint().height(), need.height())
        if height > room.height():  # a vertical scroll bar takes width
            width = max(room.width() - self.verticalScrollBar().sizeHint().width(), need.width())
        layout = pane.layout()
        if layout is not None and layout.hasHeightForWidth():  # wrapped text needs its lines
            height = max(height, layout.totalMinimumHeightForWidth(width))
        pane.resize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the pane's minimum changed (zoom, content)
            self.fit()
        return super().event(event)


class MainWindow(QMainWindow):
    """Hosts the panes; one :class:`SymbolicWorker` and one :class:`SharedFunctions` serve
    them all. ``session``: where the scene is kept between runs (None: nowhere, as in tests).

    Only the pane it opens on is made at once; once that pane shows its results, the others
    are made one per event-loop turn (each waits for the one before to settle), so the first
    results come sooner. :attr:`build_rest` False keeps them unmade until asked for (a
    screenshot or an export of one pane needs no other).
    """

    settled = Signal()
    #: presentation mode was entered (True) or left (False)
    presentation_changed = Signal(bool)

    def __init__(self, state: SharedFunctions | None = None, *, pane: str = "derivative",
                 worker: SymbolicWorker | None = None, session: SessionStore | None = None) -> None:
        super().__init__()
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.state = state or SharedFunctions()
        self._owns_worker = worker is None
        self.worker = worker or SymbolicWorker(parent=self)
        self.session = session
        self.panes = PaneSet(self._make_pane)
        #: make the other panes once the first is settled (else only when they are asked for)
        self.build_rest = True
        #: settings applied to panes not made yet: each gets its own when it is made
        self._pending_settings: dict[str, object] = {}
        self.history = History(Scene())
        #: recording starts once the panes show their first results (and after each scene
        #: applied, once they show it): what they announce before that is not the user's doing
        self._recording = False
        self._pending_key: str | None = None
        self._record_timer = QTimer(self, singleShot=True, interval=0)
        self._record_timer.timeout.connect(self._record)
        self._settle_timer = QTimer(self, singleShot=True, interval=SETTLE_POLL_MS)
        self._settle_timer.timeout.connect(self._check_settled)
        self._when_settled: Callable[[], None] | None = None
        self._build_timer = QTimer(self, singleShot=True, interval=0)
        self._build_timer.timeout.connect(self._build_next_pane)

        self.switcher = QListWidget()
        self.switcher.setObjectName("paneSwitcher")
        self.switcher.setIconSize(QSize(24, 24))
        self.switcher.setWordWrap(True)  # zoomed in, a long name takes two lines, not the pane's room
        self.switcher.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # it wraps instead
        self.stack = QStackedWidget()
        self._scrollers: dict[str, PaneScroller] = {}
        for name, pane_class in PANE_CLASSES.items():
            self._scrollers[name] = PaneScroller()
            self.stack.addWidget(self._scrollers[name])
            QListWidgetItem(pane_class.title, self.switcher)
        self.panes[pane]  # the pane it opens on, first: its jobs go to the worker first
        self.stack.setCurrentIndex(list(self.panes).index(pane))  # the current pane from now on
        self.switcher.currentRowChanged.connect(self._show_row)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.switcher)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.files = SceneFiles(self)
        self.presentation = Presentation(self)
        self._build_menus()
        self.show_pane(pane)
        self.statusBar().showMessage("Type a function; drag to pan the plot, scroll to zoom.")
        follow(self, self._restyle)
        self._wait_until_settled(then=self._begin_history)
        self.update_title()

    def _restyle(self) -> None:
        """The pane list and the status bar at their sizes in the current zoom; the list just
        wide enough for its longest name."""
        look = appearance()
        padding = round(look.pixels(8))
        self.switcher.setFont(look.font("switcher"))
        self.switcher.setStyleSheet(f"QListWidget::item {{ padding: {padding}px; }}")
        names = [self.switcher.item(row).text() for row in range(self.switcher.count())]
        widest = max((self.switcher.fontMetrics().horizontalAdvance(name) for name in names), default=0)
        # 16: the frame and the item's margins; zoomed past 150 %, at most SWITCHER_MAX_PX × zoom
        # and the long names wrap (below that the whole names fit, on one line each)
        width = widest + 2 * padding + 16
        if look.zoom > 150:
            width = min(width, round(look.pixels(SWITCHER_MAX_PX)))
        self.switcher.setFixedWidth(max(160, width))
        self.statusBar().setFont(look.font("status"))

    # -- panes ------------------------------------------------------------------------------
    def _make_pane(self, name: str) -> Pane:
        """Build pane ``name`` into its place in the stack, with the settings a scene left for it."""
        pane = PANE_CLASSES[name](self.state, self.worker)
        pane.settled.connect(self._pane_settled)
        pane.changed.connect(self._pane_changed)
        self._scrollers[name].setWidget(pane)
        pending = self._pending_settings.pop(name, None)
        if pending is not None:
            pane.apply(pending)
        return pane

    def _build_next_pane(self) -> None:
        """One more of the panes not made yet (background building, one per turn)."""
        unbuilt = self.panes.unbuilt()
        if unbuilt:
            self.panes[unbuilt[0]]
        self._check_settled()

    def _show_row(self, row: int) -> None:
        self.panes[list(self.panes)[row]]  # made before it is shown
        self.stack.setCurrentIndex(row)

    def show_pane(self, name: str) -> None:
        self.switcher.setCurrentRow(list(self.panes).index(name))

    def current_pane(self) -> Pane:
        return self.panes[self.current_pane_name()]

    def current_pane_name(self) -> str:
        return list(self.panes)[self.stack.currentIndex()]

    def is_presenting(self) -> bool:
        return self.presentation.active

    def set_function(self, text: str) -> None:
        """Make ``text`` the function every pane studies."""
        self.panes["derivative"].set_function(text)

    def is_busy(self) -> bool:
        """Whether a pane is still computing, or a scene is still being put on screen."""
        return self._panes_busy() or self._when_settled is not None

    def _panes_busy(self) -> bool:
        """A pane is computing, or (while :attr:`build_rest`) some are still to be made."""
        return self._built_panes_busy() or (self.build_rest and bool(self.panes.unbuilt()))

    def _built_panes_busy(self) -> bool:
        return any(pane.is_busy() for _name, pane in self.panes.built())

    # -- the scene --------------------------------------------------------------------------
    def scene(self) -> Scene:
        """Everything on screen that a person has set, as one scene."""
        panes = {name: pane.settings() for name, pane in self.panes.items()}
        return Scene(pane=self.current_pane_name(), function=self.state.function_text,
                     surface=self.state.surface_text, **panes)

    def apply_scene(self, scene: Scene, *, then: Callable[[], None] | None = None) -> None:
        """Show ``scene`` (validated already); functions are recomputed where they differ.
        ``then`` (a callable) runs once every pane shows it."""
        self._recording = False
        self._record_timer.stop()
        # the shared functions first: panes that adopt them are then overridden by their own
        self.state.set_function_text(scene.function)
        self.state.set_surface_text(scene.surface)
        for name in self.panes:
            if self.panes.is_built(name):
                self.panes[name].apply(getattr(scene, name))
            else:
                self._pending_settings[name] = getattr(scene, name)
        self.show_pane(scene.pane)
        self._wait_until_settled(then=then or self._start_recording)

    def _wait_until_settled(self, *, then: Callable[[], None]) -> None:
        """Run ``then`` once no pane is busy (a later call replaces an earlier one's ``then``)."""
        self._when_settled = then
        self._check_settled()

    def _check_settled(self) -> None:
        if not self._built_panes_busy() and self.build_rest and self.panes.unbuilt():
            self._build_timer.start()  # the next pane, on the next turn of the event loop
            return
        if self._panes_busy():
            self._settle_timer.start()
        elif self._when_settled is not None:
            then, self._when_settled = self._when_settled, None
            then()

    def _begin_history(self) -> None:
        """The first results are on screen: that is the scene undo can go back to. (Not
        while panes are left unmade on purpose, see :attr:`build_rest`: a window that only
        pictures one pane keeps no history, and a scene would make every pane.)"""
        if self.panes.unbuilt():
            return
        freeze_start_up()  # start-up's objects out of every later collection
        self.history.reset(self.scene())
        self._start_recording()

    def _start_recording(self) -> None:
        self._recording = True
        self.update_title()

    # -- undo -------------------------------------------------------------------------------
    def _pane_changed(self, merge_key: str) -> None:
        if not self._recording:
            return
        self._pending_key = merge_key or None
        self._record_timer.start()

    def _record(self) -> None:
        if self._recording and self.history.record(self.scene(), self._pending_key):
            self.update_title()

    def undo(self) -> None:
        if self._record_timer.isActive():  # a change announced a moment ago is undone, not lost
            self._record_timer.stop()
            self._record()
        scene = self.history.undo()
        if scene is not None:
            self.apply_scene(scene)
        self.update_title()

    def redo(self) -> None:
        scene = self.history.redo()
        if scene is not None:
            self.apply_scene(scene)
        self.update_title()

    def update_title(self) -> None:
        name = self.files.path.name if self.files.path is not None else "Untitled"
        self.setWindowTitle(f"{name}[*] — calcgui")
        self.setWindowModified(self.history.is_modified)
        if hasattr(self, "lessons"):
            self.lessons.update_title()  # while a lesson is open, the window is titled by its slide
        if hasattr(self, "undo_action"):
            self.undo_action.setEnabled(self.history.can_undo)
            self.redo_action.setEnabled(self.history.can_redo)

    # -- menus ------------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: object = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))  # type: ignore[arg-type]
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.addAction(action)  # its shortcut works even where the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self._action("&New", self.files.new, keys.New))
        file_menu.addAction(self._action("&Open…", self.files.open_dialog, keys.Open))
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self.files.fill_recent_menu)
        self.examples_menu = file_menu.addMenu("Open &Example")
        self.files.fill_examples_menu()
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Save", self.files.save, keys.Save))
        file_menu.addAction(self._action("Save &As…", self.files.save_as, QKeySequence("Ctrl+Shift+S")))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, keys.Quit))
        self.exports = add_export_actions(self, file_menu)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action("&Undo", self.undo, keys.Undo)
        self.redo_action = self._action("&Redo", self.redo, QKeySequence("Ctrl+Shift+Z"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        window_actions.add_copy_latex(self, edit_menu)

        view_menu = self.menuBar().addMenu("&View")
        window_actions.add_pane_actions(self, view_menu)
        view_menu.addSeparator()
        self.presentation_action = self._action("&Presentation", self.presentation.toggle, "F5")
        self.presentation_action.setCheckable(True)
        self.presentation_changed.connect(self.presentation_action.setChecked)
        self.presentation_changed.connect(lambda _on: self._sync_screen_actions())
        view_menu.addAction(self.presentation_action)
        self.full_screen_action = self._action("&Full screen", self.toggle_full_screen, "F11")
        self.full_screen_action.setCheckable(True)
        view_menu.addAction(self.full_screen_action)
        self.leave_action = self._action("&Leave presentation and full screen", self.leave_full_screen, "Esc")
        self.leave_action.setEnabled(False)  # Esc stays the widgets' own while there is nothing to leave
        view_menu.addAction(self.leave_action)
        view_menu.addSeparator()
        add_appearance_actions(self, view_menu)

        window_actions.add_transport_menu(self)
        add_lesson_menu(self)  # self.lessons: the lesson open, its slide strip and banner

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&Quick guide", lambda: guide.show_html(self, "Quick guide", guide.guide_html()),
                                         keys.HelpContents))
        help_menu.addAction(self._action("&Keyboard shortcuts",
                                         lambda: guide.show_html(self, "Keyboard shortcuts", guide.shortcuts_html(self)),
                                         "Ctrl+/"))
        help_menu.addSeparator()
        help_menu.addAction(self._action("&About calcgui", self.show_about))

    # -- full screen and presentation -------------------------------------------------------
    def toggle_full_screen(self) -> None:
        """F11, anywhere: full screen on or off (presentation mode stays as it is)."""
        self.showNormal() if self.isFullScreen() else self.showFullScreen()
        self._sync_screen_actions()

    def leave_full_screen(self) -> None:
        """Esc: out of presentation mode and out of full screen."""
        self.presentation.leave()
        if self.isFullScreen():
            self.showNormal()
        self._sync_screen_actions()

    def _sync_screen_actions(self) -> None:
        full = self.isFullScreen() or bool(self.windowState() & Qt.WindowState.WindowFullScreen)
        self.full_screen_action.setChecked(full)
        self.leave_action.setEnabled(full or self.is_presenting())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.WindowStateChange and hasattr(self, "leave_action"):
            self._sync_screen_actions()
        super().changeEvent(event)

    def about_text(self) -> str:
        return (f"<h3>calcgui {calcgui.__version__}</h3>"
                "<p>A desktop explorer of the calculus behind deep learning: derivatives, "
                "tangents, gradients, descent and backpropagation, to touch and move.</p>")

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About calcgui")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setIconPixmap(icon_pixmap(96))
        box.exec()

    # -- events -----------------------------------------------------------------------------
    def _pane_settled(self) -> None:
        if not self._built_panes_busy():
            self._check_settled()
        if not self._panes_busy():
            self.settled.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if self.files.dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        path = self.files.dropped_path(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.files.open_path(Path(path))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.files.confirm_discard() or not self.lessons.confirm_discard():
            event.ignore()
            return
        if self.session is not None:
            self.session.save_geometry(self.saveGeometry())
            self.session.save_scene(self.scene())
        if self._owns_worker:
            self.worker.close()
        super().closeEvent(event)
