"""Network mode: one training tick (the steps the wall clock asks for, then diagram, loss, ‖δ‖
and — at most 4 times a second — the decision boundary redrawn, then a repaint), and the steps
per second that "Train" reaches.

    .venv/bin/python bench/bench_network_view.py [seconds] [--json]

Offscreen, software raster, a 1280×720 window, the real QTimer. Two networks: the lecture's
2-3-1 sigmoid on XOR ("Train 500"), and the largest, 10 hidden layers of 8 sigmoid units on
200 two-moons points ("Train 10000", where a tick's step budget of 8 ms is the limit). Each
tick must stay under 16.7 ms (a frame at 60 Hz) for the view to stay fluid; Train must reach
≥ 30 steps per second. Also timed: the decision grid's computation, redraw and repaint at
its two resolutions on the largest network, which run on the UI thread.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_support import count_argument, p95, print_json, wants_json  # noqa: E402

from calcgui.state.network import NetworkSettings  # noqa: E402

TICK_GOAL_MS = 16.7
RATE_GOAL = 30.0
SCENARIOS = {
    "xor 2-3-1": NetworkSettings(train_steps=500),
    "moons 10×8": NetworkSettings(hidden_layers=10, units=8, data="moons", lr=0.5, train_steps=10_000),
}


@dataclass(frozen=True)
class NetworkViewTimes:
    """Per scenario: tick milliseconds and the steps per second reached; grid redraw ms."""

    ticks: dict[str, list[float]]
    steps_per_second: dict[str, float]
    grid_still: list[float]
    grid_moving: list[float]


def measure(seconds: float) -> NetworkViewTimes:
    from PySide6.QtWidgets import QApplication

    from calcgui.ui.network_mode import NetworkMode
    from calcgui.ui.plot_style import configure_pyqtgraph

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    mode = NetworkMode()
    mode.resize(1280, 720)
    mode.show()
    app.processEvents()
    ticks: dict[str, list[float]] = {}
    rates: dict[str, float] = {}
    for name, settings in SCENARIOS.items():
        mode.apply(settings)
        app.processEvents()
        times: list[float] = []

        def timed() -> None:
            began = time.perf_counter()
            mode.tick()
            mode.repaint()
            times.append((time.perf_counter() - began) * 1000)  # noqa: B023 (one scenario at a time)

        mode._timer.timeout.disconnect()
        mode._timer.timeout.connect(timed)
        began = time.perf_counter()
        mode.controls.train.setChecked(True)
        while mode.training and time.perf_counter() - began < seconds:
            app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - began
        steps = mode.run.step_count
        mode.stop()
        ticks[name], rates[name] = times, steps / elapsed
    grids = {}
    for resolution in (mode.grid_resolution(final=True), mode.grid_resolution(final=False)):
        grid_times = []
        for _ in range(10):
            began = time.perf_counter()
            grid = mode.run.boundary(resolution)
            assert grid is not None
            mode.boundary_plot.show_grid(grid)
            mode.boundary_plot.repaint()
            grid_times.append((time.perf_counter() - began) * 1000)
        grids[resolution] = grid_times
    still, moving = grids.values()
    return NetworkViewTimes(ticks, rates, still, moving)


def main() -> None:
    times = measure(float(count_argument(5)))
    if wants_json():
        print_json(times)
        return
    for name, ticks in times.ticks.items():
        print(f"{name}: {len(ticks)} ticks, median {statistics.median(ticks):.1f} ms, p95 {p95(ticks):.1f} ms, "
              f"max {max(ticks):.1f} ms (goal p95 ≤ {TICK_GOAL_MS} ms); "
              f"{times.steps_per_second[name]:,.0f} steps/s (goal ≥ {RATE_GOAL:g})")
    print(f"decision grid on 10×8 + redraw + repaint: still (61²) median {statistics.median(times.grid_still):.1f} ms, "
          f"training (30²) median {statistics.median(times.grid_moving):.1f} ms")


if __name__ == "__main__":
    main()
