"""Hyper-parameter sweeps: every cell is the single run with its settings, diverged runs are NaN."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from calcgui.core import descent
from calcgui.core.descent import Clipping, Schedule, objective, run
from calcgui.core.surfaces import PRESETS
from calcgui.core.sweep import BETA_NAMES, PROGRESS_REPORTS, SweepCancelled, sweep

ROSENBROCK = objective(PRESETS["rosenbrock"].expr)
START = (-1.5, 2.0)


def single(name: str, lr: float, beta: float, steps: int, hyper: dict[str, Any] | None = None,
           **settings: Any) -> float:
    """The final loss of one run with the sweep's β set the way a person would set it."""
    hyper = dict(hyper or {})
    if BETA_NAMES[name] == "beta1":
        hyper["betas"] = (beta, hyper.get("betas", (0.9, 0.999))[1])
    else:
        hyper[BETA_NAMES[name]] = beta
    t = run(ROSENBROCK, START, name, lr, steps, hyper, **settings)
    return math.nan if t.diverged_at is not None else float(t.losses[-1])


GRIDS = {  # lrs, betas: chosen so that each grid has converging and diverging cells
    "momentum": ([1e-4, 1e-3, 3e-3], [0.0, 0.5, 0.9]),
    "nesterov": ([1e-4, 1e-3, 3e-3], [0.1, 0.5, 0.9]),
    "rmsprop": ([1e-3, 0.05, 2.0], [0.5, 0.9, 0.99]),
    "adam": ([1e-3, 0.05, 0.5], [0.0, 0.5, 0.9]),
    "adamw": ([1e-3, 0.05, 0.5], [0.0, 0.5, 0.9]),
}


@pytest.mark.parametrize("name", sorted(GRIDS))
def test_every_cell_is_the_single_run(name: str) -> None:
    lrs, betas = GRIDS[name]
    losses = sweep(ROSENBROCK, START, name, lrs, betas, steps=120)
    assert losses.shape == (3, 3) and losses.dtype == np.float64
    expected = np.array([[single(name, lr, beta, 120) for beta in betas] for lr in lrs])
    np.testing.assert_array_equal(losses, expected)  # to the bit, NaN where the run diverged
    assert np.isfinite(losses).any()
    if name in ("momentum", "nesterov"):
        assert np.isnan(losses).any()


SETTINGS = dict(clipping=Clipping("norm", 50.0), schedule=Schedule("step", step_size=20, gamma=0.5),
                bounds=((-2.0, 2.0), (-1.0, 3.0)))


@pytest.mark.parametrize(("name", "hyper", "lrs", "betas"), [
    ("momentum", {"weight_decay": 0.01, "dampening": 0.3}, [1e-4, 1e-3, 1.0], [0.0, 0.8]),
    ("adam", {"weight_decay": 0.01, "betas": (0.9, 0.99), "amsgrad": True}, [0.01, 0.3], [0.2, 0.8]),
])
def test_bounds_clipping_schedule_and_hyper_as_in_single_runs(
        name: str, hyper: dict[str, Any], lrs: list[float], betas: list[float]) -> None:
    losses = sweep(ROSENBROCK, START, name, lrs, betas, 80, hyper=hyper, **SETTINGS)
    expected = [[single(name, lr, beta, 80, hyper, **SETTINGS) for beta in betas] for lr in lrs]
    np.testing.assert_array_equal(losses, expected)
    assert np.isfinite(losses[0]).all()


def test_leaving_the_bounds_is_divergence_in_a_sweep_too() -> None:
    """Down a plane, momentum runs off with finite numbers: it diverges by leaving the bounds
    (more than 100 widths, 400, beyond them) at the step a single run does."""
    plane, bounds = objective("-x - y"), ((-2.0, 2.0), (-1.0, 3.0))
    lrs, betas = [0.01, 5.0], [0.5, 0.9]
    losses = sweep(plane, (0.0, 0.0), "momentum", lrs, betas, 60, bounds=bounds)
    for i, lr in enumerate(lrs):
        for j, mu in enumerate(betas):
            t = run(plane, (0.0, 0.0), "momentum", lr, 60, {"momentum": mu}, bounds=bounds)
            assert (t.diverged_at is None) == (i == 0) and np.isfinite(t.points).all()
            expected = t.losses[-1] if t.diverged_at is None else math.nan
            np.testing.assert_array_equal(losses[i, j], expected)
    assert np.isfinite(sweep(plane, (0.0, 0.0), "momentum", lrs, betas, 60)).all()  # no bounds


def test_momentum_sweep_by_hand_on_a_parabola() -> None:
    """f = x²: b_t = μ b_{t-1} + 2x, x ← x - γ b_t, computed here independently."""
    lrs, betas = [0.1, 1.5], [0.0, 0.5]
    losses = sweep(objective("x^2", ("x",)), 1.0, "momentum", lrs, betas, steps=6)
    for i, lr in enumerate(lrs):
        for j, mu in enumerate(betas):
            x, b = 1.0, 0.0
            for _ in range(6):
                b = mu * b + 2.0 * x
                x -= lr * b
            assert losses[i, j] == pytest.approx(x * x, rel=1e-12)
    assert losses[0, 0] == pytest.approx(0.8**12, rel=1e-12)


def test_a_start_outside_the_domain_is_all_nan() -> None:
    losses = sweep(objective("log(x y)"), START, "adam", [0.1, 0.2], [0.9], steps=5)
    assert losses.shape == (2, 1) and np.isnan(losses).all()


def test_descent_sweep_is_the_sweep() -> None:
    assert descent.sweep is sweep
    from calcgui.core.descent import sweep as imported
    assert imported is sweep


def test_progress_reports_and_cancels() -> None:
    seen: list[float] = []
    sweep(ROSENBROCK, START, "adam", [0.01], [0.9], steps=250, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) <= PROGRESS_REPORTS and len(seen) >= 50
    calls: list[float] = []

    def stop_at_half(fraction: float) -> bool:
        calls.append(fraction)
        return fraction < 0.5

    with pytest.raises(SweepCancelled):
        sweep(ROSENBROCK, START, "adam", [0.01], [0.9], steps=250, progress=stop_at_half)
    assert 0.5 <= calls[-1] < 0.6


def test_zero_steps_is_the_start_loss() -> None:
    np.testing.assert_array_equal(sweep(ROSENBROCK, START, "rmsprop", [0.1], [0.5, 0.9], 0), [[12.5, 12.5]])


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("gd", [0.1], [0.9]), {}, "GD has no β to sweep"),
    (("adagrad", [0.1], [0.9]), {}, "AdaGrad has no β"),
    (("lbfgs", [0.1], [0.9]), {}, "unknown optimizer"),
    (("adam", [], [0.9]), {}, "lrs must be a non-empty list"),
    (("adam", [[0.1]], [0.9]), {}, "lrs must be a non-empty list"),
    (("adam", [0.1], ["a"]), {}, "betas must be a non-empty list"),
    (("adam", [-0.1], [0.9]), {}, "every lr must be a finite number ≥ 0"),
    (("adam", [0.1], [0.9, 1.0]), {}, r"beta1 must be in \[0, 1\)"),
    (("rmsprop", [0.1], [1.5]), {}, "alpha"),
    (("nesterov", [0.1], [0.0, 0.9]), {}, "Nesterov momentum needs a momentum > 0"),
    (("momentum", [0.1], [0.9]), {"hyper": {"momentum": 0.5}}, "the sweep's axes"),
    (("adam", [0.1], [0.9]), {"hyper": {"lr": 0.5}}, "the sweep's axes"),
    (("adam", [0.1], [0.9]), {"hyper": {"momentum": 0.5}}, "no hyper-parameter 'momentum'"),
    (("adam", [0.1], [0.9]), {"hyper": {"betas": 0.99}}, "betas must be a pair"),
    (("adam", [0.1], [0.9]), {"steps": -1}, "steps"),
    (("adam", [0.1], [0.9]), {"bounds": ((1.0, -1.0), (0.0, 1.0))}, "low < high"),
])
def test_bad_sweeps_are_value_errors(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sweep(ROSENBROCK, START, *args, **kwargs)


def test_a_bad_start_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="2 coordinates"):
        sweep(ROSENBROCK, (1.0, 2.0, 3.0), "adam", [0.1], [0.9])
