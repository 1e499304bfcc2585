"""Lessons in the window: build one slide by slide, save and open it, and click through it.

The lesson is a frozen :class:`~calcgui.state.Lesson`; every edit (add, rename, reorder,
delete, a note) replaces it and refreshes the slide strip, the banner and the window title.
Going to a slide applies its scene like opening a scene file does, and once every pane shows
it (``apply_scene``'s ``then``) the scene becomes the point undo goes back to, recording
restarts, and the slide's arrival animation starts, so that the race begins from the slide's
own step and not from a half-replayed one.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from calcgui.state import LESSON_SUFFIX, Lesson, SceneError, SettingsError, Slide, lesson_file
from calcgui.state.lesson import MAX_TITLE_LENGTH
from calcgui.ui.file_prompts import FilePrompts
from calcgui.ui.slide_banner import SlideBanner
from calcgui.ui.slide_strip import SlideStrip

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow

LESSON_FILTER = f"calcgui lessons (*{LESSON_SUFFIX});;All files (*)"
NEW_TITLE = "Untitled lesson"
#: The lesson shipped with the app (Lesson → The course, end to end).
COURSE_TITLE = "The course, end to end"


def course_path() -> Path:
    """The shipped course: inside the package, so wheels and bundles have it."""
    return Path(str(resources.files("calcgui") / "resources" / "lessons" / f"course{LESSON_SUFFIX}"))


class LessonController(FilePrompts):
    """The lesson open in ``window`` (None: none), its file, and the slide on screen
    (``index``, -1 for none). Messages go to :meth:`warn` (a dialog; tests replace it)."""

    untitled, question_title = "this lesson", "Unsaved lesson"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.lesson: Lesson | None = None
        self.index = -1
        self.modified = False
        #: start a slide's animation on arrival (off for screenshots, which show the slide as saved)
        self.play_on_arrival = True
        self.banner = SlideBanner(window)
        window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.banner)
        self.strip = SlideStrip(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.strip)
        self.strip.hide()
        self.strip.chosen.connect(self.go_to)
        self.strip.renamed.connect(self.rename_slide)
        self.strip.deleted.connect(self.delete_slide)
        self.strip.reordered.connect(self.reorder)
        self.strip.note_edited.connect(self.set_note)
        window.presentation_changed.connect(self._presenting)

    def is_open(self) -> bool:
        return self.lesson is not None

    @property
    def slide(self) -> Slide | None:
        """The slide on screen, if any."""
        if self.lesson is None or not 0 <= self.index < len(self.lesson.slides):
            return None
        return self.lesson.slides[self.index]

    def confirm_discard(self) -> bool:
        """True when the lesson may be closed: nothing unsaved, or the user said so (or saved).
        Unlike a scene, an untitled lesson is asked about: the session does not keep lessons."""
        if self.lesson is None or not self.modified:
            return True
        return self._asked_to_discard()

    # -- files --------------------------------------------------------------------------------
    def new_lesson(self) -> bool:
        self.strip.commit_note()
        if not self.confirm_discard():
            return False
        self._set(Lesson(NEW_TITLE), None, -1, modified=False)
        return True

    def open_dialog(self) -> None:
        folder = str(self.path.parent) if self.path is not None else ""
        name, _ = QFileDialog.getOpenFileName(self.window, "Open a lesson", folder, LESSON_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path, *, slide: int = 0, as_file: bool = True) -> bool:
        """Open the lesson at ``path`` on ``slide`` (0-based); on any problem say what it is and
        change nothing. ``as_file=False`` opens it untitled (the shipped course: saving must
        not overwrite it)."""
        self.strip.commit_note()
        if not self.confirm_discard():
            return False
        try:
            lesson = lesson_file.load(path)
        except SceneError as error:
            self._tell("Could not open the lesson", str(error))
            return False
        self.open_lesson(lesson, path if as_file else None, slide=slide)
        self.window.statusBar().showMessage(f"Opened {path.name}: {len(lesson.slides)} slides", 5000)
        return True

    def open_lesson(self, lesson: Lesson, path: Path | None, *, slide: int = 0) -> None:
        """Show a lesson read already (the command line's) on ``slide`` (0-based)."""
        self._set(lesson, path, -1, modified=False)
        self.go_to(slide)

    def open_course(self) -> bool:
        return self.open_path(course_path(), as_file=False)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        if self.lesson is None:
            return False
        start = str(self.path) if self.path is not None else f"lesson{LESSON_SUFFIX}"
        name, _ = QFileDialog.getSaveFileName(self.window, "Save the lesson", start, LESSON_FILTER)
        if not name:
            return False
        path = Path(name)
        return self.save_to(path if path.suffix else path.with_suffix(LESSON_SUFFIX))

    def save_to(self, path: Path) -> bool:
        """Save the lesson to ``path`` (atomically); False, with a message, on failure."""
        if self.lesson is None:
            return False
        self.strip.commit_note()  # a note still being typed is part of what is saved
        try:
            lesson_file.save(self.lesson, path)
        except SceneError as error:
            self._tell("Could not save the lesson", str(error))
            return False
        self.path, self.modified = path, False
        self._refresh()
        self.window.statusBar().showMessage(f"Saved {path.name}", 5000)
        return True

    # -- editing ------------------------------------------------------------------------------
    def add_slide(self, title: str | None = None) -> Slide:
        """Add the view on screen as a slide after the current one (a new lesson if none is open),
        titled ``title`` or "<pane>: <function>"; it becomes the current slide."""
        self.strip.commit_note()  # a note still being typed belongs to the lesson as it was
        if self.lesson is None:
            self._set(Lesson(NEW_TITLE), None, -1, modified=False)
        assert self.lesson is not None
        pane = self.window.current_pane()
        title = title or f"{pane.title}: {pane.input.text().strip() or 'untitled'}"
        slide = Slide(title[:MAX_TITLE_LENGTH], scene=self.window.scene())
        self._set(self.lesson.inserted(self.index + 1, slide), self.path, self.index + 1)
        return slide

    def rename_slide(self, index: int, title: str) -> bool:
        """Give slide ``index`` a new title; an empty or over-long one is refused (row restored)."""
        self.strip.commit_note()  # a note still being typed belongs to the lesson as it was
        return self._edit_slide(index, title=title)

    def set_note(self, index: int, note: str) -> bool:
        return self._edit_slide(index, note=note)

    def _edit_slide(self, index: int, **change: str) -> bool:
        assert self.lesson is not None
        slide = self.lesson.slides[index]
        if all(getattr(slide, name) == value for name, value in change.items()):
            return True
        try:
            edited = dataclasses.replace(slide, **change)
        except SettingsError as error:
            self.window.statusBar().showMessage(f"Slide {index + 1}: {error}", 10_000)
            self._refresh()
            return False
        self._set(self.lesson.replaced(index, edited), self.path, self.index)
        return True

    def delete_slide(self, index: int) -> None:
        """Delete slide ``index``; deleting the slide on screen goes to the one taking its place."""
        self.strip.commit_note()  # a note still being typed belongs to the lesson as it was
        assert self.lesson is not None
        lesson = self.lesson.removed(index)
        if index != self.index:
            self._set(lesson, self.path, self.index - (index < self.index))
            return
        self._set(lesson, self.path, -1)
        if lesson.slides:
            self.go_to(min(index, len(lesson.slides) - 1))

    def reorder(self, order: list[int]) -> None:
        """Put the slides in ``order`` (their old indices); the current slide stays current."""
        self.strip.commit_note()  # a note still being typed belongs to the lesson as it was
        assert self.lesson is not None
        current = order.index(self.index) if self.index >= 0 else -1
        self._set(self.lesson.reordered(order), self.path, current)

    # -- going through it ---------------------------------------------------------------------
    def go_to(self, index: int) -> bool:
        """Show slide ``index`` (its scene, title and note) and, once it is on screen, start its
        arrival animation. False if there is no such slide."""
        if self.lesson is None or not 0 <= index < len(self.lesson.slides):
            return False
        self.strip.commit_note()
        slide = self.lesson.slides[index]
        for _name, pane in self.window.panes.built():  # what the last slide started must not run on
            pane.stop()
        self.index = index
        self._refresh()
        self.window.apply_scene(slide.scene, then=lambda: self._arrived(slide))
        return True

    def next_slide(self) -> bool:
        return self.go_to(self.index + 1)

    def previous_slide(self) -> bool:
        return self.go_to(self.index - 1) if self.index > 0 else False

    def _arrived(self, slide: Slide) -> None:
        """The slide's scene is on screen: undo starts from it, recording restarts, and its
        animation begins."""
        window = self.window
        window.history.record(window.scene())
        window._start_recording()  # noqa: SLF001 (apply_scene's own ending, as scene_files does)
        if self.play_on_arrival and slide.arrival is not None and slide.arrival.play and slide is self.slide:
            window.current_pane().play(until=slide.arrival.until_step)

    # -- showing ------------------------------------------------------------------------------
    def _set(self, lesson: Lesson | None, path: Path | None, index: int, *, modified: bool = True) -> None:
        self.lesson, self.path, self.index = lesson, path, index
        self.modified = modified
        self._refresh()

    def _refresh(self) -> None:
        slide = self.slide
        count = len(self.lesson.slides) if self.lesson is not None else 0
        heading = f"{self.index + 1} / {count} · {slide.title}" if slide is not None else ""
        self.banner.show_slide(heading, slide.note if slide is not None else "")
        self.strip.show_lesson(self.lesson, self.index)
        self.strip.setVisible(self.lesson is not None and not self.window.is_presenting())
        self.window.update_title()

    def _presenting(self, on: bool) -> None:
        """The strip is for building a lesson: the class sees the slide, not the list."""
        self.strip.setVisible(self.lesson is not None and not on)

    def window_title(self) -> str:
        """E.g. "course — slide 3/12: The secant becomes the tangent" ([*] marks unsaved changes)."""
        assert self.lesson is not None
        name = self.path.stem if self.path is not None else self.lesson.title
        slide, count = self.slide, len(self.lesson.slides)
        where = f"slide {self.index + 1}/{count}: {slide.title}" if slide is not None else (
            f"{count} slides" if count else "no slides yet: Lesson → Add this view as a slide")
        return f"{name}[*] — {where}"

    def update_title(self) -> None:
        """Called by the window's update_title: while a lesson is open, its title is the window's."""
        if self.lesson is not None:
            self.window.setWindowTitle(self.window_title())
            self.window.setWindowModified(self.modified)


def add_lesson_menu(window: MainWindow) -> LessonController:
    """Create ``window.lessons`` and the Lesson menu; every action is on the window as well, so
    its shortcut works with the menu bar hidden (presentation mode)."""
    lessons = window.lessons = LessonController(window)  # type: ignore[attr-defined]
    menu = window.menuBar().addMenu("&Lesson")

    def action(text: str, slot: object, shortcut: str | None = None) -> QAction:
        item = QAction(text, window)
        if shortcut is not None:
            item.setShortcut(QKeySequence(shortcut))
        item.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        window.addAction(item)
        menu.addAction(item)
        return item

    action("&New lesson", lessons.new_lesson)
    action("&Open lesson…", lessons.open_dialog)
    action("&Save lesson", lessons.save)
    action("Save lesson &as…", lessons.save_as)
    menu.addSeparator()
    action("Add this &view as a slide", lessons.add_slide, "Ctrl+M")
    action("&Next slide", lessons.next_slide, "PgDown")
    action("&Previous slide", lessons.previous_slide, "PgUp")
    menu.addSeparator()
    strip = lessons.strip.toggleViewAction()
    strip.setText("Slide &strip")
    views = [item.menu() for item in window.menuBar().actions() if item.text() == "&View"]
    for view in views[:1]:  # View → Slide strip, beside the window's other views
        view.addSeparator()
        view.addAction(strip)
    menu.addSeparator()
    action(f"{COURSE_TITLE}", lessons.open_course)
    return lessons
