"""What each pane offers to export: its main view, its main plot and its main table.

Read from the panes' public attributes, so the panes need not know about exports. The main
view is what a slide of that pane would show: the plot of f, the secant, the contour map,
the race map (the ball's curve in 1D), the graph.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from calcgui.core import tables
from calcgui.core.tables import Table


def main_view(pane: QWidget) -> QWidget:
    """The widget a picture of ``pane`` shows (the pane itself where it has no main view)."""
    from calcgui.ui.panes.chain import ChainPane
    from calcgui.ui.panes.descent import DescentPane
    from calcgui.ui.panes.gradient import GradientPane

    if isinstance(pane, DescentPane):
        return pane.ball_view.curve_plot if pane.mode_key() == "1d" else pane.map
    if isinstance(pane, GradientPane):
        return pane.contour
    if isinstance(pane, ChainPane):
        return pane.graph_view if pane.mode() == "graph" else pane.network_page
    plot = getattr(pane, "plot", None)
    return plot if isinstance(plot, QWidget) else pane


def main_plot(pane: QWidget) -> pg.PlotItem | None:
    """The pyqtgraph plot of the main view, for SVG; None where the main view is no plot."""
    view = main_view(pane)
    return view.getPlotItem() if isinstance(view, pg.PlotWidget) else None


def table_maker(pane: QWidget) -> Callable[[], Table] | None:
    """How to build the main table of ``pane`` now, or None where it has none to show."""
    from calcgui.ui.panes.chain import ChainPane
    from calcgui.ui.panes.descent import DescentPane
    from calcgui.ui.panes.tangent import TangentPane

    if isinstance(pane, TangentPane) and pane.table.rows:
        return lambda: tables.quotient_table(pane.table.rows)
    if isinstance(pane, DescentPane) and pane.runs:
        return lambda: tables.descent_table(pane.runs)
    if isinstance(pane, ChainPane) and pane.mode() == "graph" and pane.result is not None:
        result = pane.result
        return lambda: tables.chain_table(result)
    return None


def table_name(pane: QWidget) -> str:
    """What the main table is called in a menu and in a file name."""
    from calcgui.ui.panes.chain import ChainPane
    from calcgui.ui.panes.descent import DescentPane

    if isinstance(pane, DescentPane):
        return "iterates" if pane.mode_key() == "1d" else "trajectories"
    if isinstance(pane, ChainPane):
        return "graph nodes"
    return "quotient table"
