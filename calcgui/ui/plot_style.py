"""Colours and pens shared by every plot: colour-blind safe and thick enough to project."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt

#: Okabe & Ito's palette, distinguishable with every common colour-vision deficiency.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
ORANGE = "#E69F00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#7F7F7F"

LINE_WIDTH = 3


@dataclass(frozen=True)
class CurveStyle:
    """How one curve is drawn: colour and dash pattern, so it reads without colour too."""

    name: str
    color: str
    dash: Qt.PenStyle = Qt.PenStyle.SolidLine

    def pen(self) -> pg.QtGui.QPen:
        return pg.mkPen(self.color, width=LINE_WIDTH, style=self.dash)


def configure_pyqtgraph() -> None:
    """White background, black text, antialiased lines: what reads well on a projector."""
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
