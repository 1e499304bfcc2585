"""Secant → tangent pane: drag a point along the curve, shrink h, watch the slope converge,
and see why h → 0 fails on a computer (the round-off "V")."""

from __future__ import annotations

import math
import time

import numpy as np
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSlider, QSplitter, QToolButton,
    QVBoxLayout, QWidget,
)

from calcgui.core.compiled import CompiledDerivatives, compile_derivatives
from calcgui.core.jobs import DerivativeFormulas, derivative_job, typeset_job
from calcgui.core.point_placement import place_point
from calcgui.core.secant import best_steps, differentiability, error_curves, quotient_table, secant_slope
from calcgui.core.worker import Reply
from calcgui.state import SharedFunctions, TangentSettings, ViewRange
from calcgui.ui.math_view import MathLabel
from calcgui.ui.panes.base import Pane
from calcgui.ui.panes.derivative import EXAMPLES
from calcgui.ui.quotient_views import ErrorPlot, QuotientTable
from calcgui.ui.secant_plot import SecantPlot
from calcgui.ui.tangent_verdicts import VerdictBook
from calcgui.ui.worker_bridge import SymbolicWorker

if TYPE_CHECKING:  # the module imports sympy: not before the first paint
    from calcgui.core.differentiability import Differentiability

CHANNEL = "tangent"
LABELS_CHANNEL = "tangent-labels"
CHECKING = "Checking whether f′(x₀) exists…"
WARNING_STYLE = "color: #8A4B00; background: #FFF4DC; padding: 6px; border-radius: 4px;"
NOTE_STYLE = "padding: 6px;"
#: While P is dragged, the table and the error plot refresh at most this often; the curve,
#: secant, tangent and numbers follow the mouse on every move.
SECONDARY_REFRESH_MS = 80
#: The h slider: |h| = 10^(-value / 100), from 1 down to 1e-12.
SLIDER_STEPS = 1200
ANIMATION_SECONDS = 5.0
ANIMATION_TICK_MS = 30
TEMPLATES = (r"\frac{f(x_0 + h) - f(x_0)}{h}", r"f^{\prime}(x_0)")


class TangentPane(Pane):
    """f(x) with a secant through P and Q, the tangent at P, the quotient table and the
    error plot. ``x0`` and ``h`` are the state; everything else is drawn from them."""

    title = "Secant → tangent"
    channel = CHANNEL
    prepare = staticmethod(compile_derivatives)

    def __init__(self, state: SharedFunctions, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        super().__init__(state, worker, label="f(x) =", examples=EXAMPLES,
                         placeholder="e.g. x^3 - x, |x|, ln x", parent=parent)
        self._f = self._f_prime = None
        self.x0, self.h = 1.0, 10 ** -0.3  # h ≈ 0.5: Q well inside the first view
        self._exact = float("nan")
        self._pending_view: ViewRange | None = None
        #: an x₀ refused because f is not defined there, while P stays put
        self._refused: float | None = None

        self.plot = SecantPlot()
        self.plot.x0_dragged.connect(self._drag_p)
        self.plot.q_dragged.connect(self._drag_q)
        self.plot.installEventFilter(self)
        self.table = QuotientTable()
        self.errors = ErrorPlot()
        self._build_controls()
        self._build_readouts()
        self._layout()

        self._secondary = QTimer(self, singleShot=True, interval=SECONDARY_REFRESH_MS)
        self._secondary.timeout.connect(self._refresh_secondary)
        #: the animation's clock (tests replace it)
        self.clock: Callable[[], float] = time.monotonic
        self._animation_origin = (0.0, 0)
        self._animation = QTimer(self, interval=ANIMATION_TICK_MS)
        self._animation.timeout.connect(self._animate_step)
        worker.replied.connect(self._on_labels)
        #: whether f′(x₀) exists, for the points on screen, from the worker
        self._verdicts = VerdictBook(worker, self._wanted, parent=self)
        self._verdicts.arrived.connect(self._on_verdict)
        self._verdicts.answered.connect(self.maybe_settled)
        self._labels_job = worker.submit(typeset_job, TEMPLATES, channel=LABELS_CHANNEL)
        self.begin()

    # -- construction ---------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setToolTip("|h| on a log scale, from 1 down to 10⁻¹² (Shift+arrows on the plot)")
        self.slider.setValue(30)
        self.slider.valueChanged.connect(self._slider_moved)
        self.sign = QToolButton(text="h > 0", checkable=True)
        self.sign.setToolTip("Put Q left of P (h < 0)")
        self.sign.toggled.connect(lambda negative: (self.sign.setText("h < 0" if negative else "h > 0"),
                                                    self._slider_moved(self.slider.value())))
        self.h_label = QLabel()
        self.animate = QPushButton("Animate h → 0")
        self.animate.setCheckable(True)
        self.animate.toggled.connect(self._toggle_animation)
        self.auto_zoom = QCheckBox("Zoom with h")
        self.auto_zoom.setToolTip("Follow P as h shrinks: the curve looks straighter and straighter")
        self.auto_zoom.toggled.connect(lambda on: self._zoom() if on else self.plot.frame())
        self.auto_zoom.toggled.connect(lambda _on: self.changed.emit(""))

    def _build_readouts(self) -> None:
        big = QFont()
        big.setPointSizeF(15)
        self.secant_formula, self.tangent_formula, self.derivative_formula = MathLabel(), MathLabel(), MathLabel()
        self.secant_value, self.tangent_value, self.x0_label = QLabel(), QLabel(), QLabel()
        for widget in (self.secant_formula, self.tangent_formula, self.derivative_formula,
                       self.secant_value, self.tangent_value, self.x0_label):
            widget.setFont(big)
        self.secant_value.setStyleSheet("color: #D55E00;")
        self.tangent_value.setStyleSheet("color: #009E73;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.kept_note = QLabel()
        self.kept_note.setWordWrap(True)
        self.kept_note.setStyleSheet(WARNING_STYLE)
        self.kept_note.hide()

    def _layout(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("h"))
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.sign)
        controls.addWidget(self.h_label)
        controls.addWidget(self.animate)
        controls.addWidget(self.auto_zoom)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.plot, 1)
        left_column.addLayout(controls)
        left_column.addWidget(self.message)  # under the picture it is about, wide enough for a sentence

        readouts = QGridLayout()
        readouts.addWidget(self.x0_label, 0, 0, 1, 2)
        readouts.addWidget(self.secant_formula, 1, 0)
        readouts.addWidget(self.secant_value, 1, 1)
        readouts.addWidget(self.tangent_formula, 2, 0)
        readouts.addWidget(self.tangent_value, 2, 1)
        readouts.addWidget(self.derivative_formula, 3, 0, 1, 2)
        readouts.setColumnStretch(1, 1)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.kept_note)
        right_column.addLayout(readouts)
        right_column.addWidget(self.errors, 1)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(right)
        top.setSizes([640, 460])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(self.table)
        body.setSizes([520, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(self.input_row)
        layout.addWidget(body, 1)

    # -- public -----------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return super().is_busy() or self._secondary.isActive() or self.verdict_pending()

    def verdict_pending(self) -> bool:
        """Whether a sentence on screen still waits for the worker's verdict."""
        return self._f is not None and self._verdicts.pending()

    def job_args(self, text: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return derivative_job, (text, "x")

    def set_x0(self, x0: float) -> bool:
        """Move P to x0; refused (False, with a message) where f is not defined."""
        if self._f is None:
            return False
        if not np.isfinite(self._f(np.array([x0]))[0]):
            self._refused = float(x0)  # the core says why, in its words, when it has decided
            self._verdicts.ask_next()
            self._redraw(new_x0=False)
            return False
        self.x0, self._refused = float(x0), None
        self._redraw(new_x0=True)
        return True

    def set_h(self, h: float) -> None:
        """Set h (either sign, 1e-12 ≤ |h| ≤ 1), moving the slider to match."""
        magnitude = min(max(abs(h), 1e-12), 1.0)
        self.h = math.copysign(magnitude, h if h != 0 else 1.0)
        self.slider.blockSignals(True)
        self.slider.setValue(round(-100 * math.log10(magnitude)))
        self.slider.blockSignals(False)
        self.sign.blockSignals(True)
        self.sign.setChecked(self.h < 0)
        self.sign.setText("h < 0" if self.h < 0 else "h > 0")
        self.sign.blockSignals(False)
        self._redraw(new_x0=False)

    def settings(self) -> TangentSettings:
        return TangentSettings(function=self.accepted_text or TangentSettings.function, x0=self.x0, h=self.h,
                               zoom_with_h=self.auto_zoom.isChecked(),
                               view=ViewRange(self.plot.x_range(), self.plot.y_range()))

    def apply(self, settings: TangentSettings) -> None:
        self.x0 = settings.x0
        self.auto_zoom.blockSignals(True)
        self.auto_zoom.setChecked(settings.zoom_with_h)
        self.auto_zoom.blockSignals(False)
        if settings.function == self.accepted_text:
            if settings.view is not None:
                self.plot.show_range(settings.view.x, settings.view.y)
            self.set_h(settings.h)
            self._redraw(new_x0=True)
        else:
            self._pending_view = settings.view
            self.set_h(settings.h)
        self.apply_function(settings.function)

    def secant_slope(self) -> float:
        return secant_slope(self._f, self.x0, self.h) if self._f is not None else float("nan")

    def tangent_slope(self) -> float:
        """f′(x₀) as shown: the worker's (exact) value once it has decided, until then f′ compiled."""
        verdict = self.verdict()
        if verdict is not None:
            return verdict.slope if verdict.slope is not None else float("nan")
        return float(self._f_prime(np.array([self.x0]))[0]) if self._f_prime is not None else float("nan")

    def verdict(self) -> Differentiability | None:
        """The worker's verdict on the current P; None while it is being checked (or failed)."""
        return self._verdicts.verdict(self.accepted_text, self.x0)

    # -- results ----------------------------------------------------------------------------
    def _on_labels(self, reply: Reply) -> None:
        if reply.channel == LABELS_CHANNEL and reply.kind == "partial":
            for label, formula in zip((self.secant_formula, self.tangent_formula), reply.payload):
                label.set_formula(formula.svg, formula.plain, formula.latex)

    def show_result(self, payload: object) -> None:
        if isinstance(payload, CompiledDerivatives):
            self._new_function(payload)
        elif isinstance(payload, DerivativeFormulas):
            formula = payload.formulas[1]
            self.derivative_formula.set_formula(formula.svg, formula.plain, formula.latex)

    def job_finished(self) -> None:
        """After an error, say which function the plot, P and the numbers show: never two."""
        if self.last_error and self.accepted_text == self._job_text:  # drawn, but not typeset
            self.derivative_formula.set_formula(
                None, f"f′(x) of {self.accepted_text} could not be typeset ({self.last_error}); "
                "the plot and the numbers are for it")
        kept = bool(self.last_error) and bool(self.accepted_text) and self.accepted_text != self._job_text
        self.kept_note.setText(f"Still showing f(x) = {self.accepted_text}: the plot, P, the numbers and "
                               "f′(x) are for it, not for the text in the box." if kept else "")
        self.kept_note.setVisible(kept)

    def _new_function(self, compiled: CompiledDerivatives) -> None:
        self.accept_function()
        self.kept_note.hide()
        self._f, self._f_prime = compiled.functions[0], compiled.functions[1]
        # f′ of the previous function must not stay beside this plot until the typeset one comes
        self.derivative_formula.set_formula(None, f"f′(x) of {self.accepted_text}: typesetting…")
        view, self._pending_view = self._pending_view, None
        self.plot.set_function(self._f, frame=view is None)
        if view is not None:
            self.plot.show_range(view.x, view.y)
        else:
            self._bring_p_into_view()
        # in the domain and on screen, never at a pole's edge (see core.point_placement)
        self.x0 = place_point(self._f, self.x0, self.plot.x_range(), self.plot.y_range())
        self._refused = None
        self._redraw(new_x0=True)

    # -- the verdict ----------------------------------------------------------------------------
    def _wanted(self) -> list[tuple[str, float]]:
        """The verdicts the screen needs, the most recent request first."""
        wanted = [] if self._refused is None else [(self.accepted_text, self._refused)]
        return [*wanted, (self.accepted_text, self.x0)]

    def _on_verdict(self) -> None:
        """A verdict the screen waited for is in."""
        self._redraw(new_x0=False)
        self._secondary.start()  # the table's errors are against the exact slope now

    def _sentence(self, verdict: Differentiability | None, guess: str) -> tuple[str, bool]:
        """What the message box says about P (and whether it is a warning)."""
        if self._refused is not None:
            found = self._verdicts.verdict(self.accepted_text, self._refused)
            why = found.message if found is not None else \
                f"x₀ = {self._refused:.4g} is outside the domain of f"
            return f"{why}. P stays at x₀ = {self.x0:.6g}.", True
        if verdict is not None:
            return verdict.message, verdict.verdict != "differentiable"
        failure = self._verdicts.found(self.accepted_text, self.x0)
        if isinstance(failure, str):
            return (f"Whether f′(x₀) exists could not be decided ({failure}). The difference quotients "
                    f"suggest: {guess or 'a derivative'}"), True
        return CHECKING, False

    # -- drawing ----------------------------------------------------------------------------
    def _redraw(self, *, new_x0: bool) -> None:
        if self._f is None:
            return
        if new_x0:
            self._verdicts.ask_next()
        verdict = self.verdict()
        half: tuple[float | None, float | None] | None = None
        if verdict is not None:
            tangent = verdict.slope if verdict.verdict == "differentiable" else None
            if verdict.verdict in ("corner", "vertical", "undefined"):
                half = (verdict.left, verdict.right)  # one-sided tangents, where they exist
        else:  # a first guess from quotients, instant, until the worker has decided
            guess = differentiability(self._f, self.x0)
            slope = float(self._f_prime(np.array([self.x0]))[0])
            tangent = slope if guess.verdict == "differentiable" and np.isfinite(slope) else None
        self.plot.show_points(self.x0, self.h, tangent, half)
        secant = self.secant_slope()
        self.x0_label.setText(f"x₀ = {self.x0:.6g}    h = {self.h:.3g}")
        self.h_label.setText(f"h = {self.h:.1e}")
        self.secant_value.setText(f"= {secant:.12g}" if np.isfinite(secant) else "= undefined")
        pending = verdict is None and not self._verdicts.decided(self.accepted_text, self.x0)
        self.tangent_value.setText(f"= {tangent:.12g}" if tangent is not None
                                   else "checking…" if pending else "does not exist")
        self._say(*self._sentence(verdict, "" if verdict is not None else guess.message))
        self._exact = tangent if tangent is not None else float("nan")
        if new_x0 and not self._secondary.isActive():
            self._secondary.start()
        self.errors.mark_h(self.h)
        if self.auto_zoom.isChecked():
            self._zoom()

    def _refresh_secondary(self) -> None:
        """The table and the error curves for the current x0 (coalesced while dragging)."""
        if self._f is None:
            return
        self.table.show_rows(quotient_table(self._f, self.x0, self._exact))
        self.errors.show_errors(*error_curves(self._f, self.x0, self._exact), best_steps(self.x0))
        self.maybe_settled()

    def flush(self) -> None:
        """Bring the table and the error plot up to date now (tests, screenshots)."""
        if self._secondary.isActive():
            self._secondary.stop()
            self._refresh_secondary()

    def _zoom(self) -> None:
        """Centre on P with a window a few |h| wide (never below what float64 can show)."""
        if self._f is None:
            return
        half = max(3 * abs(self.h), 1e-6 * max(1.0, abs(self.x0)))
        y0 = float(self._f(np.array([self.x0]))[0])
        slope = abs(self.tangent_slope()) if np.isfinite(self.tangent_slope()) else 1.0
        y_half = half * max(slope, 0.5) * 1.5
        self.plot.getViewBox().setRange(xRange=(self.x0 - half, self.x0 + half),
                                        yRange=(y0 - y_half, y0 + y_half), padding=0)

    def _bring_p_into_view(self) -> None:
        """After framing a new function, keep P on screen (a scene may put it far out)."""
        lo, hi = self.plot.x_range()
        if lo <= self.x0 <= hi or not np.isfinite(self._f(np.array([self.x0]))[0]):
            return
        half = (hi - lo) / 2
        self.plot.getViewBox().setXRange(self.x0 - half, self.x0 + half, padding=0)
        self.plot.fit_y()
        self.plot.resample()

    def _say(self, message: str, warn: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(WARNING_STYLE if warn else NOTE_STYLE)
        self.message.setVisible(bool(message))

    # -- interaction --------------------------------------------------------------------------
    def _drag_p(self, x: float) -> None:
        if self.set_x0(x):
            self.changed.emit("P")
        else:
            self._redraw(new_x0=False)  # snap P back onto the curve where it was

    def _drag_q(self, x: float) -> None:
        self.set_h(x - self.x0)
        self.changed.emit("h")

    def _slider_moved(self, value: int) -> None:
        magnitude = 10.0 ** (-value / 100)
        self.h = -magnitude if self.sign.isChecked() else magnitude
        self._redraw(new_x0=False)
        self.changed.emit("h")

    # -- the transport: h → 0 ----------------------------------------------------------------
    def play(self, until: int | None = None) -> bool:
        self.animate.setChecked(True)
        return True

    def is_playing(self) -> bool:
        return self.animate.isChecked()

    def stop(self) -> None:
        self.animate.setChecked(False)

    def step(self, delta: int) -> bool:
        """One decade of h per step: → shrinks h tenfold, ← grows it."""
        self.stop()
        self.slider.setValue(self.slider.value() + SLIDER_STEPS // 12 * delta)
        return True

    def reset_animation(self) -> bool:
        """Back to h = 1, where the animation starts."""
        self.stop()
        self.slider.setValue(0)
        return True

    def _toggle_animation(self, running: bool) -> None:
        self.animate.setText("Pause" if running else "Animate h → 0")
        if running and self.slider.value() >= SLIDER_STEPS:
            self.slider.setValue(0)  # start again from h = 1
        # the animation follows the clock, not the ticks: h goes from 1 to 1e-12 in
        # ANIMATION_SECONDS however slowly a large window repaints
        self._animation_origin = (self.clock(), self.slider.value())
        (self._animation.start if running else self._animation.stop)()

    def _animate_step(self) -> None:
        started, first_value = self._animation_origin
        elapsed = self.clock() - started
        value = min(SLIDER_STEPS, first_value + round(elapsed * SLIDER_STEPS / ANIMATION_SECONDS))
        if value != self.slider.value():
            self.slider.setValue(value)
        if value >= SLIDER_STEPS:
            self.animate.setChecked(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Arrows on the plot move P; Shift+arrows change h by a tenth of a decade."""
        arrows = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
        if watched is self.plot and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() in arrows:  # the plot's arrows move P, not the window's steps
                event.accept()
                return True
        if watched is self.plot and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            direction = {Qt.Key.Key_Left: -1, Qt.Key.Key_Down: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: 1}.get(key)
            if direction is not None:
                if shift:
                    self.slider.setValue(self.slider.value() - 10 * direction)  # right/up: larger h
                else:
                    lo, hi = self.plot.x_range()
                    if self.set_x0(self.x0 + direction * (hi - lo) / 200):
                        self.changed.emit("P")
                return True
        return super().eventFilter(watched, event)
