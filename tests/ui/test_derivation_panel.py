"""The derivation beside the plot: the rule tree, chain steps drawn, first principles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from conftest import RESULT_TIMEOUT_MS, settle_on
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from calcgui.core.jobs import DerivationView, LimitView, limit_job, steps_job
from calcgui.core.worker import Reply
from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.derivative import DerivativePane
from calcgui.ui.worker_bridge import SymbolicWorker


def pane_of(win: MainWindow) -> DerivativePane:
    pane = win.panes["derivative"]
    assert isinstance(pane, DerivativePane)
    return pane


def show(qtbot: QtBot, win: MainWindow, text: str) -> DerivativePane:
    pane = pane_of(win)
    pane.set_function(text)
    settle_on(qtbot, win, text)
    return pane


def test_the_rule_tree_appears_and_expands(qtbot: QtBot, window: MainWindow) -> None:
    pane = show(qtbot, window, "(2x + 3)^2")
    tree = pane.derivation.tree
    top = tree.topLevelItem(0)
    assert top is not None and top.childCount() == 2  # chain: outer power rule, inner sum
    widget = tree.itemWidget(top, 0)
    assert "let u = 2x + 3" in widget.sentence.text()
    assert widget.formula.has_svg() and "8 x + 12" in widget.formula.latex()
    assert top.isExpanded()  # short derivations open fully
    tree.collapseItem(top)
    assert not top.isExpanded()
    rect = tree.visualItemRect(top)
    arrow = QPoint(rect.left() - tree.indentation() // 2, rect.center().y())  # the branch indicator
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=arrow)
    assert top.isExpanded()


def test_long_derivations_start_collapsed(qtbot: QtBot, window: MainWindow) -> None:
    pane = show(qtbot, window, "x^2 e^x sin(3x) + ln(x^2 + 1)/(x + 2)")
    tree = pane.derivation.tree
    assert len(pane.derivation.step_items()) > 8
    assert not tree.topLevelItem(0).isExpanded()


def test_selecting_a_chain_step_draws_inner_and_outer_functions(qtbot: QtBot, window: MainWindow) -> None:
    pane = show(qtbot, window, "(2x + 3)^2")
    tree = pane.derivation.tree
    top = tree.topLevelItem(0)
    rect = tree.visualItemRect(top)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(pane.plot.overlays) == 2
    (inner, _), (outer, _) = pane.plot.overlays
    xs, ys = inner.getData()
    np.testing.assert_allclose(ys, 2 * np.asarray(xs) + 3)  # u(x) = 2x + 3
    xs, ys = outer.getData()
    shown = np.isfinite(ys)
    np.testing.assert_allclose(ys[shown], np.asarray(xs)[shown] ** 2)  # g(u) = u² drawn as g(x)
    child = top.child(1)  # a sum step, not a chain: the overlays go
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(child).center())
    assert pane.plot.overlays == []


def test_first_principles_tab_shows_the_seed_lines(qtbot: QtBot, window: MainWindow) -> None:
    pane = show(qtbot, window, "2x^2 + 3x + 1")
    panel = pane.derivation
    panel.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not panel.is_busy() and panel.limit_layout.count() > 0, timeout=RESULT_TIMEOUT_MS)
    texts = [panel.limit_layout.itemAt(i).widget() for i in range(panel.limit_layout.count())]
    latex = " ".join(w.latex() for w in texts if hasattr(w, "latex"))
    assert r"\lim_{h \to 0}" in latex
    assert "2 h + 4 x + 3" in latex and latex.rstrip().endswith("= 4 x + 3")
    sentences = [w.text() for w in texts if hasattr(w, "text") and not hasattr(w, "latex")]
    assert "Cancel h:" in sentences and "Let h → 0:" in sentences


def test_first_principles_is_only_computed_when_its_tab_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    pane = show(qtbot, window, "x^3")
    panel = pane.derivation
    assert panel.currentIndex() == 0 and panel.limit_layout.count() == 0  # nothing done unseen
    qtbot.mouseClick(panel.tabBar(), Qt.MouseButton.LeftButton, pos=panel.tabBar().tabRect(1).center())
    qtbot.waitUntil(lambda: panel.limit_layout.count() > 0, timeout=RESULT_TIMEOUT_MS)


@pytest.mark.parametrize(("job", "view"), [(steps_job, DerivationView), (limit_job, LimitView)])
def test_the_panel_jobs_deliver_one_view_and_never_their_phase_marker(
        qtbot: QtBot, worker: SymbolicWorker, job: Callable[..., Iterator[Any]], view: type) -> None:
    """steps_job and limit_job yield a typesetting marker before their view; the panel (and
    its prepare step) must still see exactly one payload, the view."""
    prepared: list[object] = []
    replies: list[Reply] = []

    def prepare(payload: object) -> object:
        prepared.append(payload)
        return payload

    worker.replied.connect(replies.append)
    try:
        job_id = worker.submit(job, "x^3 sin x", "x", channel=f"test-{job.__name__}", prepare=prepare)
        qtbot.waitUntil(lambda: any(r.job_id == job_id and r.is_final for r in replies), timeout=RESULT_TIMEOUT_MS)
    finally:
        worker.replied.disconnect(replies.append)
    assert [type(p) for p in prepared] == [view]
    assert [(r.kind, type(r.payload)) for r in replies if r.job_id == job_id] == [
        ("partial", view), ("done", type(None))]


def limit_widgets(qtbot: QtBot, pane: DerivativePane) -> list[Any]:
    panel = pane.derivation
    panel.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not panel.is_busy() and panel.limit_layout.count() > 0, timeout=RESULT_TIMEOUT_MS)
    return [panel.limit_layout.itemAt(i).widget() for i in range(panel.limit_layout.count())]


@pytest.mark.parametrize(("text", "slope_at_1"), [
    ("sigmoid(x)", 0.19661193324148185), ("relu(x)", 1.0), ("softplus(x)", 0.7310585786300049),
    ("max(x, 0)", 1.0), ("x!", 0.42278433509846713),
])
def test_first_principles_without_a_limit_derivation_says_so_and_shows_the_quotients(
        qtbot: QtBot, window: MainWindow, text: str, slope_at_1: float) -> None:
    """After tan x, sigmoid(x) or relu(x) left tan x's derivation on screen under "the
    calculation failed: NameError: name 'sigmoid' is not defined"."""
    pane = show(qtbot, window, "tan x")
    limit_widgets(qtbot, pane)
    panel = pane.derivation
    pane.set_function(text)
    settle_on(qtbot, window, text)
    widgets = limit_widgets(qtbot, pane)
    assert "Error" not in panel.limit_status.text() and "failed" not in panel.limit_status.text()
    labels = [w.text() for w in widgets if hasattr(w, "text") and not hasattr(w, "latex")]
    said = " ".join(labels)
    assert "no limit derivation" in said or "made of pieces" in said, said
    assert "tan" not in " ".join(w.latex() for w in widgets if hasattr(w, "latex"))
    table = next(t for t in labels if "<table" in t)
    last = table.rsplit("<td align='right'>", 1)[1].split("<", 1)[0]
    assert abs(float(last) - slope_at_1) < 1e-4  # the quotient at h = 1e-6 is near f′(1)


def test_a_failed_derivation_never_leaves_the_previous_one_on_screen(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from slow_jobs import broken_limit_job

    pane = show(qtbot, window, "tan x")
    assert limit_widgets(qtbot, pane)
    monkeypatch.setattr("calcgui.ui.derivation_panel.limit_job", broken_limit_job)
    pane.set_function("x^3 + 1")
    settle_on(qtbot, window, "x^3 + 1")
    panel = pane.derivation
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=RESULT_TIMEOUT_MS)
    assert panel.limit_layout.count() == 0
    assert "No derivation of x^3 + 1" in panel.limit_status.text()


def test_the_rules_end_where_the_typeset_derivative_and_the_plot_are(qtbot: QtBot, window: MainWindow) -> None:
    """|x − 2|: the rules ended on sign(x − 2) while f′ read −1 / 1 / none at 2."""
    pane = show(qtbot, window, "|x - 2|")
    items = pane.derivation.step_items()
    last = pane.derivation.tree.itemWidget(pane.derivation.tree.topLevelItem(
        pane.derivation.tree.topLevelItemCount() - 1), 0)
    assert "no derivative at x = 2" in last.sentence.text()
    typeset = pane.formulas[1].latex()
    assert last.formula.latex() == typeset and r"\begin{cases} -1 & x < 2" in typeset
    assert len(items) >= 2
    pane.plot.show_range((-2.0, 6.0), (-3.0, 3.0))
    xs, ys = np.asarray(pane.plot.curves[1].getData()[0]), np.asarray(pane.plot.curves[1].getData()[1])
    assert (ys[xs < 1.9] == -1).all() and (ys[xs > 2.1] == 1).all()
