"""Descent runs: hand-computed sequences, divergence, exact gradients, clipping, schedules."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest
from sympy_calls import SympyCalls

from calcgui.core.descent import (
    CLIPPING_MODES, DIVERGENCE_SPANS, SCHEDULE_KINDS, Clipping, Descent, Schedule, objective, run,
)
from calcgui.core.surfaces import PRESETS

SQUARE = objective("x^2", ("x",))


def test_gd_on_x_squared_by_hand() -> None:
    """x ← x - 0.1·2x = 0.8x: 8, 6.4, 5.12, ..., 10·0.8¹⁰ = 1.073741824."""
    t = run(SQUARE, 10.0, "gd", 0.1, 10)
    xs = t.points[:, 0]
    assert xs[1:4].tolist() == pytest.approx([8.0, 6.4, 5.12], abs=1e-12)
    assert xs[10] == pytest.approx(1.073741824, abs=1e-12)
    np.testing.assert_allclose(xs, 10 * 0.8 ** np.arange(11), rtol=0, atol=1e-12)
    np.testing.assert_allclose(t.losses, xs**2, rtol=1e-15)
    np.testing.assert_allclose(t.gradients[:, 0], 2 * xs, rtol=1e-15)
    np.testing.assert_allclose(t.grad_norms, 2 * xs, rtol=1e-15)
    np.testing.assert_allclose(t.step_sizes, 0.2 * xs[:-1], rtol=1e-12)
    assert t.lrs.tolist() == [0.1] * 10
    assert t.diverged_at is None and t.status == "step 10, loss 1.15"


def test_a_large_step_oscillates_and_shrinks() -> None:
    xs = run(SQUARE, 10.0, "gd", 0.9, 20).points[:, 0]  # x ← -0.8x
    assert (np.sign(xs) == (-1.0) ** np.arange(21)).all()
    assert (np.abs(xs[1:]) < np.abs(xs[:-1])).all()
    np.testing.assert_allclose(xs, 10 * (-0.8) ** np.arange(21), atol=1e-12)


def test_too_large_a_step_diverges_and_stops() -> None:
    """x ← -1.2x: |x_k| = 10·1.2^k leaves [-10, 10] by more than 100 widths (2000) at k = 30."""
    assert DIVERGENCE_SPANS == 100
    descent = Descent(SQUARE, 10.0, "gd", 1.1, bounds=((-10.0, 10.0),))
    assert descent.advance(1000) == 30
    assert descent.diverged_at == 30 and descent.step == 30
    assert descent.status == "diverged at step 30"
    assert abs(descent.points[29, 0]) - 10 < 2000 < abs(descent.points[30, 0]) - 10
    assert descent.advance(5) == 0 and len(descent.points) == 31  # stopped for good


def test_without_bounds_overflow_is_divergence() -> None:
    t = run(SQUARE, 10.0, "gd", 1.1, 5000)
    assert t.diverged_at is not None and 1900 < t.diverged_at < 2000  # x² overflows near 1.3e154
    assert len(t.points) == t.diverged_at + 1 and not np.isfinite(t.losses[-1])
    assert np.isfinite(t.losses[:-1]).all()
    assert t.status == f"diverged at step {t.diverged_at}"


def test_leaving_the_function_domain_is_divergence() -> None:
    """√x from 1 with lr 1: x = 1 → 0.5 → 0.5 - 1/(2√0.5) < 0, where √x is undefined."""
    t = run(objective("sqrt(x)", ("x",)), 1.0, "gd", 1.0, 10)
    assert t.diverged_at == 2 and t.points[1, 0] == 0.5 and np.isnan(t.losses[2])
    start_outside = Descent(objective("ln(x)", ("x",)), -1.0, "adam", 0.1)
    assert start_outside.diverged_at == 0 and start_outside.advance(3) == 0
    assert start_outside.status == "f is not defined at the start x = −1"


@pytest.mark.parametrize(("text", "start", "status"), [
    ("log(x y)", (-1.5, 2.0), "f is not defined at the start (−1.5, 2)"),
    ("sqrt(x - y)", (-1.5, 2.0), "f is not defined at the start (−1.5, 2)"),
    ("1/(x^2 + y^2 - 1)", (1.0, 0.0), "f is not defined at the start (1, 0)"),
    ("sqrt(x^2 + y^2)", (0.0, 0.0), "∇f is not defined at the start (0, 0)"),
])
def test_a_start_where_f_or_its_gradient_is_undefined_is_said(
        text: str, start: tuple[float, float], status: str) -> None:
    descent = Descent(objective(text), start, "adam", 0.1, bounds=((-3, 3), (-3, 3)))
    assert descent.diverged_at == 0 and descent.advance(5) == 0 and descent.step == 0
    assert descent.status == descent.start_problem == status
    assert descent.trajectory().status == status


def test_a_start_far_outside_the_bounds_is_plain_divergence() -> None:
    descent = Descent(SQUARE, 1e6, "gd", 0.1, bounds=((-1, 1),))
    assert descent.start_problem is None and descent.status == "diverged at step 0"


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "beale", "six_hump_camel"])
def test_gradients_match_central_differences(name: str) -> None:
    f = objective(PRESETS[name].expr)
    (x0, x1), (y0, y1) = PRESETS[name].domain
    rng = np.random.default_rng(11)
    points = np.stack([rng.uniform(x0, x1, 50), rng.uniform(y0, y1, 50)], axis=-1).reshape(5, 10, 2)
    h = 1e-6
    numeric = np.stack([(f.value(points + h * e) - f.value(points - h * e)) / (2 * h)
                        for e in np.eye(2)], axis=-1)
    exact = f.gradient(points)
    assert exact.shape == (5, 10, 2) and f.value(points).shape == (5, 10)
    np.testing.assert_allclose(exact, numeric, rtol=1e-6, atol=1e-6 * np.abs(exact).max())
    for p in points.reshape(-1, 2)[:5]:  # the one-point fast path agrees with the batched one
        loss, grad = f.value_and_gradient(p)
        assert loss == pytest.approx(float(f.value(p)), rel=1e-14)
        np.testing.assert_allclose(grad, f.gradient(p), rtol=1e-13)


def test_an_objective_checks_its_variables_and_shapes() -> None:
    assert objective("x^2 + y").variables == ("x", "y")
    np.testing.assert_array_equal(SQUARE.gradient(np.array([[1.0], [3.0]])), [[2.0], [6.0]])
    with pytest.raises(ValueError, match="shape"):
        SQUARE.value(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="depends on y"):
        objective(PRESETS["bowl"].expr, ("x",))
    assert objective("5", ("x", "y")).gradient(np.zeros((3, 2))).tolist() == [[0.0, 0.0]] * 3


def test_clipping_by_norm_as_torch() -> None:
    """clip_grad_norm_: g · min(1, c / (‖g‖ + 1e-6)), one norm per run."""
    clip = Clipping("norm", 1.0)
    grads = np.array([[3.0, 4.0], [0.3, 0.4]])
    clipped = clip.apply(grads)
    np.testing.assert_allclose(clipped[0], [3 / (5 + 1e-6), 4 / (5 + 1e-6)], rtol=1e-15)
    np.testing.assert_array_equal(clipped[1], [0.3, 0.4])  # short enough: untouched
    assert grads.tolist() == [[3.0, 4.0], [0.3, 0.4]]
    np.testing.assert_allclose(Clipping("norm", 2.5).apply(np.array([0.0, -10.0])), [0, -2.5], rtol=1e-6)


def test_clipping_by_value_as_torch() -> None:
    np.testing.assert_array_equal(Clipping("value", 1.0).apply(np.array([3.0, -4.0, 0.5])), [1.0, -1.0, 0.5])
    g = np.array([2.0, -2.0])
    assert Clipping().apply(g) is g and CLIPPING_MODES == ("none", "norm", "value")


def test_clipping_in_a_run() -> None:
    """gd, lr 1, on x² from 10: the gradient 20 is cut to length 1, so each step is ~1."""
    t = run(SQUARE, 10.0, "gd", 1.0, 3, clipping=Clipping("norm", 1.0))
    expected = [10.0]
    for _ in range(3):  # x ← x - 2x / (|2x| + 1e-6)
        expected.append(expected[-1] - 2 * expected[-1] / (2 * expected[-1] + 1e-6))
    np.testing.assert_allclose(t.points[:, 0], expected, rtol=1e-15)
    assert t.points[3, 0] == pytest.approx(7.0, abs=1e-6)
    assert t.gradients[0, 0] == 20.0  # the stored gradient is the raw one
    t = run(SQUARE, 10.0, "gd", 0.5, 2, clipping=Clipping("value", 3.0))
    assert t.points[:, 0].tolist() == [10.0, 8.5, 7.0]


@pytest.mark.parametrize(("mode", "threshold"), [("l2", 1.0), ("norm", 0.0), ("value", -1.0),
                                                 ("norm", float("nan"))])
def test_bad_clipping_is_a_value_error(mode: str, threshold: float) -> None:
    with pytest.raises(ValueError):
        Clipping(mode, threshold)


def test_schedules_follow_torch_formulas() -> None:
    lr = 0.1
    step = Schedule("step", step_size=3, gamma=0.5)
    assert [step.lr_at(lr, t) for t in range(8)] == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025], abs=1e-15)
    assert Schedule("step", step_size=2).lr_at(lr, 4) == pytest.approx(0.001)  # StepLR's gamma 0.1
    exponential = Schedule("exponential", gamma=0.9)
    assert [exponential.lr_at(lr, t) for t in range(4)] == pytest.approx([0.1, 0.09, 0.081, 0.0729])
    assert Schedule("exponential").lr_at(lr, 2) == pytest.approx(0.1 * 0.99**2)
    cosine = Schedule("cosine", total_steps=10)
    assert cosine.lr_at(lr, 0) == lr and cosine.lr_at(lr, 5) == pytest.approx(0.05)
    assert cosine.lr_at(lr, 2) == pytest.approx(0.1 * (1 + math.cos(math.pi / 5)) / 2)
    assert cosine.lr_at(lr, 10) == pytest.approx(0.0, abs=1e-17)
    assert cosine.lr_at(lr, 15) == pytest.approx(0.05)  # torch's CosineAnnealingLR is periodic
    warmup = Schedule("warmup", warmup_steps=4, start_factor=0.25)
    assert [warmup.lr_at(lr, t) for t in range(7)] == pytest.approx(
        [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1])
    assert Schedule("warmup", warmup_steps=3).lr_at(lr, 0) == pytest.approx(lr / 3)
    assert Schedule().lr_at(lr, 1000) == lr
    assert SCHEDULE_KINDS == ("constant", "step", "exponential", "cosine", "warmup")


@pytest.mark.parametrize("kwargs", [{"kind": "linear"}, {"kind": "step", "step_size": 0},
                                    {"total_steps": 2.5}, {"gamma": -0.5}, {"start_factor": 0.0},
                                    {"start_factor": 1.5}, {"warmup_steps": -1}])
def test_bad_schedules_are_value_errors(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Schedule(**kwargs)


def test_a_schedule_sets_each_steps_lr() -> None:
    """gd on x² with lr 0.1 halved every 2 steps: x ← (1 - 2·lr_t) x."""
    t = run(SQUARE, 10.0, "gd", 0.1, 5, schedule=Schedule("step", step_size=2, gamma=0.5))
    assert t.lrs.tolist() == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    expected = 10 * np.cumprod([1, 0.8, 0.8, 0.9, 0.9, 0.95])
    np.testing.assert_allclose(t.points[:, 0], expected, atol=1e-12)


def test_adam_solves_rosenbrock() -> None:
    t = run(objective(PRESETS["rosenbrock"].expr), (-1.5, 2.0), "adam", 0.01, 2500)
    assert t.losses[0] == 12.5 and t.losses[-1] < 1e-2 and t.diverged_at is None
    assert t.losses[500] > 1e-2  # it is not instant: the valley's floor is long
    np.testing.assert_allclose(t.points[-1], [1.0, 1.0], atol=0.2)


def test_advancing_in_pieces_equals_one_run() -> None:
    f = objective(PRESETS["himmelblau"].expr)
    settings = dict(hyper={"betas": (0.8, 0.99), "amsgrad": True}, clipping=Clipping("norm", 5.0),
                    schedule=Schedule("cosine", total_steps=200), bounds=PRESETS["himmelblau"].domain)
    descent = Descent(f, (-0.3, -0.9), "adam", 0.05, **settings)
    for steps in (1, 1, 0, 10, 100, 188):  # past the first storage size (64) too
        descent.advance(steps)
    whole = run(f, (-0.3, -0.9), "adam", 0.05, 300, **settings)
    assert descent.step == 300
    for name in ("points", "gradients", "losses", "grad_norms", "step_sizes", "lrs"):
        np.testing.assert_array_equal(getattr(descent, name), getattr(whole, name))
    assert descent.status == whole.status == f"step 300, loss {whole.losses[-1]:.3g}"
    assert whole.points.shape == (301, 2) and whole.step_sizes.shape == (300,)


def test_views_are_read_only_and_snapshots_stay_put() -> None:
    descent = Descent(SQUARE, 10.0, "momentum", 0.1)
    descent.advance(3)
    with pytest.raises(ValueError):
        descent.points[0, 0] = 1.0
    with pytest.raises(ValueError):
        descent.losses[0] = 1.0
    snapshot = descent.trajectory()
    descent.advance(100)
    assert len(snapshot.points) == 4 and snapshot.status == "step 3, loss " + f"{snapshot.losses[-1]:.3g}"


def test_status_at_the_start() -> None:
    descent = Descent(objective(PRESETS["rosenbrock"].expr), (-1.5, 2.0), "gd", 0.001)
    assert descent.status == "step 0, loss 12.5" and descent.step == 0
    assert descent.points.shape == (1, 2) and descent.step_sizes.shape == (0,)


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    ((SQUARE, (1.0, 2.0), "gd", 0.1), {}, "1 coordinate"),
    ((SQUARE, 1.0, "lbfgs", 0.1), {}, "unknown optimizer"),
    ((SQUARE, 1.0, "gd", -0.1), {}, "lr"),
    ((SQUARE, 1.0, "adam", 0.1), {"hyper": {"momentum": 0.9}}, "no hyper-parameter"),
    ((SQUARE, 1.0, "gd", 0.1), {"bounds": ((1.0, -1.0),)}, "low < high"),
    ((SQUARE, 1.0, "gd", 0.1), {"bounds": ((-1.0, 1.0), (-1.0, 1.0))}, "bounds"),
])
def test_bad_runs_are_value_errors(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Descent(*args, **kwargs)


def test_a_step_is_one_compiled_call_and_no_sympy() -> None:
    """The UI advances ~7 runs every frame, so a step must stay far below a frame's 16 ms / 7.
    What makes it cheap: f and ∇f come from one fused compiled call per step, and no sympy
    runs at all (the figure itself, ~40 µs: bench/bench_descent.py)."""
    base = objective(PRESETS["rosenbrock"].expr)
    calls: list[tuple[float, ...]] = []

    def fused(*point: float) -> tuple[float, ...]:
        calls.append(point)
        return base._fused(*point)

    def never(*columns: object) -> object:
        raise AssertionError("a step evaluated f or a partial on its own")

    counted = dataclasses.replace(base, _fused=fused, _f=never, _df=(never, never))
    descent = Descent(counted, (-1.5, 2.0), "adam", 1e-3)
    calls.clear()
    with SympyCalls() as sympy_calls:
        assert descent.advance(2000) == 2000
    assert len(calls) == 2000 and sympy_calls.names == []


def test_importing_descent_needs_no_sympy() -> None:
    code = "import sys, calcgui.core.descent\nsys.exit(1 if 'sympy' in sys.modules else 0)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
