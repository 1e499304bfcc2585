"""The numbers behind the panes' tables, as plain tables ready for a CSV file.

The panes show rounded numbers (12 significant digits, errors to 3); a CSV is for a
spreadsheet or a homework, so it carries every digit of the same float64 values
(``repr``, which reads back to the identical float). A value the pane shows as "undefined"
(NaN or an infinity) is an empty cell, which spreadsheets read as "no value".

Headers are ASCII (``f'(x)``, ``grad_norm``): spreadsheets guess the encoding of a CSV file,
and Greek letters or ‖ are what they guess wrong.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for type hints only: a table needs only the objects' attributes
    from calcgui.core.chain_job import ChainResult
    from calcgui.core.descent import Descent
    from calcgui.core.secant import QuotientRow

Cell = str | int | float

QUOTIENT_HEADERS = ("h", "forward", "forward_error", "backward", "backward_error", "central", "central_error")


@dataclass(frozen=True)
class Table:
    """Named columns and rows of cells (numbers or text)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def csv_text(self) -> str:
        """The table as CSV text (comma separated, a header row, "\\r\\n" line ends as RFC 4180)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.headers)
        writer.writerows([_cell(value) for value in row] for row in self.rows)
        return out.getvalue()


def _cell(value: Cell) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    number = float(value)
    return repr(number) if math.isfinite(number) else ""


def quotient_table(rows: Sequence[QuotientRow]) -> Table:
    """The Secant → tangent pane's table: h, each quotient and its |error| against f′(x₀)."""
    return Table(QUOTIENT_HEADERS, tuple(
        (row.h, row.forward, row.forward_error, row.backward, row.backward_error, row.central, row.central_error)
        for row in rows))


def descent_table(runs: Mapping[str, Descent]) -> Table:
    """Every run's trajectory, one row per optimizer and step, runs one after the other.

    Row ``k`` of a run is where it stands after ``k`` steps: θ_k, f(θ_k), the gradient there,
    the learning rate of step k that led to θ_k and the optimizer's state after that step
    (torch's names, one column per coordinate; both empty at k = 0, before any step). In one
    variable the columns are step, optimizer, x, f(x), f'(x), lr; in two, step, optimizer, x,
    y, loss, grad_norm, lr; then the state columns of every optimizer in the race."""
    first = next(iter(runs.values()), None)
    variables = tuple(first.objective.variables) if first is not None else ("x", "y")
    one_d = len(variables) == 1
    value_headers = ("f(x)", "f'(x)") if one_d else ("loss", "grad_norm")
    state_names = list(dict.fromkeys(name for run in runs.values() for name in run.states if name != "step"))
    state_headers = [f"{name}_{v}" for name in state_names for v in variables]
    rows: list[tuple[Cell, ...]] = []
    for name, run in runs.items():
        points, losses = run.points, run.losses
        slopes = run.gradients[:, 0] if one_d else run.grad_norms
        lrs, states = run.lrs, run.states
        for k in range(len(points)):
            lr: Cell = float(lrs[k - 1]) if k > 0 else ""
            state: list[Cell] = []
            for state_name in state_names:
                buffer = states.get(state_name)
                state += ([float(v) for v in buffer[k - 1]] if buffer is not None and k > 0
                          else [""] * len(variables))
            rows.append((k, name, *(float(v) for v in points[k]), float(losses[k]), float(slopes[k]), lr, *state))
    return Table(("step", "optimizer", *variables, *value_headers, "lr", *state_headers), tuple(rows))


def chain_table(result: ChainResult) -> Table:
    """The Chain rule pane's graph, node by node: what it computes, its forward value and its
    adjoint ∂f/∂node from the backward pass."""
    return Table(("node", "name", "computes", "value", "adjoint"), tuple(
        (node.id, node.name or node.label, node.expr, node.value, node.adjoint) for node in result.nodes))


def curves_table(curves: Sequence[tuple[str, np.ndarray, np.ndarray]]) -> Table:
    """Curves of a plot side by side: "<name> x", "<name> y" per curve, in the plot's order;
    a shorter curve's last rows are empty. Names repeated get " 2", " 3" … appended."""
    headers: list[str] = []
    columns: list[np.ndarray] = []
    seen: dict[str, int] = {}
    for name, xs, ys in curves:
        seen[name] = seen.get(name, 0) + 1
        unique = name if seen[name] == 1 else f"{name} {seen[name]}"
        headers += [f"{unique} x", f"{unique} y"]
        columns += [np.asarray(xs, dtype=float).reshape(-1), np.asarray(ys, dtype=float).reshape(-1)]
    length = max((len(column) for column in columns), default=0)
    rows = tuple(tuple(float(column[r]) if r < len(column) else "" for column in columns) for r in range(length))
    return Table(tuple(headers), rows)


def grid_table(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, corner: str = "y \\ x") -> Table:
    """A map's grid as a matrix: the header row holds the x of each column, each row starts
    with its y; ``z[j, i]`` is the value at (xs[i], ys[j])."""
    z = np.asarray(z, dtype=float)
    if z.shape != (len(ys), len(xs)):
        raise ValueError(f"the grid is {z.shape}, but there are {len(ys)} y and {len(xs)} x values")
    return Table((corner, *(_cell(float(x)) for x in xs)),
                 tuple((float(y), *(float(v) for v in z[j])) for j, y in enumerate(ys)))
