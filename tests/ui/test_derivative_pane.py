"""The Derivative pane driven like a student: type, wait, read the formulas and the curves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import RESULT_TIMEOUT_MS, settle, settle_on
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sympy_calls import SympyCalls

from calcgui.state import SharedFunctions
from calcgui.ui.function_plot import MIN_SAMPLES, SAMPLES
from calcgui.ui.main_window import MainWindow
from calcgui.ui.panes.derivative import DerivativePane
from calcgui.ui.worker_bridge import SymbolicWorker


def pane_of(win: MainWindow) -> DerivativePane:
    pane = win.panes["derivative"]
    assert isinstance(pane, DerivativePane)
    return pane


def type_keys(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Key presses for ``text``; characters beyond ASCII (√, ², π) arrive as key events that
    carry their text, as from an input method (QTest.keyClicks aborts on them)."""
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_function(qtbot: QtBot, win: MainWindow, text: str) -> None:
    """Select all, type ``text`` key by key, and wait for the results."""
    edit = pane_of(win).input.line_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_keys(qtbot, edit, text)
    settle_on(qtbot, win, text)


def curve(win: MainWindow, index: int) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = pane_of(win).plot.curves[index].getData()
    return np.asarray(xs), np.asarray(ys)


def test_opens_on_the_default_function_with_its_derivative(window: MainWindow) -> None:
    pane = pane_of(window)
    assert pane.input.text() == "2x^2 + 3x + 1"
    assert [label.plain_text() for label in pane.formulas] == [
        "f(x) = 2*x**2 + 3*x + 1", "f'(x) = 4*x + 3", "f''(x) = 4"]
    assert all(label.has_svg() and not label.is_stale() for label in pane.formulas)
    xs, ys = curve(window, 1)
    assert len(xs) > 100
    np.testing.assert_allclose(ys, 4 * xs + 3)


@pytest.mark.parametrize(("text", "first_derivative"), [
    ("sin^2 x", lambda x: 2 * np.sin(x) * np.cos(x)),
    ("e^(-x^2)", lambda x: -2 * x * np.exp(-x**2)),
    ("|x|", np.sign),
    ("√(x+1)", lambda x: 0.5 / np.sqrt(x + 1)),
])
def test_typed_functions_are_differentiated_and_plotted(
        qtbot: QtBot, window: MainWindow, text: str, first_derivative: object) -> None:
    type_function(qtbot, window, text)
    pane = pane_of(window)
    assert pane.input.error_text() == ""
    xs, ys = curve(window, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = first_derivative(xs)  # type: ignore[operator]
    shown = np.isfinite(ys) & np.isfinite(expected) & (np.abs(xs) > 1e-3)
    assert shown.sum() > 100
    np.testing.assert_allclose(ys[shown], expected[shown], rtol=1e-9, atol=1e-9)
    assert pane.formulas[1].has_svg()


def test_a_power_of_sigmoid_is_typeset(qtbot: QtBot, window: MainWindow) -> None:
    """sympy typesets σ(x)² through our ``_latex(printer, exp=...)``: it used to raise there."""
    type_function(qtbot, window, "sigmoid(x)^2")
    pane = pane_of(window)
    assert pane.input.error_text() == ""
    f, df = pane.formulas[0], pane.formulas[1]
    assert f.has_svg() and not f.is_stale() and df.has_svg() and not df.is_stale()
    assert r"\sigma^{2}\left(x\right)" in f.latex()
    assert r"\sigma" in df.latex()


def test_invalid_input_shows_the_error_and_keeps_the_last_result(qtbot: QtBot, window: MainWindow) -> None:
    pane = pane_of(window)
    before = curve(window, 1)
    formula_before = pane.formulas[1].plain_text()
    type_function(qtbot, window, "2x^^3")
    assert pane.input.error_label.isVisible()
    assert "^" in pane.input.error_text()
    np.testing.assert_array_equal(curve(window, 1)[1], before[1])
    assert pane.formulas[1].plain_text() == formula_before
    type_function(qtbot, window, "x^3")  # fixing the text clears the error
    assert pane.input.error_text() == "" and not pane.input.error_label.isVisible()
    xs, ys = curve(window, 1)
    np.testing.assert_allclose(ys, 3 * xs**2)


def test_code_injection_is_an_error_not_code(qtbot: QtBot, window: MainWindow, tmp_path: object) -> None:
    type_function(qtbot, window, "__import__('os').system('ls')")
    assert pane_of(window).input.error_text() != ""


def test_huge_power_is_refused_by_the_parser_bound(qtbot: QtBot, window: MainWindow) -> None:
    """Refused by name before sympy computes anything, not stopped by the time limit."""
    type_function(qtbot, window, "10^10^10")
    error = pane_of(window).input.error_text()
    assert "exponent too large" in error and "more than 1000" in error
    assert "too long" not in error


def test_the_newest_text_wins(qtbot: QtBot, window: MainWindow) -> None:
    pane = pane_of(window)
    pane.set_function("x^3")
    pane.set_function("x^4")
    settle_on(qtbot, window, "x^4")
    xs, ys = curve(window, 1)
    np.testing.assert_allclose(ys, 4 * xs**3)
    assert pane.formulas[1].plain_text() == "f'(x) = 4*x**3"


def test_ln_and_poles_are_drawn_as_gaps(qtbot: QtBot, window: MainWindow) -> None:
    type_function(qtbot, window, "ln x")
    xs, ys = curve(window, 0)
    assert np.isnan(ys[xs <= 0]).all() and np.isfinite(ys[xs > 0.1]).all()
    type_function(qtbot, window, "1/x")
    xs, ys = curve(window, 0)
    a, b = ys[:-1], ys[1:]
    assert not (np.isfinite(a) & np.isfinite(b) & (a < 0) & (b > 0)).any()


def test_curve_toggle_hides_its_curve(qtbot: QtBot, window: MainWindow) -> None:
    pane = pane_of(window)
    qtbot.mouseClick(pane.toggles[2], Qt.MouseButton.LeftButton)
    assert not pane.plot.curves[2].isVisible() and pane.plot.curves[0].isVisible()
    qtbot.mouseClick(pane.toggles[2], Qt.MouseButton.LeftButton)
    assert pane.plot.curves[2].isVisible()


def test_typing_never_blocks_the_ui_thread(qtbot: QtBot, window: MainWindow) -> None:
    """While keys arrive and results land mid-word, the UI thread only submits jobs and draws:
    it runs no sympy at all (how long a keystroke takes: bench/bench_typing.py)."""
    pane = pane_of(window)
    edit = pane.input.line_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    text = "sin(x^2) e^(-x) / (1 + x^2) + ln(x^2 + 1)"
    with SympyCalls() as calls:
        for char in text:
            qtbot.keyClick(edit, char)
            qtbot.wait(30)  # debounce fires mid-word: results arrive while typing
        settle_on(qtbot, window, text)
    assert calls.names == []
    assert edit.text() == text and pane.input.error_text() == ""
    assert pane.formulas[0].plain_text().startswith("f(x) = ")


def test_runaway_work_times_out_with_a_message(qtbot: QtBot, worker: SymbolicWorker) -> None:
    quick = SymbolicWorker(time_limit=0.5)
    win = MainWindow(SharedFunctions(), worker=quick)
    qtbot.addWidget(win)
    try:
        settle(qtbot, win)
        pane = pane_of(win)
        from slow_jobs import endless_job

        pane.job_function = endless_job  # type: ignore[assignment]
        pane.set_function("x^5")
        qtbot.waitUntil(lambda: "too long" in pane.input.error_text(), timeout=RESULT_TIMEOUT_MS)
        assert not pane.is_busy()
    finally:
        quick.close()


def test_a_result_arriving_mid_typing_does_not_overwrite_the_box(qtbot: QtBot, window: MainWindow) -> None:
    pane = pane_of(window)
    # nothing settles mid-word, however slowly the keys arrive on a busy machine: x^3's
    # result is the one that lands while the box says something else
    pane.input.debounce_ms = 60_000
    edit = pane.input.line_edit
    edit.setText("x^3")
    pane.compute("x^3")  # as if the debounce had just fired
    edit.setFocus()
    edit.end(False)
    type_keys(qtbot, edit, " + 2x")  # still typing when x^3's result lands
    qtbot.waitUntil(lambda: pane.formulas[1].plain_text() == "f'(x) = 3*x**2", timeout=RESULT_TIMEOUT_MS)
    assert edit.text() == "x^3 + 2x"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.formulas[1].plain_text() == "f'(x) = 3*x**2 + 2", timeout=RESULT_TIMEOUT_MS)


def test_what_was_typed_wins_over_a_function_from_another_pane(qtbot: QtBot, window: MainWindow) -> None:
    """x^3 + 0 is entered in the tangent pane while the worker is busy; the student then types
    sin x + 1 here. When the tangent's older result lands, this box keeps what was typed; when
    this pane's result lands, it is the function every pane studies."""
    from slow_jobs import slow_derivative_job

    tangent = window.panes["tangent"]
    tangent.job_args = lambda text: (slow_derivative_job, (text, "x"))  # type: ignore[method-assign]
    tangent.set_function("x^3 + 0")
    pane = pane_of(window)
    edit = pane.input.line_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_keys(qtbot, edit, "sin x + 1")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tangent.accepted_text == "x^3 + 0", timeout=RESULT_TIMEOUT_MS)
    assert edit.text() == "sin x + 1"
    settle_on(qtbot, window, "sin x + 1")
    assert edit.text() == "sin x + 1" and pane.accepted_text == "sin x + 1"
    assert pane.formulas[0].plain_text() == "f(x) = sin(x) + 1"
    assert window.state.function_text == "sin x + 1"
    qtbot.waitUntil(lambda: tangent.accepted_text == "sin x + 1", timeout=RESULT_TIMEOUT_MS)


def test_a_huge_paste_is_cut_with_a_note_and_the_window_keeps_its_width(qtbot: QtBot, window: MainWindow) -> None:
    pane = pane_of(window)
    width = window.width()
    minimum = window.minimumSizeHint().width()
    edit = pane.input.line_edit
    QApplication.clipboard().setText("x+" * 50_000)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(edit.text()) == 500
    assert "cut" in pane.input.notice() and pane.input.error_label.isVisible()
    settle_on(qtbot, window, edit.text())
    assert pane.input.error_text() != ""  # x+x+...+ ends with a '+': the error points at the end
    assert window.width() == width and window.minimumSizeHint().width() <= max(minimum, 1280)
    assert pane.input.error_label.sizeHint().width() < 1200
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # the next edit clears the note
    assert pane.input.notice() == ""


def test_a_long_wrong_input_does_not_widen_the_window(qtbot: QtBot, window: MainWindow) -> None:
    pane = pane_of(window)
    minimum = window.minimumSizeHint().width()
    pane.set_function("x" * 240 + "^^" + "x" * 240)
    settle(qtbot, window)
    assert "unexpected" in pane.input.error_text()
    assert window.minimumSizeHint().width() == minimum
    assert "…" in pane.input.error_label.text()  # only the text around the error is repeated


def test_one_slow_function_costs_one_time_limit_across_panes(qtbot: QtBot, tmp_path: Path) -> None:
    """The Derivative and Secant → tangent panes both compute the same runaway text: the
    tangent's job shares the derivative's time limit and is answered without ever running."""
    from functools import partial

    from slow_jobs import marked_endless_job

    quick = SymbolicWorker(time_limit=0.5)
    win = MainWindow(SharedFunctions(), worker=quick)
    qtbot.addWidget(win)
    try:
        settle(qtbot, win)
        pane, tangent = pane_of(win), win.panes["tangent"]
        first, second = tmp_path / "derivative-ran", tmp_path / "tangent-ran"
        pane.job_function = partial(marked_endless_job, marker=str(first))  # type: ignore[assignment]
        tangent.job_args = lambda text: (marked_endless_job, (text, "x", str(second)))  # type: ignore[method-assign]
        pane.set_function("x^7")
        tangent.set_function("x^7")
        for each in (pane, tangent):
            qtbot.waitUntil(lambda each=each: "too long" in each.input.error_text(), timeout=RESULT_TIMEOUT_MS)
        assert first.exists() and not second.exists()
    finally:
        quick.close()


def test_ln_x_has_no_derivative_curves_left_of_zero(qtbot: QtBot, window: MainWindow) -> None:
    """ln x does not exist for x ≤ 0, so neither do f′ = 1/x and f″ = −1/x² there."""
    type_function(qtbot, window, "ln x")
    pane = pane_of(window)
    pane.plot.show_range((-3.0, 3.0), (-3.0, 3.0))
    for index in (1, 2):
        xs, ys = curve(window, index)
        assert np.isnan(ys[xs <= 0]).all(), index
        assert np.isfinite(ys[xs > 0.5]).all(), index
    xs, ys = curve(window, 1)
    np.testing.assert_allclose(ys[xs > 0.5], 1 / xs[xs > 0.5])


def test_the_curves_have_a_sample_per_pixel_of_the_plot_and_follow_its_width(qtbot: QtBot,
                                                                            window: MainWindow) -> None:
    """More samples than pixels are invisible and cost paint time on every keystroke."""
    pane = pane_of(window)
    counts = []
    for width in (1600, 900):
        window.resize(width, 800)
        view = pane.plot.getViewBox()
        expected = min(max(round(view.width() * pane.plot.devicePixelRatioF()), MIN_SAMPLES), SAMPLES)
        qtbot.waitUntil(lambda expected=expected: len(curve(window, 0)[0]) == expected, timeout=5000)
        counts.append(expected)
    assert counts[0] > counts[1] >= MIN_SAMPLES  # a narrower plot, fewer samples


def test_factorial_is_plotted_as_gamma(qtbot: QtBot, window: MainWindow) -> None:
    """x! was typeset but its plot was blank, with no message."""
    import math

    type_function(qtbot, window, "x!")
    pane = pane_of(window)
    assert pane.input.error_text() == ""
    pane.plot.show_range((0.0, 4.0), (0.0, 30.0))
    xs, ys = curve(window, 0)
    shown = np.isfinite(ys)
    assert len(xs) == pane.plot.sample_count() >= MIN_SAMPLES  # one sample per pixel of the plot
    assert shown.mean() > 0.95  # all of it: 4! = 24 is inside the view
    np.testing.assert_allclose(ys[shown], [math.gamma(v + 1) for v in xs[shown]], rtol=1e-9)
    assert np.isfinite(curve(window, 1)[1]).mean() > 0.6  # f' leaves the view near x = 4


def test_a_typesetting_time_out_never_leaves_old_formulas_over_the_new_plot(
        qtbot: QtBot, worker: SymbolicWorker) -> None:
    """The curves of x^5 arrive, then the typesetting runs out of time: the dimmed formulas of
    the previous function used to stay under the new plot indefinitely."""
    from slow_jobs import plot_then_endless_job

    quick = SymbolicWorker(time_limit=1.0)
    win = MainWindow(SharedFunctions(), worker=quick)
    qtbot.addWidget(win)
    try:
        settle(qtbot, win)
        pane = pane_of(win)
        assert pane.formulas[1].plain_text() == "f'(x) = 4*x + 3"
        pane.job_function = plot_then_endless_job  # type: ignore[assignment]
        pane.set_function("x^5")
        qtbot.waitUntil(lambda: "too long" in pane.input.error_text(), timeout=RESULT_TIMEOUT_MS)
        xs, ys = curve(win, 1)
        np.testing.assert_allclose(ys, 5 * xs**4)  # the plot is x^5's ...
        texts = [label.plain_text() for label in pane.formulas]
        assert texts[0] == "f(x) = x^5"  # ... and so are the formulas, or they say why not
        assert all("too long" in t and "4*x + 3" not in t for t in texts[1:]), texts
        assert not any(label.is_stale() for label in pane.formulas)
    finally:
        quick.close()


def test_a_function_that_fails_outright_leaves_a_note_that_the_old_one_is_shown(
        qtbot: QtBot, worker: SymbolicWorker) -> None:
    """Nothing of x^7 arrives: plot, formulas and derivation all keep 2x^2 + 3x + 1, and the
    pane says so in words, not only by a message under the box."""
    from slow_jobs import endless_job

    quick = SymbolicWorker(time_limit=0.5)
    win = MainWindow(SharedFunctions(), worker=quick)
    qtbot.addWidget(win)
    try:
        settle(qtbot, win)
        pane = pane_of(win)
        assert pane.note.isHidden()
        pane.job_function = endless_job  # type: ignore[assignment]
        pane.set_function("x^7")
        qtbot.waitUntil(lambda: "too long" in pane.input.error_text(), timeout=RESULT_TIMEOUT_MS)
        assert not pane.note.isHidden()
        assert pane.note.text().startswith("Still showing f(x) = 2x^2 + 3x + 1: ") and "too long" in pane.note.text()
        assert pane.formulas[1].plain_text() == "f'(x) = 4*x + 3" and not pane.formulas[1].is_stale()
        xs, ys = curve(win, 1)
        np.testing.assert_allclose(ys, 4 * xs + 3)
    finally:
        quick.close()
