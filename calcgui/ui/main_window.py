"""The main window: a pane switcher, menus and a status bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QStackedWidget, QWidget,
)

import calcgui
from calcgui.ui.app_icon import app_icon, icon_pixmap
from calcgui.ui.app_state import AppState
from calcgui.ui.panes.derivative import DerivativePane
from calcgui.ui.panes.descent import DescentPane
from calcgui.ui.panes.gradient import GradientPane
from calcgui.ui.panes.tangent import TangentPane
from calcgui.ui.worker_bridge import SymbolicWorker

#: Command-line name → pane class, in the order the switcher lists them. Only panes that
#: work are here; the gradient, descent and chain-rule panes join as they are built.
PANES = {"derivative": DerivativePane, "tangent": TangentPane, "gradient": GradientPane,
         "descent": DescentPane}


class MainWindow(QMainWindow):
    """Hosts the panes; one :class:`SymbolicWorker` and one :class:`AppState` serve them all."""

    settled = Signal()

    def __init__(self, state: AppState | None = None, *, pane: str = "derivative",
                 worker: SymbolicWorker | None = None) -> None:
        super().__init__()
        self.setWindowTitle("calcgui")
        self.setWindowIcon(app_icon())
        self.state = state or AppState(parent=self)
        self._owns_worker = worker is None
        self.worker = worker or SymbolicWorker(parent=self)
        self.panes: dict[str, QWidget] = {}

        self.switcher = QListWidget()
        self.switcher.setObjectName("paneSwitcher")
        self.switcher.setFixedWidth(200)
        self.switcher.setIconSize(QSize(24, 24))
        self.switcher.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        for name, pane_class in PANES.items():
            widget = pane_class(self.state, self.worker)
            widget.settled.connect(self._pane_settled)
            self.panes[name] = widget
            self.stack.addWidget(widget)
            QListWidgetItem(pane_class.title, self.switcher)
        self.switcher.currentRowChanged.connect(self.stack.setCurrentIndex)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.switcher)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.show_pane(pane)
        self.statusBar().showMessage("Type a function; drag to pan the plot, scroll to zoom.")

    # -- public -----------------------------------------------------------------------------
    def show_pane(self, name: str) -> None:
        self.switcher.setCurrentRow(list(self.panes).index(name))

    def current_pane(self) -> QWidget:
        return self.stack.currentWidget()

    def set_function(self, text: str) -> None:
        """Make ``text`` the function every pane studies."""
        self.panes["derivative"].set_function(text)  # type: ignore[attr-defined]

    def is_busy(self) -> bool:
        return any(pane.is_busy() for pane in self.panes.values())  # type: ignore[attr-defined]

    # -- menus ------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        full_screen = QAction("&Full screen", self, shortcut=QKeySequence.StandardKey.FullScreen,
                              checkable=True)
        full_screen.toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        view_menu.addAction(full_screen)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About calcgui", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

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
        if not self.is_busy():
            self.settled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self._owns_worker:
            self.worker.close()
        super().closeEvent(event)

