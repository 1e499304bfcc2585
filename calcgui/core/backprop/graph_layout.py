"""Where to draw each node of a computational graph: columns left to right, few crossings.

A node's column is its depth: variables in column 0, every op one column right of its deepest
input, so values flow left to right as in the forward pass. A constant sits just left of the
first node that uses it (a 2 in column 0 would draw a long edge across the picture). Within
each column, rows follow the barycentre heuristic of Sugiyama-style layered drawing: sweeps
that sort each column by the mean row of its neighbours in the columns before (after). A sweep
can make things worse, so the order with the fewest crossings of straight edges (counted with
numpy, all pairs at once: about 1 ms for 250 edges) is kept, the node order included.
Pure numbers, so a view only scales them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    best = _placed(layers, column)
    fewest = crossings(graph, best)
    row = [0.0] * len(inputs)
    _number_rows(layers, row)
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        neighbours = inputs if forward else users
        for layer in layers[1:] if forward else layers[-2::-1]:
            layer.sort(key=lambda k: _barycentre(neighbours[k], row, k))  # noqa: B023
            _number_rows([layer], row)
        candidate = _placed(layers, column)
        count = crossings(graph, candidate)
        if count < fewest:
            best, fewest = candidate, count
    return best


def _columns(graph: Graph, inputs: list[tuple[int, ...]], users: list[list[int]]) -> list[int]:
    column = [0] * len(inputs)
    for k, node in enumerate(graph.nodes):
        if node.kind not in ("input", "constant"):
            column[k] = 1 + max((column[u] for u in inputs[k] if graph.nodes[u].kind != "constant"), default=0)
    for k, node in enumerate(graph.nodes):
        if node.kind == "constant":
            column[k] = min(column[v] for v in users[k]) - 1 if users[k] else 0
    return column


def _placed(layers: list[list[int]], column: list[int]) -> Layout:
    positions = [(0.0, 0.0)] * len(column)
    for layer in layers:
        middle = (len(layer) - 1) / 2
        for index, k in enumerate(layer):
            positions[k] = (float(column[k]), index - middle)
    return Layout(tuple(positions), len(layers), max(len(layer) for layer in layers))


def _number_rows(layers: list[list[int]], row: list[float]) -> None:
    for layer in layers:
        for index, k in enumerate(layer):
            row[k] = float(index)


def _barycentre(neighbours: list[int] | tuple[int, ...], row: list[float], k: int) -> float:
    """The mean row of the neighbours; a node without any keeps its place."""
    return sum(row[n] for n in neighbours) / len(neighbours) if neighbours else row[k]


def crossings(graph: Graph, drawn: Layout) -> int:
    """How many pairs of edges cross when drawn as straight segments. Edges that share an end
    (or lie on one another, as x·x's two) do not count: only proper intersections do."""
    if len(graph.edges) < 2:
        return 0
    points = np.array(drawn.positions, dtype=np.float64)
    a = points[[e.source for e in graph.edges]]
    b = points[[e.target for e in graph.edges]]

    def side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Sign of the turn p → q → r for every segment pq (rows) against every point r (columns)."""
        d = q - p
        return np.sign(d[:, None, 0] * (r[None, :, 1] - p[:, None, 1]) - d[:, None, 1] * (r[None, :, 0] - p[:, None, 0]))

    straddles = side(a, b, a) * side(a, b, b) < 0  # [i, j]: the ends of j lie on both sides of i
    return int(np.count_nonzero(np.triu(straddles & straddles.T, k=1)))
