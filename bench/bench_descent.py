"""Descent pane: one animation frame (7 optimizers step + 2D redraw), against the same
animation done with matplotlib's FuncAnimation, the way notebook users do it.

    pip install -e ".[bench]"          # matplotlib, for the comparison only
    .venv/bin/python bench/bench_descent.py [frames] [--json]

Offscreen, software raster. "compute" is the 7 Descent.advance(1) calls; "frame" adds the
pane's redraw (paths, markers, loss and ‖∇f‖ curves, legend) and a repaint of the map.
matplotlib: FuncAnimation's update function (7 set_data calls on a contour plot with 7 paths
and 7 markers), then the Agg canvas draw a blitless animation does per frame.
With --json, calcgui alone is measured and its milliseconds printed as one JSON line.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from bench_support import count_argument, p95, print_json, wants_json  # noqa: E402

from calcgui.core.descent import Descent, objective  # noqa: E402
from calcgui.core.optimizers import NAMES  # noqa: E402
from calcgui.core.surfaces import PRESETS  # noqa: E402

LRS = {"gd": 1e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05}


@dataclass(frozen=True)
class DescentTimes:
    """Milliseconds per frame: the 7 steps alone, and steps + redraw + map repaint in the pane."""

    optimizers: int
    compute: list[float]
    frame: list[float]


def measure_calcgui(frames: int) -> DescentTimes:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph

    surface = PRESETS["rosenbrock"]
    obj = objective(surface.expr)
    runs = [Descent(obj, surface.start, name, LRS[name], bounds=surface.domain) for name in NAMES]
    compute = []
    for _ in range(frames):
        began = time.perf_counter()
        for run in runs:
            run.advance(1)
        compute.append((time.perf_counter() - began) * 1000)

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    window = MainWindow(SharedFunctions(), pane="descent")
    window.resize(1280, 800)
    window.show()
    pane = window.panes["descent"]
    while window.is_busy() or pane.objective is None:
        QCoreApplication.processEvents()
        time.sleep(0.001)
    for name in NAMES:
        pane.optimizers.boxes[name].setChecked(True)
    for _ in range(10):
        QCoreApplication.processEvents()
    frame = []
    for _ in range(frames):
        began = time.perf_counter()
        pane.advance(1)
        pane.map.viewport().repaint()
        frame.append((time.perf_counter() - began) * 1000)
    window.worker.close()
    del app
    return DescentTimes(len(NAMES), compute, frame)


def bench_calcgui(frames: int) -> tuple[float, float]:
    times = measure_calcgui(frames)
    compute, frame = times.compute, times.frame
    print(f"compute: 7 optimizers × 1 step, {frames} frames: median {statistics.median(compute):.3f} ms   "
          f"p95 {p95(compute):.3f} ms   (goal ≤ 2 ms)")
    median, high = statistics.median(frame), p95(frame)
    print(f"calcgui frame (step + redraw + map repaint), {frames} frames: median {median:.2f} ms   p95 {high:.2f} ms"
          f"   → {1000 / median:.0f} fps at the median")
    return median, high


def bench_matplotlib(frames: int) -> tuple[float, float]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    surface = PRESETS["rosenbrock"]
    obj = objective(surface.expr)
    runs = [Descent(obj, surface.start, name, LRS[name], bounds=surface.domain) for name in NAMES]
    (x0, x1), (y0, y1) = surface.domain
    xs, ys = np.linspace(x0, x1, 160), np.linspace(y0, y1, 160)
    z = obj.value(np.stack(np.meshgrid(xs, ys), axis=-1))
    fig, ax = plt.subplots(figsize=(8.6, 5.4), dpi=100)  # about the pane's map, in pixels
    ax.contourf(xs, ys, np.log10(z + 1e-3), levels=30)
    ax.contour(xs, ys, np.log10(z + 1e-3), levels=12, colors="white", linewidths=0.8)
    lines = [ax.plot([], [], lw=2)[0] for _ in runs]
    heads = [ax.plot([], [], "o", ms=8)[0] for _ in runs]

    def update(_frame: int) -> list:
        for run, line, head in zip(runs, lines, heads):
            run.advance(1)
            line.set_data(run.points[:, 0], run.points[:, 1])
            head.set_data(run.points[-1:, 0], run.points[-1:, 1])
        return lines + heads

    animation = FuncAnimation(fig, update, frames=frames, blit=False, repeat=False)
    fig.canvas.draw()
    times = []
    for k in range(frames):
        began = time.perf_counter()
        animation._func(k)  # what FuncAnimation calls each frame ...
        fig.canvas.draw()   # ... and the draw it triggers without blitting
        times.append((time.perf_counter() - began) * 1000)
    median, high = statistics.median(times), p95(times)
    print(f"matplotlib FuncAnimation frame (Agg), {frames} frames: median {median:.2f} ms   p95 {high:.2f} ms"
          f"   → {1000 / median:.0f} fps at the median")
    return median, high


def main() -> None:
    frames = count_argument(300)
    if wants_json():
        print_json(measure_calcgui(frames))
        return
    ours, _ = bench_calcgui(frames)
    try:
        theirs, _ = bench_matplotlib(frames)
    except ImportError:
        print("matplotlib is not installed: pip install -e '.[bench]' for the comparison")
    else:
        print(f"ratio: matplotlib / calcgui per frame = {theirs / ours:.1f}×")


if __name__ == "__main__":
    main()
