"""NetworkRun without any widget: the bookkeeping of a lesson (steps, losses, divergence,
clipping) against the core's Network, and the numbers as the diagram writes them."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from calcgui.core.backprop import Network, datasets
from calcgui.state.network import NetworkSettings
from calcgui.ui.network_run import NetworkRun, data_set, describe_example, format_value, parse_value


@pytest.mark.parametrize(("value", "text"), [
    (0.5, "0.5"), (-0.012345, "−0.0123"), (1.5e-7, "1.5e−7"), (12345.0, "1.23e4"),
    (math.inf, "∞"), (-math.inf, "−∞"), (math.nan, "NaN"), (0.0, "0"),
])
def test_numbers_are_written_in_three_figures_with_true_minus_signs(value: float, text: str) -> None:
    assert format_value(value) == text
    if math.isfinite(value):
        assert parse_value(text) == pytest.approx(value, rel=5e-3)


def test_the_example_is_described_as_shown() -> None:
    assert describe_example(datasets.xor(), 1) == "showing example 2 of 4: (0, 1) → 1"
    assert describe_example(data_set("single")) == "showing example 1 of 1: (0.5, 1) → 1"


def test_training_matches_the_core_step_for_step() -> None:
    settings = NetworkSettings(hidden_layers=2, units=4, activation="tanh", data="moons", lr=0.3, clip=0.5,
                               weight_decay=0.01)
    run = NetworkRun(settings)
    reference = Network(settings.sizes, "tanh", "cross_entropy", seed=0)
    moons = datasets.two_moons()
    losses = [reference.step(0.3, 0.5, 0.01, X=moons.X, Y=moons.y) for _ in range(25)]
    assert run.train(25) == 25 and run.step_count == 25
    np.testing.assert_allclose(run.losses, losses, rtol=1e-12)
    steps, history = run.history()
    assert len(steps) == 26 and history[-1] == pytest.approx(reference.loss(moons.X, moons.y))


def test_an_update_reports_the_norm_before_and_after_clipping() -> None:
    run = NetworkRun(NetworkSettings(clip=0.01))
    norm = run.backward().norm
    update = run.update()
    assert update is not None and update.norm == pytest.approx(norm)
    assert update.clipped_norm == pytest.approx(0.01, rel=1e-4) and update.after < update.before


def test_a_deadline_in_the_past_still_takes_one_step() -> None:
    run = NetworkRun(NetworkSettings())
    assert run.train(100, deadline=time.perf_counter() - 1.0) == 1


def test_divergence_is_found_once_and_stops_training() -> None:
    run = NetworkRun(NetworkSettings(hidden_layers=2, units=8, activation="relu", loss="mse", data="moons", lr=10.0))
    assert run.train(500) == 84
    assert run.diverged_at == 84 and run.train(10) == 0 and run.update() is None
    assert run.divergence == "diverged at step 84: the loss became ∞ — try a smaller learning rate"
    assert run.boundary(21) is None and np.all(np.isfinite(run.history()[1]))
