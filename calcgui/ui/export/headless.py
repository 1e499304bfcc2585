"""``calcgui --scene FILE --export OUT.png|svg|gif|csv``: the scene's pane to a file, no window.

The window is laid out at the asked size but never shown on screen
(``WA_DontShowOnScreen``), so this works offscreen, in CI and over ssh. What is written:

* PNG: the pane's main plot at 2× (slides), or the whole pane where its main view is no plot;
* SVG: the main plot;
* GIF: the pane's animation, ``frames`` frames at :data:`HEADLESS_FPS`;
* CSV: the pane's main table (the quotient table, the iterates, the trajectories).

A pane without that kind of export gets one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt

from calcgui.ui.export import pane_views, plot_export
from calcgui.ui.export.animations import animation_of
from calcgui.ui.export.files import ExportError, write_image, write_text
from calcgui.ui.export.gif_render import GifOptions, GifRender

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow

KINDS = ("png", "svg", "gif", "csv")
DEFAULT_FRAMES = 60
HEADLESS_FPS = 15
#: The panes get at most this long to finish computing before the export.
SETTLE_TIMEOUT_S = 30.0


def export_kind(path: Path) -> str | None:
    """"png", "svg", "gif" or "csv" from ``path``'s suffix; None for anything else."""
    kind = path.suffix.lower().lstrip(".")
    return kind if kind in KINDS else None


def export_scene(window: MainWindow, path: Path, *, frames: int | None, size: tuple[int, int]) -> int:
    """Write the current pane of ``window`` to ``path``; the process's exit code."""
    kind = export_kind(path)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.resize(*size)
    window.show()
    try:
        if not _settle(window):
            return _fail(f"the {window.current_pane_name()} pane did not finish computing in {SETTLE_TIMEOUT_S:.0f} s")
        pane = window.current_pane()
        if getattr(pane, "last_error", ""):
            return _fail(f"the scene's function could not be shown: {pane.last_error}")
        if kind == "gif":
            return _export_gif(window, path, frames or DEFAULT_FRAMES)
        return _export_still(window, path, kind or "")
    finally:
        window.worker.close()


def _settle(window: MainWindow) -> bool:
    """Process events until no pane computes (and a few turns more for layouts and plots)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    QCoreApplication.processEvents()
    while window.is_busy():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents()
        time.sleep(0.01)
    flush = getattr(window.current_pane(), "flush", None)
    if callable(flush):
        flush()
    for _ in range(5):
        QCoreApplication.processEvents()
        time.sleep(0.01)
    return True


def _export_still(window: MainWindow, path: Path, kind: str) -> int:
    pane, name = window.current_pane(), window.current_pane_name()
    plot = pane_views.main_plot(pane)
    try:
        if kind == "png":
            image = plot_export.plot_image(plot) if plot is not None else pane.grab().toImage()
            write_image(image, path)
        elif kind == "svg":
            if plot is None:
                return _fail(f"the {name} pane has no plot to export as SVG")
            plot_export.save_svg(plot, path)
        else:
            make = pane_views.table_maker(pane)
            if make is None:
                return _fail(f"the {name} pane has no table to export as CSV")
            write_text(make().csv_text(), path)
    except ExportError as error:
        return _fail(str(error))
    return 0


def _export_gif(window: MainWindow, path: Path, frames: int) -> int:
    name = window.current_pane_name()
    animation = animation_of(window.current_pane())
    if animation is None:
        return _fail(f"the {name} pane has no animation to export as GIF (the tangent and descent panes have)")
    render = GifRender(animation, path, GifOptions(None, HEADLESS_FPS, max(2, frames)))
    loop = QEventLoop()
    outcome: list[tuple[bool, str]] = []
    render.finished.connect(lambda ok, message: (outcome.append((ok, message)), loop.quit()))
    render.start()
    if not outcome:
        loop.exec()
    ok, message = outcome[0]
    return 0 if ok else _fail(message or "the GIF export stopped")


def _fail(message: str) -> int:
    print(f"calcgui: error: {message}", file=sys.stderr)
    return 2
