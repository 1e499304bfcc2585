"""Is OpenGL usable here? Asked once, answered with a reason a user can act on.

3D views need a real OpenGL context. The offscreen platform, some remote desktops and broken
drivers have none; asking pyqtgraph to draw there can crash the process, so the app asks
first and shows a message instead of the 3D view.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

#: Set to 1 to turn 3D views off (a broken driver, or to test the fallback).
DISABLE_ENV = "CALCGUI_NO_OPENGL"
#: Qt platforms known to offer no OpenGL to widgets.
_NO_GL_PLATFORMS = {"offscreen", "minimal", "vnc"}


@dataclass(frozen=True)
class OpenGLStatus:
    available: bool
    reason: str  # why not, in words for the user (empty when available)


@lru_cache(maxsize=1)
def opengl_status() -> OpenGLStatus:
    """Whether a 3D view can be created, probed once per process (needs a QGuiApplication)."""
    from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return OpenGLStatus(False, f"3D view turned off ({DISABLE_ENV} is set).")
    platform = QGuiApplication.platformName()
    if platform in _NO_GL_PLATFORMS:
        return OpenGLStatus(False, f"The 3D view needs OpenGL, which the '{platform}' display does not offer.")
    context = QOpenGLContext()
    if not context.create():
        return OpenGLStatus(False, "The 3D view needs OpenGL, but no OpenGL context could be created "
                                   "(a remote desktop or a missing graphics driver?).")
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    current = context.makeCurrent(surface)
    if current:
        context.doneCurrent()
    surface.destroy()
    if not current:
        return OpenGLStatus(False, "The 3D view needs OpenGL, but the graphics driver refused to draw.")
    try:
        import pyqtgraph.opengl  # noqa: F401 (needs PyOpenGL)
    except Exception as exc:  # ImportError, or PyOpenGL failing to find libGL
        return OpenGLStatus(False, f"The 3D view could not load its OpenGL library: {exc}")
    return OpenGLStatus(True, "")
