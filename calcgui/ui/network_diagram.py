"""The network drawn as a student draws it: neurons as circles in columns (the 2 inputs, each
hidden layer, the output), one line per weight.

An edge's thickness grows with |w| on a fixed scale (so a whole network growing or shrinking
shows) and its colour says the sign: blue for w ≥ 0, vermillion for w < 0 (Okabe & Ito, safe
for every common colour-vision deficiency); a dash marks a weight that is no longer a number.
Neurons show the forward value a and, during backward, δ = ∂L/∂z below them; edges show
∂L/∂w when the network is small enough for the numbers to be read, and every neuron and edge
tells its numbers on hover.

The items are made once per architecture and then only updated (a training step changes pens
and texts, never the scene's item list), and laid out in the view's own pixels on every resize,
so the text keeps its size: fitting the scene by scaling would shrink it below what reads on a
projector.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem, QGraphicsItem, QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene,
    QGraphicsSimpleTextItem, QGraphicsView, QToolTip, QWidget,
)

from calcgui.ui.appearance import appearance, follow
from calcgui.ui.network_run import format_value
from calcgui.ui.plot_style import BLUE, GREY, VERMILLION

__all__ = ["DiagramData", "NetworkDiagram", "edge_pen"]

EDGE_MIN_WIDTH = 0.75
#: pixels of line per unit of |w|: |w| = 1 draws 4.75 px
EDGE_PIXELS_PER_WEIGHT = 4.0
EDGE_MAX_WIDTH = 12.0
#: Edges with their ∂L/∂w written on them: beyond this many the numbers would pile up.
EDGE_LABEL_LIMIT = 24
#: Networks with more edges than this are drawn without antialiasing while they train.
PLAIN_WHILE_MOVING = 150
MAX_RADIUS = 34.0
MIN_RADIUS = 5.0
#: Where along an edge (as a fraction from its source) its ∂L/∂w may be written, in order of
#: preference: near the source, where that neuron's edges fan apart, before the middle where
#: edges cross. The first place that overlaps no neuron and no other label is taken.
EDGE_LABEL_PLACES = (0.3, 0.36, 0.24, 0.42, 0.48, 0.54, 0.6, 0.66, 0.72)
_ROLE = 0  # QGraphicsItem.data key: ("neuron", column, unit) or ("edge", layer, target, source)


def edge_pen(weight: float) -> QPen:
    """The pen of a weight: thickness ∝ |w| (capped, in steps of 1/8 px), blue for w ≥ 0,
    vermillion for w < 0, grey dashes for a weight that is not a number."""
    if not math.isfinite(weight):
        return _pen(None, 0, appearance().theme.name)
    width = min(EDGE_MAX_WIDTH, EDGE_MIN_WIDTH + EDGE_PIXELS_PER_WEIGHT * abs(weight))
    return _pen(weight >= 0, round(width * 8), appearance().theme.name)


@lru_cache(maxsize=512)
def _pen(positive: bool | None, eighths: int, theme: str) -> QPen:
    """Pens are shared: a training tick of the 10 × 8 network sets 600 of them (``theme``,
    the theme's name, keeps each theme's pens apart)."""
    resolve = appearance().theme.resolve
    if positive is None:
        pen = QPen(QColor(resolve(GREY)), 1.5, Qt.PenStyle.DashLine)
    else:
        pen = QPen(QColor(resolve(BLUE if positive else VERMILLION)), eighths / 8)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


@dataclass(frozen=True, eq=False)
class DiagramData:
    """What the diagram shows: ``params`` [(W, b)] per layer; ``values[c]`` the activations of
    column c for the shown example (None: not computed yet); ``zs[c]`` the pre-activations
    (None for the inputs); ``deltas[l]`` δ of layer l + 1 (column l + 1) for the example;
    ``grads[l]`` ∂L/∂W of layer l + 1 over the whole data set; ``active`` the column just
    computed (highlighted); ``examples`` how many examples ∂L/∂W sums over."""

    params: Sequence[tuple[np.ndarray, np.ndarray]]
    values: Sequence[np.ndarray | None]
    zs: Sequence[np.ndarray | None]
    deltas: Sequence[np.ndarray | None]
    grads: Sequence[np.ndarray | None]
    active: int | None = None
    examples: int = 1


class NetworkDiagram(QGraphicsView):
    """The drawing; call :meth:`set_architecture` when the sizes change and :meth:`draw` for
    every new set of numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMinimumSize(320, 240)
        self.sizes: tuple[int, ...] = ()
        self.output_label = "output"
        self.hidden_label = ""
        self.neurons: list[list[QGraphicsEllipseItem]] = []
        self.value_texts: list[list[QGraphicsSimpleTextItem]] = []
        self.delta_texts: list[list[QGraphicsSimpleTextItem]] = []
        self.delta_boxes: list[list[QGraphicsRectItem]] = []
        #: edges[l][j][i] draws W⁽ˡ⁺¹⁾[j, i]: from unit i of column l to unit j of column l + 1
        self.edges: list[list[list[QGraphicsLineItem]]] = []
        self.edge_texts: list[list[list[QGraphicsSimpleTextItem]]] = []
        self.edge_boxes: list[list[list[QGraphicsRectItem]]] = []
        self.headers: list[QGraphicsSimpleTextItem] = []
        self.data: DiagramData | None = None
        self.labels_fit = True
        #: every ∂L/∂w on screen found a place of its own (else they are all hidden: hover tells)
        self.edge_labels_fit = True
        self._radius = MAX_RADIUS
        follow(self, self._restyle)

    # -- building -----------------------------------------------------------------------------
    def text_font(self) -> QFont:
        """The "graph" size: read from the back of a lecture hall, and zoomed."""
        return appearance().font("graph", self.font())

    def _restyle(self) -> None:
        """New text sizes take new room: lay out again; edges in the theme's colours."""
        if not self.sizes:
            return
        font = self.text_font()
        for group in (self.value_texts, self.delta_texts, self.edge_texts, [self.headers]):
            for row in group:
                for item in _flat(row):
                    item.setFont(font)
        self._recolour()
        self._lay_out()
        if self.data is not None:
            self.draw(self.data)

    def set_architecture(self, sizes: Sequence[int], hidden_label: str, output_label: str) -> None:
        """Make the items for ``sizes`` (unless they are already there) and name the columns."""
        sizes = tuple(sizes)
        self.hidden_label, self.output_label = hidden_label, output_label
        if sizes != self.sizes:
            self._build(sizes)
        self._lay_out()

    def _build(self, sizes: tuple[int, ...]) -> None:
        scene = self.scene()
        scene.clear()
        self.sizes = sizes
        self.data = None
        font = self.text_font()
        small = sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) <= EDGE_LABEL_LIMIT
        self.edges, self.edge_texts, self.edge_boxes = [], [], []
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            self.edges.append([[self._item(QGraphicsLineItem(), ("edge", layer, j, i), 0) for i in range(fan_in)]
                               for j in range(fan_out)])
            if small:
                self.edge_boxes.append([[self._box(3) for _ in range(fan_in)] for _ in range(fan_out)])
                self.edge_texts.append([[self._text(font, 4) for _ in range(fan_in)] for _ in range(fan_out)])
        self.neurons, self.value_texts, self.delta_texts, self.delta_boxes = [], [], [], []
        for column, units in enumerate(sizes):
            self.neurons.append([self._item(QGraphicsEllipseItem(), ("neuron", column, unit), 5)
                                 for unit in range(units)])
            self.value_texts.append([self._text(font, 6) for _ in range(units)])
            self.delta_boxes.append([self._box(6) for _ in range(units)])
            self.delta_texts.append([self._text(font, 7) for _ in range(units)])
        self.headers = [self._text(font, 7) for _ in sizes]
        self._recolour()

    def _item(self, item: QGraphicsItem, role: tuple[object, ...], z: float) -> QGraphicsItem:
        item.setData(_ROLE, role)
        item.setZValue(z)
        self.scene().addItem(item)
        return item

    def _text(self, font: QFont, z: float) -> QGraphicsSimpleTextItem:
        text = QGraphicsSimpleTextItem()
        text.setFont(font)
        text.setZValue(z)
        self.scene().addItem(text)
        return text

    def _box(self, z: float) -> QGraphicsRectItem:
        box = QGraphicsRectItem()
        box.setPen(QPen(Qt.PenStyle.NoPen))
        box.setZValue(z)
        box.setVisible(False)
        self.scene().addItem(box)
        return box

    def _name_columns(self, gap: float | None = None) -> None:
        """Long names ("hidden 2" over the activation) where they fit in a column's width, else
        short ones (in, 1, 2 …, out): overlapping names are worse than terse ones."""
        last = len(self.sizes) - 1
        long = ["input", *(f"hidden {c}\n{self.hidden_label}" for c in range(1, last)), self.output_label]
        metrics = QFontMetricsF(self.text_font())
        widest = max(metrics.horizontalAdvance(line) for name in long for line in name.split("\n"))
        short = gap is not None and widest > gap - 8
        for column, header in enumerate(self.headers):
            header.setText(("in" if column == 0 else "out" if column == last else str(column)) if short
                           else long[column])

    def _recolour(self) -> None:
        """Texts, outlines and fills from the palette: dark themes get light text."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        base = palette.color(QPalette.ColorRole.Base)
        self.setBackgroundBrush(QBrush(base))
        backing = QColor(base)
        backing.setAlpha(225)
        for group in (self.value_texts, self.delta_texts, self.edge_texts, [self.headers]):
            for row in group:
                for item in _flat(row):
                    item.setBrush(QBrush(text))
        for group in (self.delta_boxes, self.edge_boxes):
            for row in group:
                for box in _flat(row):
                    box.setBrush(QBrush(backing))
        self._outline()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.sizes:
            self._recolour()

    # -- layout -------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self.sizes:
            self._lay_out()

    def _lay_out(self) -> None:
        width, height = max(self.viewport().width(), 1), max(self.viewport().height(), 1)
        self.scene().setSceneRect(0, 0, width, height)
        metrics = QFontMetricsF(self.text_font())
        line = metrics.height()
        columns = len(self.sizes)
        top = 2.3 * line + 6  # two lines of header
        sample = metrics.horizontalAdvance("−0.000")
        left, right = max(sample / 2 + 6, 40.0), width - max(sample / 2 + 6, 40.0)
        gap = (right - left) / max(columns - 1, 1)
        rows = max(self.sizes)
        pitch = (height - top - 1.6 * line) / rows
        radius = max(MIN_RADIUS, min(MAX_RADIUS, 0.5 * (pitch - 1.3 * line), gap * 0.2))
        self._radius = radius
        self.labels_fit = (2 * radius >= sample - 4) and (pitch >= 2 * radius + line) and gap >= sample + 2 * radius
        self._name_columns(gap)
        self._centres: list[list[QPointF]] = []
        for column, units in enumerate(self.sizes):
            x = left + gap * column if columns > 1 else width / 2
            middle = top + (height - top - 1.6 * line) / 2
            centres = [QPointF(x, middle + (unit - (units - 1) / 2) * pitch) for unit in range(units)]
            self._centres.append(centres)
            for unit, centre in enumerate(centres):
                self.neurons[column][unit].setRect(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius))
            header = self.headers[column]
            bounds = header.boundingRect()
            header.setPos(min(max(x - bounds.width() / 2, 2.0), width - bounds.width() - 2), 4)
        for layer, targets in enumerate(self.edges):
            for j, row in enumerate(targets):
                for i, edge in enumerate(row):
                    a, b = self._centres[layer][i], self._centres[layer + 1][j]
                    edge.setLine(a.x(), a.y(), b.x(), b.y())
        self._place_texts()

    def _place_texts(self) -> None:
        """Texts centred on their anchors (run after each text change: widths change)."""
        if not self.sizes or not hasattr(self, "_centres"):
            return
        radius = self._radius
        for column, centres in enumerate(self._centres):
            for unit, centre in enumerate(centres):
                value, delta, box = self.value_texts[column][unit], self.delta_texts[column][unit], self.delta_boxes[column][unit]
                _centre_text(value, centre)
                _centre_text(delta, QPointF(centre.x(), centre.y() + radius + delta.boundingRect().height() / 2 + 1))
                value.setVisible(self.labels_fit and bool(value.text()))
                shown = self.labels_fit and bool(delta.text())
                delta.setVisible(shown)
                box.setVisible(shown)
                box.setRect(delta.mapRectToScene(delta.boundingRect()).adjusted(-2, 0, 2, 0))
        self._place_edge_texts()

    def _place_edge_texts(self) -> None:
        """Each ∂L/∂w at the first of EDGE_LABEL_PLACES where it overlaps nothing; if one finds
        no place, none is shown (some numbers and not others would read as a rule)."""
        occupied = [neuron.sceneBoundingRect() for column in self.neurons for neuron in column]
        occupied += [box.rect() for column in self.delta_boxes for box in column if box.isVisible()]
        self.edge_labels_fit = bool(self.edge_texts) and self.labels_fit
        for layer, targets in enumerate(self.edge_texts):
            for j, row in enumerate(targets):
                for i, text in enumerate(row):
                    if not (self.edge_labels_fit and text.text()):
                        continue
                    a, b = self._centres[layer][i], self._centres[layer + 1][j]
                    size = text.boundingRect()
                    for place in EDGE_LABEL_PLACES:
                        centre = a + (b - a) * place
                        rect = QRectF(centre.x() - size.width() / 2 - 2, centre.y() - size.height() / 2,
                                      size.width() + 4, size.height())
                        if not any(rect.intersects(other) for other in occupied):
                            break
                    else:
                        self.edge_labels_fit = False
                        break
                    occupied.append(rect)
                    _centre_text(text, centre)
                    self.edge_boxes[layer][j][i].setRect(rect)
        for layer, targets in enumerate(self.edge_texts):
            for j, row in enumerate(targets):
                for i, text in enumerate(row):
                    shown = self.edge_labels_fit and bool(text.text())
                    text.setVisible(shown)
                    self.edge_boxes[layer][j][i].setVisible(shown)

    # -- numbers ------------------------------------------------------------------------------
    def draw(self, data: DiagramData) -> None:
        """Draw ``data``: weights as pens, values and δ on neurons, ∂L/∂w on edges."""
        self.data = data
        for layer, (weights, _bias) in enumerate(data.params):
            grads = data.grads[layer] if layer < len(data.grads) else None
            for j, row in enumerate(self.edges[layer]):
                for i, edge in enumerate(row):
                    pen = edge_pen(float(weights[j, i]))
                    if pen is not edge.pen():  # unchanged pens cost no repaint
                        edge.setPen(pen)
                    if self.edge_texts:
                        self.edge_texts[layer][j][i].setText("" if grads is None else format_value(float(grads[j, i])))
        for column, texts in enumerate(self.value_texts):
            values = data.values[column] if column < len(data.values) else None
            deltas = data.deltas[column - 1] if 0 < column <= len(data.deltas) else None
            for unit, text in enumerate(texts):
                text.setText("" if values is None else format_value(float(values[unit])))
                self.delta_texts[column][unit].setText("" if deltas is None else f"δ {format_value(float(deltas[unit]))}")
        self._outline()
        self._place_texts()

    def _outline(self) -> None:
        """The column just computed gets a thick outline and a tint of the palette's highlight
        (not a colour of the edges, which already mean a sign)."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        normal, active = QPen(text, 2), QPen(text, 4.5)
        base, highlight = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight)
        tint = QColor.fromRgbF(*(0.75 * b + 0.25 * h for b, h in zip(base.getRgbF()[:3], highlight.getRgbF()[:3])))
        plain, lit = QBrush(base), QBrush(tint)  # opaque: the edges must not show through the numbers
        column_on = self.data.active if self.data is not None else None
        for column, neurons in enumerate(self.neurons):
            for neuron in neurons:
                neuron.setPen(active if column == column_on else normal)
                neuron.setBrush(lit if column == column_on else plain)

    # -- hover --------------------------------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(self.mapToScene(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPointF) -> str:
        """The numbers of the neuron (preferred) or edge under ``point``, computed on demand."""
        items = [item for item in self.scene().items(point) if item.data(_ROLE) is not None]
        items.sort(key=lambda item: item.data(_ROLE)[0] != "neuron")
        return self.describe(items[0].data(_ROLE)) if items and self.data is not None else ""

    def describe(self, role: tuple[object, ...]) -> str:
        data = self.data
        assert data is not None
        if role[0] == "neuron":
            _, column, unit = role
            assert isinstance(column, int) and isinstance(unit, int)
            name = "input" if column == 0 else ("output" if column == len(self.sizes) - 1 else f"hidden layer {column}")
            lines = [f"{name}, unit {unit + 1}"]
            if column and column - 1 < len(data.zs) and data.zs[column - 1] is not None:
                lines.append(f"z = {format_value(float(data.zs[column - 1][unit]))}")  # type: ignore[index]
            if column < len(data.values) and data.values[column] is not None:
                lines.append(f"{'x' if column == 0 else 'a'} = {format_value(float(data.values[column][unit]))}")  # type: ignore[index]
            if column:
                lines.append(f"b = {format_value(float(data.params[column - 1][1][unit]))}")
                if column - 1 < len(data.deltas) and data.deltas[column - 1] is not None:
                    lines.append(f"δ = ∂L/∂z = {format_value(float(data.deltas[column - 1][unit]))}")  # type: ignore[index]
            return "\n".join(lines)
        _, layer, j, i = role
        assert isinstance(layer, int) and isinstance(j, int) and isinstance(i, int)
        lines = [f"weight from unit {i + 1} to unit {j + 1} of the next layer",
                 f"w = {format_value(float(data.params[layer][0][j, i]))}"]
        grads = data.grads[layer] if layer < len(data.grads) else None
        if grads is not None:
            over = "" if data.examples == 1 else f" (summed over all {data.examples} examples)"
            lines.append(f"∂L/∂w = {format_value(float(grads[j, i]))}{over}")
        return "\n".join(lines)

    def set_moving(self, moving: bool) -> None:
        """Antialias a still picture; while training, a large network's hundreds of thick
        antialiased lines cost about 20 ms a frame in software (4 ms without), so they are
        drawn plain until it stops."""
        edges = sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, not (moving and edges > PLAIN_WHILE_MOVING))
        self.viewport().update()

    # -- for tests and the pane ---------------------------------------------------------------
    def item_count(self) -> int:
        return len(self.scene().items())


def _flat(row: object) -> list[QGraphicsItem]:
    if isinstance(row, list):
        return [item for sub in row for item in _flat(sub)]
    return [row]  # type: ignore[list-item]


def _centre_text(text: QGraphicsSimpleTextItem, centre: QPointF) -> None:
    bounds = text.boundingRect()
    text.setPos(centre.x() - bounds.width() / 2, centre.y() - bounds.height() / 2)
