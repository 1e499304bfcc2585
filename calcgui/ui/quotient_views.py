"""The difference-quotient table and the log-log error plot (the round-off "V")."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from calcgui.core.secant import QuotientRow
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.plot_style import BLUE, GREY, VERMILLION, pen, style_plot

HEADERS = ("h", "forward", "|error|", "backward", "|error|", "central", "|error|")


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
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # set by _fit_columns
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._best: list[tuple[int, int]] = []  # the cells highlighted as the best h of a column
        #: the rows on screen, as numbers (exports read them, never the rounded text)
        self.rows: tuple[QuotientRow, ...] = ()
        follow(self, self._restyle)

    def _restyle(self) -> None:
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(appearance().font("table", font))
        self.resizeRowsToContents()
        self._fit_columns()
        best = QBrush(QColor(appearance().theme.best))  # pale amber on light, dark amber on dark
        for r, c in self._best:
            self.item(r, c).setBackground(best)

    def _fit_columns(self) -> None:
        """Each column as wide as its widest number plus a margin, the room left shared out
        equally: zoomed in on a small screen the table scrolls sideways instead of cutting
        numbers to "2.00e-…"."""
        metrics, pad = self.fontMetrics(), round(appearance().pixels(18))
        widths = [max([metrics.horizontalAdvance(self.horizontalHeaderItem(c).text())]
                      + [metrics.horizontalAdvance(item.text()) for r in range(self.rowCount())
                         if (item := self.item(r, c)) is not None]) + pad
                  for c in range(self.columnCount())]
        spare = max(0, self.viewport().width() - sum(widths)) // max(1, len(widths))
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width + spare)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_columns()

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
        self._best = []
        for column in (2, 4, 6):
            errors = np.array([float("inf") if not np.isfinite(v) else v
                               for v in (self._value(r, column) for r in range(len(rows)))])
            if np.isfinite(errors).any():
                best = int(np.argmin(errors))
                self._best += [(best, column - 1), (best, column)]
        self._restyle()

    def best_row(self, column: int) -> int:
        """The row highlighted as best in an error column (2, 4 or 6)."""
        return next((r for r, c in self._best if c == column), -1)

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
        item.addLegend(offset=(10, -10))
        # the round-off region is a dense zig-zag: thin, aliased strokes paint it 4x faster
        self.forward = item.plot(name="forward", antialias=False)
        self.central = item.plot(name="central", antialias=False)
        self.slope_one = item.plot(name="slope 1 and 2")
        self.slope_two = item.plot()
        self.current_h = pg.InfiniteLine(angle=90)
        self.best_forward = pg.InfiniteLine(angle=90)
        self.best_central = pg.InfiniteLine(angle=90)
        for line in (self.current_h, self.best_forward, self.best_central):
            item.addItem(line, ignoreBounds=True)
        style_plot(self)
        follow(self, self._restyle)

    def _restyle(self) -> None:
        dash, dot = Qt.PenStyle.DashLine, Qt.PenStyle.DotLine
        self.forward.setPen(pen(VERMILLION, 2))
        self.central.setPen(pen(BLUE, 2))
        for curve in (self.slope_one, self.slope_two):
            curve.setPen(pen(GREY, 1, dot))
        self.current_h.setPen(pen("k", 2))
        self.best_forward.setPen(pen(VERMILLION, 1, dash))
        self.best_central.setPen(pen(BLUE, 1, dash))

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
