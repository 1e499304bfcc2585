"""The written-out update equations: every number equals an independent recomputation, and the
last line lands where the optimizer itself steps."""

from __future__ import annotations

import numpy as np
import pytest

from calcgui.core import optimizers
from calcgui.core.update_rules import effective_lr, explain_record, explain_step, format_vector

GRADS = [np.array([1.5, -2.0]), np.array([0.5, 4.0]), np.array([-3.0, 0.25])]
THETA0 = np.array([1.0, -0.5])


def _hand_adam(beta1: float, beta2: float, steps: int) -> list[dict[str, np.ndarray]]:
    """Adam's moments after each step, from the recursions in Kingma & Ba (2015)."""
    m, v, out = np.zeros(2), np.zeros(2), []
    for g in GRADS[:steps]:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        out.append({"exp_avg": m, "exp_avg_sq": v})
    return out


def _points(name: str, **hyper: object) -> list[np.ndarray]:
    """θ₀, θ₁, … from the optimizer under test, stepping along GRADS."""
    opt, theta, points = optimizers.make(name, **hyper), THETA0, [THETA0]
    for g in GRADS:
        theta = opt.step(theta, g)
        points.append(theta)
    return points


def test_adam_lines_hold_the_moments_and_land_on_the_optimizers_step() -> None:
    states = _hand_adam(0.9, 0.999, 3)
    points = _points("adam", lr=0.1)
    hyper = optimizers.make("adam", lr=0.1).hyper
    explained = explain_step("adam", hyper, 3, points[2], GRADS[2], GRADS[2], 0.1,
                             states[1], states[2])
    lines = {line.lhs: line for line in explained.lines}
    assert [line.lhs for line in explained.lines] == ["gₜ", "mₜ", "vₜ", "m̂ₜ", "v̂ₜ", "θₜ"]
    np.testing.assert_allclose(lines["mₜ"].value, states[2]["exp_avg"])
    np.testing.assert_allclose(lines["m̂ₜ"].value, states[2]["exp_avg"] / (1 - 0.9**3))
    np.testing.assert_allclose(lines["v̂ₜ"].value, states[2]["exp_avg_sq"] / (1 - 0.999**3))
    np.testing.assert_allclose(lines["θₜ"].value, points[3], rtol=1e-12)
    assert lines["mₜ"].rule == "β₁·mₜ₋₁ + (1 − β₁)·gₜ"
    assert lines["mₜ"].numbers == (f"0.9·{format_vector(states[1]['exp_avg'])} + 0.1·(−3, 0.25)")
    assert explained.title.startswith("Adam, step t = 3 (γ = 0.1, β₁ = 0.9, β₂ = 0.999")


def test_adamw_decays_theta_before_the_moment_step() -> None:
    points = _points("adamw", lr=0.1, weight_decay=0.5)
    states = _hand_adam(0.9, 0.999, 1)
    hyper = optimizers.make("adamw", lr=0.1, weight_decay=0.5).hyper
    explained = explain_step("adamw", hyper, 1, THETA0, GRADS[0], GRADS[0], 0.1, {}, states[0])
    assert explained.lines[1].lhs == "θ′"
    np.testing.assert_allclose(explained.lines[1].value, THETA0 * (1 - 0.1 * 0.5))
    np.testing.assert_allclose(explained.lines[-1].value, points[1], rtol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_buffer_line_and_step(nesterov: bool) -> None:
    name = "nesterov" if nesterov else "momentum"
    points = _points(name, lr=0.05, momentum=0.8)
    b1 = GRADS[0]
    b2 = 0.8 * b1 + GRADS[1]
    hyper = optimizers.make(name, lr=0.05, momentum=0.8).hyper
    explained = explain_step(name, hyper, 2, points[1], GRADS[1], GRADS[1], 0.05,
                             {"momentum_buffer": b1}, {"momentum_buffer": b2})
    buffer = next(line for line in explained.lines if line.lhs == "bₜ")
    assert buffer.rule == "μ·bₜ₋₁ + gₜ"
    np.testing.assert_allclose(buffer.value, b2)
    np.testing.assert_allclose(explained.lines[-1].value, points[2], rtol=1e-12)
    assert explained.lines[-1].rule == ("θₜ₋₁ − γ·gₜ" if nesterov else "θₜ₋₁ − γ·bₜ")


def test_first_momentum_step_takes_the_gradient_as_buffer() -> None:
    hyper = optimizers.make("momentum", lr=0.05).hyper
    explained = explain_step("momentum", hyper, 1, THETA0, GRADS[0], GRADS[0], 0.05, {},
                             {"momentum_buffer": GRADS[0]})
    assert explained.lines[1].text == "bₜ = gₜ = (1.5, −2)"


def test_clipping_and_weight_decay_appear_only_when_they_change_g() -> None:
    hyper = optimizers.make("gd", lr=0.1, weight_decay=0.2).hyper
    clipped = GRADS[0] * 0.4
    explained = explain_step("gd", hyper, 1, THETA0, GRADS[0], clipped, 0.1, {}, {})
    assert [line.rule for line in explained.lines] == [
        "∇f(θₜ₋₁)", "clip(gₜ)", "gₜ + λ·θₜ₋₁", "θₜ₋₁ − γ·gₜ"]
    expected_g = clipped + 0.2 * THETA0
    np.testing.assert_allclose(explained.lines[-1].value, THETA0 - 0.1 * expected_g)
    plain = explain_step("gd", optimizers.make("gd", lr=0.1).hyper, 1, THETA0, GRADS[0],
                         GRADS[0], 0.1, {}, {})
    assert [line.lhs for line in plain.lines] == ["gₜ", "θₜ"]


def test_rmsprop_and_adagrad_land_on_the_optimizers_step() -> None:
    rms = _points("rmsprop", lr=0.01)
    square1 = 0.01 * GRADS[0] ** 2
    square2 = 0.99 * square1 + 0.01 * GRADS[1] ** 2
    hyper = optimizers.make("rmsprop", lr=0.01).hyper
    explained = explain_step("rmsprop", hyper, 2, rms[1], GRADS[1], GRADS[1], 0.01,
                             {"square_avg": square1}, {"square_avg": square2})
    np.testing.assert_allclose(explained.lines[-1].value, rms[2], rtol=1e-12)
    ada = _points("adagrad", lr=0.3)
    total = GRADS[0] ** 2 + GRADS[1] ** 2
    explained = explain_step("adagrad", optimizers.make("adagrad", lr=0.3).hyper, 2, ada[1],
                             GRADS[1], GRADS[1], 0.3, {"sum": GRADS[0] ** 2}, {"sum": total})
    np.testing.assert_allclose(explained.lines[-1].value, ada[2], rtol=1e-12)


def test_effective_learning_rates() -> None:
    adam = optimizers.make("adam", lr=0.1).hyper
    state = _hand_adam(0.9, 0.999, 2)[1]
    expected = 0.1 / (np.sqrt(state["exp_avg_sq"] / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(effective_lr("adam", adam, 2, 0.1, state), expected)
    assert effective_lr("momentum", optimizers.make("momentum").hyper, 2, 0.1, {}) is None


def test_scalars_and_odd_numbers_are_written_as_a_student_would() -> None:
    assert format_vector(np.array([-0.000032])) == "−3.2e−5"
    assert format_vector([1.0, float("nan")]) == "(1, NaN)"
    assert format_vector(2.5) == "2.5"
    with pytest.raises(ValueError):
        explain_step("sgd", {}, 1, THETA0, GRADS[0], GRADS[0], 0.1, {}, {})


RECORDED_CASES = [
    ("gd", {}), ("gd", {"weight_decay": 0.1}), ("momentum", {"dampening": 0.3}), ("nesterov", {}),
    ("adagrad", {"lr_decay": 0.05}), ("rmsprop", {}), ("rmsprop", {"centered": True, "momentum": 0.5}),
    ("adam", {}), ("adam", {"amsgrad": True, "weight_decay": 0.01}), ("adamw", {}),
]


@pytest.mark.parametrize(("name", "hyper"), RECORDED_CASES)
def test_equations_of_a_recorded_run_equal_its_state_and_steps(name: str, hyper: dict) -> None:
    """Every step of a clipped, scheduled run on Rosenbrock: the state lines equal what the run
    recorded, and the last line is the run's own update."""
    from calcgui.core.descent import Clipping, Descent, Schedule, objective

    lr = {"adagrad": 0.2, "rmsprop": 0.002}.get(name, 1e-3 if name.startswith(("gd", "mom", "nes")) else 0.05)
    run = Descent(objective("(1 - x)^2 + 100(y - x^2)^2"), (-1.5, 2.0), name, lr, hyper,
                  clipping=Clipping("norm", 50.0), schedule=Schedule("step", step_size=5, gamma=0.5))
    run.advance(12)
    state_symbols = {"bₜ": "momentum_buffer", "sumₜ": "sum", "mₜ": "exp_avg", "vₜ": "exp_avg_sq"}
    for k in range(run.step):
        record = run.step_record(k)
        explained = explain_record(name, run.optimizer.hyper, record)
        lines = {line.lhs: line for line in explained.lines}
        np.testing.assert_allclose(explained.lines[-1].value - record.point, record.update, rtol=1e-9,
                                   atol=1e-15)
        for symbol, key in state_symbols.items():
            if symbol in lines and key in record.state_after and not (name == "rmsprop" and symbol == "vₜ"):
                np.testing.assert_allclose(lines[symbol].value, record.state_after[key], rtol=1e-12)
        if name == "rmsprop":
            np.testing.assert_allclose(lines["vₜ"].value, record.state_after["square_avg"], rtol=1e-12)
        if record.m_hat is not None:
            np.testing.assert_allclose(lines["m̂ₜ"].value, record.m_hat, rtol=1e-12)
            np.testing.assert_allclose(lines["v̂ₜ"].value, record.v_hat, rtol=1e-12)
        assert lines["gₜ"].value.shape == (2,)
