"""Inside the optimizers, as a student uses it: click Adam's path and read its step's numbers,
switch on the velocity arrows, open the (γ, β₁) map and race with a cell's values."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import RESULT_TIMEOUT_MS
from mouse import click
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_descent_pane import descent_pane

from calcgui.core.update_rules import format_vector
from calcgui.ui.descent_insights import TAB_INSIDE, TAB_MAP, TAB_PLOTS
from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.descent import DescentPane
from calcgui.ui.sweep_map import grid_values


def lines_of(pane: DescentPane) -> dict[str, object]:
    explained = pane.insights.insight.equations.explanation()
    assert explained is not None
    return {line.lhs: line for line in explained.lines}


def test_clicking_a_head_looks_inside_and_adams_numbers_follow_the_race(qtbot: QtBot,
                                                                        window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.advance(30)
    head = pane.runs["momentum"].points[-1]
    others = [pane.runs[n].points[-1] for n in ("gd", "adam")]
    assert min(np.hypot(*(head - p)) for p in others) > 0.2  # a click there can only mean momentum
    click(qtbot, pane.map, (float(head[0]), float(head[1])))
    assert pane.insights.currentIndex() == TAB_INSIDE
    assert pane.insights.insight.current() == "momentum"
    np.testing.assert_allclose(lines_of(pane)["bₜ"].value,
                               pane.runs["momentum"].optimizer.state["momentum_buffer"], rtol=1e-12)

    pane.insights.insight.choice.setCurrentIndex(pane.insights.insight.choice.findData("adam"))
    record = pane.runs["adam"].step_record(29)
    lines = lines_of(pane)
    np.testing.assert_allclose(lines["m̂ₜ"].value, record.m_hat, rtol=1e-12)
    np.testing.assert_allclose(lines["v̂ₜ"].value, record.v_hat, rtol=1e-12)
    np.testing.assert_allclose(lines["θₜ"].value, record.next_point, rtol=1e-12)
    assert pane.insights.insight.equations.title.text().startswith("Adam, step t = 30 (γ = 0.05")
    assert format_vector(record.m_hat) in pane.insights.insight.equations.body.text()

    qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)  # the equations follow the race
    assert pane.insights.insight.equations.title.text().startswith("Adam, step t = 31")
    np.testing.assert_allclose(lines_of(pane)["θₜ"].value, pane.runs["adam"].points[-1], rtol=1e-12)


def test_before_the_first_step_a_sentence_says_what_will_appear(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.insights.setCurrentIndex(TAB_INSIDE)
    pane.insights.insight.pick("momentum")
    assert pane.insights.insight.equations.explanation() is None
    assert "has not stepped yet" in pane.insights.insight.equations.body.text()
    pane.advance(1)
    assert [line.lhs for line in lines_of(pane).values()] == ["gₜ", "bₜ", "θₜ"]


def test_velocity_arrow_is_minus_lr_times_the_momentum_buffer(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.insights.setCurrentIndex(TAB_INSIDE)
    pane.advance(20)
    pane.insights.insight.toggles["momentum"].setChecked(True)
    overlay = pane.insights.overlay
    run = pane.runs["momentum"]
    shaft = overlay._arrows[("momentum", "momentum")].shaft
    xs, ys = shaft.getData()
    expected = run.points[-1] + overlay.factor * (-run.optimizer.lr * run.optimizer.state["momentum_buffer"])
    assert (xs[0], ys[0]) == pytest.approx(tuple(run.points[-1]))
    assert (xs[1], ys[1]) == pytest.approx(tuple(expected))
    assert shaft.isVisible() and ("gd", "momentum") not in overlay._arrows  # GD keeps no velocity
    assert "dashed: momentum" in pane.insights.arrow_note.text()
    count = overlay.item_count()
    pane.advance(300)  # the arrows move; no item is added
    assert overlay.item_count() == count
    pane.insights.insight.toggles["momentum"].setChecked(False)
    assert not shaft.isVisible()


def test_effective_learning_rate_label_for_adam(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.advance(3)
    pane.insights.insight.toggles["effective_lr"].setChecked(True)
    text = pane.insights.overlay.rates_text()
    run = pane.runs["adam"]
    beta2 = run.optimizer.hyper["betas"][1]
    expected = 0.05 / (np.sqrt(run.optimizer.state["exp_avg_sq"] / (1 - beta2**3)) + 1e-8)
    assert text == f"■ Adam: γ_eff = {format_vector(expected)}"  # GD and momentum have none


def test_a_map_cell_sets_the_race_and_the_race_uses_it(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.insights.setCurrentIndex(TAB_MAP)
    sweep = pane.insights.sweep
    assert sweep.current_optimizer() == "adam"
    sweep.compute.click()
    qtbot.waitUntil(lambda: not sweep.is_running(), timeout=RESULT_TIMEOUT_MS)
    losses = sweep.plot.result().losses
    lrs, betas = grid_values()
    i, j = np.unravel_index(np.nanargmin(losses), losses.shape)  # the darkest cell
    with qtbot.waitSignal(sweep.picked) as picked:
        click(qtbot, sweep.plot, (float(np.log10(lrs[i])), float(betas[j])))
    _, lr, beta = picked.args  # the cell under the pointer: a cell is a pixel or two wide
    i, j = int(np.flatnonzero(lrs == lr)[0]), int(np.flatnonzero(betas == beta)[0])
    assert pane.optimizers.lr("adam") == lr
    assert pane.optimizers.extras["adam"]["beta1"].value() == pytest.approx(beta)
    pane.reset()
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    pane.advance(300)
    # the race with the cell's values ends where the map said it would
    assert pane.runs["adam"].losses[-1] == pytest.approx(losses[i, j], rel=1e-9)


def test_a_map_of_another_start_says_it_is_out_of_date(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.insights.setCurrentIndex(TAB_MAP)
    sweep = pane.insights.sweep
    sweep.compute.click()
    qtbot.waitUntil(lambda: not sweep.is_running(), timeout=RESULT_TIMEOUT_MS)
    assert "Click a cell" in sweep.caption.text()
    pane.set_start(0.5, 2.5)
    assert "changed since" in sweep.caption.text()
    pane.insights.setCurrentIndex(TAB_PLOTS)


def test_one_d_ball_shows_its_step_as_numbers(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.mode.setCurrentIndex(1)
    qtbot.waitUntil(lambda: pane.objective is not None and len(pane.objective.variables) == 1
                    and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    pane.advance(4)
    pane.insights.pick("gd")
    lines, run = lines_of(pane), pane.runs["gd"]
    before, slope = format_vector(run.points[-2]), format_vector(run.gradients[-2])
    assert "(" not in before and lines["θₜ"].numbers == f"{before} − 0.1·{slope}"  # numbers, not vectors
    assert lines["θₜ"].value == pytest.approx(run.points[-1])
    pane.insights.insight.toggles["update"].setChecked(True)
    assert "drawn on the 2D map" in pane.insights.arrow_note.text()
