"""A log axis whose labels never overlap: whole decades only, every k-th one when the axis is
too short for all of them.

pyqtgraph's log axis labels the minor ticks too ("3·10¹ 2·10¹ 10¹ 9 8 7 6"), which in a plot
200 pixels tall, as the Descent pane's loss plot is, prints one label over the next.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
#: Labelled decades are at least this many label heights apart.
LABEL_GAP = 1.6


def decade_label(exponent: int) -> str:
    """10 to the power ``exponent`` as printed: "1", "10", "10⁻³"."""
    if exponent == 0:
        return "1"
    if exponent == 1:
        return "10"
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def labelled_every(decades: int, pixels: float, label_pixels: float) -> int:
    """Label every k-th decade, the smallest k in 1, 2, 3, 5, 10, 20 … that leaves room."""
    room = max(1.0, pixels / (LABEL_GAP * label_pixels))
    for k in (1, 2, 3, 5, 10, 20, 50, 100):
        if decades / k <= room:
            return k
    return math.ceil(decades / room)


class LogAxis(pg.AxisItem):
    """In log mode: a tick at each decade, a label at every k-th; linear mode as pyqtgraph's."""

    def __init__(self, orientation: str, **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self._every = 1

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803 (Qt style)
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        low, high = math.ceil(min(minVal, maxVal) - 1e-9), math.floor(max(minVal, maxVal) + 1e-9)
        decades = list(range(low, high + 1))
        font = self.style.get("tickFont") or QFont()
        self._every = labelled_every(len(decades), size, QFontMetrics(font).height())
        major = [float(d) for d in decades if d % self._every == 0]
        minor = [float(d) for d in decades if d % self._every != 0]
        return [(float(self._every), major), (1.0, minor)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [decade_label(round(v)) if round(v) % self._every == 0 else "" for v in values]
