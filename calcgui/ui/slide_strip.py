"""The slide strip: the lesson's slides as a list to click, reorder, rename and delete, and the
current slide's note to edit.

The strip only shows a lesson and reports what the user did with signals; the lesson itself
(a frozen :class:`~calcgui.state.Lesson`) is changed by the controller, which then shows the
new one here. So a reorder by drag and drop is read back as the new order of the slides'
original numbers, and the strip never holds a second copy of the truth.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from calcgui.state import Lesson
from calcgui.state.lesson import MAX_NOTE_LENGTH

#: A note typed in the box is passed on once typing has paused this long (one undoable edit, not
#: one per key).
NOTE_DELAY_MS = 400
_NUMBER = Qt.ItemDataRole.UserRole  # an item's slide index in the lesson it was built from
_TITLE = Qt.ItemDataRole.UserRole + 1  # the slide's title, without the row number


class _SlideList(QListWidget):
    """A list whose Delete key deletes the selected slide."""

    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            self.delete_pressed.emit()
            return
        super().keyPressEvent(event)


class SlideStrip(QDockWidget):
    """The lesson's slides; signals carry slide indices of the lesson last shown."""

    chosen = Signal(int)
    renamed = Signal(int, str)
    deleted = Signal(int)
    reordered = Signal(list)  #: the slides' old indices in their new order
    note_edited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Slides", parent)
        self.setObjectName("slideStrip")
        self._count = 0
        self._current = -1
        self.list = _SlideList()
        self.list.setObjectName("slideList")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long titles elide
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemClicked.connect(lambda item: self.chosen.emit(item.data(_NUMBER)))
        self.list.itemChanged.connect(self._item_changed)
        self.list.model().rowsMoved.connect(lambda *_: QTimer.singleShot(0, self._rows_moved))
        self.list.delete_pressed.connect(self._delete_selected)
        self.note = QPlainTextEdit()
        self.note.setObjectName("slideNoteEditor")
        self.note.setPlaceholderText("A note for students on this slide")
        self.note.setMaximumHeight(120)
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.commit_note)
        self.note.textChanged.connect(self._note_timer.start)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.list, 1)
        column.addWidget(QLabel("Note"))
        column.addWidget(self.note)
        self.setWidget(body)

    # -- showing ------------------------------------------------------------------------------
    def show_lesson(self, lesson: Lesson | None, current: int) -> None:
        """Rebuild the rows from ``lesson``; ``current`` (or -1) is highlighted, its note shown.
        (A note still being typed is the controller's to commit first: see :meth:`commit_note`.)"""
        self._note_timer.stop()
        slides = lesson.slides if lesson is not None else ()
        self._count, self._current = len(slides), current
        self.list.blockSignals(True)
        self.list.clear()
        for number, slide in enumerate(slides):
            item = QListWidgetItem(f"{number + 1}. {slide.title}")  # the number is the row's place
            item.setData(_NUMBER, number)
            item.setData(_TITLE, slide.title)
            item.setToolTip(f"{slide.title}\n\n{slide.note}" if slide.note else slide.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
            if number == current:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        if 0 <= current < len(slides):
            self.list.setCurrentRow(current)
        self.list.blockSignals(False)
        self.note.blockSignals(True)
        self.note.setPlainText(slides[current].note if 0 <= current < len(slides) else "")
        self.note.blockSignals(False)
        self.note.setEnabled(0 <= current < len(slides))

    def titles(self) -> list[str]:
        """The rows as shown, e.g. ["1. The derivative", …]."""
        return [self.list.item(row).text() for row in range(self.list.count())]

    # -- what the user does ---------------------------------------------------------------------
    def _item_changed(self, item: QListWidgetItem) -> None:
        """An edited row: its text without the "3. " it was shown with is the new title."""
        title = re.sub(r"^\s*\d+\.\s+", "", item.text()).strip()
        if title != item.data(_TITLE):  # after the edit has ended: the rows are then rebuilt
            number = item.data(_NUMBER)
            QTimer.singleShot(0, lambda: self.renamed.emit(number, title))

    def _rows_moved(self) -> None:
        order = [self.list.item(row).data(_NUMBER) for row in range(self.list.count())]
        if order != list(range(self._count)):
            self.reordered.emit(order)

    def _delete_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.deleted.emit(item.data(_NUMBER))

    def _context_menu(self, point: QPoint) -> None:
        item = self.list.itemAt(point)
        if item is None:
            return
        menu = QMenu(self)
        menu.addAction("Go to this slide", lambda: self.chosen.emit(item.data(_NUMBER)))
        menu.addAction("Rename", lambda: self.list.editItem(item))
        menu.addAction("Delete", lambda: self.deleted.emit(item.data(_NUMBER)))
        menu.exec(self.list.viewport().mapToGlobal(point))

    def commit_note(self) -> None:
        """Pass on the note typed for the current slide, if it changed (at most MAX_NOTE_LENGTH)."""
        self._note_timer.stop()
        if 0 <= self._current < self._count and self.note.isEnabled():
            self.note_edited.emit(self._current, self.note.toPlainText()[:MAX_NOTE_LENGTH])
