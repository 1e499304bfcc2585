"""Descent pane: does a frame stay cheap as the race runs, and does dragging a learning-rate
slider keep the UI thread responsive?

    .venv/bin/python bench/bench_descent_frames.py [frames] [--json]
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb .venv/bin/python bench/bench_descent_frames.py

1. Frame cost: 7 optimizers on Rosenbrock in a 1280×800 window. A frame is one step of every
   run, the pane's redraw and the event loop's repaint of whatever changed (map, loss and
   ‖∇f‖ plots, legend, the 3D view where OpenGL is available: it reads its frame back when it
   paints, so the OpenGL work is done when the repaint returns). Measured for
   ``frames`` frames from step 10 and for ``frames`` frames ending at step 5,000: a frame
   whose cost grows with the steps taken shows as a ratio above 1.
2. Slider drag: at step 5,000, Adam's learning-rate slider moves one tick every 16 ms for
   2 s (as a mouse drag delivers it) while a 10 ms QTimer notes how late each tick fires; the
   worst lateness is the longest the UI thread stalled. Then the time until the recomputed
   run is on screen.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_support import count_argument, open_pane, p95, print_json, wants_json  # noqa: E402

#: The race reaches this step (calcgui.state.MAX_STEPS).
LAST_STEP = 5000
EARLY_STEP = 10
DRAG_SECONDS = 2.0
DRAG_TICK_MS = 16
PROBE_MS = 10


@dataclass(frozen=True)
class FrameCosts:
    """Milliseconds per frame early and late in the race, and the slider drag's stalls."""

    platform: str
    surface_3d: bool
    optimizers: int
    early: list[float]  #: frames from step EARLY_STEP
    late: list[float]  #: frames ending at step LAST_STEP
    drag_lateness: list[float]  #: how late each 10 ms probe fired while the slider moved
    drag_settle: float  #: ms from the last slider move until the new run was drawn


def _frames(app, pane, frames: int) -> list[float]:  # noqa: ANN001
    """Each frame as the app draws it while the race plays: the pane's redraw, then the event
    loop repaints (and, on a display, flushes) whatever changed; pending paints are delivered
    by the second pass. The pane is marked as playing (the Play button checked, its timer
    not started, so that this loop alone steps the race): while playing, the loss and ‖∇f‖
    plots follow every few frames, as in the app."""
    pane.play_button.blockSignals(True)
    pane.play_button.setChecked(True)
    pane.play_button.blockSignals(False)
    times = []
    for _ in range(frames):
        began = time.perf_counter()
        pane.advance(1)
        app.processEvents()
        app.processEvents()
        times.append((time.perf_counter() - began) * 1000)
    pane.play_button.blockSignals(True)
    pane.play_button.setChecked(False)
    pane.play_button.blockSignals(False)
    return times


def _drag(app, pane) -> tuple[list[float], float]:  # noqa: ANN001
    """Move Adam's lr slider for DRAG_SECONDS while a probe timer notes its lateness."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    slider = pane.optimizers.sliders["adam"]
    lateness: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def probe() -> None:
        now = clock.nsecsElapsed()
        lateness.append(max(0.0, (now - last[0]) / 1e6 - PROBE_MS))
        last[0] = now

    moves = [0]

    def move() -> None:
        moves[0] += 1
        slider.setValue(slider.value() + (1 if (moves[0] // 40) % 2 == 0 else -1))

    probe_timer = QTimer(interval=PROBE_MS, timerType=Qt.TimerType.PreciseTimer)
    probe_timer.timeout.connect(probe)
    drag_timer = QTimer(interval=DRAG_TICK_MS, timerType=Qt.TimerType.PreciseTimer)
    drag_timer.timeout.connect(move)
    loop = QEventLoop()
    QTimer.singleShot(int(DRAG_SECONDS * 1000), loop.quit)
    probe_timer.start()
    drag_timer.start()
    loop.exec()
    drag_timer.stop()
    released = time.perf_counter()
    target = pane.optimizers.lr("adam")
    while pane.is_busy() or abs(pane.runs["adam"].lrs[0] - target) > 1e-12 * target:
        app.processEvents()
        time.sleep(0.001)
    settle = (time.perf_counter() - released) * 1000
    probe_timer.stop()
    return lateness[1:], settle


def measure(frames: int) -> FrameCosts:
    from calcgui.core.optimizers import NAMES

    app, window = open_pane("descent")
    pane = window.panes["descent"]
    while pane.objective is None or window.is_busy():
        app.processEvents()
        time.sleep(0.001)
    for name in NAMES:
        pane.optimizers.boxes[name].setChecked(True)
    while window.is_busy():
        app.processEvents()
        time.sleep(0.001)
    for _ in range(20):
        app.processEvents()
    pane.advance(EARLY_STEP - pane.step_count)
    early = _frames(app, pane, frames)
    pane.advance(LAST_STEP - frames - pane.step_count)
    late = _frames(app, pane, frames)
    lateness, settle = _drag(app, pane)
    result = FrameCosts(app.platformName(), pane.surface_view.available, len(pane.runs), early, late, lateness, settle)
    window.worker.close()
    return result


def main() -> None:
    frames = count_argument(150)
    costs = measure(frames)
    if wants_json():
        print_json(costs)
        return
    where = f"{costs.platform}, 3D view {'on' if costs.surface_3d else 'off'}"
    print(f"descent frames, {costs.optimizers} optimizers, 1280×800, {where}, {frames} frames each:")
    early, late = statistics.median(costs.early), statistics.median(costs.late)
    print(f"  from step {EARLY_STEP}:       median {early:.2f} ms   p95 {p95(costs.early):.2f} ms")
    print(f"  up to step {LAST_STEP}:    median {late:.2f} ms   p95 {p95(costs.late):.2f} ms")
    print(f"  late / early (median): {late / early:.2f}×   (goal ≤ 1.2×);  p95 goal ≤ 16.7 ms")
    print(f"lr slider dragged for {DRAG_SECONDS:g} s at step {LAST_STEP}: worst UI-timer lateness "
          f"{max(costs.drag_lateness):.1f} ms (goal ≤ 50 ms), p95 {p95(costs.drag_lateness):.1f} ms; "
          f"new run drawn {costs.drag_settle:.0f} ms after the last move")


if __name__ == "__main__":
    main()
