"""Run alone (not collected): open the Gradient pane on the display Qt is given, render its 3D
view and print what it shows as JSON. tests/ui/test_gradient_3d.py runs it under Xvfb with the
xcb platform, where a real (Mesa) OpenGL context exists; pytest's own Qt app is offscreen."""

from __future__ import annotations

import json
import sys

import numpy as np
from PySide6.QtWidgets import QApplication


def main() -> None:
    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph

    app = QApplication(sys.argv[:1])
    configure_pyqtgraph()
    window = MainWindow(SharedFunctions(surface_text=sys.argv[1] if len(sys.argv) > 1 else "2x^2 - y^2"),
                        pane="gradient")
    window.resize(1280, 800)
    window.show()
    while window.is_busy():
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    pane = window.panes["gradient"]
    view = pane.surface_view
    image = view.image().convertToFormat(view.image().Format.Format_RGB32)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine() // 4, 4)
    pixels = pixels[:, :width, :3].reshape(-1, 3)
    non_white = float(np.mean(np.any(pixels < 235, axis=1)))
    report = {"platform": app.platformName(), "available": view.available, "message": view.message.text(),
              "size": [width, height], "distinct_colours": int(len(np.unique(pixels, axis=0))),
              "non_white": non_white,
              "overlays": {name: view.overlay_visible(name) for name in ("P", "x slice", "y slice", "tangent plane")}}
    print(json.dumps(report))
    window.worker.close()


if __name__ == "__main__":
    main()
