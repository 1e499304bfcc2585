"""Where the app keeps what outlives a run: the last session's scene, the window's geometry,
the recently opened files, the zoom and the theme, all in the platform's application-data folder.

A corrupt saved session must never stop the app from starting: it is moved aside (kept, for
whoever wants to look at it) and the app starts fresh with a message saying so.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from calcgui.state import Scene, SceneError, scene_file
from calcgui.ui.theme import THEME_NAMES

#: The zooms a session may hold (the zoom's own range).
ZOOM_RANGE = (50, 300)

SESSION_FILE = "session.calcgui"
SETTINGS_FILE = "calcgui.ini"
MAX_RECENT = 8


def default_folder() -> Path:
    """The platform's application-data folder for calcgui (created on first use)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".calcgui")


class SessionStore:
    """The saved session, geometry and recent files in ``folder``."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()
        self._settings = QSettings(str(self.folder / SETTINGS_FILE), QSettings.Format.IniFormat)

    @property
    def session_path(self) -> Path:
        return self.folder / SESSION_FILE

    # -- the scene --------------------------------------------------------------------------
    def load_scene(self) -> tuple[Scene | None, str]:
        """The last session's scene (None when there is none) and a message for the user
        (empty unless the saved session was damaged and has been moved aside)."""
        path = self.session_path
        if not path.exists():
            return None, ""
        try:
            return scene_file.load(path), ""
        except SceneError as error:
            aside = path.with_name(f"{path.stem}-damaged-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}")
            try:
                path.replace(aside)
                kept = f"; it was kept as {aside.name}"
            except OSError:
                kept = ""
            return None, f"The last session could not be restored ({error}){kept}. Starting fresh."

    def save_scene(self, scene: Scene) -> str:
        """Keep ``scene`` for the next start; an error message, or "" when saved."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            scene_file.save(scene, self.session_path)
        except (SceneError, OSError) as error:
            return f"The session could not be kept: {error}"
        return ""

    # -- geometry and recent files ------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_geometry(self, geometry: QByteArray) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.sync()

    def recent_files(self) -> list[str]:
        value = self._settings.value("recent/files", [])
        files = [value] if isinstance(value, str) else list(value or [])
        return [f for f in files if isinstance(f, str)][:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        name = str(path.resolve())
        files = [name, *(f for f in self.recent_files() if f != name)][:MAX_RECENT]
        self._settings.setValue("recent/files", files)
        self._settings.sync()

    # -- zoom and theme ----------------------------------------------------------------------
    def zoom(self) -> int | None:
        """The zoom (percent) of the last run, or None when there is none (or it is garbled)."""
        try:
            value = int(self._settings.value("view/zoom", 0))
        except (TypeError, ValueError):
            return None
        return value if ZOOM_RANGE[0] <= value <= ZOOM_RANGE[1] else None

    def save_zoom(self, percent: int) -> None:
        self._settings.setValue("view/zoom", int(percent))
        self._settings.sync()

    def theme(self) -> str | None:
        """The theme chosen last ("system", "light", "dark", "high-contrast"), or None."""
        value = self._settings.value("view/theme", "")
        return value if value in THEME_NAMES else None

    def save_theme(self, name: str) -> None:
        self._settings.setValue("view/theme", name)
        self._settings.sync()
