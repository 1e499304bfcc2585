"""Secant → tangent pane: how long "Animate h → 0" takes, from the click to h = 1e-12.

It is designed to take 5 s. The pane moves h by the clock, so a window that repaints slowly
(1920×1080, software raster) shows fewer frames but still finishes on time. Prints the wall
time and the frames shown at each window size, against the goal of 5 s ± 10 %.

    .venv/bin/python bench/bench_h_animation.py [--json]

With --json, only 1920×1080 (the size the goal is judged at) is timed, printed as one JSON line.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_support import open_pane, print_json, wants_json  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from calcgui.ui.panes.tangent import ANIMATION_SECONDS, TangentPane  # noqa: E402
from calcgui.ui.plot_style import configure_pyqtgraph  # noqa: E402


def run(size: tuple[int, int]) -> tuple[float, int]:
    _app, window = open_pane("tangent", "x^3 - x", size)
    pane = window.panes["tangent"]
    assert isinstance(pane, TangentPane)
    frames = 0
    pane.slider.setValue(pane.slider.maximum())
    started = time.perf_counter()
    pane.animate.setChecked(True)
    last = pane.slider.value()
    while pane.animate.isChecked():
        QCoreApplication.processEvents()
        if pane.slider.value() != last:
            last = pane.slider.value()
            pane.plot.viewport().repaint()  # what a person sees: each step painted
            frames += 1
    elapsed = time.perf_counter() - started
    window.close()
    return elapsed, frames


@dataclass(frozen=True)
class Animation:
    """One run of "Animate h → 0" at one window size."""

    width: int
    height: int
    seconds: float
    frames: int
    designed_seconds: float = ANIMATION_SECONDS


def main() -> None:
    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    if wants_json():
        print_json(Animation(1920, 1080, *run((1920, 1080))))
        return
    print(f"Animate h → 0 (designed for {ANIMATION_SECONDS:g} s; goal ±10 %)")
    for size in ((1280, 800), (1920, 1080)):
        elapsed, frames = run(size)
        met = abs(elapsed - ANIMATION_SECONDS) <= 0.1 * ANIMATION_SECONDS
        print(f"  {size[0]}×{size[1]}: {elapsed:5.2f} s, {frames} frames ({frames / elapsed:4.1f} fps)"
              f"   {'met' if met else 'NOT met'}")
    del app


if __name__ == "__main__":
    main()
