"""The File menu's work: new, open (dialog, recent, example, dropped file), save and save as.

Opening validates the whole file before anything on screen changes (the state layer does
that), so a damaged file costs one clear message and nothing of the session. Saving goes
through the state layer's atomic save, so a failed save leaves the previous file intact.
"""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from calcgui.state import LESSON_SUFFIX, SCENE_SUFFIX, Scene, SceneError, lesson_file, scene_file
from calcgui.ui.file_prompts import FilePrompts

FILE_FILTER = f"calcgui scenes (*{SCENE_SUFFIX});;All files (*)"
OPEN_FILTER = f"calcgui scenes and lessons (*{SCENE_SUFFIX} *{LESSON_SUFFIX});;{FILE_FILTER}"
#: The example scenes shipped with the app, in the order of the course.
EXAMPLES = (
    ("first-principles", "2x² + 3x + 1 from first principles"),
    ("chain-rule", "The chain rule on (2x + 3)²"),
    ("secant-to-tangent", "x² at x₀ = 3, h = 10⁻⁴: the slope 6.0001"),
    ("gradient", "The gradient of 3x² + 2y at (1, 2)"),
    ("descent-1d", "1D descent on x² from x = 10, lr 0.1, step 10"),
    ("rosenbrock-race", "GD, momentum and Adam racing on Rosenbrock, step 300"),
    ("backprop-graph", "Backpropagation through (2x + 3)²: the gradient 8x + 12 node by node"),
    ("vanishing-gradients", "A 10-layer network: sigmoid's gradients vanish, ReLU's do not"),
)


def examples_folder() -> Path:
    """Where the example scenes are: inside the package, so wheels and bundles have them."""
    return Path(str(resources.files("calcgui") / "resources" / "scenes"))


class SceneFiles(FilePrompts):
    """The scene file the window shows (``path``; None for an untitled scene) and the
    actions on it. Messages for the user go to :meth:`warn` (a dialog; tests replace it)."""

    untitled = "this scene"

    def confirm_discard(self) -> bool:
        """True when the scene may be replaced: nothing unsaved, or the user said so (or saved).

        An untitled scene is never asked about: the session keeps it for the next start."""
        if self.path is None or not self.window.history.is_modified:
            return True
        return self._asked_to_discard()

    # -- actions ----------------------------------------------------------------------------
    def new(self) -> None:
        if self.confirm_discard():
            self._show(Scene(), None)

    def open_dialog(self) -> None:
        folder = str(self.path.parent) if self.path is not None else ""
        name, _ = QFileDialog.getOpenFileName(self.window, "Open a scene", folder, OPEN_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path, *, as_file: bool = True) -> bool:
        """Open ``path``; on any problem say what it is and change nothing. ``as_file=False``
        opens it as a new untitled scene (examples: saving must not overwrite them)."""
        if lesson_file.is_lesson_path(path):  # File → Open, a drop, the command line
            return self.window.lessons.open_path(path)
        if not self.confirm_discard():
            return False
        try:
            scene = scene_file.load(path)
        except SceneError as error:
            self._tell("Could not open the scene", str(error))
            return False
        self._show(scene, path if as_file else None)
        if as_file and self.window.session is not None:
            self.window.session.add_recent(path)
        self.window.statusBar().showMessage(f"Opened {path.name}", 5000)
        return True

    def open_scene(self, scene: Scene, path: Path | None, *, pane: str | None = None) -> None:
        """Show a scene read already (the command line's, the last session's)."""
        self._show(replace(scene, pane=pane) if pane is not None else scene, path)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        start = str(self.path) if self.path is not None else f"untitled{SCENE_SUFFIX}"
        name, _ = QFileDialog.getSaveFileName(self.window, "Save the scene", start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(SCENE_SUFFIX)
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Save what is on screen to ``path`` (atomically); False, with a message, on failure."""
        scene = self.window.scene()
        try:
            scene_file.save(scene, path)
        except SceneError as error:
            self._tell("Could not save the scene", str(error))
            return False
        history = self.window.history
        history.record(scene)
        history.mark_saved()
        self.path = path
        if self.window.session is not None:
            self.window.session.add_recent(path)
        self.window.update_title()
        self.window.statusBar().showMessage(f"Saved {path.name}", 5000)
        return True

    def _show(self, scene: Scene, path: Path | None) -> None:
        def shown() -> None:
            self.window.history.reset(scene)
            self.window.history.mark_saved()
            self.window._start_recording()  # noqa: SLF001 (the window's own hand-over)

        self.path = path
        self.window.apply_scene(scene, then=shown)
        self.window.update_title()

    # -- menus and drops ----------------------------------------------------------------------
    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        recent = self.window.session.recent_files() if self.window.session is not None else []
        for name in recent:
            action = QAction(Path(name).name, menu)
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_path(Path(n)))
            menu.addAction(action)
        if not recent:
            empty = menu.addAction("No recent scenes")
            empty.setEnabled(False)

    def fill_examples_menu(self) -> None:
        menu = self.window.examples_menu
        for stem, title in EXAMPLES:
            path = examples_folder() / f"{stem}{SCENE_SUFFIX}"
            action = QAction(title, menu)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p, as_file=False))
            menu.addAction(action)

    @staticmethod
    def dropped_path(mime: QMimeData) -> str | None:
        """The one local file being dragged onto the window, if that is what it is."""
        urls = mime.urls() if mime.hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile():
            return urls[0].toLocalFile()
        return None
