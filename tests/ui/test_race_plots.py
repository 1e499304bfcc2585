"""The race's drawing shortcuts give the same picture as drawing everything each frame: the
drawable points worked out step by step equal those worked out at once, and a path's thinned
history plus its recent steps follow the run's own iterates."""

from __future__ import annotations

import numpy as np
import pytest

from calcgui.core.descent import Descent, objective
from calcgui.core.surfaces import PRESETS
from calcgui.ui.race_plots import CURVE_HISTORY_STEPS, HISTORY_STEPS, DrawableRun, drawable, thin_to_pixels

DOMAIN = ((-2.0, 2.0), (-1.0, 3.0))


def rosenbrock_run(lr: float) -> Descent:
    preset = PRESETS["rosenbrock"]
    return Descent(objective(str(preset.expr), ("x", "y")), (-1.5, 2.0), "gd", lr)


@pytest.mark.parametrize("lr", [1e-3, 5e-3])  # the second diverges: NaN and far points dropped
def test_drawable_points_worked_out_step_by_step_equal_all_at_once(lr: float) -> None:
    run = rosenbrock_run(lr)
    cache = DrawableRun(run, DOMAIN)
    for steps in (1, 2, 61, 200, 1, 900):
        run.advance(steps)
        got = cache.update()
        assert cache.extends(run, DOMAIN)
        for mine, reference in zip(got, drawable(run, DOMAIN), strict=True):
            np.testing.assert_array_equal(mine, reference)
    if lr == 5e-3:
        assert run.diverged_at is not None and len(got[1]) < len(run.losses)


def test_a_cache_is_not_reused_for_another_run_or_map() -> None:
    run = rosenbrock_run(1e-3)
    cache = DrawableRun(run, DOMAIN)
    assert not cache.extends(rosenbrock_run(1e-3), DOMAIN)
    assert not cache.extends(run, ((-3.0, 3.0), (-3.0, 3.0)))


def test_thinning_keeps_the_ends_and_one_vertex_per_pixel() -> None:
    points = np.c_[np.linspace(0, 1, 1001), np.zeros(1001)]
    shown = thin_to_pixels(points, (0.01, 0.01))
    assert shown[0] == 0 and shown[-1] == 1000
    assert 100 <= len(shown) <= 102  # 1,001 points over 100 pixel columns
    assert HISTORY_STEPS <= 64  # the tail painted each frame stays short


def test_no_two_lines_of_a_race_set_their_history_on_the_same_step(qtbot: object, window: object) -> None:
    """Seven optimizers' paths, loss and ‖∇f‖ curves: 21 lines whose cached histories are
    set again every so many steps, each on a step of its own (all on the same step made one
    frame in 64 cost 60-80 ms)."""
    plots = window.panes["descent"].plots  # type: ignore[attr-defined]
    lines = [*plots.path_lines.values(), *plots.loss_lines.values(), *plots.norm_lines.values()]
    assert len(lines) == 21
    for step in range(1, 2 * CURVE_HISTORY_STEPS):
        cutting = [line for line in lines if (step - line.offset) % line.history_steps == 0]
        assert len(cutting) <= 1, (step, len(cutting))
    line = lines[5]
    xs = np.arange(300.0)
    line.show(xs, xs)
    history, recent = line.history.getData()[0], line.recent.getData()[0]
    assert (history[-1] - line.offset) % HISTORY_STEPS == 0 and recent[0] == history[-1]  # they join
    assert len(recent) <= HISTORY_STEPS and recent[-1] == 299
