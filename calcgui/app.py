"""Command line and start-up: parse arguments, create the QApplication, show the window.

Heavy modules (Qt, pyqtgraph) are imported only after the arguments are read, so that
``--version`` and argument errors answer at once; sympy is never imported before the first
paint (the worker process and a background thread load it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import calcgui
from calcgui.state import PANE_NAMES

if TYPE_CHECKING:
    from calcgui.state import Scene
    from calcgui.ui.main_window import MainWindow

#: Panes that work today, in the order they are listed (the state layer defines them once).
AVAILABLE_PANES = PANE_NAMES
#: Panes whose --function is f(x, y).
SURFACE_PANES = ("gradient", "descent")
#: Planned panes a user may ask for before they exist.
PLANNED_PANES: tuple[str, ...] = ()
#: Set to 1 to print "painted" at the first paint of the window and exit (start-up benchmarks,
#: which time the standalone bundle too, where no code can be injected).
FIRST_PAINT_PROBE = "CALCGUI_EXIT_AFTER_FIRST_PAINT"
#: A screenshot waits at most this long for the panes to finish computing.
SCREENSHOT_TIMEOUT_S = 20.0


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return width, height


def _pane(text: str) -> str:
    if text in AVAILABLE_PANES:
        return text
    if text in PLANNED_PANES:
        raise argparse.ArgumentTypeError(
            f"the {text!r} pane is not available yet; choose from {', '.join(AVAILABLE_PANES)}")
    raise argparse.ArgumentTypeError(
        f"unknown pane {text!r}; choose from {', '.join(AVAILABLE_PANES)}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="calcgui",
        description="Explore the calculus behind deep learning: derivatives, tangents, gradients, descent, "
                    "backpropagation.",
    )
    parser.add_argument("file", metavar="FILE", nargs="?", type=Path,
                        help="a scene file (.calcgui) to open")
    parser.add_argument("--scene", metavar="FILE", type=Path, help="open this scene file (same as FILE)")
    parser.add_argument("--check-scene", metavar="FILE", type=Path,
                        help="check a scene file without opening a window: exit 0, or 2 with the problem")
    parser.add_argument("--fresh", action="store_true",
                        help="start with a clean scene instead of restoring the last session")
    parser.add_argument("--pane", type=_pane, default=None,
                        help=f"pane to open: {', '.join(AVAILABLE_PANES)} (default: derivative, or the scene's)")
    parser.add_argument("--function", metavar="TEXT", help='f(x) to study, e.g. "x^3 - x"; f(x, y) on the gradient and descent panes; '
                             'on the chain pane an expression in x, y, z, w, b')
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path,
                        help="render the window to FILE.png and exit (works without a display)")
    parser.add_argument("--size", metavar="WxH", type=_size, default=None,
                        help="window size for --screenshot or --export, e.g. 1280x800 (default 1280x800)")
    parser.add_argument("--export", metavar="OUT", type=Path,
                        help="write the scene's pane to OUT.png (its plot at 2x), .svg, .gif (its animation) "
                             "or .csv (its table) and exit, without a window")
    parser.add_argument("--frames", metavar="N", type=int, default=None,
                        help="frames of a --export .gif (default 60)")
    parser.add_argument("--version", action="version", version=f"calcgui {calcgui.__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``calcgui`` command and ``python -m calcgui``."""
    multiprocessing.freeze_support()  # the worker process, in a frozen bundle
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.size and not (args.screenshot or args.export):
        parser.error("--size goes with --screenshot or --export")
    if args.export and args.export.suffix.lower() not in (".png", ".svg", ".gif", ".csv"):
        parser.error("--export must name a .png, .svg, .gif or .csv file")
    if args.frames is not None and (not args.export or args.export.suffix.lower() != ".gif"):
        parser.error("--frames goes with --export of a .gif")
    if args.frames is not None and not 2 <= args.frames <= 1200:
        parser.error("--frames must be between 2 and 1200")
    if args.screenshot and args.screenshot.suffix.lower() != ".png":
        parser.error("--screenshot must name a .png file")
    if args.file and args.scene:
        parser.error("give the scene either as FILE or with --scene, not both")
    if args.check_scene:
        return _check_scene(args.check_scene)
    scene_path = args.scene or args.file
    scene = None
    if scene_path is not None:
        scene = _load_scene(scene_path)
        if scene is None:
            return 2

    from PySide6.QtWidgets import QApplication

    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph
    from calcgui.ui.session import SessionStore

    from calcgui.ui.app_icon import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("calcgui")
    app.setApplicationVersion(calcgui.__version__)
    app.setDesktopFileName("io.github.calcgui")  # ties windows to the installed .desktop entry
    app.setWindowIcon(app_icon())
    configure_pyqtgraph()
    # a screenshot or a benchmark shows exactly what it was asked for, never a past session
    remember = not (args.fresh or args.screenshot or args.export or os.environ.get(FIRST_PAINT_PROBE) == "1")
    session = SessionStore() if remember else None
    message = ""
    if scene is None and session is not None:
        scene, message = session.load_scene()
    state = SharedFunctions()
    pane = args.pane or (scene.pane if scene is not None else "derivative")
    if args.function:  # f(x, y) for the panes of two variables, f(x) for the others
        if pane in SURFACE_PANES:
            state.set_surface_text(args.function)
        elif pane != "chain":
            state.set_function_text(args.function)
    window = MainWindow(state, pane=pane, session=session)
    if args.function and pane == "chain":  # an expression in x, y, z, w, b: the pane's own
        window.panes["chain"].set_function(args.function)
    if scene is not None and not args.function:
        window.files.open_scene(scene, scene_path, pane=args.pane)
    if message:
        window.statusBar().showMessage(message, 20_000)
    if args.export:
        from calcgui.ui.export.headless import export_scene

        return export_scene(window, args.export, frames=args.frames, size=args.size or (1280, 800))
    if args.screenshot:
        return _screenshot(window, args.screenshot, args.size or (1280, 800), args.function)
    window.resize(1280, 800)
    geometry = session.geometry() if session is not None else None
    if geometry is not None:
        window.restoreGeometry(geometry)
    if os.environ.get(FIRST_PAINT_PROBE) == "1":
        _exit_after_first_paint(window)
    window.show()
    code = app.exec()
    window.worker.close()
    return code


def _check_scene(path: Path) -> int:
    """``--check-scene``: validate without Qt; one line on stderr and exit 2 if it is bad."""
    from calcgui.state import SceneError, scene_file

    try:
        scene_file.check(path)
    except SceneError as error:
        print(f"calcgui: error: {error}", file=sys.stderr)
        return 2
    print(f"{path}: a valid calcgui scene")
    return 0


def _load_scene(path: Path) -> Scene | None:
    """The scene in ``path``, or None after saying on stderr what is wrong with it."""
    from calcgui.state import SceneError, scene_file

    try:
        return scene_file.load(path)
    except SceneError as error:
        print(f"calcgui: error: {error}", file=sys.stderr)
        return None


def _exit_after_first_paint(window: MainWindow) -> None:
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                os._exit(0)  # at once: this run only measures start-up
            return False

    window._first_paint_probe = FirstPaint(window)  # type: ignore[attr-defined]
    window.installEventFilter(window._first_paint_probe)  # type: ignore[attr-defined]


def _screenshot(window: MainWindow, path: Path, size: tuple[int, int], function: str | None) -> int:
    """Show the window, wait until every pane has finished computing, save it, exit."""
    from PySide6.QtCore import QCoreApplication

    window.resize(*size)
    window.show()
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S
    QCoreApplication.processEvents()
    while window.is_busy() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    for _ in range(5):  # let layouts and the plot catch up with the last results
        QCoreApplication.processEvents()
        time.sleep(0.01)
    pane = window.current_pane()
    error = getattr(pane, "last_error", "")
    if function and error:
        print(f"calcgui: error: --function {function!r}: {error}", file=sys.stderr)
        window.worker.close()
        return 2
    saved = window.grab().save(str(path))
    window.worker.close()
    if not saved:
        print(f"calcgui: error: could not write {path}", file=sys.stderr)
        return 1
    return 0
