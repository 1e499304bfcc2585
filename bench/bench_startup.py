"""Start-up to the first painted window, against the floor of the libraries themselves.

The floor is a process that imports PySide6 + pyqtgraph + sympy + numpy and paints one empty
window; calcgui paints its real main window (sympy is loaded after that, off the UI thread).
Both are timed from process launch to the first paint event, in fresh processes.

    .venv/bin/python bench/bench_startup.py [runs] [--bundle dist/calcgui/calcgui]

With --bundle, the standalone bundle is timed too (launch to its first paint, through
CALCGUI_EXIT_AFTER_FIRST_PAINT=1).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

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


def time_to_paint(code: str, command: list[str] | None = None) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "CALCGUI_EXIT_AFTER_FIRST_PAINT": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(command or [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=60)
    if line.strip() != "painted":
        raise RuntimeError("the window was never painted")
    return elapsed


def main() -> None:
    args = sys.argv[1:]
    bundle = args[args.index("--bundle") + 1] if "--bundle" in args else None
    numbers = [a for a in args if a.isdigit()]
    runs = int(numbers[0]) if numbers else 7
    time_to_paint(FLOOR)  # warm the OS file cache for both
    floor, ours = [], []
    for _ in range(runs):
        floor.append(time_to_paint(FLOOR))
        ours.append(time_to_paint(CALCGUI))
    f_med, o_med = statistics.median(floor), statistics.median(ours)
    print(f"start-up to first paint over {runs} runs (launch → paint event)")
    print(f"  floor (PySide6+pyqtgraph+sympy+numpy, empty window): median {f_med * 1000:.0f} ms")
    print(f"  calcgui main window:                                 median {o_med * 1000:.0f} ms")
    print(f"  ratio calcgui / floor: {o_med / f_med:.2f}  (goal ≤ 1.5)")
    if bundle:
        time_to_paint("", [bundle])
        frozen = statistics.median(time_to_paint("", [bundle]) for _ in range(runs))
        print(f"  standalone bundle {bundle}: median {frozen * 1000:.0f} ms  (goal ≤ 2 s)")


if __name__ == "__main__":
    main()
