"""GIF export of the descent race: 60 frames at 960×600 (Rosenbrock, three optimizers, 300 steps).

Prints the wall time from start to the file written, the UI thread's time (drawing frames)
and the encoder thread's, the file's size, and the event loop's longest gap while the GIF
renders (what a user clicking meanwhile would wait at most).

    .venv/bin/python bench/bench_gif_export.py [FRAMES] [--json]
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_support import count_argument, print_json, wants_json  # noqa: E402
from PySide6.QtCore import QCoreApplication, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (960, 600)


@dataclass
class GifFigures:
    frames: int
    width: int
    height: int
    seconds: float
    kilobytes: float
    longest_gap_ms: float
    frames_per_second: float


def main() -> GifFigures:
    from calcgui.state import scene_file
    from calcgui.ui.export.animations import animation_of
    from calcgui.ui.export.gif_render import GifOptions, GifRender
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph
    from calcgui.ui.scene_files import examples_folder

    frames = count_argument(60)
    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    window = MainWindow()
    path = examples_folder() / "rosenbrock-race.calcgui"
    window.files.open_scene(scene_file.load(path), path)
    window.resize(1280, 800)
    window.show()
    while window.is_busy():
        QCoreApplication.processEvents()
        time.sleep(0.005)
    out = Path(tempfile.mkdtemp()) / "race.gif"
    render = GifRender(animation_of(window.current_pane()), out, GifOptions(SIZE, 15, frames))
    done: list[bool] = []
    render.finished.connect(lambda ok, message: done.append(ok or print(message)))
    gaps, last = [0.0], [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    heart = QTimer(interval=0)
    heart.timeout.connect(beat)
    heart.start()
    started = time.perf_counter()
    render.start()
    while not done:
        app.processEvents()
    elapsed = time.perf_counter() - started
    heart.stop()
    window.worker.close()
    size = out.stat().st_size
    out.unlink()
    return GifFigures(frames, *SIZE, round(elapsed, 2), round(size / 1024, 1), round(1000 * max(gaps), 1),
                      round(frames / elapsed, 1))


if __name__ == "__main__":
    figures = main()
    if wants_json():
        print_json(figures)
    else:
        print(f"GIF of the race: {figures.frames} frames at {figures.width}×{figures.height}")
        print(f"  {figures.seconds:.2f} s ({figures.frames_per_second:.1f} frames/s), {figures.kilobytes:.0f} kB")
        print(f"  the event loop's longest gap while rendering: {figures.longest_gap_ms:.0f} ms")
