"""Gradient descent pane driven with clicks, buttons and sliders."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import RESULT_TIMEOUT_MS
from mouse import click
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.descent import DescentPane


def descent_pane(qtbot: QtBot, win: MainWindow) -> DescentPane:
    win.show_pane("descent")
    pane = win.panes["descent"]
    assert isinstance(pane, DescentPane)
    qtbot.waitUntil(lambda: pane.objective is not None and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    return pane


def plain(rich: str) -> str:
    """What a rich-text label reads as, without its tags."""
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def drawn_path(pane: DescentPane, name: str) -> np.ndarray:
    """The path on the map as drawn: its cached history, then its recent steps."""
    line = pane.plots.path_lines[name]
    parts = [np.c_[item.getData()] for item in (line.history, line.recent) if item.getData()[0] is not None]
    return np.concatenate([p for p in parts if len(p)])


def assert_path_is_the_run(pane: DescentPane, name: str) -> None:
    """Drawn from the start to the current point, through the run's own iterates only."""
    path, points = drawn_path(pane, name), pane.runs[name].points
    assert path[0] == pytest.approx(points[0]) and path[-1] == pytest.approx(points[-1])
    assert all(np.isclose(points, row).all(axis=1).any() for row in path)


def wait_for(qtbot: QtBot, pane: DescentPane, text: str) -> None:
    qtbot.waitUntil(lambda: pane.settled_text == text and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)


def test_rosenbrock_race_opens_with_three_optimizers(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    assert pane.surface_box.currentText() == "Rosenbrock"
    assert sorted(pane.runs) == ["adam", "gd", "momentum"]
    assert pane.counter.text() == "step 0"


def test_clicking_the_map_sets_the_start(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    click(qtbot, pane.map, (0.5, 2.5))
    assert pane.start == pytest.approx((0.5, 2.5), abs=0.05)
    for run in pane.runs.values():
        assert run.points[0] == pytest.approx(pane.start)
    xs, ys = pane.paths["adam"].getData()
    assert (xs[0], ys[0]) == pytest.approx(pane.start)


def test_play_then_pause_advances_the_counter_and_the_paths(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    qtbot.mouseClick(pane.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.step_count >= 20, timeout=5000)
    qtbot.mouseClick(pane.play_button, Qt.MouseButton.LeftButton)
    steps = pane.step_count
    qtbot.wait(100)
    assert pane.step_count == steps  # paused
    assert pane.counter.text() == f"step {steps}"
    assert len(pane.runs["momentum"].points) == steps + 1
    assert_path_is_the_run(pane, "momentum")
    assert "Adam: loss" in plain(pane.legend.text())


def test_changing_lr_while_paused_recomputes_the_path(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
    pane.advance(30)
    before = pane.runs["adam"].points.copy()
    pane.optimizers.sliders["adam"].setValue(pane.optimizers.sliders["adam"].value() - 100)  # lr ÷ 10
    after = pane.runs["adam"].points  # 3 runs × 31 steps: replayed at once, no thread needed
    assert after.shape == before.shape and pane.step_count == 31
    assert not np.allclose(after[1:], before[1:])
    assert_path_is_the_run(pane, "adam")
    assert pane.runs["adam"].lrs[0] == pytest.approx(pane.optimizers.lr("adam"))


def test_raising_gd_learning_rate_diverges_with_a_badge(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.optimizers.set_lr("gd", 0.1)
    pane.advance(50)
    assert pane.runs["gd"].diverged_at is not None
    assert pane.badge.isVisible() or not pane.isVisible()
    assert f"GD diverged at step {pane.runs['gd'].diverged_at}" in pane.badge.text()
    assert "GD: diverged" in plain(pane.legend.text())
    xs, ys = pane.paths["gd"].getData()
    assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))  # nothing non-finite is drawn


def test_one_dimensional_mode_reproduces_the_seed_sequence(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.mode.setCurrentIndex(1)
    pane.set_function("x^2")
    wait_for(qtbot, pane, "x^2")
    assert pane.start[0] == 10.0 and list(pane.runs) == ["gd"]
    for _ in range(10):
        qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
    points = pane.runs["gd"].points[:, 0]
    assert points[1:4] == pytest.approx([8.0, 6.4, 5.12], abs=1e-12)
    assert points[10] == pytest.approx(1.073741824, abs=1e-12)
    assert pane.iterates.item(10, 1).text() == "1.073741824"
    pane.optimizers.set_lr("gd", 0.9)
    assert np.all(np.sign(pane.runs["gd"].points[1:6, 0]) == [-1, 1, -1, 1, -1])  # oscillates
    pane.optimizers.set_lr("gd", 1.5)
    pane.advance(200)
    assert pane.runs["gd"].diverged_at is not None and "diverged" in pane.badge.text()


def test_typed_surface_and_bad_input(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.surface_box.setCurrentIndex(pane.surface_box.count() - 1)  # your own f(x, y)
    pane.set_function("x^2 + 10y^2")
    wait_for(qtbot, pane, "x^2 + 10y^2")
    assert pane.objective is not None and str(pane.objective.expr) == "x**2 + 10*y**2"
    objective = pane.objective
    pane.set_function("x^2 + w")
    wait_for(qtbot, pane, "x^2 + w")
    assert pane.input.error_text()
    assert pane.objective is objective


def type_surface(qtbot: QtBot, pane: DescentPane, text: str) -> None:
    """Pick "Your own f(x, y)" (the last item) and type ``text`` key by key."""
    pane.surface_box.setCurrentIndex(pane.surface_box.count() - 1)
    type_into(qtbot, pane, text)


def type_into(qtbot: QtBot, pane: DescentPane, text: str) -> None:
    edit = pane.input.line_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    wait_for(qtbot, pane, text)


def assert_nothing_non_finite_is_drawn(pane: DescentPane) -> None:
    """No ±inf reaches a plot; NaN only as a gap in a curve (f undefined there); the runs'
    paths, balls and per-step curves are all finite."""
    plots = (pane.map, pane.loss_plot, pane.norm_plot, pane.ball_view.curve_plot)
    for item in [item for plot in plots for item in plot.getPlotItem().listDataItems()]:
        xs, ys = item.getData()
        if xs is not None:
            assert not np.isinf(xs).any() and not np.isinf(ys).any(), item
    runs = (*pane.paths.values(), pane.heads, *pane.loss_curves.values(), *pane.norm_curves.values(),
            *pane.ball_view.balls.values(), *pane.ball_view.tangents.values())
    for item in runs:
        xs, ys = item.getData()
        if xs is not None:
            assert np.isfinite(xs).all() and np.isfinite(ys).all(), item


def play_a_few_frames(qtbot: QtBot, pane: DescentPane) -> None:
    """Press play and let the timer tick: it must stop on its own."""
    qtbot.mouseClick(pane.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not pane.play_button.isChecked(), timeout=5000)


@pytest.mark.parametrize(("text", "start"), [
    ("log(x y)", (-1.5, 2.0)),
    ("sqrt(x - y)", (-1.5, 2.0)),
    ("1/(x^2 + y^2 - 1)", (1.0, 0.0)),
])
def test_a_start_where_f_is_undefined_is_said_and_nothing_runs(
        qtbot: QtBot, window: MainWindow, text: str, start: tuple[float, float]) -> None:
    pane = descent_pane(qtbot, window)
    type_surface(qtbot, pane, text)
    pane.set_start(*start)
    play_a_few_frames(qtbot, pane)
    where = f"({start[0]:g}, {start[1]:g})".replace("-", "−")
    assert pane.counter.text() == "step 0"
    assert pane.badge.text() == f"f is not defined at the start {where}"
    assert pane.badge.isVisible()
    assert pane.legend.text().count("not defined at the start") == len(pane.runs) == 3
    assert_nothing_non_finite_is_drawn(pane)


def test_a_surface_that_overflows_is_flagged_and_stays_drawable(qtbot: QtBot, window: MainWindow) -> None:
    """x^1000 + y^1000 from (−1.5, 2): GD's first step lands near 1e300, where f overflows."""
    pane = descent_pane(qtbot, window)
    type_surface(qtbot, pane, "x^1000 + y^1000")
    pane.set_start(-1.5, 2.0)
    for _ in range(5):
        qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
    assert pane.runs["gd"].diverged_at == 1 and "GD diverged at step 1" in pane.badge.text()
    assert pane.counter.text() == f"step {pane.step_count}"
    assert_nothing_non_finite_is_drawn(pane)
    assert_paths_inside_the_domain(pane)


def assert_paths_inside_the_domain(pane: DescentPane) -> None:
    (x0, x1), (y0, y1) = pane.domain
    for name in pane.runs:
        xs, ys = drawn_path(pane, name).T
        assert ((xs >= x0) & (xs <= x1)).all() and ((ys >= y0) & (ys <= y1)).all()


def test_ln_x_started_at_minus_three_in_1d(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.mode.setCurrentIndex(1)
    type_into(qtbot, pane, "ln x")
    pane.set_start(-3.0)
    play_a_few_frames(qtbot, pane)
    assert pane.counter.text() == "step 0"
    assert pane.badge.text() == "f is not defined at the start x = −3"
    assert "not defined at the start" in pane.legend.text()
    assert_nothing_non_finite_is_drawn(pane)
    assert pane.ball_view.balls["gd"].getData()[0] is None or len(pane.ball_view.balls["gd"].getData()[0]) == 0


def test_a_diverged_path_is_drawn_inside_the_domain(qtbot: QtBot, window: MainWindow) -> None:
    """Beale at lr 10: GD's second step lands near 1e17; it is drawn at the map's edge."""
    pane = descent_pane(qtbot, window)
    pane.surface_box.setCurrentIndex(pane.surface_box.findData("beale"))
    qtbot.waitUntil(lambda: pane.objective is not None and not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    for name in pane.runs:
        pane.optimizers.set_lr(name, 10.0)
    for _ in range(5):
        qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
    assert pane.runs["gd"].diverged_at == 2
    assert abs(pane.runs["gd"].points[-1]).max() > 1e15
    assert len(drawn_path(pane, "gd")) == 3
    assert_paths_inside_the_domain(pane)
    assert_nothing_non_finite_is_drawn(pane)


STARTS = st.one_of(
    st.sampled_from([(0.0, 0.0), (1.0, 0.0), (-1.5, 2.0), (0.0, -1.0), (2.9, -2.9)]),
    st.tuples(st.floats(-3, 3), st.floats(-3, 3)),
)


@pytest.mark.parametrize("text", ["log(x y)", "1/(x^2 + y^2 - 1)", "sqrt(x - y)", "e^(x^2 + y^2)"])
def test_any_start_on_awkward_surfaces_never_raises_or_draws_non_finite(
        qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Starts anywhere, undefined places included, then a few steps: no exception escapes a
    slot (the conftest's hook fails the test), and only finite numbers are drawn."""
    pane = descent_pane(qtbot, window)
    type_surface(qtbot, pane, text)

    @settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(start=STARTS)
    def check(start: tuple[float, float]) -> None:
        pane.set_start(*start)
        for _ in range(3):
            qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
        assert_nothing_non_finite_is_drawn(pane)
        assert pane.counter.text() == f"step {pane.step_count}"

    check()


# -- frame cost, replays, small things (issue #15) ------------------------------------------------
def plot_items(pane: DescentPane) -> list[int]:
    """How many items the map and the per-step plots hold."""
    return [len(plot.getPlotItem().items) for plot in (pane.map, pane.loss_plot, pane.norm_plot)]


def enable_all(qtbot: QtBot, pane: DescentPane) -> None:
    for box in pane.optimizers.boxes.values():
        box.setChecked(True)
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)


def test_the_number_of_plot_items_does_not_grow_with_the_steps(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    enable_all(qtbot, pane)
    pane.advance(10)
    at_ten = plot_items(pane)
    for _ in range(49):
        pane.advance(10)
    assert pane.step_count == 500
    assert plot_items(pane) == at_ten
    for name in pane.runs:
        assert_path_is_the_run(pane, name)
    # a run that settled in place is one vertex per pixel, not one per step
    assert len(drawn_path(pane, "adam")) < 501


def test_loss_plot_starts_with_a_step_axis_from_zero(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    for plot in (pane.loss_plot, pane.norm_plot):
        (x0, x1), _ = plot.getPlotItem().getViewBox().viewRange()
        assert -1 <= x0 <= 0 and 10 <= x1 <= 11
        assert "x0.001" not in plot.getPlotItem().getAxis("bottom").labelString()
    pane.advance(130)
    (x0, x1), _ = pane.loss_plot.getPlotItem().getViewBox().viewRange()
    assert -10 <= x0 <= 0 and 200 <= x1 <= 210


def test_log_axis_labels_whole_decades_with_room_between_them() -> None:
    from calcgui.ui.log_axis import decade_label, labelled_every

    assert [decade_label(k) for k in (-3, 0, 1, 2)] == ["10⁻³", "1", "10", "10²"]
    assert labelled_every(3, 200, 14) == 1
    every = labelled_every(17, 150, 14)
    assert 17 / every * 14 * 1.6 <= 150 and labelled_every(17, 150, 14) > 1


def test_each_preset_shows_its_explanation(qtbot: QtBot, window: MainWindow) -> None:
    from calcgui.core.surfaces import PRESETS

    pane = descent_pane(qtbot, window)
    assert pane.note.text() == PRESETS["rosenbrock"].note and not pane.note.isHidden()
    pane.surface_box.setCurrentIndex(pane.surface_box.findData("beale"))
    assert pane.note.text() == PRESETS["beale"].note == pane.surface_box.toolTip()
    pane.surface_box.setCurrentIndex(pane.surface_box.count() - 1)  # your own f(x, y)
    assert pane.note.isHidden()


def test_an_lr_change_late_in_the_race_is_replayed_off_the_ui_thread(qtbot: QtBot, window: MainWindow) -> None:
    from calcgui.core.descent import run as fresh_run
    from calcgui.ui import descent_replay

    pane = descent_pane(qtbot, window)
    pane.advance(2000)
    threads: list[str] = []
    original = descent_replay.replay

    def spy(*args: object, **kwargs: object) -> object:
        import threading

        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    descent_replay.replay = spy
    try:
        slider = pane.optimizers.sliders["adam"]
        for k in range(1, 6):  # a quick drag: five moves, one replay once it rests
            slider.setValue(slider.value() - 10)
        assert pane.is_busy()
        qtbot.waitUntil(lambda: not pane.is_busy(), timeout=RESULT_TIMEOUT_MS)
    finally:
        descent_replay.replay = original
    assert threads == ["descent-replay"]
    spec = pane._specs["adam"]  # noqa: SLF001
    reference = fresh_run(pane.objective, spec.start, "adam", pane.optimizers.lr("adam"), 2000,
                          dict(spec.hyper), spec.clipping, spec.schedule, spec.bounds)
    np.testing.assert_array_equal(pane.runs["adam"].points, reference.points)
    assert_path_is_the_run(pane, "adam")


def test_speed_is_steps_per_second(qtbot: QtBot, window: MainWindow) -> None:
    pane = descent_pane(qtbot, window)
    pane.speed.setValue(3)
    assert pane.controls.steps_per_second() == 180
    assert pane.controls.speed_label.text() == "180 steps/s"


def test_rosenbrock_map_labels_never_overlap(qtbot: QtBot, window: MainWindow) -> None:
    """Once "0.099 4" and "0.999" over "0.0994": labels at round values, apart, on the map."""
    pane = descent_pane(qtbot, window)
    qtbot.wait(10)
    labels = pane.map.shown_level_labels()
    assert len(labels) >= 4
    texts = [label.toPlainText() for label in labels]
    assert all(float(t) == float(f"{float(t):.1g}") for t in texts), texts  # 0.1, 3, 300: round
    frame = pane.map.getPlotItem().getViewBox().sceneBoundingRect()
    rects = [label.sceneBoundingRect() for label in labels]
    for k, rect in enumerate(rects):
        assert frame.contains(rect), texts[k]
        assert not any(rect.intersects(other) for other in rects[:k]), texts[k]
    assert "x0." not in pane.map.colorbar.axis.labelString()
