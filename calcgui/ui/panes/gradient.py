"""Gradient pane: f(x, y) as a contour map and a 3D surface, linked; click or drag a point P
to see ∇f there, the two partial derivatives as slices with their tangent lines, and turn a
direction v̂ to see the directional derivative ∇f·v̂ peak along ∇f."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDial, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QSplitter, QVBoxLayout,
    QWidget,
)

from calcgui.core.box3d import fitting_half_width, tangent_patch
from calcgui.core.compiled import compile_partials
from calcgui.core.contours import level_line
from calcgui.core.gradient import (
    CompiledSurface, Grid, PointGradient, arrow_length, directional_curve, directional_derivative, evaluate_grid,
    field_segments, typical_gradient_norm,
)
from calcgui.core.jobs import GradientFormulas, gradient_job
from calcgui.state import Camera, GradientSettings, SharedFunctions, ViewRange
from calcgui.ui.appearance import appearance, follow, scrolling
from calcgui.ui.contour_view import ContourView
from calcgui.ui.gradient_plots import DirectionalPlot, SlicePlot
from calcgui.ui.math_view import MathLabel
from calcgui.ui.panes.base import Pane
from calcgui.ui.plot_style import BLUE, ORANGE, PURPLE, SKY, VERMILLION
from calcgui.ui.surface_view import SurfaceView
from calcgui.ui.worker_bridge import SymbolicWorker

CHANNEL = "gradient"
EXAMPLES = (
    "2x^2 - y^2", "3x^2 + 2y", "2y^3x^2", "x^2 + y^2", "x^2 - y^2", "sin x cos y", "x e^(-x^2 - y^2)",
    "x^3 - 3xy^2", "(1 - x)^2 + 100(y - x^2)^2", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "ln(1 + x^2 + y^2)",
)
RESOLUTIONS = (50, 100, 160, 250, 400)
DEFAULT_RESOLUTION = 160
DEFAULT_RANGE = (-3.0, 3.0)
FIELD_ARROWS = 15
PLANE_FRACTION = 0.3  # the tangent plane's largest half-width, as a fraction of the view
PLANE_FIT = 0.15  # …smaller where the plane strays further than this fraction of the 3D box's height from f


class GradientPane(Pane):
    """The Gradient pane. State: the compiled surface, P = (x0, y0) and the angle of v̂."""

    title = "Gradient"
    channel = CHANNEL
    shares = "surface"
    prepare = staticmethod(compile_partials)

    def __init__(self, state: SharedFunctions, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        super().__init__(state, worker, label="f(x, y) =", examples=EXAMPLES,
                         placeholder="e.g. 2x^2 - y^2, sin x cos y", parent=parent)
        self.surface: CompiledSurface | None = None
        self.grid: Grid | None = None
        self._typical = float("nan")
        self.x0, self.y0, self.angle = 1.0, 0.5, math.pi / 4

        self.contour = ContourView()
        self.contour.point_picked.connect(lambda x, y: (self.set_point(x, y), self.changed.emit("P")))
        self.contour.direction_dragged.connect(lambda angle: (self.set_angle(angle), self.changed.emit("v")))
        self.contour.view_settled.connect(self._regrid)
        self.surface_view = SurfaceView()
        self.x_slice = SlicePlot("slice f(x, y₀): slope ∂f/∂x", "x", ORANGE)
        self.y_slice = SlicePlot("slice f(x₀, y): slope ∂f/∂y", "y", SKY)
        self.directional_plot = DirectionalPlot()
        self._build_controls()
        self._build_readouts()
        self._layout()
        self.contour.show_ranges(DEFAULT_RANGE, DEFAULT_RANGE)
        self.set_angle(self.angle)
        self.begin()

    # -- construction ---------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.field_box = QCheckBox("Gradient field")
        self.field_box.setToolTip("Arrows of ∇f over the whole map: uphill, across the level lines")
        self.field_box.toggled.connect(lambda _on: self._draw_field())
        self.field_box.clicked.connect(lambda _on: self.changed.emit(""))
        self.plane_box = QCheckBox("Tangent plane (3D)")
        self.plane_box.setChecked(True)
        self.plane_box.toggled.connect(lambda _on: self._redraw_point())
        self.plane_box.clicked.connect(lambda _on: self.changed.emit(""))
        self.resolution = QComboBox()
        for n in RESOLUTIONS:
            self.resolution.addItem(f"{n} × {n}", n)
        self.resolution.setCurrentIndex(RESOLUTIONS.index(DEFAULT_RESOLUTION))
        self.resolution.setToolTip("Grid resolution of the map and the surface")
        self.resolution.currentIndexChanged.connect(lambda _i: self._regrid())
        self.resolution.activated.connect(lambda _i: self.changed.emit(""))
        self.fit_button = QPushButton("Reset view")
        self.fit_button.clicked.connect(self.reset_view)
        self.dial = QDial()
        self.dial.setRange(0, 359)
        self.dial.setWrapping(True)
        self.dial.setNotchesVisible(True)
        self.dial.setToolTip("Turn the direction v (or drag the blue arrow's tip on the map)")
        self.dial.valueChanged.connect(lambda v: (self.set_angle(math.radians(self._dial_to_degrees(v))),
                                                  self.changed.emit("v")))
        self.angle_box = QSpinBox()
        self.angle_box.setRange(-180, 180)
        self.angle_box.setWrapping(True)
        self.angle_box.setSuffix("°")
        self.angle_box.setAccessibleName("angle of v")
        self.angle_box.valueChanged.connect(lambda v: (self.set_angle(math.radians(v)), self.changed.emit("v")))
        self.steepest_button = QPushButton("Along ∇f")
        self.steepest_button.setToolTip("Point v along the gradient: the steepest ascent")
        self.steepest_button.clicked.connect(lambda: (self._point_along_gradient(), self.changed.emit("")))

    def _build_readouts(self) -> None:
        self.formulas = [MathLabel() for _ in range(4)]
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setWordWrap(True)
        self.directional = QLabel()
        self.directional.setTextFormat(Qt.TextFormat.RichText)
        self.directional.setWordWrap(True)
        for label in (self.numbers, self.directional):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        follow(self, self._restyle)

    def _restyle(self) -> None:
        """Readouts at the "heading" size, in colours from the theme (redrawn on a change)."""
        look = appearance()
        for label in (self.numbers, self.directional):
            label.setFont(look.font("heading"))
        side = round(look.pixels(84))
        self.dial.setFixedSize(side, side)
        if getattr(self, "grid", None) is not None:
            self._redraw_point()

    def _layout(self) -> None:
        options = QHBoxLayout()
        for widget in (self.field_box, self.plane_box, QLabel("Grid"), self.resolution, self.fit_button):
            options.addWidget(widget)
        options.addStretch(1)
        views = QSplitter(Qt.Orientation.Horizontal)
        views.addWidget(self.contour)
        views.addWidget(self.surface_view)
        views.setSizes([520, 480])

        direction = QGridLayout()
        direction.addWidget(self.dial, 0, 0, 3, 1)
        name = QLabel("direction v (unit vector)")
        name.setWordWrap(True)  # zoomed in, the side column is narrower than the words
        direction.addWidget(name, 0, 1)
        direction.addWidget(self.angle_box, 1, 1)
        direction.addWidget(self.steepest_button, 2, 1)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(4, 0, 0, 0)
        for label in self.formulas:
            column.addWidget(label)
        column.addWidget(self.numbers)
        column.addLayout(direction)
        column.addWidget(self.directional)
        column.addStretch(1)
        scroll = scrolling(side)  # zoomed in, the readouts scroll rather than being cut off
        scroll.setMinimumWidth(300)

        top = QSplitter(Qt.Orientation.Horizontal)
        top_left = QWidget()
        top_column = QVBoxLayout(top_left)
        top_column.setContentsMargins(0, 0, 0, 0)
        top_column.addWidget(views, 1)
        top_column.addLayout(options)
        top.addWidget(top_left)
        top.addWidget(scroll)
        top.setSizes([900, 340])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        for plot in (self.x_slice, self.y_slice, self.directional_plot):
            bottom.addWidget(plot)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(bottom)
        body.setSizes([540, 230])
        layout = QVBoxLayout(self)
        layout.addLayout(self.input_row)
        layout.addWidget(body, 1)

    # -- public -----------------------------------------------------------------------------
    def job_args(self, text: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return gradient_job, (text,)

    def set_point(self, x: float, y: float) -> None:
        """Move P (clicks and drags land here)."""
        self.x0, self.y0 = float(x), float(y)
        self._redraw_point()

    def set_angle(self, angle: float) -> None:
        """Point v̂ at ``angle`` radians (counter-clockwise from +x)."""
        self.angle = math.atan2(math.sin(angle), math.cos(angle))
        degrees = round(math.degrees(self.angle))
        for widget, value in ((self.angle_box, degrees), (self.dial, self._degrees_to_dial(degrees))):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        self._redraw_direction()

    def settings(self) -> GradientSettings:
        (x0, x1), (y0, y1) = self.contour.shown_rectangle()
        camera = self.surface_view.camera()
        return GradientSettings(
            function=self.accepted_text or GradientSettings.function, point=(self.x0, self.y0),
            angle_degrees=round(math.degrees(self.angle), 9), grid=int(self.resolution.currentData()),
            field=self.field_box.isChecked(), tangent_plane=self.plane_box.isChecked(),
            camera=Camera(*camera) if camera is not None else None, view=ViewRange((x0, x1), (y0, y1)))

    def apply(self, settings: GradientSettings) -> None:
        for box, on in ((self.field_box, settings.field), (self.plane_box, settings.tangent_plane)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.resolution.blockSignals(True)
        self.resolution.setCurrentIndex(RESOLUTIONS.index(settings.grid))
        self.resolution.blockSignals(False)
        if settings.camera is not None:
            self.surface_view.set_camera(settings.camera.distance, settings.camera.elevation, settings.camera.azimuth)
        self.x0, self.y0 = settings.point
        view = settings.view or ViewRange(DEFAULT_RANGE, DEFAULT_RANGE)
        self.contour.show_ranges(view.x, view.y)
        self.set_angle(math.radians(settings.angle_degrees))
        if settings.function == self.accepted_text:
            self._regrid()
        self.apply_function(settings.function)

    def point(self) -> PointGradient | None:
        return self.surface.at(self.x0, self.y0) if self.surface is not None else None

    def reset_view(self) -> None:
        self.contour.show_ranges(DEFAULT_RANGE, DEFAULT_RANGE)
        self._regrid()

    # -- the dial: 0 at the bottom, clockwise; v̂'s angle: 0 along +x, counter-clockwise -------
    @staticmethod
    def _dial_to_degrees(value: int) -> float:
        return (270 - value) % 360

    @staticmethod
    def _degrees_to_dial(degrees: float) -> int:
        return round(270 - degrees) % 360

    # -- results ----------------------------------------------------------------------------
    def show_result(self, payload: object) -> None:
        if isinstance(payload, CompiledSurface):
            self._new_surface(payload)
        elif isinstance(payload, GradientFormulas):
            for label, formula in zip(self.formulas, payload.formulas):
                label.set_formula(formula.svg, formula.plain, formula.latex)

    def _new_surface(self, surface: CompiledSurface) -> None:
        self.accept_function()
        self.surface = surface
        for label in self.formulas:
            label.set_stale(True)
        self._regrid()

    # -- drawing ----------------------------------------------------------------------------
    def _regrid(self) -> None:
        """Sample f and ∇f over the visible rectangle; redraw the map, levels and surface."""
        if self.surface is None:
            return
        x_range, y_range = self.contour.view_ranges()
        grid = evaluate_grid(self.surface, x_range, y_range, int(self.resolution.currentData()))
        self.grid = grid
        self.contour.show_grid(grid.xs, grid.ys, grid.z)
        self.surface_view.set_surface(grid.xs, grid.ys, grid.z)
        self._typical = typical_gradient_norm(grid)
        for plot in (self.x_slice, self.y_slice, self.directional_plot):
            plot.reframe()
        self._draw_field()
        self._redraw_point()

    def _draw_field(self) -> None:
        if self.grid is None:
            return
        on = self.field_box.isChecked()
        self.contour.set_field(field_segments(self.grid, FIELD_ARROWS, self._span()) if on else None)

    def _span(self) -> float:
        (x0, x1), (y0, y1) = self.contour.view_ranges()
        return min(x1 - x0, y1 - y0)

    def _redraw_point(self) -> None:
        point = self.point()
        if point is None or self.grid is None:
            return
        grid = self.grid
        self.contour.set_point(point.x, point.y)
        self.contour.set_slices((grid.xs[0], grid.xs[-1]), (grid.ys[0], grid.ys[-1]))
        defined = point.defined
        self.contour.set_level_through_point(
            level_line(grid.xs, grid.ys, grid.z, point.value) if defined else None)
        length = arrow_length(point.norm, self._typical, self._span()) if defined else 0.0
        tip = (point.x + length * point.fx / point.norm, point.y + length * point.fy / point.norm) if length else None
        self.contour.set_gradient_arrow(tip)
        self._draw_slices(point)
        self._draw_3d(point, length)
        self.numbers.setText(self._numbers_text(point))
        self._redraw_direction()

    def _draw_slices(self, point: PointGradient) -> None:
        assert self.surface is not None and self.grid is not None
        xs, ys = self.grid.xs, self.grid.ys
        fx_text = f"∂f/∂x = {point.fx:.4g}" if math.isfinite(point.fx) else "∂f/∂x undefined"
        fy_text = f"∂f/∂y = {point.fy:.4g}" if math.isfinite(point.fy) else "∂f/∂y undefined"
        self.x_slice.show_slice(xs, self.surface.f(xs, np.full_like(xs, point.y)), point.x, point.value,
                                point.fx, f"y₀ = {point.y:.3g}:  slope {fx_text}")
        self.y_slice.show_slice(ys, self.surface.f(np.full_like(ys, point.x), ys), point.y, point.value,
                                point.fy, f"x₀ = {point.x:.3g}:  slope {fy_text}")

    def _draw_3d(self, point: PointGradient, length: float) -> None:
        view = self.surface_view
        if not view.available or self.surface is None or self.grid is None:
            return
        xs, ys = self.grid.xs, self.grid.ys
        view.set_points("P", np.array([[point.x, point.y, point.value]]), VERMILLION, size=16)
        view.set_line("x slice", np.c_[xs, np.full_like(xs, point.y), self.surface.f(xs, np.full_like(xs, point.y))],
                      ORANGE)
        view.set_line("y slice", np.c_[np.full_like(ys, point.x), ys, self.surface.f(np.full_like(ys, point.x), ys)],
                      SKY)
        if length and point.defined:
            ux, uy = point.fx / point.norm, point.fy / point.norm  # uphill along the tangent plane
            view.set_line("gradient", np.array([[point.x, point.y, point.value],
                                                [point.x + length * ux, point.y + length * uy,
                                                 point.value + length * point.norm]]), VERMILLION, width=5, on_top=True)
        else:
            view.set_line("gradient", None, VERMILLION)
        if self.plane_box.isChecked() and point.defined:  # cut to the box: steep, it is a strip through P
            (z0, z1), args = view.z_range(), (point.x, point.y, point.value, point.fx, point.fy)
            half = fitting_half_width(self.surface.f, *args, PLANE_FRACTION * self._span(), PLANE_FIT * (z1 - z0))
            patch = tangent_patch(*args, half, view.box())
            view.set_polygon("tangent plane", patch, PURPLE)
        else:
            view.set_polygon("tangent plane", None, PURPLE)

    def _redraw_direction(self) -> None:
        point = self.point()
        if point is None or self.grid is None:
            return
        d = directional_derivative(point, self.angle)
        length = 0.12 * self._span()
        self.contour.set_direction_arrow((point.x + length * d.ux, point.y + length * d.uy))
        degrees = np.linspace(-180, 180, 361)
        gradient_degrees = math.degrees(point.angle)
        self.directional_plot.show_curve(degrees, directional_curve(point, np.radians(degrees)), point.norm,
                                         gradient_degrees, math.degrees(self.angle), d.value)
        if self.surface_view.available and point.defined:
            self.surface_view.set_line("direction", np.array([
                [point.x, point.y, point.value],
                [point.x + length * d.ux, point.y + length * d.uy, point.value + length * d.value]]), BLUE, width=5,
                on_top=True)
        self.directional.setText(self._directional_text(point, d))

    # -- words ------------------------------------------------------------------------------
    @staticmethod
    def _numbers_text(point: PointGradient) -> str:
        where = f"P = ({point.x:.3g}, {point.y:.3g})"
        if not math.isfinite(point.value):
            return f"f is not defined at {where}."
        if not point.defined:
            undefined = [name for name, v in (("∂f/∂x", point.fx), ("∂f/∂y", point.fy)) if not math.isfinite(v)]
            return (f"<b>{where}</b> &nbsp; f(P) = {point.value:.5g}<br>{' and '.join(undefined)} "
                    f"{'is' if len(undefined) == 1 else 'are'} undefined there, so ∇f is undefined at P: "
                    f"f is not differentiable there.")
        heading = (f"pointing at {math.degrees(point.angle):.1f}°" if point.norm > 0
                   else "zero: P is a critical point")
        ink = appearance().theme.ink  # the slices' and the arrow's colours, readable as text
        return (f"<b>P = ({point.x:.4g}, {point.y:.4g})</b> &nbsp; f(P) = {point.value:.5g}<br>"
                f"<span style='color:{ink(ORANGE)}'>∂f/∂x = {point.fx:.5g}</span> &nbsp; "
                f"<span style='color:{ink(SKY)}'>∂f/∂y = {point.fy:.5g}</span><br>"
                f"<span style='color:{ink(VERMILLION)}'>∇f = ({point.fx:.4g}, {point.fy:.4g})</span>, "
                f"|∇f| = {point.norm:.4g}, {heading}")

    @staticmethod
    def _directional_text(point: PointGradient, d: object) -> str:
        if not point.defined:
            return ""
        text = (f"v = ({d.ux:.4g}, {d.uy:.4g}) at {math.degrees(d.angle):.0f}°<br>"  # type: ignore[attr-defined]
                f"<span style='color:{appearance().theme.ink(BLUE)}'><b>D<sub>v</sub>f = {d.value:.4g}</b></span><br>"  # type: ignore[attr-defined]
                f"{d.worked}<br>")  # type: ignore[attr-defined]
        if point.norm > 0:
            text += (f"Largest along ∇f ({math.degrees(point.angle):.1f}°): |∇f| = {point.norm:.4g}; "
                     f"zero along the level line (±90° from ∇f).")
        else:
            text += "∇f = 0: every direction is flat to first order."
        return text

    # -- interaction --------------------------------------------------------------------------
    def _point_along_gradient(self) -> None:
        point = self.point()
        if point is not None and point.norm > 0:
            self.set_angle(point.angle)
