"""Start-up to the first painted window, against the floor of the libraries themselves.

The floor is a process that imports PySide6 + pyqtgraph + sympy + numpy and paints one empty
window; calcgui paints its real main window (sympy is loaded after that, off the UI thread).
Both are timed from process launch to the first paint event, in fresh processes.

"Time to useful" is launch → f, f′, f″ computed, typeset, plotted and painted, against the
same floor: ``python -m calcgui --screenshot FILE.png`` in a fresh process, timed until the
PNG is complete on disk (so it includes the screenshot's short settling wait and writing the
PNG, but not the worker's shutdown after it). calcgui's own code is not instrumented for it.

    .venv/bin/python bench/bench_startup.py [runs] [--bundle dist/calcgui/calcgui] [--json]

With --bundle, the standalone bundle is timed too (launch to its first paint, through
CALCGUI_EXIT_AFTER_FIRST_PAINT=1). With --json, one JSON line of the seconds measured.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench_support import count_argument, print_json, wants_json

#: The last 12 bytes of every PNG: the IEND chunk, written last.
PNG_END = bytes.fromhex("0000000049454e44ae426082")

FIRST_PAINT = '''
from PySide6.QtCore import QEvent, QObject
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            import os; os._exit(0)
        return False
'''

FLOOR = FIRST_PAINT + '''
import numpy, pyqtgraph, sympy
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.resize(1280, 800)
f = FirstPaint(); w.installEventFilter(f)
w.show(); app.exec()
'''

CALCGUI = FIRST_PAINT + '''
from PySide6.QtWidgets import QApplication
from calcgui.state import SharedFunctions
from calcgui.ui.main_window import MainWindow
from calcgui.ui.plot_style import configure_pyqtgraph
app = QApplication([])
configure_pyqtgraph()
w = MainWindow(SharedFunctions()); w.resize(1280, 800)
f = FirstPaint(); w.installEventFilter(f)
w.show(); app.exec()
'''


def platform_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def time_to_paint(code: str, command: list[str] | None = None) -> float:
    env = {**platform_env(), "CALCGUI_EXIT_AFTER_FIRST_PAINT": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(command or [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=60)
    if line.strip() != "painted":
        raise RuntimeError("the window was never painted")
    return elapsed


def time_to_useful() -> float:
    """Seconds from launching ``python -m calcgui --screenshot`` to its PNG complete on disk:
    the default function's f, f′, f″ computed, typeset, plotted, painted, then written."""
    with tempfile.TemporaryDirectory() as folder:
        png, log = Path(folder) / "useful.png", Path(folder) / "stderr.txt"
        with open(log, "wb") as stderr:  # the offscreen platform's chatter, kept for a failure
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "calcgui", "--screenshot", str(png)],
                                    stdout=subprocess.DEVNULL, stderr=stderr, env=platform_env())
        elapsed = None
        while elapsed is None and proc.poll() is None:
            if png.exists() and png.read_bytes()[-12:] == PNG_END:
                elapsed = time.perf_counter() - started
            else:
                time.sleep(0.005)
        if proc.wait(timeout=60) != 0:
            raise RuntimeError(f"calcgui --screenshot failed (exit {proc.returncode}): {log.read_text()[-500:]}")
        if elapsed is None:  # written in the last poll interval, just before the exit
            elapsed = time.perf_counter() - started
        return elapsed


@dataclass(frozen=True)
class Startup:
    """Seconds per run, launch → first paint (floor, calcgui, bundle) or → useful (calcgui)."""

    floor: list[float]
    calcgui: list[float]
    useful: list[float]
    bundle: list[float] | None


def measure(runs: int, bundle: str | None = None) -> Startup:
    time_to_paint(FLOOR)  # warm the OS file cache for both
    floor, ours, useful = [], [], []
    for _ in range(runs):
        floor.append(time_to_paint(FLOOR))
        ours.append(time_to_paint(CALCGUI))
        useful.append(time_to_useful())
    frozen = None
    if bundle:
        time_to_paint("", [bundle])
        frozen = [time_to_paint("", [bundle]) for _ in range(runs)]
    return Startup(floor, ours, useful, frozen)


def main() -> None:
    args = sys.argv[1:]
    bundle = args[args.index("--bundle") + 1] if "--bundle" in args else None
    runs = count_argument(7)
    result = measure(runs, bundle)
    if wants_json():
        print_json(result)
        return
    f_med, o_med = statistics.median(result.floor), statistics.median(result.calcgui)
    print(f"start-up to first paint over {runs} runs (launch → paint event)")
    print(f"  floor (PySide6+pyqtgraph+sympy+numpy, empty window): median {f_med * 1000:.0f} ms")
    print(f"  calcgui main window:                                 median {o_med * 1000:.0f} ms")
    print(f"  ratio calcgui / floor: {o_med / f_med:.2f}  (goal ≤ 1.0)")
    u_med = statistics.median(result.useful)
    print(f"  calcgui useful (f, f′, f″ typeset + plotted, PNG saved): median {u_med * 1000:.0f} ms"
          f"   ratio to floor {u_med / f_med:.2f}  (goal ≤ 1.5)")
    if result.bundle is not None:
        frozen = statistics.median(result.bundle)
        print(f"  standalone bundle {bundle}: median {frozen * 1000:.0f} ms  (goal ≤ 2 s)")


if __name__ == "__main__":
    main()
