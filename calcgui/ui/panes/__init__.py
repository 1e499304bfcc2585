"""One module per pane; each pane is a thin view over the core.

:data:`PANE_CLASSES` maps the state layer's pane names (:data:`calcgui.state.PANE_NAMES`,
the one list of panes, which the command line and scene files use) to their classes, in the
order the switcher lists them.
"""

from __future__ import annotations

from calcgui.state import PANE_NAMES
from calcgui.ui.panes.base import Pane
from calcgui.ui.panes.chain import ChainPane
from calcgui.ui.panes.derivative import DerivativePane
from calcgui.ui.panes.descent import DescentPane
from calcgui.ui.panes.gradient import GradientPane
from calcgui.ui.panes.tangent import TangentPane

PANE_CLASSES: dict[str, type[Pane]] = {
    "derivative": DerivativePane, "tangent": TangentPane, "gradient": GradientPane, "descent": DescentPane,
    "chain": ChainPane,
}
assert tuple(PANE_CLASSES) == PANE_NAMES, "calcgui.state.PANE_NAMES and the pane classes disagree"

__all__ = ["PANE_CLASSES", "Pane"]
