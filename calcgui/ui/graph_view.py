"""The computational graph drawn left to right: nodes as rounded boxes, edges as arrows, and the
replay's state on them (values once the forward pass reached a node, adjoints and each edge's
local derivative and product once the backward pass did).

The view only draws: positions come from :func:`calcgui.core.backprop.layout` (columns and
rows, scaled here), numbers and sentences from the worker's :class:`~calcgui.core.chain_job.
ChainResult`. Text colours come from the palette (themes), the forward and backward colours
from :mod:`calcgui.ui.plot_style` (blue and vermillion: colour-blind safe).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPalette, QPen, QPolygonF, QResizeEvent,
    QTransform, QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication, QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsView, QStyleOptionGraphicsItem, QWidget,
)

from calcgui.core.chain_job import ChainEdge, ChainNode, ChainResult
from calcgui.ui.appearance import POINTS, appearance, follow
from calcgui.ui.plot_style import BLUE, VERMILLION

NODE_W, NODE_H = 150.0, 108.0
COLUMN_GAP, ROW_GAP = 150.0, 40.0
#: An edge's label (two lines) sits in the gap after its source, this large.
LABEL_W, LABEL_H = COLUMN_GAP - 6, 48.0
MARGIN = 12.0
#: The fitted scale stays in this range (times the zoom): larger graphs scroll rather than
#: shrink past reading (at the smallest, an op's label is still 24 × 0.6 ≈ 14 pt).
MIN_SCALE, MAX_SCALE = 0.6, 1.6
#: Text sizes (points at scale 1) relative to the body text at 100 %, with floors that read on
#: a projector. The boxes are drawn at a fixed size: the zoom scales the whole view instead.
LABEL_POINTS, VALUE_POINTS, ADJOINT_POINTS, EDGE_POINTS = (2.4, 24.0), (1.5, 15.0), (1.4, 14.0), (1.2, 12.0)
STALE_OPACITY = 0.35


def number(x: float) -> str:
    """A value as the graph shows it: 4 significant digits, a true minus sign."""
    return f"{x:.4g}".replace("-", "−")


def _font(points: tuple[float, float], bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(max(points[1], POINTS["body"] * points[0]))
    font.setBold(bold)
    return font


def _palette(widget: QWidget | None) -> QPalette:
    return widget.palette() if widget is not None else QApplication.palette()


def _ink(color: str) -> QColor:
    """A forward / backward colour as the theme writes text in it."""
    return QColor(appearance().theme.ink(color))


def _tint(color: str, alpha: int) -> QColor:
    tinted = QColor(appearance().theme.resolve(color))
    tinted.setAlpha(alpha)
    return tinted


class NodeItem(QGraphicsItem):
    """One node: its op label big, the value under it, the adjoint under that."""

    def __init__(self, node: ChainNode) -> None:
        super().__init__()
        self.node = node
        self.value_shown = ""  #: what the box shows of the forward pass ("" before it got here)
        self.adjoint_shown = ""  #: what the box shows of the backward pass
        self.current: str | None = None  #: "forward" / "backward" while this is the step's node
        self.selected = False
        self.setToolTip(f"{node.name} = {node.expr}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return QRectF(-NODE_W / 2 - 4, -NODE_H / 2 - 4, NODE_W + 8, NODE_H + 8)

    def show_state(self, value: bool, adjoint: bool, current: str | None) -> None:
        node = self.node
        self.value_shown = f"= {number(node.value)}" if value else ""
        self.adjoint_shown = f"∂f/∂{node.name} = {number(node.adjoint)}" if adjoint else ""
        self.current = current
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        palette = _palette(widget)
        box = QRectF(-NODE_W / 2, -NODE_H / 2, NODE_W, NODE_H)
        accent = {"forward": BLUE, "backward": VERMILLION}.get(self.current or "")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = palette.color(QPalette.ColorRole.Base)
        painter.setBrush(QBrush(fill))
        border = _ink(accent) if accent else palette.color(QPalette.ColorRole.Mid)
        if self.selected and not accent:
            border = palette.color(QPalette.ColorRole.Highlight)
        width = 4.0 if accent or self.selected else 2.0
        style = Qt.PenStyle.DashLine if self.node.kind == "constant" else Qt.PenStyle.SolidLine
        painter.setPen(QPen(border, width, style))
        painter.drawRoundedRect(box, 14, 14)
        if accent:
            painter.setBrush(QBrush(_tint(accent, 40)))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(box.adjusted(2, 2, -2, -2), 12, 12)
        text = palette.color(QPalette.ColorRole.Text)
        third = NODE_H / 3
        lines = ((self.node.label, LABEL_POINTS, text, True),
                 (self.value_shown, VALUE_POINTS, _ink(BLUE), False),
                 (self.adjoint_shown, ADJOINT_POINTS, _ink(VERMILLION), False))
        for index, (line, points, color, bold) in enumerate(lines):
            if not line:
                continue
            painter.setFont(_font(points, bold))
            painter.setPen(color)
            rect = QRectF(box.left() + 4, box.top() + 2 + index * third, NODE_W - 8, third)
            elided = painter.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, elided)


class EdgeItem(QGraphicsPathItem):
    """An arrow from ``source`` to an input slot of ``target``; during the backward pass it is
    labelled with ∂target/∂source and the product adjoint(target)·local."""

    def __init__(self, edge: ChainEdge, start: QPointF, end: QPointF, obstacles: list[QRectF] | None = None) -> None:
        super().__init__()
        self.edge = edge
        self.label = ""  #: what the edge's label says ("" while it has none)
        self.current: str | None = None
        self.end = end
        path = edge_path(start, end, obstacles or [])
        self.setPath(path)
        self.setZValue(-1)
        # in the gap after the source, where no node is (GraphView spreads a source's uses apart)
        self.label_at = QPointF(start.x() + COLUMN_GAP / 2, _y_at(path, start.x() + COLUMN_GAP / 2))

    def show_state(self, label: str, current: str | None) -> None:
        self.label, self.current = label, current
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return super().boundingRect().adjusted(-12, -12, 12, 12).united(self._label_rect())

    def _label_rect(self) -> QRectF:
        return QRectF(self.label_at.x() - LABEL_W / 2, self.label_at.y() - LABEL_H / 2, LABEL_W, LABEL_H)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        palette = _palette(widget)
        accent = {"forward": BLUE, "backward": VERMILLION}.get(self.current or "")
        color = _ink(accent) if accent else palette.color(QPalette.ColorRole.Text)
        if not accent:
            color.setAlpha(150)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, 4.0 if accent else 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        head = QPolygonF([self.end, self.end + QPointF(-14, -7), self.end + QPointF(-14, 7)])
        painter.setBrush(QBrush(color))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(head)
        if self.label:
            rect = self._label_rect()
            painter.setBrush(QBrush(palette.color(QPalette.ColorRole.Base)))
            painter.setPen(QPen(_ink(VERMILLION), 2.0 if accent else 1.0))
            painter.drawRoundedRect(rect, 6, 6)
            painter.setFont(_font(EDGE_POINTS))
            painter.setPen(_ink(VERMILLION))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.label)


#: How far a detour passes above or below the node boxes it goes round.
DETOUR_GAP = 18.0


def edge_path(start: QPointF, end: QPointF, obstacles: list[QRectF]) -> QPainterPath:
    """A left-to-right curve from ``start`` to ``end``. An edge that skips a column would run
    straight through the node between (x → − of x³ − x read as two edges from x³ into −), so
    where the plain curve meets a box in ``obstacles`` it goes round all of them, above or
    below, whichever is nearer its ends' heights."""
    bend = max(40.0, (end.x() - start.x()) / 2)
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + bend, start.y()), QPointF(end.x() - bend, end.y()), end)
    points = curve_points(path)
    blocking = [box for box in obstacles if passes_through(points, box)]
    if not blocking:
        return path
    left, right = min(box.left() for box in blocking), max(box.right() for box in blocking)
    above = min(box.top() for box in blocking) - DETOUR_GAP
    below = max(box.bottom() for box in blocking) + DETOUR_GAP
    middle = (start.y() + end.y()) / 2
    level = above if abs(middle - above) <= abs(below - middle) else below
    into, out = (left - start.x()) / 2, (end.x() - right) / 2
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + into, start.y()), QPointF(left - into, level), QPointF(left, level))
    path.lineTo(QPointF(right, level))
    path.cubicTo(QPointF(right + out, level), QPointF(end.x() - out, end.y()), end)
    return path


def curve_points(path: QPainterPath, samples: int = 64) -> list[QPointF]:
    """``samples`` + 1 points along ``path``, evenly by length (sampled once per edge and
    tested against every box: sampling again per box cost 30 ms a graph on the UI thread)."""
    return [path.pointAtPercent(k / samples) for k in range(samples + 1)]


def passes_through(points: list[QPointF], box: QRectF) -> bool:
    """Whether a curve sampled as ``points`` passes through ``box`` (QPainterPath.intersects
    would test the area the open path encloses)."""
    return any(box.contains(point) for point in points)


def crosses(path: QPainterPath, box: QRectF, samples: int = 64) -> bool:
    """Whether the curve itself passes through ``box``."""
    return passes_through(curve_points(path, samples), box)


def _y_at(path: QPainterPath, x: float) -> float:
    """The height of a left-to-right ``path`` at ``x`` (bisection on the curve's parameter)."""
    lo, hi = 0.0, 1.0
    for _ in range(30):
        mid = (lo + hi) / 2
        if path.pointAtPercent(mid).x() < x:
            lo = mid
        else:
            hi = mid
    return path.pointAtPercent((lo + hi) / 2).y()


class GraphView(QGraphicsView):
    """The graph of one :class:`ChainResult`; :meth:`show_step` puts the replay on it.

    Fits the whole graph on resize (within MIN_SCALE … MAX_SCALE; a larger graph scrolls);
    Ctrl + wheel zooms, a double click fits again. A click on a node emits :attr:`node_clicked`.
    """

    node_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setAccessibleName("computational graph")
        self.result: ChainResult | None = None
        self.nodes: list[NodeItem] = []
        self.edges: list[EdgeItem] = []
        self.selected: int | None = None
        self.stale = False
        self._zoomed = False
        follow(self, self._restyle)

    def _restyle(self) -> None:
        """The zoom scales the fitted view (the boxes keep their size in the scene)."""
        if not self._zoomed:
            self.fit()
        self.viewport().update()

    # -- content ----------------------------------------------------------------------------
    def set_graph(self, result: ChainResult) -> None:
        """Draw ``result``'s nodes and edges (nothing computed yet: call :meth:`show_step`)."""
        scene = self.scene()
        scene.clear()
        self.result = result
        self.nodes = [NodeItem(node) for node in result.nodes]
        centres = [self.centre(node) for node in result.nodes]
        for item, centre in zip(self.nodes, centres):
            item.setPos(centre)
            scene.addItem(item)
        arity = [len(node.inputs) for node in result.nodes]
        self.edges = []
        # a node's input slots, top to bottom, in the order of its sources' heights: no crossing at its door
        rank = {}
        for k in range(len(result.nodes)):
            into = sorted((e for e in result.edges if e.target == k), key=lambda e: (centres[e.source].y(), e.position))
            rank.update({(e.target, e.position): i for i, e in enumerate(into)})
        for edge in result.edges:
            start = centres[edge.source] + QPointF(NODE_W / 2, 0)
            slot = ((rank[edge.target, edge.position] - (arity[edge.target] - 1) / 2)
                    * min(26.0, NODE_H / (arity[edge.target] + 1)))
            end = centres[edge.target] + QPointF(-NODE_W / 2, slot)
            others = [QRectF(c.x() - NODE_W / 2, c.y() - NODE_H / 2, NODE_W, NODE_H)
                      for k, c in enumerate(centres) if k not in (edge.source, edge.target)]
            item = EdgeItem(edge, start, end, others)
            scene.addItem(item)
            self.edges.append(item)
        self._spread_labels()
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        self.selected = None
        self.set_stale(False)
        self._zoomed = False
        self.fit()

    def _spread_labels(self) -> None:
        """The labels of one source's uses sit in the same gap: stack them apart, in the
        order of their edges' heights, centred where the edges leave."""
        by_source: dict[int, list[EdgeItem]] = {}
        for item in self.edges:
            by_source.setdefault(item.edge.source, []).append(item)
        for items in by_source.values():
            if len(items) < 2:
                continue
            items.sort(key=lambda item: (item.label_at.y(), item.edge.target, item.edge.position))
            middle = sum(item.label_at.y() for item in items) / len(items)
            for index, item in enumerate(items):
                item.prepareGeometryChange()
                item.label_at.setY(middle + (index - (len(items) - 1) / 2) * (LABEL_H + 4))

    @staticmethod
    def centre(node: ChainNode) -> QPointF:
        return QPointF(node.column * (NODE_W + COLUMN_GAP), node.row * (NODE_H + ROW_GAP))

    def show_step(self, position: int) -> None:
        """Show the replay after ``position`` steps: the first n are the forward pass over the
        n nodes (in order), the next n the backward pass."""
        result = self.result
        if result is None:
            return
        n = len(result.nodes)
        forward = min(position, n)
        backward = [step.node for step in result.backward[:max(0, position - n)]]
        done_back = set(backward)
        current = (("forward", result.forward[position - 1].node) if 0 < position <= n
                   else ("backward", backward[-1]) if backward else None)
        for item in self.nodes:
            k = item.node.id
            here = current[0] if current is not None and current[1] == k else None
            item.show_state(k < forward, k in done_back, here)
        adjoints = [node.adjoint for node in result.nodes]
        for item in self.edges:
            edge = item.edge
            accent = None
            if current == ("forward", edge.target):
                accent = "forward"
            elif current == ("backward", edge.source):
                accent = "backward"
            label = ""
            if edge.source in done_back:
                target, source = result.nodes[edge.target].name, result.nodes[edge.source].name
                label = (f"∂{target}/∂{source} = {number(edge.local)}\n"
                         f"{number(adjoints[edge.target])}·{number(edge.local)} = "
                         f"{number(adjoints[edge.target] * edge.local)}")
            item.show_state(label, accent)

    def select(self, node: int | None) -> None:
        self.selected = node
        for item in self.nodes:
            item.selected = item.node.id == node
            item.update()

    def set_stale(self, stale: bool) -> None:
        """Dim a graph that no longer matches the input (kept on screen until a good one)."""
        for item in self.scene().items():
            item.setOpacity(STALE_OPACITY if stale else 1.0)
        self.stale = stale

    # -- fitting and zoom -------------------------------------------------------------------
    def fit(self) -> None:
        """Scale the whole graph into view (within MIN_SCALE … MAX_SCALE) and centre it."""
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        view = self.viewport().rect()
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        zoom = appearance().scale
        scale = max(MIN_SCALE * zoom, min(MAX_SCALE * zoom, scale))
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(rect.center())
        self._zoomed = False

    def scale_factor(self) -> float:
        return self.transform().m11()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if not self._zoomed:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.scale(factor, factor)
            self._zoomed = True
            event.accept()
        else:
            super().wheelEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.fit()
        super().mouseDoubleClickEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        item = self.node_at(event.position().toPoint())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self.node_clicked.emit(item.node.id)
        super().mousePressEvent(event)

    def node_at(self, point: object) -> NodeItem | None:
        for item in self.items(point):  # type: ignore[call-overload]
            if isinstance(item, NodeItem):
                return item
        return None

    def view_point(self, node: int) -> object:
        """Where node ``node``'s centre is in viewport coordinates (for clicks in tests)."""
        return self.mapFromScene(self.nodes[node].pos())
