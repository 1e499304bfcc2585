"""Colours and pens shared by every plot: colour-blind safe, thick enough to project, and in
the current zoom and theme.

Code names colours by their light-theme Okabe & Ito value (``BLUE``); :func:`pen` and
:func:`colour` turn such a name into the current theme's colour and a width into the zoomed
width. :func:`style_plot` keeps a plot's chrome (background, axes, ticks, titles, legends,
text on the plot) in the current zoom and theme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsItem

from calcgui.ui.appearance import LINE_WIDTH, appearance, follow
from calcgui.ui.fast_axis import use_fast_grid
from calcgui.ui.theme import OKABE_ITO

#: Okabe & Ito's palette, distinguishable with every common colour-vision deficiency.
BLUE = OKABE_ITO["blue"]
VERMILLION = OKABE_ITO["vermillion"]
GREEN = OKABE_ITO["green"]
ORANGE = OKABE_ITO["orange"]
SKY = OKABE_ITO["sky"]
PURPLE = OKABE_ITO["purple"]
YELLOW = OKABE_ITO["yellow"]
GREY = OKABE_ITO["grey"]
OCHRE = OKABE_ITO["ochre"]

__all__ = ["BLUE", "GREEN", "GREY", "LINE_WIDTH", "OCHRE", "ORANGE", "PURPLE", "SKY", "VERMILLION", "YELLOW",
           "CurveStyle", "brush", "cache_as_pixmap", "cache_axes", "colour", "configure_pyqtgraph", "label_fill", "pen",
           "restyle_plot", "style_plot",
           "style_target"]


def colour(name: str) -> str:
    """The current theme's version of ``name`` (an Okabe & Ito value, "k" or "w")."""
    return appearance().theme.resolve(name)


def pen(name: str, width: float = LINE_WIDTH, style: Qt.PenStyle = Qt.PenStyle.SolidLine,
        alpha: int = 255) -> QPen:
    """A pen in the theme's ``name`` colour, ``width`` pixels wide at 100 % (zoomed)."""
    color = QColor(colour(name))
    color.setAlpha(alpha)
    return pg.mkPen(color, width=appearance().pen_width(width), style=style)


def brush(name: str, alpha: int = 255) -> QBrush:
    color = QColor(colour(name))
    color.setAlpha(alpha)
    return pg.mkBrush(color)


def style_target(marker: pg.TargetItem, size: float, outline: QPen, fill: QBrush, label_offset: float = 12) -> None:
    """A draggable marker (P, Q, a start point) ``size`` pixels wide at 100 %, zoomed, with
    its label ``label_offset`` pixels up and right."""
    look = appearance()
    marker.setPen(outline)
    marker.setBrush(fill)
    marker.prepareGeometryChange()
    marker.scale = look.pixels(size)  # TargetItem keeps its size here and builds its shape from it
    marker._shape = None
    label = marker.label()
    if label is not None:
        label.offset = pg.Point(look.pixels(label_offset), -look.pixels(label_offset))
        # the plot's text colour on a box of its background: readable on any colour map
        # (pyqtgraph's default, light grey, vanished on Rosenbrock's yellow)
        label.setColor(look.theme.plot_foreground)
        label.fill = label_fill()
        label.viewTransformChanged()
    marker.update()


def label_fill() -> QBrush:
    """Behind text drawn on a plot: the plot's background, a little see-through."""
    return pg.mkBrush(*appearance().theme.label_fill)


@dataclass(frozen=True)
class CurveStyle:
    """How one curve is drawn: colour and dash pattern, so it reads without colour too."""

    name: str
    color: str
    dash: Qt.PenStyle = Qt.PenStyle.SolidLine

    def pen(self) -> QPen:
        return pen(self.color, LINE_WIDTH, self.dash)

    def theme_color(self) -> str:
        return colour(self.color)


def configure_pyqtgraph() -> None:
    """Antialiased lines and the theme's plot colours for every plot created from now on."""
    appearance().apply_to_application()


def cache_as_pixmap(item: QGraphicsItem) -> None:
    """Paint ``item`` once into a pixmap and blit it until it changes: for what stays still
    while something else on the plot moves (axes and grids, a colour map, level lines)."""
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def cache_axes(view: pg.PlotWidget) -> None:
    """Cache the axes (and the grid they draw) of ``view``'s plot as pixmaps: replaying
    their pictures cost 1.5-3.5 ms a plot on every repaint while P was dragged."""
    item = view.getPlotItem()
    for name in ("left", "bottom", "right", "top"):
        cache_as_pixmap(item.getAxis(name))


def style_plot(view: pg.GraphicsView) -> None:
    """Keep ``view``'s background, axes, titles, legends and plot text in the current zoom
    and theme, now and after every change."""
    follow(view, lambda: restyle_plot(view))


def restyle_plot(view: pg.GraphicsView) -> None:
    """Restyle the chrome of every plot in ``view`` (items added later take the defaults)."""
    look = appearance()
    theme = look.theme
    view.setBackground(theme.plot_background)
    tick_font, text_font = look.font("tick"), look.font("plot_label")
    axis_css = {"color": theme.plot_foreground, "font-size": f"{look.points('axis'):.1f}pt"}
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            use_fast_grid(item)
            item.setPen(pg.mkPen(theme.plot_foreground, width=1))
            item.setTextPen(pg.mkPen(theme.plot_foreground))
            item.setTickFont(tick_font)
            item.setStyle(tickLength=int(round(look.pixels(-5))), tickTextOffset=int(round(look.pixels(3))))
            if item.labelText or item.labelUnits:
                item.setLabel(item.labelText, item.labelUnits, item.labelUnitPrefix, **axis_css)
        elif isinstance(item, pg.LegendItem):
            item.setBrush(label_fill())
            item.setPen(pg.mkPen(theme.plot_foreground, width=1))
            item.opts["labelTextSize"] = f"{look.points('legend'):.1f}pt"
            item.opts["labelTextColor"] = QColor(theme.plot_foreground)
            for _sample, label in item.items:
                label.setText(label.text, size=item.opts["labelTextSize"], color=theme.plot_foreground)
            item.updateSize()
        elif isinstance(item, pg.LabelItem) and item.text and isinstance(item.parentItem(), pg.PlotItem):
            item.setText(item.text, size=f"{look.points('plot_title'):.1f}pt", color=theme.plot_foreground)
        elif isinstance(item, pg.TextItem):
            item.setColor(theme.plot_foreground)
            item.setFont(text_font)
            if item.fill.style() != Qt.BrushStyle.NoBrush:
                item.fill = label_fill()
                item.update()
