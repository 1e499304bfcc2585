"""The current slide's title and note, large, above the panes: what the class reads first.

A dock widget at the top with no title bar of its own, so it spans the window above the pane
list and the pane and stays when presentation mode hides the menus, the pane list and the
status bar. Its text sizes come from the zoom, as everything else's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QSizePolicy, QVBoxLayout, QWidget

from calcgui.ui.appearance import appearance, follow


class SlideBanner(QDockWidget):
    """Shows one slide's title and note; :meth:`show_slide` with an empty title hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Slide", parent)
        self.setObjectName("slideBanner")
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.setTitleBarWidget(QWidget())  # no dock title bar: the slide's title is the title
        self.title = QLabel()
        self.title.setObjectName("slideTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a file's text is never markup
        self.note = QLabel()
        self.note.setObjectName("slideNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body = QWidget()
        # as tall as its text, never stretched: the panes below get every other pixel
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        column = QVBoxLayout(body)
        column.setContentsMargins(16, 8, 16, 8)
        column.setSpacing(4)
        column.addWidget(self.title)
        column.addWidget(self.note)
        self.setWidget(body)
        follow(self, self.refresh_fonts)
        self.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Exactly as tall as the wrapped text at this width (a wrapped label's own size hint
        guesses a narrower width, which left a gap under the title)."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        layout = self.widget().layout()
        height = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        if height > 0 and height != self.maximumHeight():
            self.setMaximumHeight(height)

    def refresh_fonts(self) -> None:
        """The sizes of the current zoom (presentation's included)."""
        self.title.setFont(appearance().font("slide_title", bold=True))
        self.note.setFont(appearance().font("slide_note"))
        self._fit()

    def show_slide(self, heading: str, note: str) -> None:
        """Show ``heading`` (e.g. "3 / 12 · The secant becomes the tangent") and ``note``."""
        self.title.setText(heading)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setVisible(bool(heading))
        self._fit()
