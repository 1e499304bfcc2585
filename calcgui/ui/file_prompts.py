"""What scene files and lesson files say to the user: one warning style and one
"save first?" question, so the two kinds of file behave alike.

Tests replace :meth:`FilePrompts.warn` and :meth:`FilePrompts.ask_to_discard` so that no
dialog ever blocks them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow


class FilePrompts:
    """The file ``window`` shows (``path``; None while untitled) and the messages about it.
    Subclasses name their kind of file and implement ``save``."""

    #: how the questions name an untitled file ("this scene") and the question's title
    untitled: ClassVar[str] = "this file"
    question_title: ClassVar[str] = "Unsaved changes"

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.path: Path | None = None
        self.last_message = ""

    def save(self) -> bool:
        raise NotImplementedError

    def warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self.window, title, message)

    def _tell(self, title: str, message: str) -> None:
        self.last_message = message
        self.window.statusBar().showMessage(message, 10_000)
        self.warn(title, message)

    def ask_to_discard(self) -> QMessageBox.StandardButton:
        name = self.path.name if self.path is not None else self.untitled
        return QMessageBox.question(
            self.window, self.question_title, f"Save the changes to {name} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)

    def _asked_to_discard(self) -> bool:
        """Ask; True when the changes were saved or may be dropped, False on Cancel."""
        answer = self.ask_to_discard()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard
