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


# -- what each step records: the numbers behind its equations --------------------------------------

HIMMELBLAU = objective(PRESETS["himmelblau"].expr)


def records(name: str, lr: float, steps: int, **settings: object) -> tuple[Descent, list]:
    descent = Descent(HIMMELBLAU, (-0.3, -0.9), name, lr, **settings)  # type: ignore[arg-type]
    assert descent.advance(steps) == steps
    return descent, [descent.step_record(k) for k in range(steps)]


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_records_satisfy_adams_equations(amsgrad: bool) -> None:
    """m_t = β₁m + (1-β₁)g, v_t = β₂v + (1-β₂)g², m̂ = m/(1-β₁ᵗ), v̂ = v/(1-β₂ᵗ) (v^max with
    amsgrad), θ_{k+1} = θ_k - γ m̂/(√v̂ + ε): from the recorded numbers, by hand."""
    b1, b2, eps = 0.8, 0.95, 1e-8
    _, steps = records("adam", 0.05, 40, hyper={"betas": (b1, b2), "amsgrad": amsgrad},
                       clipping=Clipping("norm", 3.0), schedule=Schedule("exponential", gamma=0.97))
    m, v, v_max = np.zeros(2), np.zeros(2), np.zeros(2)
    for r in steps:
        t = r.k + 1
        g = r.gradient * min(1.0, 3.0 / (math.hypot(*r.gradient) + 1e-6))
        np.testing.assert_allclose(r.clipped_gradient, g, rtol=1e-14)
        assert r.lr == pytest.approx(0.05 * 0.97**r.k, rel=1e-14) and r.t == t
        np.testing.assert_allclose(r.state_before["exp_avg"], m, rtol=1e-13, atol=1e-300)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        v_max = np.maximum(v_max, v)
        np.testing.assert_allclose(r.state_after["exp_avg"], m, rtol=1e-12)
        np.testing.assert_allclose(r.state_after["exp_avg_sq"], v, rtol=1e-12)
        assert float(r.state_after["step"]) == t and ("max_exp_avg_sq" in r.state_after) == amsgrad
        m_hat, v_hat = m / (1 - b1**t), (v_max if amsgrad else v) / (1 - b2**t)
        np.testing.assert_allclose(r.m_hat, m_hat, rtol=1e-12)
        np.testing.assert_allclose(r.v_hat, v_hat, rtol=1e-12)
        np.testing.assert_allclose(r.update, -r.lr * r.m_hat / (np.sqrt(r.v_hat) + eps), rtol=1e-9)
        np.testing.assert_allclose(r.next_point, r.point + r.update, rtol=1e-14, atol=1e-15)
    assert np.abs(m).min() > 0  # the moments moved: the checks above were not on zeros


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_records_satisfy_b_equals_mu_b_plus_g(nesterov: bool) -> None:
    mu, lr = 0.9, 0.005
    _, steps = records("nesterov" if nesterov else "momentum", lr, 30, hyper={"momentum": mu})
    b = None
    for r in steps:
        g = r.gradient
        assert list(r.state_before) == ([] if r.k == 0 else ["momentum_buffer"])
        b = g.copy() if b is None else mu * b + g
        np.testing.assert_allclose(r.state_after["momentum_buffer"], b, rtol=1e-12)
        step = g + mu * b if nesterov else b
        np.testing.assert_allclose(r.update, -lr * step, rtol=1e-9)
        assert r.m_hat is None and r.v_hat is None


def test_rmsprop_and_adagrad_records_by_hand() -> None:
    alpha, mu, eps, lr = 0.9, 0.5, 1e-8, 0.01
    _, steps = records("rmsprop", lr, 20, hyper={"alpha": alpha, "momentum": mu, "centered": True})
    v, ave, b = np.zeros(2), np.zeros(2), np.zeros(2)
    for r in steps:
        g = r.gradient
        v, ave = alpha * v + (1 - alpha) * g * g, alpha * ave + (1 - alpha) * g
        b = mu * b + g / (np.sqrt(v - ave * ave) + eps)
        for name, expected in (("square_avg", v), ("grad_avg", ave), ("momentum_buffer", b)):
            np.testing.assert_allclose(r.state_after[name], expected, rtol=1e-10)
        np.testing.assert_allclose(r.update, -lr * b, rtol=1e-9)
    _, steps = records("adagrad", 0.5, 20, hyper={"initial_accumulator_value": 0.1})
    total = np.full(2, 0.1)
    for r in steps:
        np.testing.assert_allclose(r.state_before["sum"], total, rtol=1e-12)
        total = total + r.gradient**2
        np.testing.assert_allclose(r.state_after["sum"], total, rtol=1e-12)
        np.testing.assert_allclose(r.update, -0.5 * r.gradient / (np.sqrt(total) + 1e-10), rtol=1e-9)


@pytest.mark.parametrize(("name", "coupled"), [("adam", True), ("adamw", False), ("momentum", True)])
def test_the_optimizer_gradient_includes_a_coupled_weight_decay(name: str, coupled: bool) -> None:
    _, steps = records(name, 0.01, 3, hyper={"weight_decay": 0.5}, clipping=Clipping("value", 2.0))
    for r in steps:
        np.testing.assert_array_equal(r.clipped_gradient, np.clip(r.gradient, -2.0, 2.0))
        expected = r.clipped_gradient + 0.5 * r.point if coupled else r.clipped_gradient
        np.testing.assert_allclose(r.optimizer_gradient, expected, rtol=1e-15)


def test_per_step_arrays_cover_a_long_run_and_agree_with_the_records() -> None:
    descent = Descent(HIMMELBLAU, (-0.3, -0.9), "adam", 0.01, hyper={"amsgrad": True})
    descent.advance(5000)
    states = descent.states
    assert sorted(states) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]
    assert states["exp_avg"].shape == (5000, 2) and states["step"].tolist() == list(range(1, 5001))
    assert descent.clipped_gradients.shape == descent.updates.shape == (5000, 2)
    np.testing.assert_array_equal(descent.updates, descent.points[1:] - descent.points[:-1])
    np.testing.assert_allclose(np.hypot(*descent.updates.T), descent.step_sizes, rtol=1e-15)
    np.testing.assert_array_equal(descent.clipped_gradients, descent.gradients[:-1])  # no clipping
    r = descent.step_record(4321)
    np.testing.assert_array_equal(r.state_after["exp_avg"], states["exp_avg"][4321])
    np.testing.assert_array_equal(r.state_before["max_exp_avg_sq"], states["max_exp_avg_sq"][4320])
    assert float(r.state_before["step"]) == 4321 and r.lr == descent.lrs[4321]
    for array in (descent.updates, descent.clipped_gradients, states["exp_avg"], r.update, r.m_hat,
                  r.state_after["step"]):
        with pytest.raises(ValueError):
            array[...] = 0.0
    t = descent.trajectory()
    np.testing.assert_array_equal(t.states["max_exp_avg_sq"], states["max_exp_avg_sq"])
    np.testing.assert_array_equal(t.updates, descent.updates)


def test_the_first_record_starts_from_the_initial_state() -> None:
    _, (first, *_) = records("rmsprop", 0.01, 2)
    assert list(first.state_before) == ["step", "square_avg"]
    assert float(first.state_before["step"]) == 0 and first.state_before["square_avg"].tolist() == [0, 0]
    _, (first, *_) = records("gd", 0.01, 1)
    assert dict(first.state_before) == {} == dict(first.state_after)


@pytest.mark.parametrize("k", [-1, 3, 1.5, True])
def test_a_step_not_taken_has_no_record(k: object) -> None:
    descent, _ = records("adam", 0.01, 3)
    with pytest.raises(ValueError, match="has not been taken"):
        descent.step_record(k)  # type: ignore[arg-type]
