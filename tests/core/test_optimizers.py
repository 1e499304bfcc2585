"""Optimizers against torch.optim's own trajectories (golden numbers), by hand, and batched."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from calcgui.core import optimizers
from calcgui.core.optimizers import DEFAULTS, LABELS, NAMES, make
from optimizer_golden import CASES, STEPS


def quadratic_grad(p: np.ndarray) -> np.ndarray:
    """∇(x²/2 + 5y² + xy/2), the quadratic of make_optimizer_golden.py."""
    x, y = p[..., 0], p[..., 1]
    return np.stack([x + 0.5 * y, 10.0 * y + 0.5 * x], axis=-1)


def rosenbrock_grad(p: np.ndarray) -> np.ndarray:
    """∇((1 - x)² + 100(y - x²)²)."""
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)], axis=-1)


GRADIENTS = {"quadratic": quadratic_grad, "rosenbrock": rosenbrock_grad}


def trajectory(opt: optimizers.Optimizer, start: Any, grad: Any, steps: int,
               lrs: list[float] | None = None) -> np.ndarray:
    points = [np.asarray(start, dtype=float)]
    for k in range(steps):
        if lrs is not None:
            opt.lr = lrs[k]
        points.append(opt.step(points[-1], grad(points[-1])))
    return np.array(points)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['name']}-{c['torch']}-{c['function']}" for c in CASES])
def test_trajectory_matches_torch(case: dict[str, Any]) -> None:
    expected = np.array(case["points"])
    opt = make(case["name"], **case["hyper"])
    got = trajectory(opt, expected[0], GRADIENTS[case["function"]], STEPS, case["lrs"])
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['name']}-{c['torch']}-{c['function']}" for c in CASES])
def test_state_matches_torch_after_every_step(case: dict[str, Any]) -> None:
    """opt.state holds what torch keeps in opt.state[p]: the same names, the same values."""
    points = np.array(case["points"])
    opt = make(case["name"], **case["hyper"])
    assert dict(opt.state) == {}
    for k, expected in enumerate(case["states"]):
        if case["lrs"] is not None:
            opt.lr = case["lrs"][k]
        opt.step(points[k], GRADIENTS[case["function"]](points[k]))
        state = opt.state
        assert list(state) == list(expected), k
        for name, value in expected.items():
            np.testing.assert_allclose(state[name], value, rtol=1e-12, atol=1e-14, err_msg=f"{name} at {k}")


def test_golden_states_cover_every_state_name() -> None:
    names = {name for case in CASES for state in case["states"] for name in state}
    assert names == {"step", "momentum_buffer", "sum", "square_avg", "grad_avg", "exp_avg", "exp_avg_sq",
                     "max_exp_avg_sq"}


def test_state_is_a_read_only_snapshot() -> None:
    opt = make("adam", lr=0.1)
    opt.step(np.array([1.0, 2.0]), np.array([0.5, -1.0]))
    state = opt.state
    with pytest.raises(TypeError):
        state["exp_avg"] = np.zeros(2)  # type: ignore[index]
    with pytest.raises(ValueError):
        state["exp_avg"][0] = 5.0
    with pytest.raises(ValueError):
        state["step"][...] = 5.0
    opt.step(np.array([1.0, 2.0]), np.array([7.0, 7.0]))
    np.testing.assert_array_equal(state["exp_avg"], (1 - 0.9) * np.array([0.5, -1.0]))  # m₁, kept
    assert float(state["step"]) == 1.0 and float(opt.state["step"]) == 2.0
    opt.reset()
    assert dict(opt.state) == {}


@pytest.mark.parametrize(("name", "hyper", "initial"), [
    ("gd", {}, {}),
    ("momentum", {}, {}),  # b₁ = g₁: there is no b₀
    ("adagrad", {"initial_accumulator_value": 0.5}, {"step": 0.0, "sum": [0.5, 0.5]}),
    ("rmsprop", {"momentum": 0.5, "centered": True},
     {"step": 0.0, "square_avg": [0, 0], "momentum_buffer": [0, 0], "grad_avg": [0, 0]}),
    ("adamw", {"amsgrad": True}, {"step": 0.0, "exp_avg": [0, 0], "exp_avg_sq": [0, 0], "max_exp_avg_sq": [0, 0]}),
])
def test_initial_state_is_what_the_formulas_start_from(name: str, hyper: dict[str, Any],
                                                        initial: dict[str, Any]) -> None:
    state = make(name, **hyper).initial_state((2,))
    assert list(state) == list(initial)
    for key, value in initial.items():
        np.testing.assert_array_equal(state[key], value)


def test_golden_cases_tell_the_variants_apart() -> None:
    """Each option changes the path within the golden steps, so each golden case tests it."""
    final = {(c["torch"], c["function"]): np.array(c["points"][-1]) for c in CASES}
    pairs = [
        ("Adam{'lr': 0.05, 'betas': (0.9, 0.5), 'amsgrad': True}",
         "Adam{'lr': 0.05, 'betas': (0.9, 0.5)}", "rosenbrock"),
        ("SGD{'lr': 0.02, 'momentum': 0.9, 'nesterov': True}",
         "SGD{'lr': 0.02, 'momentum': 0.9}", "quadratic"),
        ("SGD{'lr': 0.02, 'momentum': 0.9, 'dampening': 0.5}",
         "SGD{'lr': 0.02, 'momentum': 0.9}", "quadratic"),
        ("Adagrad{'lr': 0.5, 'lr_decay': 0.3}", "Adagrad{'lr': 0.5}", "quadratic"),
        ("AdamW{'lr': 0.1, 'weight_decay': 0.5}", "Adam{'lr': 0.1, 'weight_decay': 0.5}", "quadratic"),
        ("RMSprop{'lr': 0.01, 'momentum': 0.8}", "RMSprop{'lr': 0.01}", "quadratic"),
        ("RMSprop{'lr': 0.01, 'centered': True}", "RMSprop{'lr': 0.01}", None),
    ]
    for a, b, function in pairs:
        if function is None:  # the centered case runs on another function: compare its first step
            first = {c["torch"]: c["points"][1] for c in CASES if c["function"] == "rosenbrock"}
            plain = make("rmsprop").step(np.array([-1.5, 2.0]), rosenbrock_grad(np.array([-1.5, 2.0])))
            assert np.abs(np.subtract(first[a], plain)).max() > 1e-4
            continue
        assert np.abs(final[a, function] - final[b, function]).max() > 1e-4, (a, b)


def test_gd_by_hand_on_x_squared() -> None:
    """x ← x - 0.1·2x = 0.8x from 10: 8, 6.4, 5.12, ..., 10·0.8¹⁰ = 1.073741824."""
    points = trajectory(make("gd", lr=0.1), [10.0], lambda p: 2.0 * p, 10)[:, 0]
    assert points[1:4].tolist() == pytest.approx([8.0, 6.4, 5.12], abs=1e-12)
    assert points[10] == pytest.approx(1.073741824, abs=1e-12)
    np.testing.assert_allclose(points, 10.0 * 0.8 ** np.arange(11), rtol=0, atol=1e-12)


def test_momentum_by_hand() -> None:
    """b₁ = g₁, θ₁ = θ₀ - γ g₁; b₂ = μ b₁ + g₂; nesterov steps along g₂ + μ b₂."""
    grad = lambda p: 2.0 * p  # noqa: E731
    heavy = trajectory(make("momentum", lr=0.1), [1.0], grad, 2)[:, 0]
    assert heavy.tolist() == pytest.approx([1.0, 0.8, 0.8 - 0.1 * (0.9 * 2.0 + 1.6)], abs=1e-15)
    ahead = trajectory(make("nesterov", lr=0.1), [1.0], grad, 1)[:, 0]
    assert ahead[1] == pytest.approx(1.0 - 0.1 * (2.0 + 0.9 * 2.0), abs=1e-15)


def test_adam_first_step_is_lr_times_sign() -> None:
    """Bias correction makes Adam's first step ±lr whatever the gradient's size (up to ε)."""
    new = make("adam", lr=0.1).step(np.array([1.0, 1.0, 1.0]), np.array([1e3, -2.0, 1e-3]))
    np.testing.assert_allclose(new, [0.9, 1.1, 0.9], atol=1e-6)


OPTIONS = [
    ("gd", {"weight_decay": 0.1}), ("momentum", {"dampening": 0.2}), ("nesterov", {}),
    ("adagrad", {"lr_decay": 0.1, "initial_accumulator_value": 0.1}),
    ("rmsprop", {"centered": True, "momentum": 0.5}), ("adam", {"amsgrad": True, "betas": (0.8, 0.6)}),
    ("adamw", {"weight_decay": 0.3}),
]


@pytest.mark.parametrize(("name", "hyper"), OPTIONS)
def test_batched_runs_equal_separate_runs(name: str, hyper: dict[str, Any]) -> None:
    rng = np.random.default_rng(7)
    starts = rng.uniform(-2, 2, size=(3, 4, 2))
    together = trajectory(make(name, lr=1e-4, **hyper), starts, rosenbrock_grad, 12)
    assert np.isfinite(together).all() and np.abs(together[-1] - together[0]).min() > 0
    for i in range(3):
        for j in range(4):
            alone = trajectory(make(name, lr=1e-4, **hyper), starts[i, j], rosenbrock_grad, 12)
            np.testing.assert_array_equal(together[:, i, j], alone)


def per_run(name: str, beta: Any) -> dict[str, Any]:
    """The keyword that sets ``name``'s β (as a sweep varies it) to ``beta``."""
    if name in ("adam", "adamw"):
        return {"betas": (beta, 0.999)}
    return {"alpha": beta} if name == "rmsprop" else {"momentum": beta}


@pytest.mark.parametrize(("name", "hyper"), [
    ("momentum", {}), ("momentum", {"dampening": 0.3, "weight_decay": 0.1}), ("nesterov", {}),
    ("rmsprop", {"centered": True, "momentum": 0.5}), ("adam", {"amsgrad": True}), ("adamw", {}),
])
def test_per_run_lr_and_beta_step_exactly_as_separate_runs(name: str, hyper: dict[str, Any]) -> None:
    """One lr per row and one β per column of a batch: each run is bit for bit the run alone."""
    rng = np.random.default_rng(3)
    lrs, betas = rng.uniform(1e-4, 1e-3, size=(3, 1, 1)), rng.uniform(0.05, 0.95, size=(1, 7, 1))
    if name == "momentum":
        betas[0, 0, 0] = 0.0  # torch's plain SGD: no buffer, no dampening
    start = np.array([-1.5, 2.0])
    opt = make(name, lr=lrs, **hyper, **per_run(name, betas))
    together = trajectory(opt, np.broadcast_to(start, (3, 7, 2)), rosenbrock_grad, 40)
    for i in range(3):
        for j in range(7):
            alone = make(name, lr=float(lrs[i, 0, 0]), **hyper, **per_run(name, float(betas[0, j, 0])))
            np.testing.assert_array_equal(together[:, i, j], trajectory(alone, start, rosenbrock_grad, 40))


@pytest.mark.parametrize(("name", "kwargs", "message"), [
    ("adam", {"lr": np.array([0.1, -0.1])}, "every lr must be a finite number ≥ 0"),
    ("adam", {"lr": np.array([0.1, np.nan])}, "every lr"),
    ("adam", {"betas": (np.array([0.5, 1.0]), 0.9)}, r"beta1 must be in \[0, 1\), not 1.0"),
    ("rmsprop", {"alpha": np.array([0.5, 2.0])}, "alpha must be in"),
    ("nesterov", {"momentum": np.array([0.0, 0.9])}, "Nesterov momentum needs a momentum > 0"),
    ("momentum", {"momentum": np.array(["a"])}, "momentum must hold numbers"),
    ("adam", {"eps": np.array([1e-8])}, "eps must be a number"),  # only lr and the betas vary per run
])
def test_bad_per_run_values_are_value_errors(name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(name, **kwargs)


def test_per_run_values_are_copied_and_read_only() -> None:
    lrs = np.array([[0.1], [0.2]])
    opt = make("gd", lr=lrs)
    lrs[0, 0] = 5.0
    assert opt.lr.tolist() == [[0.1], [0.2]] and not opt.lr.flags.writeable
    np.testing.assert_array_equal(opt.step(np.ones((2, 2)), np.ones((2, 2))), [[0.9, 0.9], [0.8, 0.8]])


@pytest.mark.parametrize("name", NAMES)
def test_step_mutates_neither_input_nor_keeps_references(name: str) -> None:
    params, grad = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    opt, twin = make(name, lr=0.1), make(name, lr=0.1)
    new = opt.step(params, grad)
    assert params.tolist() == [1.0, -2.0] and grad.tolist() == [0.5, 3.0]
    assert new is not params and not np.shares_memory(new, params)
    twin.step(params.copy(), grad.copy())
    grad[:] = 99.0  # the caller reuses its buffers: the optimizer's state must not change
    params[:] = 99.0
    np.testing.assert_array_equal(opt.step(new, np.array([1.0, 1.0])), twin.step(new, np.array([1.0, 1.0])))


@pytest.mark.parametrize("name", NAMES)
def test_defaults_labels_and_a_hyper_round_trip(name: str) -> None:
    opt = make(name)
    assert opt.name == name and opt.hyper == DEFAULTS[name] and LABELS[name]
    copy = make(name, **opt.hyper)
    start = np.array([-1.5, 2.0])
    np.testing.assert_array_equal(trajectory(opt, start, rosenbrock_grad, 5),
                                  trajectory(copy, start, rosenbrock_grad, 5))


def test_the_tables_list_every_optimizer_in_order() -> None:
    assert NAMES == ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
    assert tuple(DEFAULTS) == NAMES and tuple(LABELS) == NAMES
    assert [DEFAULTS[n]["lr"] for n in NAMES] == [0.01, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001]
    assert DEFAULTS["adagrad"]["eps"] == 1e-10 and DEFAULTS["rmsprop"]["alpha"] == 0.99
    assert DEFAULTS["adam"]["betas"] == (0.9, 0.999) and DEFAULTS["adam"]["weight_decay"] == 0
    assert DEFAULTS["adamw"]["weight_decay"] == 1e-2
    assert DEFAULTS["nesterov"]["nesterov"] and DEFAULTS["momentum"]["momentum"] == 0.9
    assert DEFAULTS["gd"]["momentum"] == 0


def test_reset_forgets_the_state() -> None:
    opt = make("adam", lr=0.1)
    first = opt.step(np.array([1.0, 1.0]), np.array([1.0, 2.0]))
    opt.step(first, np.array([5.0, 5.0]))
    opt.reset()
    assert opt.t == 0
    np.testing.assert_array_equal(opt.step(np.array([1.0, 1.0]), np.array([1.0, 2.0])), first)
    opt.reset()
    assert opt.step(np.zeros(3), np.ones(3)).shape == (3,)  # a new shape after a reset


def test_lr_is_settable_and_checked() -> None:
    opt = make("gd", lr=0.1)
    opt.lr = 0.5
    assert opt.step(np.array([1.0]), np.array([1.0]))[0] == 0.5
    assert opt.hyper["lr"] == 0.5
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0


@pytest.mark.parametrize(("name", "kwargs", "message"), [
    ("sgd2", {}, "unknown optimizer 'sgd2'"),
    ("adam", {"lr": -0.1}, "lr"),
    ("adam", {"lr": float("nan")}, "lr"),
    ("adam", {"betas": (0.9, 1.0)}, r"beta2 must be in \[0, 1\)"),
    ("adam", {"betas": (-0.1, 0.9)}, "beta1"),
    ("adam", {"betas": 0.9}, "pair"),
    ("adam", {"momentum": 0.9}, "Adam has no hyper-parameter 'momentum'"),
    ("gd", {"betas": (0.9, 0.99)}, "no hyper-parameter 'betas'"),
    ("rmsprop", {"alpha": 1.5}, "alpha"),
    ("adagrad", {"eps": -1e-10}, "eps"),
    ("momentum", {"weight_decay": -1}, "weight_decay"),
    ("momentum", {"momentum": "lots"}, "momentum must be a number"),
    ("adam", {"amsgrad": 1}, "amsgrad must be True or False"),
    ("gd", {"nesterov": True}, "Nesterov momentum needs a momentum > 0"),
    ("nesterov", {"dampening": 0.1}, "zero dampening"),
])
def test_bad_settings_are_value_errors(name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(name, **kwargs)


def test_bad_shapes_are_value_errors() -> None:
    opt = make("adam")
    with pytest.raises(ValueError, match="differ in shape"):
        opt.step(np.zeros(2), np.zeros(3))
    opt.step(np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="reset"):
        opt.step(np.zeros((4, 2)), np.zeros((4, 2)))
