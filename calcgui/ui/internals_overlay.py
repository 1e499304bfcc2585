"""Arrows at each optimizer's current point on the map: the plain gradient step −γ·g, the step
the optimizer actually takes, and its momentum (velocity); and, for the adaptive optimizers,
the effective learning rate of each coordinate as a label.

Steps are often far smaller than the map (γ = 10⁻³ on Rosenbrock), so all arrows are drawn
magnified by one power of ten chosen to make the longest a readable fraction of the view, and
the factor is said in the legend: the arrows stay comparable with each other and honest.
The items are made once per optimizer and kind and only moved, so a frame's cost does not grow
as the race runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from calcgui.core.optimizers import LABELS
from calcgui.core.update_rules import format_vector
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import brush, label_fill, pen

#: The kinds of arrow, their legend text and dash pattern (colour is the optimizer's).
KINDS: dict[str, tuple[str, Qt.PenStyle]] = {
    "gradient": ("dotted: the plain gradient step −γ·g", Qt.PenStyle.DotLine),
    "update": ("solid: the optimizer's next step", Qt.PenStyle.SolidLine),
    "momentum": ("dashed: momentum (velocity) as a step", Qt.PenStyle.DashLine),
}
#: The longest arrow is magnified to about this fraction of the view's width.
TARGET_FRACTION = 0.18


@dataclass(frozen=True, eq=False)
class Internals:
    """What to draw for one optimizer: vectors in the map's units, None where it has none."""

    name: str
    color: str
    point: np.ndarray
    gradient: np.ndarray | None
    update: np.ndarray | None
    momentum: np.ndarray | None
    effective_lr: np.ndarray | None


def magnification(lengths: list[float], view_width: float) -> float:
    """A power of ten (≥ 1) that makes the longest arrow about TARGET_FRACTION of the view."""
    longest = max((length for length in lengths if math.isfinite(length)), default=0.0)
    if longest <= 0.0 or not view_width > 0.0:
        return 1.0
    wanted = TARGET_FRACTION * view_width / longest
    return float(10.0 ** max(0, math.floor(math.log10(wanted)))) if wanted > 1.0 else 1.0


class _Arrow:
    """One shaft and one head, created once, moved and hidden as needed."""

    def __init__(self, plot: pg.PlotItem, color: str, dash: Qt.PenStyle) -> None:
        self.color, self.dash = color, dash
        self.shaft = pg.PlotDataItem()
        self.head = pg.ArrowItem(angle=0, tipAngle=35)
        self.restyle()
        for item in (self.shaft, self.head):
            item.setZValue(30)
            plot.addItem(item)
        self.hide()

    def restyle(self) -> None:
        self.shaft.setPen(pen(self.color, 3, self.dash))
        self.head.setStyle(headLen=appearance().pixels(14), pen=pen(self.color, 1), brush=brush(self.color))

    def show(self, start: np.ndarray, vector: np.ndarray, pixel: tuple[float, float]) -> None:
        """An arrow from ``start`` along ``vector``; ``pixel`` is the view's data size of one
        pixel in x and y, so that the head points along the shaft as drawn on screen."""
        end = start + vector
        self.shaft.setData([start[0], end[0]], [start[1], end[1]])
        self.head.setStyle(angle=head_angle(vector, pixel))
        self.head.setPos(float(end[0]), float(end[1]))
        self.shaft.show()
        self.head.show()

    def hide(self) -> None:
        self.shaft.hide()
        self.head.hide()


def head_angle(vector: np.ndarray, pixel: tuple[float, float]) -> float:
    """pyqtgraph's angle for a head pointing along ``vector``: its arrow at angle 0 points
    left and turns clockwise on screen, where y grows downwards."""
    dx, dy = float(vector[0]) / pixel[0], -float(vector[1]) / pixel[1]
    return 180.0 + math.degrees(math.atan2(dy, dx))


class InternalsOverlay:
    """Draws :class:`Internals` for each optimizer on ``plot``; kinds can be switched off."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self.enabled: dict[str, bool] = {kind: False for kind in KINDS}
        self.show_effective_lr = False
        self._arrows: dict[tuple[str, str], _Arrow] = {}
        #: the per-coordinate learning rates, listed in the map's top-left corner (labels at
        #: the heads would cover each other where heads meet, as Adam's and RMSProp's do)
        self.rates = pg.TextItem(anchor=(0, 0), fill=label_fill())
        self.rates.setZValue(31)
        self.rates.hide()
        plot.addItem(self.rates, ignoreBounds=True)
        self.factor = 1.0
        self._entries: list[Internals] = []
        follow(plot, self.restyle)

    def restyle(self) -> None:
        """Arrows and the corner's text in the current theme and zoom."""
        for arrow in self._arrows.values():
            arrow.restyle()
        self.rates.fill = label_fill()
        self.rates.setFont(appearance().font("plot_label"))
        if self.rates.isVisible():
            self._draw_rates(self._entries, self.plot.getViewBox().viewRange())

    def _arrow(self, name: str, color: str, kind: str) -> _Arrow:
        key = (name, kind)
        if key not in self._arrows:
            self._arrows[key] = _Arrow(self.plot, color, KINDS[kind][1])
        return self._arrows[key]

    def draw(self, entries: list[Internals]) -> None:
        """Show the enabled arrows of ``entries``; hide everything of optimizers not listed."""
        view = self.plot.getViewBox()
        width = float(np.diff(view.viewRange()[0])[0])
        pixel = view.viewPixelSize()
        lengths = [float(np.hypot(*getattr(e, kind))) for e in entries for kind in KINDS
                   if self.enabled[kind] and getattr(e, kind) is not None]
        self.factor = magnification(lengths, width)
        shown: set[tuple[str, str]] = set()
        for entry in entries:
            for kind in KINDS:
                vector = getattr(entry, kind)
                if self.enabled[kind] and vector is not None and np.isfinite(vector).all() \
                        and np.isfinite(entry.point).all():
                    self._arrow(entry.name, entry.color, kind).show(entry.point, self.factor * vector,
                                                                  pixel)
                    shown.add((entry.name, kind))
        for key, arrow in self._arrows.items():
            if key not in shown:
                arrow.hide()
        self._entries = list(entries)
        self._draw_rates(entries, view.viewRange())

    def _draw_rates(self, entries: list[Internals], ranges: list[list[float]]) -> None:
        """"γ per coordinate" for each adaptive optimizer, in its colour, top left of the map."""
        theme = appearance().theme
        lines = [f"<span style='color:{theme.resolve(e.color)}'>■</span> {LABELS[e.name]}: "
                 f"γ_eff = {format_vector(e.effective_lr)}"
                 for e in entries if e.effective_lr is not None and np.isfinite(e.effective_lr).all()]
        if not (self.show_effective_lr and lines):
            self.rates.hide()
            return
        self.rates.setHtml(f"<div style='color:{theme.plot_foreground}'>" + "<br>".join(lines) + "</div>")
        self.rates.setPos(ranges[0][0], ranges[1][1])
        self.rates.show()

    def rates_text(self) -> str:
        """The corner's text as shown ("" when hidden), for tests and screen readers."""
        return self.rates.textItem.toPlainText() if self.rates.isVisible() else ""

    def item_count(self) -> int:
        """Graphics items made so far: bounded by optimizers × kinds, whatever the step."""
        return 2 * len(self._arrows) + 1

    def legend_text(self) -> str:
        kinds = [KINDS[kind][0] for kind, on in self.enabled.items() if on]
        if not kinds:
            return ""
        scale = f" (arrows ×{self.factor:g})" if self.factor != 1.0 else ""
        return "Arrows: " + "; ".join(kinds) + scale
