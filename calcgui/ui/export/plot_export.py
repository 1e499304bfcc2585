"""One plot or map to a file: PNG (at 2× for slides), SVG, or its data as CSV.

pyqtgraph's own exporters do the drawing: :class:`~pyqtgraph.exporters.ImageExporter`
re-renders the plot's scene at the asked size with its pens scaled (a 2× PNG is sharp, not
an enlarged screenshot), and :class:`~pyqtgraph.exporters.SVGExporter` writes each item as
vectors. Its CSV exporter is not used: it ignores images (a contour map's grid is its data)
and rounds to 10 digits; the data here goes through :mod:`calcgui.core.tables`.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage

from calcgui.core.tables import Table, curves_table, grid_table
from calcgui.ui.export.files import write_bytes, write_image, write_text

#: "Export PNG (2× for slides)": the plot at twice its pixels on screen.
SLIDE_SCALE = 2
SVG_MODULE = "pyqtgraph.exporters.SVGExporter"
_CLOSE_WITH_POINT = re.compile(r"Z[-+0-9.eE]+,[-+0-9.eE]+")


def plot_item_of(view_box: pg.ViewBox) -> pg.GraphicsObject:
    """What to draw for ``view_box``: its PlotItem (with axes, title and legend) if it has one."""
    item = view_box.parentItem()
    while item is not None:
        if isinstance(item, pg.PlotItem):
            return item
        item = item.parentItem()
    return view_box


def plot_image(item: pg.GraphicsObject, scale: int = SLIDE_SCALE) -> QImage:
    """``item`` drawn at ``scale`` times its size on screen (exactly: width and height each)."""
    from pyqtgraph.exporters import ImageExporter  # loads parametertree: not at start-up

    exporter = ImageExporter(item)
    width, height = exporter.params["width"], exporter.params["height"]
    exporter.params.param("width").setValue(scale * width, blockSignal=exporter.widthChanged)
    exporter.params.param("height").setValue(scale * height, blockSignal=exporter.heightChanged)
    return exporter.export(toBytes=True)


def plot_svg(item: pg.GraphicsObject) -> bytes:
    from pyqtgraph.exporters import SVGExporter

    with _closed_paths_understood():
        return SVGExporter(item).export(toBytes=True)


@contextlib.contextmanager
def _closed_paths_understood() -> Iterator[None]:
    """pyqtgraph 0.13–0.14's SVG exporter reads every token of a path as "x,y" and fails on the
    "Z" (close path) that Qt 6 writes for a ViewBox's frame. While exporting, a "Z" token is
    handed to it as "Z0,0" and turned back into "Z" after its coordinates are transformed."""
    module = sys.modules[SVG_MODULE]
    original = module.correctCoordinates

    def correct(node: Any, defs: Any, item: Any, options: Any) -> None:
        paths = node.getElementsByTagName("path")
        for path in paths:
            d = path.getAttribute("d")
            if "Z" in d:
                path.setAttribute("d", " ".join("Z0,0" if token == "Z" else token for token in d.split(" ")))
        original(node, defs, item, options)
        for path in paths:
            path.setAttribute("d", _CLOSE_WITH_POINT.sub("Z", path.getAttribute("d")))

    module.correctCoordinates = correct
    try:
        yield
    finally:
        module.correctCoordinates = original


def plot_table(view_box: pg.ViewBox) -> Table:
    """The data of a plot: a map's grid when it shows one, otherwise its curves and points."""
    grid = _map_grid(view_box)
    if grid is not None:
        return grid
    items = [item for item in view_box.addedItems if item.isVisible()]
    for item in items:
        if isinstance(item, pg.ImageItem) and item.image is not None:
            return _image_table(item)
    curves = []
    for index, item in enumerate(items, start=1):
        data = _curve_data(item)
        if data is not None and len(data[0]):
            name = item.name() if callable(getattr(item, "name", None)) else None
            curves.append((name or f"curve {index}", *data))
    return curves_table(curves)


def _map_grid(view_box: pg.ViewBox) -> Table | None:
    """The values under a map, from the widget that drew it: its colours are clipped, and on
    some maps logarithmic, so the picture's pixels are not the numbers."""
    from calcgui.ui.contour_map import ContourMap
    from calcgui.ui.network_plots import BoundaryPlot
    from calcgui.ui.sweep_map import SweepPlot

    views = view_box.scene().views() if view_box.scene() is not None else []
    widget = views[0] if views else None
    if isinstance(widget, ContourMap) and widget.grid is not None:
        return grid_table(*widget.grid)
    if isinstance(widget, SweepPlot) and widget.result() is not None:
        result = widget.result()
        return grid_table(result.lrs, result.betas, np.asarray(result.losses).T, corner="beta \\ lr")
    if isinstance(widget, BoundaryPlot) and getattr(widget, "grid", None) is not None:
        return grid_table(widget.grid.xs, widget.grid.ys, widget.grid.outputs[:, :, 0])
    return None


def _curve_data(item: object) -> tuple[np.ndarray, np.ndarray] | None:
    """(x, y) of a curve or scatter as the user gave them (before log axes or downsampling)."""
    if isinstance(item, pg.PlotDataItem):
        xs, ys = item.getOriginalDataset()
    elif isinstance(item, (pg.PlotCurveItem, pg.ScatterPlotItem)):
        xs, ys = item.getData()
    else:
        return None
    if xs is None or ys is None:
        return None
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def _image_table(item: pg.ImageItem) -> Table:
    """The grid under a map: each pixel's centre in data coordinates, and its value."""
    z = np.asarray(item.image, dtype=float)
    if item.axisOrder == "col-major":
        z = z.T
    rows, cols = z.shape[:2]
    rect = item.mapRectToParent(item.boundingRect())
    xs = rect.left() + (np.arange(cols) + 0.5) * rect.width() / cols
    ys = rect.top() + (np.arange(rows) + 0.5) * rect.height() / rows
    return grid_table(xs, ys, z[:, :, 0] if z.ndim == 3 else z)


def save_png(item: pg.GraphicsObject, path: Path, scale: int = SLIDE_SCALE) -> None:
    write_image(plot_image(item, scale), path)


def save_svg(item: pg.GraphicsObject, path: Path) -> None:
    write_bytes(plot_svg(item), path)


def save_csv(view_box: pg.ViewBox, path: Path) -> None:
    write_text(plot_table(view_box).csv_text(), path)
