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
    from calcgui.core.worker import TimedRunner
    from calcgui.state import Lesson, Scene
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.session import SessionStore

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


#: --zoom's range, in percent (the zoom's own; the UI is not imported before the arguments are read).
ZOOM_RANGE = (50, 300)
#: --theme's choices.
THEMES = ("system", "light", "dark", "high-contrast")


def _zoom(text: str) -> int:
    try:
        percent = int(text.strip().rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a zoom in percent such as 150, got {text!r}") from None
    if not ZOOM_RANGE[0] <= percent <= ZOOM_RANGE[1]:
        raise argparse.ArgumentTypeError(f"the zoom must be between {ZOOM_RANGE[0]} and {ZOOM_RANGE[1]} percent, "
                                         f"got {percent}")
    return percent


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
                        help="a scene file (.calcgui) or a lesson (.calcgui-lesson) to open")
    parser.add_argument("--scene", metavar="FILE", type=Path, help="open this scene file (same as FILE)")
    parser.add_argument("--lesson", metavar="FILE", type=Path, help="open this lesson (.calcgui-lesson) at slide 1")
    parser.add_argument("--slide", metavar="N", type=int, default=None,
                        help="with --lesson: open at slide N (1-based), e.g. for --screenshot")
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
    parser.add_argument("--zoom", metavar="PERCENT", type=_zoom, default=None,
                        help=f"text and line size in percent, {ZOOM_RANGE[0]} to {ZOOM_RANGE[1]} "
                             "(default: the last run's, or 100)")
    parser.add_argument("--theme", choices=THEMES, default=None,
                        help="colours: follow the desktop (system), light, dark or high-contrast "
                             "(default: the last run's, or system)")
    parser.add_argument("--present", action="store_true",
                        help="start in presentation mode (full screen, 150 %%, F5 or Esc leaves), "
                             "e.g. with --lesson")
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
    # the worker process starts first, before numpy, the state layer and Qt are imported
    # here: it imports sympy on one core while this process loads the rest on the other
    import gc

    from calcgui.core.jobs import start_runner

    collecting = gc.isenabled()
    gc.disable()  # before the runner's thread allocates: see calcgui.ui.gui_thread_gc
    runner = start_runner()
    try:
        return _open(parser, args, runner)
    finally:
        runner.close()  # at once if the window closed it already
        if collecting and "calcgui.ui.gui_thread_gc" not in sys.modules:  # no window took collection over
            gc.enable()


def _open(parser: argparse.ArgumentParser, args: argparse.Namespace, runner: TimedRunner) -> int:
    """Load the lesson or scene asked for, then show the window (or picture it) with
    ``runner`` doing its symbolic work."""
    lesson_path, scene_path = _lesson_arguments(parser, args)
    lesson = None
    if lesson_path is not None:
        lesson = _load_lesson(lesson_path, args.slide)
        if lesson is None:
            return 2
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
    from calcgui.ui.worker_bridge import SymbolicWorker

    from calcgui.ui.app_icon import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("calcgui")
    app.setApplicationVersion(calcgui.__version__)
    app.setDesktopFileName("io.github.calcgui")  # ties windows to the installed .desktop entry
    app.setWindowIcon(app_icon())
    # a screenshot or a benchmark shows exactly what it was asked for, never a past session
    remember = not (args.fresh or args.screenshot or args.export or os.environ.get(FIRST_PAINT_PROBE) == "1")
    session = SessionStore() if remember else None
    _set_appearance(args.zoom, args.theme, session)
    configure_pyqtgraph()  # the theme is applied before the window is built
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
    window = MainWindow(state, pane=pane, session=session, worker=SymbolicWorker(runner=runner))
    if args.screenshot or args.export:
        window.build_rest = False  # one pane is pictured: the others are not made at all
    if args.function and pane == "chain":  # an expression in x, y, z, w, b: the pane's own
        window.panes["chain"].set_function(args.function)
    if scene is not None and not args.function:
        window.files.open_scene(scene, scene_path, pane=args.pane)
    if lesson is not None:
        window.lessons.play_on_arrival = not args.screenshot  # a screenshot shows the slide as saved
        window.lessons.open_lesson(lesson, lesson_path, slide=(args.slide or 1) - 1)
    if message:
        window.statusBar().showMessage(message, 20_000)
    if args.export:
        from calcgui.ui.export.headless import export_scene

        return export_scene(window, args.export, frames=args.frames, size=args.size or (1280, 800))
    if args.screenshot:
        return _screenshot(window, args.screenshot, args.size or (1280, 800), args.function, args.present)
    window.resize(1280, 800)
    geometry = session.geometry() if session is not None else None
    if geometry is not None:
        window.restoreGeometry(geometry)
    if os.environ.get(FIRST_PAINT_PROBE) == "1":
        _exit_after_first_paint(window)
    window.show()
    if args.present:
        window.presentation.enter()
    code = app.exec()
    window.worker.close()
    return code


def _set_appearance(zoom: int | None, theme: str | None, stored: SessionStore | None) -> None:
    """Zoom and theme from the command line, else the last run's; kept for the next run."""
    from calcgui.ui.appearance import appearance

    look = appearance()
    look.set_theme(theme or (stored.theme() if stored else None) or "system")
    look.set_zoom(zoom or (stored.zoom() if stored else None) or 100)
    if stored is not None:
        # what the user chose, not presentation mode's own zoom (thick lines say it is on)
        look.changed.connect(lambda: None if look.thick_lines else (stored.save_zoom(look.zoom),
                                                                    stored.save_theme(look.theme_name)))
        stored.save_zoom(look.zoom)
        stored.save_theme(look.theme_name)


def _check_scene(path: Path) -> int:
    """``--check-scene``: validate a scene or a lesson without Qt; one line on stderr and exit 2
    if it is bad."""
    from calcgui.state import Lesson, SceneError, check_file

    try:
        checked = check_file(path)  # a scene or a lesson, by its "format"
    except SceneError as error:
        print(f"calcgui: error: {error}", file=sys.stderr)
        return 2
    print(f"{path}: a valid calcgui {'lesson' if isinstance(checked, Lesson) else 'scene'}")
    return 0


def _lesson_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """(the lesson's path, the scene's path), either may be None: FILE names either (by its suffix)."""
    from calcgui.state.lesson_file import is_lesson_path

    lesson_path, scene_path = args.lesson, args.scene or args.file
    if args.file is not None and is_lesson_path(args.file) and not args.scene:
        lesson_path, scene_path = lesson_path or args.file, None
    if lesson_path is not None and scene_path is not None:
        parser.error("give either a lesson or a scene, not both")
    if args.slide is not None and lesson_path is None:
        parser.error("--slide goes with --lesson")
    return lesson_path, scene_path


def _load_lesson(path: Path, slide: int | None) -> Lesson | None:
    """The lesson in ``path``, or None after saying on stderr what is wrong with it (or with
    ``--slide``)."""
    from calcgui.state import SceneError, lesson_file

    try:
        lesson = lesson_file.load(path)
    except SceneError as error:
        print(f"calcgui: error: {error}", file=sys.stderr)
        return None
    if slide is not None and not 1 <= slide <= len(lesson.slides):
        print(f"calcgui: error: --slide {slide}: {path} has slides 1 to {len(lesson.slides)}", file=sys.stderr)
        return None
    return lesson


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


def _screenshot(window: MainWindow, path: Path, size: tuple[int, int], function: str | None,
                present: bool = False) -> int:
    """Show the window, wait until every pane has finished computing, save it, exit. In
    presentation mode the window is full screen: the screen's size, not ``size``."""
    from PySide6.QtCore import QCoreApplication

    window.resize(*size)
    window.show()
    if present:
        window.presentation.enter()
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
