"""What benchmarks share: the p95 they report, and a shown Derivative pane to drive.

Benchmarks run as plain scripts (``.venv/bin/python bench/NAME.py``), so this folder is on
sys.path and they import this module by name. Qt is imported only by the function that needs
it: the parser's benchmark must not pay for it.

A benchmark that ``bench/run_all.py`` runs takes ``--json``: instead of its figures for a
person, it prints one JSON line of the numbers it measured (:func:`print_json`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.panes.derivative import DerivativePane


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def count_argument(default: int) -> int:
    """The first whole number on the command line (runs, rounds, moves ...), or ``default``."""
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    return int(numbers[0]) if numbers else default


def wants_json() -> bool:
    """True when run_all asked for one JSON line instead of the printed figures."""
    return "--json" in sys.argv[1:]


def print_json(result: object) -> None:
    """One line of JSON: a dataclass's fields (run_all reads the last line of stdout)."""
    print(json.dumps(dataclasses.asdict(result)), flush=True)  # type: ignore[call-overload]


def open_pane(pane: str, function: str = "2x^2 + 3x + 1",
              size: tuple[int, int] = (1280, 800)) -> tuple[QApplication, MainWindow]:
    """A main window on the offscreen platform showing ``pane`` with ``function`` computed.
    Keep the application referenced while you use the window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    window = MainWindow(SharedFunctions(function), pane=pane)
    window.resize(*size)
    window.show()
    while window.is_busy():
        QCoreApplication.processEvents()
        time.sleep(0.001)
    return app, window  # type: ignore[return-value]


def open_derivative_pane() -> tuple[QApplication, MainWindow, DerivativePane]:
    """A 1280×800 main window showing the Derivative pane with its first function computed."""
    from calcgui.ui.panes.derivative import DerivativePane

    app, window = open_pane("derivative")
    pane = window.panes["derivative"]
    assert isinstance(pane, DerivativePane)
    return app, window, pane
