"""Run alone (not collected): open the Gradient pane on the X display, use its 3D view as a
person would (drag to orbit) and as exports do (grab the window), and print what was seen as
JSON. tests/ui/test_gradient_3d.py runs it under Xvfb with the xcb platform."""

from __future__ import annotations

import json
import sys

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QApplication


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine() // 4, 4)
    return data[:, :width, :3].astype(int)


def settle(app: QApplication, window: object) -> None:
    while window.is_busy():  # type: ignore[attr-defined]
        app.processEvents()
    for _ in range(20):
        app.processEvents()


def main() -> None:
    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph

    app = QApplication(sys.argv[:1])
    configure_pyqtgraph()
    window = MainWindow(SharedFunctions(surface_text="x e^(-x^2 - y^2)"), pane="gradient")
    window.resize(1280, 800)
    window.show()
    settle(app, window)
    view = window.panes["gradient"].surface_view
    gl_view = view.view
    report: dict[str, object] = {"available": view.available,
                                 "opengl_widgets": len(window.findChildren(QOpenGLWidget))}
    before = pixels(view.image())

    # the window's own picture (what --screenshot and "Export picture" save) holds the 3D view
    top_left = gl_view.mapTo(window, gl_view.rect().topLeft())
    grabbed = pixels(window.grab().toImage().copy(top_left.x(), top_left.y(), gl_view.width(), gl_view.height()))
    report["grab_matches_view"] = float(np.mean(np.abs(grabbed - before))) if grabbed.shape == before.shape else -1.0

    # a left drag across the view orbits the camera, and the picture follows
    azimuth = gl_view.opts["azimuth"]
    start = QPointF(gl_view.width() / 2, gl_view.height() / 2)
    for kind, pos, button, buttons in (
            (QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton),
            (QEvent.Type.MouseMove, start + QPointF(60, 0), Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton),
            (QEvent.Type.MouseMove, start + QPointF(120, 0), Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton),
            (QEvent.Type.MouseButtonRelease, start + QPointF(120, 0), Qt.MouseButton.LeftButton,
             Qt.MouseButton.NoButton)):
        QApplication.sendEvent(gl_view, QMouseEvent(kind, pos, gl_view.mapToGlobal(pos), button, buttons,
                                                    Qt.KeyboardModifier.NoModifier))
    settle(app, window)
    after = pixels(view.image())
    report["azimuth_turned"] = gl_view.opts["azimuth"] - azimuth
    report["orbit_changed_pixels"] = float(np.mean(np.any(after != before, axis=1)))
    top_left = gl_view.mapTo(window, gl_view.rect().topLeft())
    grabbed = pixels(window.grab().toImage().copy(top_left.x(), top_left.y(), gl_view.width(), gl_view.height()))
    report["grab_after_orbit_matches_view"] = float(np.mean(np.abs(grabbed - after)))

    # the axis names x, y, z are drawn into the picture
    for label in view._labels.values():
        label.setVisible(False)
    gl_view.update()
    settle(app, window)
    report["labels_pixels"] = float(np.mean(np.any(pixels(view.image()) != after, axis=1)))

    # a second 3D view in the same process (the Descent pane's) draws its surface too
    window.show_pane("descent")
    settle(app, window)
    descent = window.panes["descent"].surface_view
    window.grab()
    report["descent_colours"] = int(len(np.unique(pixels(descent.image()).reshape(-1, 3), axis=0)))
    print(json.dumps(report))
    window.worker.close()


if __name__ == "__main__":
    main()
