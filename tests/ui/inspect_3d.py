"""Run alone (not collected): open a pane on the display Qt is given and print, as JSON, the
geometry its 3D view holds: the surface's box, the vertices of the drawn tangent plane, of the
surface mesh and of the descent lines. tests/ui/test_gradient_3d.py runs it under Xvfb (the
OpenGL items exist only where there is OpenGL; pytest's own Qt app is offscreen).

    inspect_3d.py plane FUNCTION X Y     the Gradient pane with P at (X, Y)
    inspect_3d.py surface FUNCTION       the Gradient pane's surface mesh
    inspect_3d.py race LR STEPS          the Descent pane's Rosenbrock race, GD at LR
"""

from __future__ import annotations

import json
import sys

import numpy as np
from PySide6.QtWidgets import QApplication


def to_data(view: object, pos: np.ndarray) -> list[list[float]]:
    """Scene coordinates of the 3D view back to data coordinates (the line offset included)."""
    from calcgui.ui.surface_view import Z_HALF

    (x0, x1), (y0, y1), (z0, z1) = view.box()  # type: ignore[attr-defined]
    pos = np.asarray(pos, float)
    x = (x0 + x1) / 2 + pos[:, 0] * (x1 - x0) / 2
    y = (y0 + y1) / 2 + pos[:, 1] * (y1 - y0) / 2
    z = (z0 + z1) / 2 + pos[:, 2] / Z_HALF * (z1 - z0) / 2
    return np.c_[x, y, z].tolist()


def main() -> None:
    from calcgui.state import SharedFunctions
    from calcgui.ui.main_window import MainWindow
    from calcgui.ui.plot_style import configure_pyqtgraph

    mode, args = sys.argv[1], sys.argv[2:]
    app = QApplication(sys.argv[:1])
    configure_pyqtgraph()
    pane_name = "descent" if mode == "race" else "gradient"
    shared = SharedFunctions(surface_text=args[0]) if mode != "race" else SharedFunctions()
    window = MainWindow(shared, pane=pane_name)
    window.resize(1280, 800)
    window.show()
    while window.is_busy():
        app.processEvents()
    for _ in range(10):
        app.processEvents()
    pane = window.panes[pane_name]
    view = pane.surface_view
    report: dict[str, object] = {"available": view.available, "box": view.box()}
    if mode == "plane":
        pane.set_point(float(args[1]), float(args[2]))
        item = view._overlays.get("tangent plane")
        shown = item is not None and item.visible()
        report["plane"] = to_data(view, item.opts["meshdata"].vertexes()) if shown else []
        point = pane.point()
        report["point"] = [point.x, point.y, point.value, point.fx, point.fy]
    elif mode == "surface":
        mesh = view.surface.opts["meshdata"]
        faces = mesh.faces()
        used = np.unique(faces)
        report["faces"] = int(len(faces))
        report["used_vertices"] = to_data(view, mesh.vertexes()[used]) if len(used) else []
        report["used_colors"] = mesh.vertexColors()[used].tolist() if len(used) else []
        report["finite_cells"] = int(np.isfinite(pane.grid.z).sum())
    elif mode == "race":
        pane.optimizers.set_lr("gd", float(args[0]))
        pane.advance(int(args[1]))
        for _ in range(5):
            app.processEvents()
        run = pane.runs["gd"]
        line = view._overlays.get("gd")
        report["diverged_at"] = run.diverged_at
        report["points"] = np.c_[run.points, run.losses].tolist()
        report["line"] = to_data(view, line.pos) if line is not None and line.visible() else []
        report["line_mode"] = line.mode if line is not None else None
        heads = view._overlays.get("heads")
        report["heads"] = to_data(view, heads.pos) if heads is not None and heads.visible() else []
    print(json.dumps(report, default=lambda v: v if not isinstance(v, np.generic) else v.item()))
    window.worker.close()


if __name__ == "__main__":
    main()
