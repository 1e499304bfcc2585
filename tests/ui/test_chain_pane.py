"""The Chain rule pane driven like a student: type an expression, step the forward and backward
passes with the buttons and the keys, read the graph's numbers and the checked gradient."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy
from conftest import RESULT_TIMEOUT_MS, settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_derivative_pane import type_keys

from calcgui.core.expression_parser import parse
from calcgui.state import ChainSettings, scene_file
from calcgui.state.frozen import FrozenMapping
from calcgui.ui.graph_view import MIN_SCALE, crosses
from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.chain import ChainPane

#: The example scenes as format version 1 wrote them, before this pane.
OLD_SCENES = Path(__file__).resolve().parents[1] / "state" / "scenes_v1"
#: Where to save pictures of the pane to look at (CALCGUI_SHOTS=/tmp/shots); unset: none.
SHOTS = os.environ.get("CALCGUI_SHOTS")


def chain_pane(win: MainWindow) -> ChainPane:
    pane = win.panes["chain"]
    assert isinstance(pane, ChainPane)
    return pane


def open_chain(qtbot: QtBot, win: MainWindow) -> ChainPane:
    win.show_pane("chain")
    pane = chain_pane(win)
    settle(qtbot, win)
    return pane


def type_expression(qtbot: QtBot, win: MainWindow, text: str) -> ChainPane:
    """Open the pane, select all in the box, type ``text`` key by key, wait for its graph."""
    pane = open_chain(qtbot, win)
    edit = pane.input.line_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_keys(qtbot, edit, text)
    qtbot.waitUntil(lambda: pane.settled_text == text and not win.is_busy(), timeout=RESULT_TIMEOUT_MS)
    return pane


def click(qtbot: QtBot, button: object, times: int = 1) -> None:
    for _ in range(times):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def node_named(pane: ChainPane, label: str) -> int:
    ids = [item.node.id for item in pane.graph_view.nodes if item.node.label == label]
    assert len(ids) == 1, f"one node labelled {label!r}, found {len(ids)}"
    return ids[0]


def shot(win: MainWindow, name: str) -> None:
    if SHOTS:
        QApplication.processEvents()  # widgets added a moment ago are shown, layouts settled
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        win.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_the_pane_is_listed_after_gradient_descent(window: MainWindow) -> None:
    titles = [window.switcher.item(row).text() for row in range(window.switcher.count())]
    assert titles[-2:] == ["Gradient descent", "Chain rule"]
    pane = chain_pane(window)
    assert pane.modes.currentWidget() is pane.graph_page
    assert pane.network_page.objectName() == "network_page"


def test_2x_plus_3_squared_forward_then_backward(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "(2x + 3)^2")
    assert pane.variables.names() == ("x",) and pane.variables.boxes["x"].value() == 1.0
    n = len(pane.graph_view.nodes)
    output = pane.graph_view.nodes[-1]
    assert output.node.label == "^2" and output.value_shown == ""
    assert pane.counter.text() == f"forward 0 / {n}"
    assert not pane.backward_button.isEnabled()
    click(qtbot, pane.forward_button, n)
    assert output.value_shown == "= 25"
    assert pane.counter.text() == f"forward {n} / {n}"
    assert pane.panel.sentence.text() == "v5 = v4^2 = 5^2 = 25"
    assert not pane.forward_button.isEnabled() and pane.backward_button.isEnabled()
    x = pane.graph_view.nodes[node_named(pane, "x")]
    assert x.adjoint_shown == "" and pane.panel.gradient_text() == ""
    click(qtbot, pane.backward_button, n - 2)
    assert pane.counter.text() == f"backward {n - 2} / {n}"
    assert x.adjoint_shown == ""  # reverse order: x is the last but one (the constant 2 last)
    click(qtbot, pane.backward_button)
    assert x.adjoint_shown == "∂f/∂x = 20" and pane.panel.gradient_text() == ""
    click(qtbot, pane.backward_button)
    assert pane.counter.text() == f"backward {n} / {n}" and not pane.backward_button.isEnabled()
    qtbot.waitUntil(lambda: pane.formulas is not None, timeout=RESULT_TIMEOUT_MS)
    gradient = pane.panel.gradient_text()
    assert "∂f/∂x = 8x + 12" in gradient and "= 20 at x = 1" in gradient and "✓" in gradient
    assert pane.panel.formulas[0].has_svg()
    shot(window, "chain-2x3-end")


def test_edges_show_local_derivative_and_product_in_the_backward_pass(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "(2x + 3)^2")
    n = len(pane.graph_view.nodes)
    click(qtbot, pane.forward_button, n)
    assert all(edge.label == "" for edge in pane.graph_view.edges)
    click(qtbot, pane.backward_button, 2)  # the output, then v4 = 2x + 3: its use by ^2
    edge = next(e for e in pane.graph_view.edges if e.edge.target == n - 1)
    assert edge.label == "∂v5/∂v4 = 10\n1·10 = 10" and edge.current == "backward"
    assert pane.panel.sentence.text() == "∂f/∂v4 = 1·10 = 10"


def test_a_shared_x_sums_its_two_paths(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "(x*y + sin(x))^2")
    assert pane.variables.names() == ("x", "y")
    x = node_named(pane, "x")
    assert len([e for e in pane.graph_view.edges if e.edge.source == x]) == 2  # one node, used twice
    pane.replay.set_position(pane.replay.total)
    x_sym, y_sym = sympy.symbols("x y", real=True)
    expected = float(sympy.diff(parse("(x*y + sin(x))^2", ("x", "y")), x_sym).subs({x_sym: 1, y_sym: 2}))
    node = pane.graph_view.nodes[x]
    assert node.node.adjoint == pytest.approx(expected, rel=1e-12)
    assert node.adjoint_shown == f"∂f/∂x = {expected:.4g}"
    assert pane.result is not None and all(p.agrees for p in pane.result.partials)
    assert pane.panel.gradient_text().count("✓") == 2
    shot(window, "chain-shared-x-end")
    pane.replay.set_position(len(pane.graph_view.nodes) + 3)
    shot(window, "chain-shared-x-backward-3")


def test_clicking_a_node_shows_its_local_derivative(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "sin((4x)^2)")
    qtbot.waitUntil(lambda: pane.formulas is not None, timeout=RESULT_TIMEOUT_MS)
    sine = node_named(pane, "sin")
    qtbot.mouseClick(pane.graph_view.viewport(), Qt.MouseButton.LeftButton, pos=pane.graph_view.view_point(sine))
    assert pane.graph_view.selected == sine
    assert pane.panel.node_formula.plain_text() == "d/du sin(u) = cos(u)"
    assert pane.panel.node_formula.has_svg()
    assert "sin" in pane.panel.node_title.text()


def test_relu_at_its_kink_says_which_convention(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_chain(qtbot, window)
    pane.examples.activated.emit(7)  # ReLU(x) at its kink, x = 0
    pane.examples.setCurrentIndex(0)
    qtbot.waitUntil(lambda: pane.settled_text == "relu(x)" and not window.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.variables.boxes["x"].value() == 0.0
    pane.select_node(node_named(pane, "ReLU"))
    assert "ReLU'(0) is taken as 0" in pane.panel.node_note.text()
    pane.replay.set_position(pane.replay.total)
    text = pane.panel.gradient_text()
    assert "✗" not in text and "⚠" in text and "no derivative exists there" in text
    assert "The graph gives 0 by torch's convention" in text and "the formula gives 0.5" in text


def test_arrow_keys_step_and_r_resets_but_typing_is_not_stolen(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "(x^2)^3")
    view = pane.graph_view
    view.setFocus()
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert pane.replay.position == 3 and pane.counter.text() == "forward 3 / 3"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert pane.counter.text() == "backward 1 / 3"
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert pane.replay.position == 3
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert pane.replay.position == 0
    edit = pane.input.line_edit
    edit.setFocus()
    edit.setCursorPosition(len(edit.text()))
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    qtbot.keyClick(edit, Qt.Key.Key_R)
    assert pane.replay.position == 0 and edit.text() == "(x^2)^r3"


def test_space_plays_by_the_clock_and_pauses(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "(x^2)^3")
    now = [100.0]
    pane.replay._clock = lambda: now[0]  # noqa: SLF001 (a test clock: no wall-clock assertion)
    pane.graph_view.setFocus()
    qtbot.keyClick(pane.graph_view, Qt.Key.Key_Space)
    assert pane.replay.is_playing() and pane.replay.position == 1
    now[0] += 2.0  # 1.5 steps a second: three more steps
    pane.replay.tick()
    assert pane.replay.position == 4
    qtbot.keyClick(pane.graph_view, Qt.Key.Key_Space)
    assert not pane.replay.is_playing()
    now[0] += 10.0
    pane.replay.tick()
    assert pane.replay.position == 4


def test_an_undefined_point_is_named_and_the_last_graph_kept_stale(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "ln x")
    before = [item.node.label for item in pane.graph_view.nodes]
    pane.variables.boxes["x"].setValue(-1.0)
    qtbot.waitUntil(lambda: pane.last_error != "" and not window.is_busy(), timeout=RESULT_TIMEOUT_MS)
    error = pane.input.error_text()
    assert "undefined at x = -1" in error and "log(x)" in error
    assert pane.input.error_label.isVisibleTo(pane)
    assert [item.node.label for item in pane.graph_view.nodes] == before and pane.graph_view.stale
    pane.variables.boxes["x"].setValue(2.0)
    qtbot.waitUntil(lambda: pane.last_error == "" and not window.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert not pane.graph_view.stale and pane.result is not None and pane.result.values == {"x": 2.0}


def test_a_graph_of_30_nodes_stays_readable(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "sigmoid(w x + b)^2 + tanh(x y - z)·e^(-x^2) + ln(1 + w^2 b^2) / (1 + sin(x z))")
    assert 20 <= len(pane.graph_view.nodes) <= 40
    assert pane.graph_view.scale_factor() >= MIN_SCALE  # scrolls rather than shrinks past reading
    pane.replay.set_position(len(pane.graph_view.nodes) + 8)
    shot(window, "chain-30-nodes")


def test_a_too_large_expression_is_refused_with_the_core_s_message(qtbot: QtBot, window: MainWindow) -> None:
    text = " + ".join(f"sin({k}x)" for k in range(2, 45))
    pane = type_expression(qtbot, window, text)
    assert "more than 120 nodes" in pane.input.error_text()


def test_values_survive_a_change_of_function(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "x*y")
    pane.variables.boxes["y"].setValue(3.5)
    qtbot.waitUntil(lambda: pane.result is not None and pane.result.values.get("y") == 3.5 and not window.is_busy(),
                    timeout=RESULT_TIMEOUT_MS)
    pane = type_expression(qtbot, window, "sigmoid(w x + b) + y")
    assert pane.variables.names() == ("x", "y", "w", "b")
    assert pane.variables.boxes["y"].value() == 3.5 and pane.variables.boxes["w"].value() == 0.5


def test_switching_panes_and_back_keeps_the_state(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "(x*y + sin(x))^2")
    click(qtbot, pane.forward_button, 4)
    window.show_pane("derivative")
    settle(qtbot, window)
    assert window.panes["derivative"].input.text() != "(x*y + sin(x))^2"  # x·y is not an f(x)
    window.show_pane("chain")
    assert pane.input.text() == "(x*y + sin(x))^2" and pane.replay.position == 4


def test_an_f_of_x_typed_elsewhere_is_adopted(qtbot: QtBot, window: MainWindow) -> None:
    open_chain(qtbot, window)
    window.set_function("x^3 - x")
    settle(qtbot, window)
    assert chain_pane(window).accepted_text == "x^3 - x"


def test_settings_round_trip_restores_mode_function_values_and_step(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "sigmoid(w x + b)")
    wanted = ChainSettings(mode="network", function="(x*y + sin(x))^2",
                           values=FrozenMapping({"x": 0.5, "y": -1.0, "z": 1.0, "w": 0.5, "b": 0.1}), step=9)
    pane.apply(wanted)
    qtbot.waitUntil(lambda: pane.settled_text == wanted.function and not window.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert pane.settings() == wanted
    assert pane.modes.currentWidget() is pane.network_page
    assert pane.counter.text() == "backward 3 / 6"
    pane.apply(ChainSettings(mode="graph", function=wanted.function, values=wanted.values, step=2))
    assert pane.replay.position == 2 and pane.modes.currentWidget() is pane.graph_page


def test_an_old_scene_without_the_pane_opens_with_its_defaults(qtbot: QtBot, window: MainWindow) -> None:
    scene = scene_file.load(OLD_SCENES / "secant-to-tangent.calcgui")  # a version 1 file
    assert scene.chain == ChainSettings(function=scene.function)
    window.apply_scene(scene)
    settle(qtbot, window)
    pane = chain_pane(window)
    assert pane.settings().function == scene.function == "x^2", pane.last_error


def test_undo_takes_back_steps_and_values(qtbot: QtBot, window: MainWindow) -> None:
    pane = type_expression(qtbot, window, "(2x + 3)^2")
    qtbot.waitUntil(lambda: window._recording, timeout=RESULT_TIMEOUT_MS)  # noqa: SLF001
    click(qtbot, pane.forward_button, 2)
    qtbot.waitUntil(lambda: window.history.current.chain.step == 2, timeout=RESULT_TIMEOUT_MS)
    pane.variables.boxes["x"].setValue(2.0)
    qtbot.waitUntil(lambda: window.history.current.chain.values["x"] == 2.0 and not window.is_busy(),
                    timeout=RESULT_TIMEOUT_MS)
    window.undo()
    qtbot.waitUntil(lambda: pane.result is not None and pane.result.values == {"x": 1.0} and not window.is_busy(),
                    timeout=RESULT_TIMEOUT_MS)
    assert pane.variables.boxes["x"].value() == 1.0 and pane.replay.position == 2
    window.undo()
    assert pane.replay.position == 0


def test_screenshot_of_the_chain_pane(tmp_path: Path) -> None:
    out = tmp_path / "chain.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "calcgui", "--fresh", "--pane", "chain", "--function",
                             "sigmoid(w x + b)", "--screenshot", str(out), "--size", "1280x720"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)


def test_the_network_mode_is_part_of_the_scene_and_of_undo(qtbot: QtBot, window: MainWindow) -> None:
    pane = open_chain(qtbot, window)
    qtbot.mouseClick(pane.network_button, Qt.MouseButton.LeftButton)
    assert pane.modes.currentWidget() is pane.network_page and pane.settings().mode == "network"
    qtbot.waitUntil(lambda: window._recording, timeout=RESULT_TIMEOUT_MS)  # noqa: SLF001
    pane.network_page.controls.hidden_layers.setValue(4)
    qtbot.waitUntil(lambda: window.history.current.chain.network.hidden_layers == 4, timeout=RESULT_TIMEOUT_MS)
    assert pane.network_page.run.network.sizes == (2, 3, 3, 3, 3, 1)
    saved = window.scene()
    pane.network_page.controls.activation.setCurrentIndex(pane.network_page.controls.activation.findData("relu"))
    assert pane.settings().network.activation == "relu"
    window.apply_scene(saved)
    assert pane.settings().network == saved.chain.network
    assert pane.network_page.controls.hidden_layers.value() == 4
    assert pane.network_page.run.network.activation == saved.chain.network.activation


def test_the_backprop_example_opens_with_the_gradient_as_products(qtbot: QtBot, window: MainWindow) -> None:
    from calcgui.ui.scene_files import examples_folder

    assert window.files.open_path(examples_folder() / "backprop-graph.calcgui", as_file=False)
    settle(qtbot, window)
    pane = chain_pane(window)

    def graph_shown() -> None:  # on a time-out, says what the pane was doing
        busy = [name for name, other in window.panes.items() if other.is_busy()]
        shown = pane.result.text if pane.result is not None else None
        assert shown == "(2x + 3)^2" and not busy, (shown, pane.input.text(), busy, pane.last_error)

    qtbot.waitUntil(graph_shown, timeout=RESULT_TIMEOUT_MS)
    assert window.current_pane() is pane and pane.replay.position == pane.replay.total == 12
    text = pane.panel.gradient_text()
    assert "∂f/∂x = 8x + 12 = 20 at x = 1" in text and "✓" in text


def test_an_edge_that_skips_a_column_goes_round_the_node_between(qtbot: QtBot, window: MainWindow) -> None:
    """x³ − x: the edge x → − must not cross the x³ box (it read as two edges from x³)."""
    pane = type_expression(qtbot, window, "x^3 - x")
    x, cube, minus = node_named(pane, "x"), node_named(pane, "^3"), node_named(pane, "−")
    skip = [item for item in pane.graph_view.edges if (item.edge.source, item.edge.target) == (x, minus)]
    assert len(skip) == 1
    box = pane.graph_view.nodes[cube].sceneBoundingRect()
    assert not crosses(skip[0].path(), box)
    assert not any(crosses(item.path(), pane.graph_view.nodes[k].sceneBoundingRect())
                   for item in pane.graph_view.edges for k in range(3) if k not in (item.edge.source, item.edge.target))
