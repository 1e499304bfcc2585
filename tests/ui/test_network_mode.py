"""The network mode driven with its real buttons and boxes, checked against an independent
Network of calcgui.core.backprop built from the same seed: the numbers on the neurons and edges,
the pens of the edges, the readouts and the plotted data."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcgui.core.backprop import Network, datasets
from calcgui.state.network import NetworkSettings
from calcgui.ui.network_diagram import edge_pen
from calcgui.ui.network_mode import NetworkMode
from calcgui.ui.network_run import parse_value
from calcgui.ui.plot_style import configure_pyqtgraph

#: Texts on screen have 3 significant figures.
SHOWN = 5e-3


@pytest.fixture
def mode(qtbot: QtBot) -> Iterator[NetworkMode]:
    configure_pyqtgraph()
    widget = NetworkMode()
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    yield widget
    widget.stop()


def click(qtbot: QtBot, button: object, times: int = 1) -> None:
    for _ in range(times):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def xor_network() -> Network:
    """The default settings' network, built independently of the widget."""
    return Network([2, 3, 1], "sigmoid", "cross_entropy", seed=0)


def shown(texts: list[object]) -> list[float]:
    return [parse_value(text.text().removeprefix("δ ")) for text in texts]  # type: ignore[attr-defined]


def test_forward_fills_layers_one_by_one_with_the_networks_values(qtbot: QtBot, mode: NetworkMode) -> None:
    data = datasets.xor()
    reference = xor_network().forward(data.X)
    assert mode.caption.text().startswith("showing example 1 of 4: (0, 0) → 0")
    assert [t.text() for t in mode.diagram.value_texts[1]] == ["", "", ""]
    click(qtbot, mode.controls.forward)
    assert shown(mode.diagram.value_texts[1]) == pytest.approx(reference.activations[1][0], rel=SHOWN)
    assert mode.diagram.value_texts[2][0].text() == ""  # the output is not computed yet
    click(qtbot, mode.controls.forward)
    assert shown(mode.diagram.value_texts[2]) == pytest.approx(reference.output[0], rel=SHOWN)
    assert "Forward, output" in mode.status.text()


def test_backward_shows_the_deltas_and_gradients_of_network_backward(qtbot: QtBot, mode: NetworkMode) -> None:
    data = datasets.xor()
    gradients = xor_network().backward(data.X, data.y)
    click(qtbot, mode.controls.forward, 2)
    click(qtbot, mode.controls.backward)
    assert shown(mode.diagram.delta_texts[2]) == pytest.approx(gradients.deltas[1][0], rel=SHOWN)
    assert [t.text() for t in mode.diagram.delta_texts[1]] == ["", "", ""]  # layer 1 comes next
    click(qtbot, mode.controls.backward)
    assert shown(mode.diagram.delta_texts[1]) == pytest.approx(gradients.deltas[0][0], rel=SHOWN)
    assert mode.diagram.edge_labels_fit
    for layer, (dw, _db) in enumerate(gradients):
        texts = [text for row in mode.diagram.edge_texts[layer] for text in row]
        assert shown(texts) == pytest.approx(dw.ravel(), rel=SHOWN)
        assert all(text.isVisible() for text in texts)
    hover = mode.diagram.describe(("neuron", 1, 2))
    assert f"δ = ∂L/∂z = {mode.diagram.delta_texts[1][2].text().removeprefix('δ ')}" in hover


def test_update_weights_redraws_the_edges_and_the_loss_falls(qtbot: QtBot, mode: NetworkMode) -> None:
    data = datasets.xor()
    reference = xor_network()
    before = [[edge.pen().widthF() for edge in row] for row in mode.diagram.edges[0]]
    click(qtbot, mode.controls.update_weights)
    reference.step(2.0, X=data.X, Y=data.y)
    for layer, (weights, _bias) in enumerate(reference.params):
        for j, row in enumerate(mode.diagram.edges[layer]):
            for i, edge in enumerate(row):
                expected = edge_pen(float(weights[j, i]))
                assert edge.pen().widthF() == pytest.approx(expected.widthF()) == pytest.approx(0.75 + 4 * abs(weights[j, i]), abs=1 / 16)
                assert edge.pen().color() == expected.color()
    after = [[edge.pen().widthF() for edge in row] for row in mode.diagram.edges[0]]
    assert not np.allclose(before, after)
    text = mode.loss_readout.text()
    assert text.startswith("loss ") and "after step 1 (falling)" in text
    loss_before, loss_after = (parse_value(part) for part in text.removeprefix("loss ").split(" after")[0].split(" → "))
    assert loss_after < loss_before
    assert loss_after == pytest.approx(reference.loss(data.X, data.y), rel=SHOWN)


def test_train_runs_its_steps_in_the_timer_and_lowers_the_loss(qtbot: QtBot, mode: NetworkMode) -> None:
    data = datasets.xor()
    reference = xor_network()
    first = reference.loss(data.X, data.y)
    for _ in range(500):
        reference.step(2.0, X=data.X, Y=data.y)
    assert mode.controls.train.text() == "Train 500 steps"
    click(qtbot, mode.controls.train)
    assert mode.training and not mode.controls.update_weights.isEnabled()
    qtbot.waitUntil(lambda: not mode.training, timeout=30_000)
    assert mode.run.step_count == 500
    for (w, b), (w_ref, b_ref) in zip(mode.run.network.params, reference.params):
        np.testing.assert_allclose(w, w_ref, rtol=1e-12)
        np.testing.assert_allclose(b, b_ref, rtol=1e-12)
    steps, losses = mode.loss_plot.curve.getOriginalDataset()
    assert len(steps) == 501 and losses[0] == pytest.approx(first) and losses[-1] < 0.1 * first
    assert parse_value(mode.loss_readout.text().split()[1]) < 0.1 * first
    assert mode.controls.train.text() == "Train 500 steps" and mode.controls.update_weights.isEnabled()


def test_stop_ends_training_early(qtbot: QtBot, mode: NetworkMode) -> None:
    mode.controls.train_steps.setValue(10_000)
    click(qtbot, mode.controls.train)
    qtbot.waitUntil(lambda: mode.run.step_count > 0, timeout=10_000)
    click(qtbot, mode.controls.train)
    steps = mode.run.step_count
    assert not mode.training and 0 < steps < 10_000
    qtbot.wait(100)
    assert mode.run.step_count == steps


def test_depth_10_sigmoid_gradients_vanish_far_below_relus(qtbot: QtBot, mode: NetworkMode) -> None:
    mode.controls.hidden_layers.setValue(10)
    mode.controls.units.setValue(8)
    mode.controls.data.setCurrentIndex(mode.controls.data.findData("moons"))
    mode.controls.compare.setChecked(True)
    assert mode.settings().sizes == (2, *[8] * 10, 1) and mode.settings().compare
    moons = datasets.two_moons()
    curves = {}
    for name, curve, init in (("sigmoid", mode.delta_plot.sigmoid, "xavier"), ("relu", mode.delta_plot.relu, "he")):
        layers, norms = curve.getOriginalDataset()
        assert list(layers) == list(range(1, 12))
        net = Network([2, *[8] * 10, 1], name, "cross_entropy", seed=0, init=init)
        np.testing.assert_allclose(norms, net.backward(moons.X, moons.y).delta_norms, rtol=1e-12)
        curves[name] = norms
    assert curves["sigmoid"][0] < 1e-4 * curves["relu"][0]  # orders of magnitude apart at layer 1
    assert curves["sigmoid"][0] < 1e-5 * curves["sigmoid"][-2]  # sigmoid's vanish towards the input …
    assert curves["relu"][0] > 0.5 * curves["relu"][-2]  # … ReLU's (with He's weights) do not
    mode.controls.compare.setChecked(False)
    assert not mode.delta_plot.sigmoid.isVisible() and len(mode.delta_plot.sigmoid.getOriginalDataset()[0] or []) == 0


def test_big_networks_hide_the_numbers_but_hover_still_tells(qtbot: QtBot, mode: NetworkMode) -> None:
    mode.apply(NetworkSettings(hidden_layers=10, units=8))
    click(qtbot, mode.controls.backward)
    assert not mode.diagram.labels_fit and not mode.diagram.edge_texts
    assert not any(text.isVisible() for column in mode.diagram.delta_texts for text in column)
    assert "δ = ∂L/∂z" in mode.diagram.describe(("neuron", 11, 0))
    assert "∂L/∂w" in mode.diagram.describe(("edge", 10, 0, 3))
    assert [h.text() for h in mode.diagram.headers][:3] == ["in", "1", "2"]


def test_settings_round_trip_restores_the_same_network(qtbot: QtBot, mode: NetworkMode) -> None:
    controls = mode.controls
    controls.hidden_layers.setValue(3)
    controls.units.setValue(5)
    controls.activation.setCurrentIndex(controls.activation.findData("tanh"))
    controls.loss.setCurrentIndex(controls.loss.findData("mse"))
    controls.data.setCurrentIndex(controls.data.findData("line"))
    controls.lr.setValue(0.05)
    controls.clip_on.setChecked(True)
    controls.clip.setValue(2.5)
    controls.weight_decay.setValue(0.001)
    click(qtbot, controls.new_weights)
    controls.train_steps.setValue(250)
    settings = mode.settings()
    assert settings == NetworkSettings(3, 5, "tanh", "mse", "line", 0.05, 2.5, 0.001, 1, 250, False)
    initial = [w.copy() for w, _b in mode.run.network.params]
    mode.advance(20)
    other = NetworkMode()
    qtbot.addWidget(other)
    other.apply(settings)
    assert other.settings() == settings
    for w, w0 in zip(other.run.network.params, initial):
        np.testing.assert_array_equal(w[0], w0)
    assert other.controls.lr.value() == 0.05 and other.controls.clip_on.isChecked()
    mode.apply(settings)  # the same widget goes back to the seed's weights
    assert mode.run.step_count == 0
    np.testing.assert_array_equal(mode.run.network.params[0][0], initial[0])


def test_edits_emit_changed_with_merge_keys_and_apply_emits_nothing(qtbot: QtBot, mode: NetworkMode) -> None:
    keys: list[str] = []
    mode.changed.connect(keys.append)
    mode.controls.lr.setValue(0.5)
    mode.controls.lr.setValue(0.25)
    mode.controls.activation.setCurrentIndex(mode.controls.activation.findData("relu"))
    mode.controls.clip_on.setChecked(True)
    click(qtbot, mode.controls.new_weights)
    click(qtbot, mode.controls.forward)  # not a setting
    assert keys == ["network.lr", "network.lr", "", "network.clip", "network.seed"]
    mode.apply(NetworkSettings())
    assert len(keys) == 5


def test_graphics_items_do_not_grow_with_training(qtbot: QtBot, mode: NetworkMode) -> None:
    mode.apply(NetworkSettings(hidden_layers=2, units=4, data="moons", lr=0.5))
    click(qtbot, mode.controls.forward)
    click(qtbot, mode.controls.backward)
    counts = (mode.diagram.item_count(), len(mode.loss_plot.getPlotItem().items),
              len(mode.boundary_plot.getPlotItem().items), len(mode.delta_plot.getPlotItem().items))
    mode.advance(30)
    click(qtbot, mode.controls.update_weights)
    for _ in range(5):
        mode._train_toggled(True)
        mode.tick()
    mode.stop()
    assert mode.run.step_count > 31
    assert counts == (mode.diagram.item_count(), len(mode.loss_plot.getPlotItem().items),
                      len(mode.boundary_plot.getPlotItem().items), len(mode.delta_plot.getPlotItem().items))


def test_a_diverging_network_is_stopped_and_said_in_words(qtbot: QtBot, mode: NetworkMode) -> None:
    mode.apply(NetworkSettings(hidden_layers=2, units=8, activation="relu", loss="mse", data="moons", lr=10.0,
                               train_steps=500))
    click(qtbot, mode.controls.train)
    qtbot.waitUntil(lambda: not mode.training, timeout=30_000)
    assert mode.run.diverged_at == 84
    assert mode.badge.text() == "diverged at step 84: the loss became ∞ — try a smaller learning rate"
    assert not mode.badge.isHidden()
    assert mode.loss_readout.text() == "stopped: diverged at step 84"
    _steps, losses = mode.loss_plot.curve.getOriginalDataset()
    assert len(losses) == 84 and np.all(np.isfinite(losses))
    click(qtbot, mode.controls.update_weights)  # nothing more happens, and nothing breaks
    click(qtbot, mode.controls.train)
    assert mode.run.step_count == 84 and not mode.training
    click(qtbot, mode.controls.reset)
    assert mode.run.diverged_at is None and mode.badge.isHidden()


def test_clipping_shows_the_norm_before_and_after(qtbot: QtBot, mode: NetworkMode) -> None:
    data = datasets.xor()
    norm = xor_network().backward(data.X, data.y).norm
    assert mode.norm_readout.text().endswith("(no clipping)")
    mode.controls.clip_on.setChecked(True)
    mode.controls.clip.setValue(0.05)
    text = mode.norm_readout.text()
    assert text.startswith("gradient norm ‖∇L‖ = ") and text.endswith("→ clipped to 0.05")
    assert parse_value(text.split("= ")[1].split(" ")[0]) == pytest.approx(norm, rel=SHOWN)
    mode.controls.clip.setValue(10.0)
    assert "under the clip of 10: unchanged" in mode.norm_readout.text()
