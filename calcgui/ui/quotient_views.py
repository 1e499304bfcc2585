"""The difference-quotient table and the log-log error plot (the round-off "V")."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from calcgui.core.secant import QuotientRow
from calcgui.ui.plot_style import BLUE, GREY, VERMILLION

HEADERS = ("h", "forward", "|error|", "backward", "|error|", "central", "|error|")
BEST = QColor("#FCE8B2")  # pale amber: the best h of a column


def _number(value: float) -> str:
    return "undefined" if not np.isfinite(value) else f"{value:.12g}"


def _error(value: float) -> str:
    """Errors to 3 significant digits: their size is the point, not their last digits."""
    return "undefined" if not np.isfinite(value) else ("0" if value == 0 else f"{value:.2e}")


class QuotientTable(QTableWidget):
    """h = 10^0 ... 10^-12 against forward, backward and central quotients and their errors;
    the smallest error of each kind is highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(HEADERS)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        #: the rows on screen, as numbers (exports read them, never the rounded text)
        self.rows: tuple[QuotientRow, ...] = ()

    def show_rows(self, rows: Sequence[QuotientRow]) -> None:
        self.rows = tuple(rows)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (f"1e{int(round(np.log10(row.h)))}", row.forward, row.forward_error, row.backward,
                      row.backward_error, row.central, row.central_error)
            for c, value in enumerate(values):
                text = value if isinstance(value, str) else (_error(value) if c in (2, 4, 6) else _number(value))
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
        for column in (2, 4, 6):
            errors = np.array([float("inf") if not np.isfinite(v) else v
                               for v in (self._value(r, column) for r in range(len(rows)))])
            if np.isfinite(errors).any():
                best = int(np.argmin(errors))
                for c in (column - 1, column):
                    self.item(best, c).setBackground(QBrush(BEST))

    def best_row(self, column: int) -> int:
        """The row highlighted as best in an error column (2, 4 or 6)."""
        for r in range(self.rowCount()):
            if self.item(r, column).background().color() == BEST:
                return r
        return -1

    def _value(self, row: int, column: int) -> float:
        try:
            return float(self.item(row, column).text())
        except ValueError:
            return float("nan")


class ErrorPlot(pg.PlotWidget):
    """|error| against h on log-log axes for forward and central differences, with the
    current h, the theoretical best h of each, and reference slopes 1 and 2."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.getPlotItem()
        item.setLogMode(x=True, y=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        for side in ("left", "bottom"):  # decades only: minor log lines cost most of each repaint
            item.getAxis(side).setStyle(maxTickLevel=0)
        item.setLabel("bottom", "h")
        item.setLabel("left", "|error|")
        item.setMenuEnabled(False)
        item.hideButtons()
        # bottom left: tiny h with a tiny error never happens (round-off is largest there)
        item.addLegend(offset=(10, -10), labelTextSize="10pt", brush=pg.mkBrush(255, 255, 255, 220))
        # the round-off region is a dense zig-zag: thin, aliased strokes paint it 4x faster
        self.forward = item.plot(pen=pg.mkPen(VERMILLION, width=2), name="forward", antialias=False)
        self.central = item.plot(pen=pg.mkPen(BLUE, width=2), name="central", antialias=False)
        dotted = pg.mkPen(GREY, width=1, style=Qt.PenStyle.DotLine)
        self.slope_one = item.plot(pen=dotted, name="slope 1 and 2")
        self.slope_two = item.plot(pen=dotted)
        self.current_h = pg.InfiniteLine(angle=90, pen=pg.mkPen("k", width=2))
        self.best_forward = pg.InfiniteLine(angle=90, pen=pg.mkPen(VERMILLION, width=1, style=Qt.PenStyle.DashLine))
        self.best_central = pg.InfiniteLine(angle=90, pen=pg.mkPen(BLUE, width=1, style=Qt.PenStyle.DashLine))
        for line in (self.current_h, self.best_forward, self.best_central):
            item.addItem(line, ignoreBounds=True)

    def show_errors(self, h: np.ndarray, forward: np.ndarray, central: np.ndarray,
                    best: tuple[float, float]) -> None:
        self.forward.setData(h, forward, connect="finite")
        self.central.setData(h, central, connect="finite")
        anchor = h[np.argmin(np.abs(np.log10(h) + 1))]  # h = 0.1
        for curve, data, power in ((self.slope_one, forward, 1), (self.slope_two, central, 2)):
            k = np.flatnonzero(h == anchor)[0]
            if np.isfinite(data[k]):
                ref = h[h <= anchor][: len(h) // 3]
                curve.setData(ref, data[k] * (ref / anchor) ** power)
            else:
                curve.setData([], [])
        self.best_forward.setValue(np.log10(best[0]))
        self.best_central.setValue(np.log10(best[1]))

    def mark_h(self, h: float) -> None:
        self.current_h.setValue(np.log10(max(abs(h), 1e-300)))
