"""The 3D surface z = f(x, y) that the user orbits and zooms, with overlays (a point, slices,
arrows, a tangent plane, descent paths) in the same data coordinates as the contour view.

The scene is normalised into a box: x and y span [-1, 1] and z spans [-Z_HALF, Z_HALF] after
clipping to the values' robust range, so that x² + y² and 100·Rosenbrock both read as shapes
rather than as a flat sheet or a spike. Overlays are mapped with the same transform. Where
OpenGL is missing the widget shows why, and every method is a harmless no-op.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from calcgui.core.box3d import Box, path_in_box, segments_in_box, finite_triangles
from calcgui.core.display_range import robust_range
from calcgui.ui.appearance import appearance, follow, scrolling
from calcgui.ui.gl_support import opengl_status
from calcgui.ui.plot_style import colour

#: Half the height of the normalised box (x and y span [-1, 1]).
Z_HALF = 0.6
COLORMAP = "viridis"
#: Markers and arrows are drawn over the surface, never hidden inside it.
ON_TOP = "on top"


class SurfaceView(QStackedWidget):
    """A 3D surface with named overlays, or a message where OpenGL is unavailable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        status = opengl_status()
        self.available = status.available
        self.message = QLabel(status.reason or "")
        self.message.setObjectName("noOpenGL")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._x_range = (-1.0, 1.0)
        self._y_range = (-1.0, 1.0)
        self._z_range = (-1.0, 1.0)
        self._overlays: dict[str, object] = {}
        #: each overlay's colour(s) by name and its width or size at 100 %: to restyle it
        self._looks: dict[str, tuple[str | Sequence[str], float]] = {}
        self.view = None
        if self.available:
            self._build_gl()
        else:
            self.message.setText(f"{status.reason}\n\nThe contour view and every 2D plot work as usual.")
            self.addWidget(scrolling(self.message))  # zoomed in a narrow column, it scrolls
        follow(self, self._restyle)

    def _restyle(self) -> None:
        """The background, axis names and overlays in the current theme and zoom."""
        look = appearance()
        theme = look.theme
        self.message.setStyleSheet(f"color: {theme.muted}; background: {theme.surface}; padding: 24px;")
        self.message.setFont(look.font("body"))  # small: it may have a narrow column (Descent's)
        if self.view is None:
            return
        import pyqtgraph.opengl as gl

        self.view.setBackgroundColor(theme.plot_background)
        for label in self._labels.values():
            label.setData(color=QColor(theme.plot_foreground), font=look.font("axis"))
        for name, (color, size) in self._looks.items():
            item = self._overlays[name]
            if isinstance(item, gl.GLLinePlotItem) and isinstance(color, str):
                item.setData(color=pg.mkColor(colour(color)).getRgbF(), width=look.pen_width(size))
            elif isinstance(item, gl.GLScatterPlotItem) and item.pos is not None:
                item.setData(color=np.array(_rgba(color, len(item.pos))), size=look.pixels(size))

    def _build_gl(self) -> None:
        import pyqtgraph.opengl as gl

        from calcgui.ui.offscreen_gl import OffscreenGLView, OffscreenTextItem

        self.view = OffscreenGLView()
        self.view.setCameraPosition(distance=3.3, elevation=30, azimuth=-60)
        self.view.setToolTip("Drag to orbit, scroll to zoom, middle-drag (or Ctrl-drag) to pan")
        self.surface = gl.GLMeshItem(smooth=False, computeNormals=False, glOptions="opaque")
        self.view.addItem(self.surface)
        box = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], dtype=float)
        self.floor = gl.GLLinePlotItem(pos=np.c_[box, np.full(5, -Z_HALF)], color=(0.5, 0.5, 0.5, 1),
                                       width=1, antialias=True, glOptions="translucent")
        self.view.addItem(self.floor)
        self._labels = {}
        for name, pos in (("x", (1.15, -1.0, -Z_HALF)), ("y", (-1.0, 1.15, -Z_HALF)), ("z", (-1.0, -1.0, Z_HALF + 0.1))):
            label = OffscreenTextItem(pos=pos, text=name, glOptions=_gl_options(True))  # styled in _restyle
            self.view.addItem(label)
            self._labels[name] = label
        self.addWidget(self.view)

    # -- camera -------------------------------------------------------------------------------
    def camera(self) -> tuple[float, float, float] | None:
        """(distance, elevation°, azimuth°) of the 3D camera; None without OpenGL."""
        if self.view is None:
            return None
        opts = self.view.opts
        return float(opts["distance"]), float(opts["elevation"]), float(opts["azimuth"])

    def set_camera(self, distance: float, elevation: float, azimuth: float) -> None:
        if self.view is not None:
            self.view.setCameraPosition(distance=distance, elevation=elevation, azimuth=azimuth)

    # -- coordinates ------------------------------------------------------------------------
    def to_scene(self, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Data coordinates → the normalised box, shape (..., 3); z clipped to the box."""
        (x0, x1), (y0, y1), (z0, z1) = self._x_range, self._y_range, self._z_range
        sx = (np.asarray(x, float) - (x0 + x1) / 2) / ((x1 - x0) / 2)
        sy = (np.asarray(y, float) - (y0 + y1) / 2) / ((y1 - y0) / 2)
        with np.errstate(all="ignore"):
            sz = (np.clip(np.asarray(z, float), z0, z1) - (z0 + z1) / 2) / ((z1 - z0) / 2) * Z_HALF
        return np.stack(np.broadcast_arrays(sx, sy, sz), axis=-1)

    def _inside_box(self, points: np.ndarray) -> np.ndarray:
        """Points (m, 3) for drawing: x, y clipped to the surface's box and z to its height
        (a diverged descent step lies 1e15 away; ±inf is the box's edge), NaN where undefined."""
        (x0, x1), (y0, y1), (z0, z1) = self._x_range, self._y_range, self._z_range
        out = np.array(points, dtype=float)
        for column, (lo, hi) in enumerate(((x0, x1), (y0, y1), (z0, z1))):
            out[:, column] = np.clip(out[:, column], lo, hi)  # NaN stays NaN
        return out

    # -- the surface ------------------------------------------------------------------------
    def set_surface(self, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, *, max_side: int = 150) -> None:
        """Show z[j, i] = f(xs[i], ys[j]); coarsened to ``max_side`` vertices a side. Where f
        is undefined the surface has a hole: only triangles with three finite corners are drawn."""
        lo, hi = robust_range([z.ravel()], pad=0.0) if np.isfinite(z).any() else (-1.0, 1.0)
        if not hi > lo:
            lo, hi = lo - 1.0, hi + 1.0
        self._x_range, self._y_range, self._z_range = (xs[0], xs[-1]), (ys[0], ys[-1]), (lo, hi)
        if self.view is None:
            return
        from pyqtgraph.opengl import MeshData

        step = max(1, int(np.ceil(max(len(xs), len(ys)) / max_side)))
        xs, ys, z = xs[::step], ys[::step], z[::step, ::step]
        finite = np.isfinite(z)
        level = np.where(finite, z, lo)  # never drawn: no triangle uses a vertex where f is undefined
        scene = self.to_scene(xs[None, :], ys[:, None], level).reshape(-1, 3)
        colors = pg.colormap.get(COLORMAP).map(((np.clip(level, lo, hi) - lo) / (hi - lo)).ravel(), mode="float")
        faces = finite_triangles(z)
        self.surface.setMeshData(meshdata=MeshData(vertexes=scene, faces=faces, vertexColors=colors))
        self.surface.setVisible(len(faces) > 0)

    def box(self) -> Box:
        """The surface's box in data coordinates: its grid's x and y ranges, the z range shown."""
        return self._x_range, self._y_range, self._z_range

    def z_range(self) -> tuple[float, float]:
        return self._z_range

    # -- overlays ---------------------------------------------------------------------------
    def set_line(self, name: str, points: np.ndarray | None, color: str, *, width: float = 3.0,
                 segments: bool = False, on_top: bool = False) -> np.ndarray:
        """A named polyline (or, with ``segments``, pairs of points) in data coordinates
        (shape (m, 3)); ``None`` hides it. Cut to the surface's box: a diverged step's segment
        ends where it leaves the box, a NaN (f undefined) leaves a gap. Returns the points
        drawn, in data coordinates (as pairs when cut into segments)."""
        if self.view is None:
            return np.empty((0, 3))
        import pyqtgraph.opengl as gl

        item = self._overlays.get(name)
        if points is not None and len(points):
            points = np.asarray(points, float).reshape(-1, 3)
            if segments:
                points = segments_in_box(points[0::2], points[1::2], self.box())
            else:
                points = path_in_box(points, self.box())
                segments = len(points) != 1
        if points is None or len(points) == 0:
            if item is not None:
                item.setVisible(False)
            return np.empty((0, 3))
        pos = self.to_scene(points[:, 0], points[:, 1], points[:, 2])
        pos[..., 2] += 0.01  # just above the surface, so the line is not hidden in it
        rgba = pg.mkColor(colour(color)).getRgbF()
        self._looks[name] = (color, width)
        if item is None:
            item = gl.GLLinePlotItem(glOptions=_gl_options(on_top), antialias=True)
            item.setDepthValue(20 if on_top else 0)
            self.view.addItem(item)
            self._overlays[name] = item
        item.setData(pos=pos, color=rgba, width=appearance().pen_width(width), mode="lines" if segments else "line_strip")
        item.setVisible(True)
        return points

    def set_points(self, name: str, points: np.ndarray | None, color: str | Sequence[str], *, size: float = 14) -> None:
        """Named markers (shape (m, 3), data coordinates); ``None`` hides them."""
        if self.view is None:
            return
        import pyqtgraph.opengl as gl

        item = self._overlays.get(name)
        if points is not None and len(points):
            points = self._inside_box(points)
            drawn = ~np.isnan(points).any(axis=1)
            color = color if isinstance(color, str) else [c for c, keep in zip(color, drawn) if keep]
            points = points[drawn]
        if points is None or len(points) == 0:
            if item is not None:
                item.setVisible(False)
            return
        pos = self.to_scene(points[:, 0], points[:, 1], points[:, 2])
        pos[..., 2] += 0.02
        colors = _rgba(color, len(pos))
        self._looks[name] = (color, size)
        if item is None:
            item = gl.GLScatterPlotItem(pxMode=True, glOptions=_gl_options(True))
            item.setDepthValue(30)
            self.view.addItem(item)
            self._overlays[name] = item
        item.setData(pos=pos, color=np.array(colors), size=appearance().pixels(size))
        item.setVisible(True)

    def set_polygon(self, name: str, vertices: np.ndarray | None, color: str, alpha: float = 0.55) -> None:
        """A translucent named flat convex polygon (k, 3) in data coordinates, such as a tangent
        plane cut to the box (see :func:`calcgui.core.box3d.tangent_patch`); ``None`` or fewer
        than three vertices hides it."""
        if self.view is None:
            return
        import pyqtgraph.opengl as gl
        from pyqtgraph.opengl import MeshData

        item = self._overlays.get(name)
        if vertices is None or len(vertices) < 3:
            if item is not None:
                item.setVisible(False)
            return
        vertices = np.asarray(vertices, float)
        scene = self.to_scene(vertices[:, 0], vertices[:, 1], vertices[:, 2])
        fan = np.c_[np.zeros(len(vertices) - 2, dtype=int), np.arange(1, len(vertices) - 1), np.arange(2, len(vertices))]
        r, g, b, _ = pg.mkColor(colour(color)).getRgbF()
        mesh = MeshData(vertexes=scene, faces=fan, vertexColors=np.tile(np.float32((r, g, b, alpha)), (len(scene), 1)))
        if item is None:
            item = gl.GLMeshItem(smooth=False, computeNormals=False, glOptions="translucent")
            item.setDepthValue(5)
            self.view.addItem(item)
            self._overlays[name] = item
        item.setMeshData(meshdata=mesh)
        item.setVisible(True)

    def overlay_visible(self, name: str) -> bool:
        item = self._overlays.get(name)
        return bool(item is not None and item.visible())

    # -- output ------------------------------------------------------------------------------
    def image(self) -> QImage:
        """What the 3D view shows now (the message's picture where there is no OpenGL)."""
        if self.view is None:
            return self.message.grab().toImage()
        return self.view.grabFramebuffer()


def _rgba(color: str | Sequence[str], count: int) -> list[tuple[float, float, float, float]]:
    """RGBA in 0..1 of one colour for ``count`` points, or of each colour, in the theme."""
    if isinstance(color, str):
        return [pg.mkColor(colour(color)).getRgbF()] * count
    return [pg.mkColor(colour(c)).getRgbF() for c in color]


def _gl_options(on_top: bool) -> dict | str:
    """Blended drawing; ``on_top`` also turns the depth test off so nothing hides the item."""
    if not on_top:
        return "translucent"
    from OpenGL import GL

    return {GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, GL.GL_ALPHA_TEST: False, GL.GL_CULL_FACE: False,
            "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)}
