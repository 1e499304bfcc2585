"""Gradient pane: grid evaluation against the bare lambdify floor, and point drag → redraw.

1. f, ∂f/∂x and ∂f/∂y on a 400×400 grid with calcgui's compiled functions (NaN-safe, real
   roots) against the floor a notebook user writes: X, Y = np.meshgrid(xs, ys) and
   sympy.lambdify(..., "numpy") of the same three expressions evaluated on it (goal ≤ 1.2×).
2. Dragging P (real mouse moves on the contour view) → contour view, slices, D_v f plot and
   the 3D view repainted. Run under Xvfb for the 3D view:

    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb .venv/bin/python bench/bench_gradient.py

With --json, only the drag is measured and its numbers printed as one JSON line.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import timeit
from dataclasses import dataclass

import numpy as np
import sympy
from bench_support import p95, print_json, wants_json

from calcgui.core import parse
from calcgui.core.gradient import compile_surface, evaluate_grid, partials

FUNCTIONS = ("2x^2 - y^2", "sin x cos y", "x e^(-x^2 - y^2)", "(1 - x)^2 + 100(y - x^2)^2",
             "ln(1 + x^2 + y^2)")
N = 400
REPEATS = 15


def best_of(fn, repeats: int = REPEATS) -> float:
    """Milliseconds per call: the best of ``repeats`` batches of 5 (the least disturbed run)."""
    return min(timeit.repeat(fn, number=5, repeat=repeats)) / 5 * 1000


def bench_grid() -> None:
    print(f"f and ∇f on a {N}×{N} grid (best of {REPEATS} batches):")
    x, y = sympy.symbols("x y", real=True)
    ratios = []
    for text in FUNCTIONS:
        p = partials(parse(text, variables=("x", "y")))
        surface = compile_surface(p)
        floor_fns = [sympy.lambdify((x, y), e, "numpy") for e in (p.f, p.fx, p.fy)]

        def floor() -> None:
            xs = np.linspace(-3, 3, N)
            gx, gy = np.meshgrid(xs, xs)
            with np.errstate(all="ignore"):
                for fn in floor_fns:
                    np.broadcast_to(fn(gx, gy), gx.shape)

        ours_runs, bare_runs = [], []
        for _ in range(REPEATS):  # interleaved, so both see the same allocator and machine state
            ours_runs.append(best_of(lambda: evaluate_grid(surface, (-3, 3), (-3, 3), N), 1))
            bare_runs.append(best_of(floor, 1))
        ours, bare = min(ours_runs), min(bare_runs)
        ratios.append(ours / bare)
        print(f"  {text:32s} calcgui {ours:6.2f} ms   bare lambdify {bare:6.2f} ms   ratio {ours / bare:.2f}")
    print(f"  ratio median {statistics.median(ratios):.2f}, worst {max(ratios):.2f}   (goal ≤ 1.2)")


@dataclass(frozen=True)
class GradientDrag:
    """Milliseconds per move (the first 5 left out), and what the drag ran on."""

    platform: str
    surface_3d: bool
    surface_3d_message: str
    x0: float
    y0: float
    redraw: list[float]


def measure_drag(moves: int = 150) -> GradientDrag:
    from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    window = MainWindow(SharedFunctions(surface_text="2x^2 - y^2"), pane="gradient")
    window.resize(1280, 800)
    window.show()
    pane = window.panes["gradient"]
    while window.is_busy():
        QCoreApplication.processEvents()
        time.sleep(0.001)
    for _ in range(20):
        QCoreApplication.processEvents()
    contour, viewport = pane.contour, pane.contour.viewport()
    view = contour.getPlotItem().getViewBox()

    def pixels(x: float, y: float) -> QPointF:
        return QPointF(contour.mapFromScene(view.mapViewToScene(QPointF(x, y))))

    def send(kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        QApplication.sendEvent(viewport, QMouseEvent(kind, pos, viewport.mapToGlobal(pos), button, buttons,
                                                     Qt.KeyboardModifier.NoModifier))

    start = pixels(pane.x0, pane.y0)
    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    latencies = []
    widgets = [viewport, pane.x_slice.viewport(), pane.y_slice.viewport(), pane.directional_plot.viewport()]
    if pane.surface_view.available:
        widgets.append(pane.surface_view.view)
    for k in range(1, moves + 1):
        time.sleep(0.011)  # pyqtgraph drops moves faster than 100 Hz
        target = QPointF(start.x() - 150 * k / moves, start.y() - 100 * k / moves)
        began = time.perf_counter()
        send(QEvent.Type.MouseMove, target, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
        for widget in widgets:  # the 3D view reads its frame back as it paints: no GL work left queued
            widget.repaint()
        latencies.append((time.perf_counter() - began) * 1000)
    send(QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    result = GradientDrag(app.platformName(), pane.surface_view.available,
                          pane.surface_view.message.text().splitlines()[0] if not pane.surface_view.available else "",
                          pane.x0, pane.y0, latencies[5:])
    window.worker.close()
    return result


def bench_drag() -> None:
    drag = measure_drag()
    handled = drag.redraw
    print(f"\ndrag P → redraw over {len(handled)} moves on {drag.platform}, 3D view "
          f"{'on' if drag.surface_3d else 'off (' + drag.surface_3d_message + ')'}:")
    print(f"  P moved to ({drag.x0:.2f}, {drag.y0:.2f})")
    print(f"  median {statistics.median(handled):.1f} ms   p95 {p95(handled):.1f} ms")


def main() -> None:
    if wants_json():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        print_json(measure_drag())
        return
    bench_grid()
    if "--grid-only" not in sys.argv:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        bench_drag()


if __name__ == "__main__":
    main()
