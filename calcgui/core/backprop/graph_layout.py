"""Where to draw each node of a computational graph: columns left to right, few crossings.

A node's column is its depth: variables in column 0, every op one column right of its deepest
input, so values flow left to right as in the forward pass. A constant sits just left of the
first node that uses it (a 2 in column 0 would draw a long edge across the picture). Within
each column, rows follow the barycentre heuristic of Sugiyama-style layered drawing: a few
sweeps that sort each column by the mean row of its neighbours in the column before (after),
which removes most crossings in linear time per sweep. Pure numbers, so a view only scales them.
"""

from __future__ import annotations

from dataclasses import dataclass

from calcgui.core.backprop.expression_graph import Graph

__all__ = ["Layout", "crossings", "layout"]

SWEEPS = 4


@dataclass(frozen=True)
class Layout:
    """``positions[k]`` is node k's (column, row); rows of a column are centred on 0 and one
    apart. ``columns`` is the number of columns, ``rows`` the most nodes in one column."""

    positions: tuple[tuple[float, float], ...]
    columns: int
    rows: int


def layout(graph: Graph) -> Layout:
    """Columns by depth from the inputs, rows ordered by barycentre sweeps."""
    inputs = [node.inputs for node in graph.nodes]
    users: list[list[int]] = [[] for _ in inputs]
    for v, sources in enumerate(inputs):
        for u in sources:
            users[u].append(v)
    column = _columns(graph, inputs, users)
    layers: list[list[int]] = [[] for _ in range(max(column) + 1)]
    for k in range(len(inputs)):  # ids are topological: an initial order with few surprises
        layers[column[k]].append(k)
    row = [0.0] * len(inputs)
    _number_rows(layers, row)
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        order = layers[1:] if forward else layers[-2::-1]
        for layer in order:
            neighbours = inputs if forward else users
            layer.sort(key=lambda k: _barycentre(neighbours[k], row, k))  # noqa: B023
            _number_rows([layer], row)
    positions = [(0.0, 0.0)] * len(inputs)
    for layer in layers:
        middle = (len(layer) - 1) / 2
        for index, k in enumerate(layer):
            positions[k] = (float(column[k]), index - middle)
    return Layout(tuple(positions), len(layers), max(len(layer) for layer in layers))


def _columns(graph: Graph, inputs: list[tuple[int, ...]], users: list[list[int]]) -> list[int]:
    column = [0] * len(inputs)
    for k, node in enumerate(graph.nodes):
        if node.kind not in ("input", "constant"):
            column[k] = 1 + max((column[u] for u in inputs[k] if graph.nodes[u].kind != "constant"), default=0)
    for k, node in enumerate(graph.nodes):
        if node.kind == "constant":
            column[k] = min(column[v] for v in users[k]) - 1 if users[k] else 0
    return column


def _number_rows(layers: list[list[int]], row: list[float]) -> None:
    for layer in layers:
        for index, k in enumerate(layer):
            row[k] = float(index)


def _barycentre(neighbours: list[int] | tuple[int, ...], row: list[float], k: int) -> float:
    """The mean row of the neighbours; a node without any keeps its place."""
    return sum(row[n] for n in neighbours) / len(neighbours) if neighbours else row[k]


def crossings(graph: Graph, drawn: Layout) -> int:
    """How many pairs of edges cross when drawn as straight segments (for tests and for
    comparing layouts; O(edges²), so not called by :func:`layout`)."""
    segments = [(drawn.positions[e.source], drawn.positions[e.target]) for e in graph.edges]
    segments = list(dict.fromkeys(segments))  # x·x draws one line for its two edges
    count = 0
    for i, (a, b) in enumerate(segments):
        for c, d in segments[i + 1:]:
            if len({a, b, c, d}) == 4 and _cross(a, b, c, d):
                count += 1
    return count


def _cross(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], d: tuple[float, float]) -> bool:
    """Proper intersection of segments ab and cd (touching at an end does not count)."""
    def side(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0
