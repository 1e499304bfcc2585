"""Grid lines filled as rectangles (calcgui/ui/fast_axis.py) give the very pixels pyqtgraph's
translucent lines give: two plots, the same but for the axes' drawing, grabbed and compared."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from calcgui.ui import fast_axis
from calcgui.ui.fast_axis import use_fast_grid, use_stock_drawing

#: Ranges that put grid lines at every kind of fractional pixel position; sizes odd and even.
CASES = [
    ((-3.3, 7.1), (-0.0123, 0.0456), (647, 525)),
    ((0.0, 1.0), (0.0, 1.0), (400, 300)),
    ((-1e4, 3.7e4), (-2.5, 2.5), (513, 287)),
    ((-180.0, 180.0), (-4.61, 4.61), (358, 209)),
    ((1.234567, 1.234789), (-7e-7, 3e-6), (801, 455)),
]


def plot(qtbot: QtBot, x: tuple[float, float], y: tuple[float, float], size: tuple[int, int],
         fast: bool) -> tuple[QWidget, pg.PlotWidget]:
    """A plot inside a frame, at an offset from its corner as in a window (a painter's device
    offset then differs from its transform)."""
    frame = QWidget()
    qtbot.addWidget(frame)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(37, 23, 5, 5)
    widget = pg.PlotWidget()
    layout.addWidget(widget)
    item = widget.getPlotItem()
    item.showGrid(x=True, y=True, alpha=0.25)
    item.setLabel("bottom", "x")
    item.plot(np.linspace(*x, 50), np.linspace(*y, 50), pen=pg.mkPen("b", width=3))
    item.setRange(xRange=x, yRange=y, padding=0)
    if fast:
        for name in ("left", "bottom", "right", "top"):
            use_fast_grid(item.getAxis(name))
    frame.resize(size[0] + 42, size[1] + 28)
    frame.show()
    qtbot.waitExposed(frame)
    return frame, widget


def pixels(widget: QWidget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return data[:, : image.width(), :3].copy()


@pytest.mark.skipif(pg.__version__ not in fast_axis.VERIFIED_VERSIONS, reason="not used with this pyqtgraph")
@pytest.mark.parametrize(("x", "y", "size"), CASES)
def test_filled_grid_lines_are_pixel_for_pixel_pyqtgraphs(qtbot: QtBot, x: tuple, y: tuple, size: tuple) -> None:
    (stock, _), (fast, fast_plot) = plot(qtbot, x, y, size, fast=False), plot(qtbot, x, y, size, fast=True)
    assert "paint" in vars(fast_plot.getPlotItem().getAxis("left"))
    a, b = pixels(stock), pixels(fast)
    grid = (a != a[5, -5]).any(axis=2).sum()
    assert grid > 1000  # a plot with its grid, curve and labels, not a blank
    assert np.array_equal(a, b), f"{(a != b).any(axis=2).sum()} pixels differ"


def test_slanted_or_thick_ticks_are_drawn_as_lines() -> None:
    from PySide6.QtCore import QPointF

    thin = pg.mkPen((0, 0, 0, 63), width=1)
    thin.setCosmetic(True)
    thick = pg.mkPen((0, 0, 0, 63), width=2)
    assert fast_axis.fillable(thin, QPointF(0, 3.5), QPointF(100, 3.5))
    assert not fast_axis.fillable(thin, QPointF(0, 3.5), QPointF(100, 3.6))
    assert not fast_axis.fillable(thick, QPointF(0, 3.5), QPointF(100, 3.5))


def test_an_unchecked_pyqtgraph_keeps_its_own_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg, "__version__", "0.0-unchecked")
    axis = pg.AxisItem("left")
    use_fast_grid(axis)
    assert "paint" not in vars(axis)


def test_every_plot_of_the_app_looks_the_same_as_with_pyqtgraphs_grid(qtbot: QtBot, window: object) -> None:
    """The app's own plots (linear and log axes, cached and not, zoomed fonts, at their places
    in the window) in the window's picture with the filled grid, then with pyqtgraph's drawing
    put back: the same pixels."""
    plots = window.findChildren(pg.PlotWidget)  # type: ignore[attr-defined]
    for name in ("derivative", "tangent", "gradient", "descent"):
        window.show_pane(name)  # type: ignore[attr-defined]
        qtbot.wait(50)
        axes = [plot.getPlotItem().getAxis(side) for plot in plots if plot.isVisible() and plot.width() > 50
                for side in ("left", "bottom")]
        assert axes and all("paint" in vars(axis) for axis in axes)
        fast = pixels(window)  # type: ignore[arg-type]
        for axis in axes:
            use_stock_drawing(axis)
        stock = pixels(window)  # type: ignore[arg-type]
        for axis in axes:
            use_fast_grid(axis)
        assert np.array_equal(fast, stock), f"{name}: {(fast != stock).any(axis=2).sum()} pixels differ"


def test_an_svg_export_keeps_grid_lines_as_lines(qtbot: QtBot) -> None:
    """An SVG is not pixels: exported grid lines stay lines (polylines), as pyqtgraph's
    export writes them, not one-unit rectangles snapped to a pixel grid."""
    from calcgui.ui.export.plot_export import plot_svg

    counts = []
    for fast in (False, True):
        _, widget = plot(qtbot, (-3.3, 7.1), (-0.0123, 0.0456), (400, 300), fast=fast)
        svg = plot_svg(widget.getPlotItem()).decode()
        counts.append((svg.count("<rect"), svg.count("<polyline")))
    stock, filled = counts
    assert stock[1] > 20  # the grid and ticks
    assert filled == stock
