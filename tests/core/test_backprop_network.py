"""The small network against torch's own numbers (network_golden.py), against finite
differences, and what a view relies on: snapshots, copies, predictions, data sets, the grid."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from calcgui.core.backprop import DecisionGrid, Gradients, Network, datasets, decision_grid
from network_golden import CASES, STEPS

RTOL, ATOL = 1e-10, 1e-14


def golden_data(case: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    return np.array(case["X"]), np.array(case["Y"])


def pairs(params: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.array(w), np.array(b)) for w, b in params]


def assert_pairs_close(got: Any, expected: Any) -> None:
    assert len(got) == len(expected)
    for (w, b), (ew, eb) in zip(got, pairs(expected)):
        np.testing.assert_allclose(w, ew, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(b, eb, rtol=RTOL, atol=ATOL)


def golden_network(case: dict[str, Any]) -> Network:
    net = Network(case["sizes"], case["activation"], case["loss"], seed=case["seed"])
    net.params = pairs(case["initial"])
    return net


IDS = [c["name"] for c in CASES]


def test_the_golden_cases_cover_every_activation_loss_and_depth() -> None:
    assert {(c["activation"], c["loss"]) for c in CASES} == {
        (a, loss) for a in ("sigmoid", "tanh", "relu") for loss in ("mse", "cross_entropy")}
    depths = {len(c["sizes"]) - 1 for c in CASES}
    assert min(depths) == 1 and max(depths) == 10
    assert max(max(c["sizes"]) for c in CASES) == 8
    assert any(c["clip"] for c in CASES) and any(c["weight_decay"] for c in CASES)
    softmax = [c for c in CASES if c["loss"] == "cross_entropy" and c["sizes"][-1] > 1]
    assert {np.array(c["Y"]).ndim for c in softmax} == {1, 2}  # class indices and one-hot rows


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_seed_gives_the_parameters_the_golden_numbers_start_from(case: dict[str, Any]) -> None:
    net = Network(case["sizes"], case["activation"], case["loss"], seed=case["seed"])
    assert_pairs_close(net.params, case["initial"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loss_gradients_and_deltas_match_torch(case: dict[str, Any]) -> None:
    net = golden_network(case)
    X, Y = golden_data(case)
    assert net.loss(X, Y) == pytest.approx(case["loss_value"], rel=RTOL)
    grads = net.backward(X, Y)
    assert grads.loss == pytest.approx(case["loss_value"], rel=RTOL)
    assert_pairs_close(grads, case["grads"])
    assert len(grads.deltas) == len(case["deltas"])
    for delta, expected in zip(grads.deltas, case["deltas"]):
        np.testing.assert_allclose(delta, np.array(expected), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_steps_with_clipping_and_weight_decay_match_torch_sgd(case: dict[str, Any]) -> None:
    net = golden_network(case)
    X, Y = golden_data(case)
    losses = [net.step(case["lr"], clip=case["clip"], weight_decay=case["weight_decay"], X=X, Y=Y)
              for _ in range(STEPS)]
    np.testing.assert_allclose(losses, case["losses"], rtol=RTOL)
    assert_pairs_close(net.params, case["final"])


def test_clipping_changes_the_golden_steps() -> None:
    """Each clipped case really clips: without clip the first step goes elsewhere."""
    for case in (c for c in CASES if c["clip"]):
        net = golden_network(case)
        X, Y = golden_data(case)
        if net.backward(X, Y).norm > case["clip"]:
            net.step(case["lr"], weight_decay=case["weight_decay"])
            clipped = golden_network(case)
            clipped.step(case["lr"], clip=case["clip"], weight_decay=case["weight_decay"], X=X, Y=Y)
            assert not np.allclose(net.params[0][0], clipped.params[0][0])


# -- independent of torch: finite differences ------------------------------------------------------

@pytest.mark.parametrize(("sizes", "activation", "loss", "targets"), [
    ([2, 3, 1], "sigmoid", "mse", "values"),
    ([3, 4, 4, 2], "tanh", "mse", "values"),
    ([2, 5, 1], "tanh", "cross_entropy", "labels"),
    ([2, 4, 3], "relu", "cross_entropy", "indices"),
])
def test_gradients_match_central_differences(sizes: list[int], activation: str, loss: str, targets: str) -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, sizes[0]))
    Y = {"values": rng.normal(size=(6, sizes[-1])), "labels": rng.integers(0, 2, size=6),
         "indices": rng.integers(0, sizes[-1], size=6)}[targets]
    net = Network(sizes, activation, loss, seed=1)
    grads = net.backward(X, Y)
    h = 1e-6
    for layer, (w, b) in enumerate(net.params):
        for array, grad, is_weight in ((w, grads[layer][0], True), (b, grads[layer][1], False)):
            for index in np.ndindex(array.shape):
                def loss_at(shift: float) -> float:
                    probe = net.copy()
                    params = probe.params
                    changed = array.copy()
                    changed[index] += shift
                    params[layer] = (changed, params[layer][1]) if is_weight else (params[layer][0], changed)
                    probe.params = params
                    return probe.loss(X, Y)

                numeric = (loss_at(h) - loss_at(-h)) / (2 * h)
                assert grad[index] == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_deltas_are_the_gradients_of_the_loss_with_respect_to_z() -> None:
    """dW = δᵀ a_prev and db = Σ δ: the deltas and gradients tell one story."""
    data = datasets.two_moons(30, 0.1, seed=1)
    net = Network([2, 4, 4, 1], "tanh", "cross_entropy", seed=2)
    run, grads = net.forward(data.X), net.backward(data.X, data.y)
    for layer, (dw, db) in enumerate(grads):
        assert grads.deltas[layer].shape == run.zs[layer].shape
        np.testing.assert_allclose(dw, grads.deltas[layer].T @ run.activations[layer], rtol=1e-12)
        np.testing.assert_allclose(db, grads.deltas[layer].sum(axis=0), rtol=1e-12)


# -- what a view reads ------------------------------------------------------------------------------

def test_forward_keeps_every_layer() -> None:
    X = datasets.xor().X
    run = Network([2, 3, 2, 1], "relu", "mse", seed=0).forward(X)
    assert [z.shape for z in run.zs] == [(4, 3), (4, 2), (4, 1)]
    assert [a.shape for a in run.activations] == [(4, 2), (4, 3), (4, 2), (4, 1)]
    np.testing.assert_array_equal(run.activations[1], np.maximum(run.zs[0], 0))
    np.testing.assert_array_equal(run.output, run.logits)  # mse: a linear output layer


def test_cross_entropy_outputs_are_probabilities() -> None:
    X = datasets.line(10, seed=0).X
    one = Network([2, 3, 1], "tanh", "cross_entropy").forward(X)
    np.testing.assert_allclose(one.output, 1 / (1 + np.exp(-one.logits)), rtol=1e-12)
    many = Network([2, 3, 4], "tanh", "cross_entropy").forward(X)
    np.testing.assert_allclose(many.output.sum(axis=1), 1.0, rtol=1e-12)


def test_gradients_are_a_sequence_with_norms() -> None:
    X, y = datasets.xor().X, datasets.xor().y
    grads = Network([2, 3, 1], "sigmoid", "mse").backward(X, y)
    assert isinstance(grads, Gradients) and len(grads) == 2
    dw, db = grads[1]
    assert dw.shape == (1, 3) and db.shape == (1,)
    assert [pair[0].shape for pair in grads] == [(3, 2), (1, 3)]
    flat = np.concatenate([g.ravel() for pair in grads for g in pair])
    assert grads.norm == pytest.approx(float(np.linalg.norm(flat)))
    assert grads.delta_norms == pytest.approx([float(np.linalg.norm(d)) for d in grads.deltas])
    assert grads.layer_norms[1] == pytest.approx(math.hypot(float(np.linalg.norm(dw)), float(np.linalg.norm(db))))


def test_a_deep_sigmoid_network_shows_vanishing_deltas() -> None:
    """σ' ≤ 1/4: each layer back multiplies δ by at most ‖W‖/4, so δ shrinks towards the input."""
    data = datasets.two_moons(50, 0.1, seed=0)
    norms = Network([2, *[8] * 9, 1], "sigmoid", "cross_entropy", seed=0).backward(data.X, data.y).delta_norms
    assert len(norms) == 10
    assert norms[0] < 1e-3 * norms[-1]
    assert all(earlier < later for earlier, later in zip(norms, norms[1:]))


def test_step_uses_the_last_backward_once_and_returns_the_loss_before() -> None:
    X, y = datasets.xor().X, datasets.xor().y
    net = Network([2, 3, 1], "sigmoid", "cross_entropy", seed=0)
    with pytest.raises(ValueError, match="call backward"):
        net.step(0.1)
    before = net.backward(X, y)
    w_before = net.params[0][0]
    assert net.step(lr=0.1) == before.loss
    np.testing.assert_allclose(net.params[0][0], w_before - 0.1 * before[0][0])
    with pytest.raises(ValueError, match="call backward"):
        net.step(0.1)
    assert net.loss(X, y) < before.loss


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "lr"), ({"lr": float("nan")}, "lr"), ({"lr": 0.1, "clip": 0.0}, "clip"),
    ({"lr": 0.1, "weight_decay": -0.1}, "weight_decay"), ({"lr": 0.1, "X": np.zeros((4, 2))}, "both X and Y"),
])
def test_bad_step_options_are_refused(options: dict[str, Any], message: str) -> None:
    net = Network([2, 3, 1])
    net.backward(datasets.xor().X, datasets.xor().y)
    with pytest.raises(ValueError, match=message):
        net.step(**options)


def test_xor_is_learned_by_a_2_3_1_network() -> None:
    data = datasets.xor()
    net = Network([2, 3, 1], "sigmoid", "cross_entropy", seed=0)
    losses = [net.step(2.0, X=data.X, Y=data.y) for _ in range(2000)]
    assert losses[-1] < 0.05 < losses[0]
    np.testing.assert_array_equal(net.predict(data.X), data.y)


def test_params_are_snapshots_and_copies_are_independent() -> None:
    data = datasets.line(20, seed=0)
    net = Network([2, 4, 1], "tanh", "cross_entropy", seed=0)
    snapshot = net.params
    twin = net.copy()
    net.step(0.5, X=data.X, Y=data.y)
    np.testing.assert_array_equal(twin.params[0][0], snapshot[0][0])
    assert not np.array_equal(net.params[0][0], snapshot[0][0])
    with pytest.raises(ValueError):
        snapshot[0][0][0, 0] = 1.0  # read-only: nobody edits a snapshot in place
    net.params = snapshot
    np.testing.assert_array_equal(net.forward(data.X).output, twin.forward(data.X).output)


def test_initialisation_is_torch_linears_and_deterministic() -> None:
    a, b, c = Network([3, 8, 2], seed=4), Network([3, 8, 2], seed=4), Network([3, 8, 2], seed=5)
    for (w, bias), fan_in in zip(a.params, (3, 8)):
        bound = 1 / math.sqrt(fan_in)
        assert np.all(np.abs(w) <= bound) and np.all(np.abs(bias) <= bound)
    assert all(np.array_equal(p, q) for pa, pb in zip(a.params, b.params) for p, q in zip(pa, pb))
    assert not np.array_equal(a.params[0][0], c.params[0][0])


def test_predict_gives_labels_for_cross_entropy_and_values_for_mse() -> None:
    X = datasets.line(8, seed=0).X
    assert Network([2, 3, 1], loss="cross_entropy").predict(X).shape == (8,)
    labels = Network([2, 3, 4], loss="cross_entropy").predict(X)
    assert labels.shape == (8,) and set(labels) <= {0, 1, 2, 3}
    assert Network([2, 3, 2], loss="mse").predict(X).shape == (8, 2)


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    net = Network([1, 1], "sigmoid", "cross_entropy")
    net.params = [(np.array([[1000.0]]), np.array([0.0]))]
    assert net.loss(np.array([[1.0]]), np.array([0])) == pytest.approx(1000.0)
    assert net.loss(np.array([[-1.0]]), np.array([0])) == pytest.approx(0.0, abs=1e-300)
    wide = Network([1, 2], "sigmoid", "cross_entropy")
    wide.params = [(np.array([[800.0], [-800.0]]), np.zeros(2))]
    assert wide.loss(np.array([[1.0]]), np.array([1])) == pytest.approx(1600.0)


def test_a_diverging_network_gives_a_non_finite_loss_without_warnings() -> None:
    data = datasets.line(20, seed=0)
    net = Network([2, 8, 8, 1], "relu", "mse", seed=0)
    losses = [net.step(1e6, X=data.X, Y=data.y) for _ in range(8)]
    assert not math.isfinite(losses[-1])


@pytest.mark.parametrize(("arguments", "message"), [
    ({"sizes": [2]}, "sizes"), ({"sizes": [2, 0, 1]}, "layer size"), ({"sizes": [2, 3.5, 1]}, "layer size"),
    ({"sizes": [2, 1], "activation": "softmax"}, "activation"), ({"sizes": [2, 1], "loss": "hinge"}, "loss"),
])
def test_bad_networks_are_refused(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Network(**arguments)


@pytest.mark.parametrize(("sizes", "loss", "X", "Y", "message"), [
    ([2, 1], "mse", np.zeros((3, 3)), np.zeros(3), "X must have shape"),
    ([2, 1], "mse", np.zeros((3, 2)), np.zeros(4), "one row per row"),
    ([2, 2], "mse", np.zeros((3, 2)), np.zeros((3, 3)), "shape"),
    ([2, 3], "cross_entropy", np.zeros((3, 2)), np.array([0, 1, 3]), "class indices"),
    ([2, 1], "cross_entropy", np.zeros((3, 2)), np.array([0, 1, 2]), "labels 0/1"),
    ([2, 1], "mse", np.full((3, 2), np.inf), np.zeros(3), "finite"),
])
def test_bad_data_is_refused(sizes: list[int], loss: str, X: np.ndarray, Y: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Network(sizes, loss=loss).backward(X, Y)


def test_params_of_the_wrong_shape_are_refused() -> None:
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match="layer 2"):
        net.params = [net.params[0], (np.zeros((3, 1)), np.zeros(1))]


# -- data sets and the decision grid --------------------------------------------------------------------

def test_xor_is_the_four_corners() -> None:
    data = datasets.xor()
    np.testing.assert_array_equal(data.X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(data.y, [0, 1, 1, 0])


@pytest.mark.parametrize("make", [lambda s: datasets.two_moons(41, 0.2, seed=s), lambda s: datasets.line(40, seed=s)])
def test_data_sets_are_deterministic(make: Any) -> None:
    first, again, other = make(3), make(3), make(4)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.X, other.X)
    assert first.X.dtype == np.float64 and first.X.shape[1] == 2 and set(first.y) == {0, 1}


def test_two_moons_without_noise_lie_on_their_half_circles() -> None:
    data = datasets.two_moons(40, 0.0)
    upper, lower = data.X[data.y == 0], data.X[data.y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert len(upper) == len(lower) == 20


def test_line_labels_follow_the_line() -> None:
    data = datasets.line(200, seed=1)
    np.testing.assert_array_equal(data.y, data.X[:, 1] > 0.5 * data.X[:, 0] + 0.1)


def test_the_decision_grid_is_the_networks_prediction_on_the_grid() -> None:
    net = Network([2, 4, 1], "tanh", "cross_entropy", seed=0)
    grid = decision_grid(net, (-1.0, 2.0), (-0.5, 1.5), resolution=21)
    assert isinstance(grid, DecisionGrid) and grid.level == 0.5
    assert grid.outputs.shape == (21, 21, 1) and grid.classes.shape == (21, 21)
    i, j = 7, 13
    point = np.array([[grid.xs[j], grid.ys[i]]])
    assert grid.outputs[i, j, 0] == pytest.approx(net.forward(point).output[0, 0])
    assert grid.classes[i, j] == net.predict(point)[0]
    three = decision_grid(Network([2, 3, 3], loss="cross_entropy"), (0, 1), (0, 1), resolution=5)
    assert three.level is None and three.outputs.shape == (5, 5, 3)
    with pytest.raises(ValueError, match="2 inputs"):
        decision_grid(Network([3, 1]), (0, 1), (0, 1))


def test_the_network_half_does_not_import_sympy() -> None:
    """A pane may train on the UI thread before anything symbolic is needed."""
    import subprocess
    import sys

    code = ("import sys\nfrom calcgui.core import backprop\nbackprop.Network([2, 3, 1]).step(0.1, "
            "X=backprop.datasets.xor().X, Y=backprop.datasets.xor().y)\nbackprop.decision_grid\n"
            "sys.exit('sympy' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr or "sympy was imported"


def test_glorot_and_he_initial_weights_have_their_papers_bounds_and_zero_biases() -> None:
    sizes = [2, 8, 8, 1]
    for init, bound in (("xavier", lambda i, o: np.sqrt(6 / (i + o))), ("he", lambda i, o: np.sqrt(6 / i))):
        net = Network(sizes, "relu", "mse", seed=3, init=init)
        for (w, b), fan_in, fan_out in zip(net.params, sizes[:-1], sizes[1:]):
            assert np.abs(w).max() <= bound(fan_in, fan_out) and np.abs(w).max() > 0.5 * bound(fan_in, fan_out)
            assert not b.any()
        assert net.copy().init == init
    with pytest.raises(ValueError, match="init must be one of"):
        Network(sizes, init="kaiming")


def test_with_he_weights_relu_gradients_keep_their_size_through_ten_layers() -> None:
    moons = datasets.two_moons()
    deep = [2, *[8] * 10, 1]
    relu = Network(deep, "relu", "cross_entropy", seed=0, init="he").backward(moons.X, moons.y).delta_norms
    sigmoid = Network(deep, "sigmoid", "cross_entropy", seed=0, init="xavier").backward(moons.X, moons.y).delta_norms
    assert relu[0] > 0.5 * relu[-2] and sigmoid[0] < 1e-5 * sigmoid[-2]
