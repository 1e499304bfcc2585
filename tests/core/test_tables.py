"""Tables for CSV: every digit of the core's numbers, rows in the documented order."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from calcgui.core import tables
from calcgui.core.descent import Descent, objective, run
from calcgui.core.secant import quotient_table


def parsed(table: tables.Table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.csv_text())))


def test_quotient_rows_round_trip_exactly_and_undefined_is_empty() -> None:
    rows = quotient_table(lambda x: np.sqrt(x), 0.5, 1 / np.sqrt(2))  # x₀ − h < 0 for h ≥ 1: NaN
    header, *lines = parsed(tables.quotient_table(rows))
    assert header == list(tables.QUOTIENT_HEADERS)
    assert len(lines) == 13
    for row, line in zip(rows, lines):
        numbers = [float(cell) if cell else np.nan for cell in line]
        expected = [row.h, row.forward, row.forward_error, row.backward, row.backward_error, row.central,
                    row.central_error]
        np.testing.assert_array_equal(numbers, expected)  # NaN where NaN, every digit elsewhere
    assert lines[0][3:] == ["", "", "", ""]  # backward and central at h = 1 reach x = −0.5: undefined
    assert "" not in lines[1]


def test_one_d_iterates_are_the_hand_computed_sequence() -> None:
    """x ← x − 0.1·2x = 0.8x from 10: row k is 10·0.8^k, f = x², f′ = 2x; lr from row 1 on."""
    descent = Descent(objective("x^2", ("x",)), 10.0, "gd", 0.1)
    descent.advance(5)
    header, *lines = parsed(tables.descent_table({"gd": descent}))
    assert header == ["step", "optimizer", "x", "f(x)", "f'(x)", "lr"]
    assert [int(line[0]) for line in lines] == list(range(6))
    xs = np.array([float(line[2]) for line in lines])
    np.testing.assert_allclose(xs, 10 * 0.8 ** np.arange(6), rtol=1e-15)
    assert [float(line[3]) for line in lines] == [x * x for x in descent.points[:, 0]]
    assert [float(line[4]) for line in lines] == list(descent.gradients[:, 0])
    assert [line[5] for line in lines] == ["", "0.1", "0.1", "0.1", "0.1", "0.1"]


def test_race_rows_hold_each_run_with_its_optimizer_state() -> None:
    rosenbrock = objective("(1 - x)^2 + 100(y - x^2)^2")
    runs = {"gd": Descent(rosenbrock, (-1.5, 2.0), "gd", 0.001),
            "adam": Descent(rosenbrock, (-1.5, 2.0), "adam", 0.05)}
    for descent in runs.values():
        descent.advance(7)
    header, *lines = parsed(tables.descent_table(runs))
    assert header[:7] == ["step", "optimizer", "x", "y", "loss", "grad_norm", "lr"]
    assert header[7:] == ["exp_avg_x", "exp_avg_y", "exp_avg_sq_x", "exp_avg_sq_y"]
    assert [line[1] for line in lines] == ["gd"] * 8 + ["adam"] * 8
    reference = run(rosenbrock, (-1.5, 2.0), "adam", 0.05, 7)  # an independent run, same settings
    adam = lines[8:]
    for k, line in enumerate(adam):
        assert (float(line[2]), float(line[3])) == tuple(reference.points[k])
        assert float(line[4]) == reference.losses[k] and float(line[5]) == reference.grad_norms[k]
    for k in range(1, 8):
        assert float(adam[k][7]) == reference.states["exp_avg"][k - 1][0]
        assert float(adam[k][10]) == reference.states["exp_avg_sq"][k - 1][1]
    assert adam[0][7:] == ["", "", "", ""]  # no state before the first step
    assert lines[3][7:] == ["", "", "", ""]  # plain gd keeps none


def test_curves_side_by_side_with_names_made_unique() -> None:
    table = tables.curves_table([("f", [0, 1, 2], [0, 1, 4]), ("f", [0.5], [np.nan])])
    assert parsed(table) == [["f x", "f y", "f 2 x", "f 2 y"], ["0.0", "0.0", "0.5", ""],
                             ["1.0", "1.0", "", ""], ["2.0", "4.0", "", ""]]


def test_grid_rows_are_y_and_columns_x() -> None:
    xs, ys = np.array([0.0, 1.0, 2.0]), np.array([-1.0, 1.0])
    z = xs[None, :] + 10 * ys[:, None]
    header, *lines = parsed(tables.grid_table(xs, ys, z))
    assert header == ["y \\ x", "0.0", "1.0", "2.0"]
    assert lines == [["-1.0", "-10.0", "-9.0", "-8.0"], ["1.0", "10.0", "11.0", "12.0"]]
    with pytest.raises(ValueError, match="the grid is"):
        tables.grid_table(xs, ys, z.T)
