"""Derivative pane: type f(x), see f, f', f'' typeset and plotted together."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from calcgui.core.jobs import DerivativeFormulas, derivative_job
from calcgui.core.display_range import NumericFunction
from calcgui.core.worker import Reply
from calcgui.ui.app_state import AppState
from calcgui.ui.derivation_panel import ChainParts, DerivationPanel
from calcgui.ui.function_input import FunctionInput
from calcgui.ui.function_plot import FunctionPlot
from calcgui.ui.math_view import MathLabel
from calcgui.ui.plot_style import BLUE, GREEN, ORANGE, PURPLE, VERMILLION, CurveStyle
from calcgui.ui.worker_bridge import SymbolicWorker

CHANNEL = "derivative"
EXAMPLES = (
    "2x^2 + 3x + 1", "x^3 - x", "sin^2 x", "e^(-x^2)", "|x|", "√(x+1)", "x^2 e^x",
    "sin(3x)/x", "arctan(x^2)", "ln x", "1/x", "tan x", "x^x", "sigmoid(x)", "relu(x)",
)
STYLES = (
    CurveStyle("f(x)", BLUE),
    CurveStyle("f′(x)", VERMILLION, Qt.PenStyle.DashLine),
    CurveStyle("f″(x)", GREEN, Qt.PenStyle.DotLine),
)
INNER_STYLE = CurveStyle("u(x), the inner function", PURPLE, Qt.PenStyle.DashDotLine)
OUTER_STYLE = CurveStyle("g(x), the outer function", ORANGE, Qt.PenStyle.DashDotDotLine)
#: "Working…" shows only when a result takes longer than this.
BUSY_DELAY_MS = 250


@dataclass(frozen=True)
class CompiledDerivatives:
    """f, f', f'' compiled to numpy, made on the worker thread (never the UI thread)."""

    functions: tuple[NumericFunction, ...]


def compile_derivatives(payload: object) -> object:
    """The bridge's ``prepare`` step: compile f, f', f'' for plotting; pass the rest on."""
    from calcgui.core.differentiate import Derivatives
    from calcgui.core.sampling import compile_function

    if isinstance(payload, Derivatives):
        exprs = (payload.f, payload.first, payload.second)
        return CompiledDerivatives(tuple(compile_function(e, payload.var) for e in exprs))
    return payload


class DerivativePane(QWidget):
    """Input, three typeset lines with visibility toggles, and the plot of all three.

    While the input is invalid the last good result stays on screen and the error shows by
    the box. :attr:`settled` fires when nothing is left to compute (used by screenshots).
    """

    title = "Derivative"
    settled = Signal()
    #: The worker-side job; a module-level function (tests swap in a slow one).
    job_function = staticmethod(derivative_job)

    def __init__(self, state: AppState, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._worker = worker
        self._job_id = 0
        self._job_text = ""
        self._shown_text: str | None = None
        self._derivation_due = False
        #: the text whose results (or error) are on screen now
        self.settled_text: str | None = None
        self.last_error = ""

        self.input = FunctionInput("f(x) =", EXAMPLES, placeholder="e.g. 2x^2 + 3x + 1, sin^2 x, e^(-x^2)")
        self.input.settled.connect(self.compute)
        self.formulas = [MathLabel() for _ in STYLES]
        self.toggles = [QCheckBox() for _ in STYLES]
        self.plot = FunctionPlot(STYLES, framed_by=(0, 1))  # f'' often dwarfs f: let it leave the view
        self.busy_label = QLabel("working…")
        self.busy_label.setStyleSheet("color: #666;")
        self.busy_label.hide()
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy_label.show)
        reset = QPushButton("Frame")
        reset.setToolTip("Show the roots, turning points and inflections of f")
        reset.clicked.connect(self.plot.frame)
        self.auto_frame = QCheckBox("Frame each new function")
        self.auto_frame.setChecked(True)
        self.auto_frame.setToolTip("Move the view to each new function's interesting part; "
                                   "turn off to keep your own zoom")

        self._enlarge_for_projection()
        formulas = QFrame()
        formulas.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(formulas)
        for row, (style, toggle, label) in enumerate(zip(STYLES, self.toggles, self.formulas)):
            toggle.setChecked(True)
            toggle.setToolTip(f"Show {style.name} on the plot")
            toggle.setStyleSheet(f"QCheckBox::indicator {{ width: 18px; height: 18px; }}"
                                 f"QCheckBox {{ background: {style.color}; border-radius: 4px; padding: 3px; }}")
            toggle.toggled.connect(lambda on, i=row: self._set_curve_visible(i, on))
            grid.addWidget(toggle, row, 0)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(1, 1)

        self.derivation = DerivationPanel(worker)
        self.derivation.chain_selected.connect(self._show_chain)
        self.derivation.settled.connect(self._maybe_settled)

        bar = QHBoxLayout()
        bar.addWidget(self.busy_label)
        bar.addStretch(1)
        bar.addWidget(self.auto_frame)
        bar.addWidget(reset)
        plot_side = QWidget()
        plot_column = QVBoxLayout(plot_side)
        plot_column.setContentsMargins(0, 0, 0, 0)
        plot_column.addWidget(self.plot, 1)
        plot_column.addLayout(bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(plot_side)
        self.splitter.addWidget(self.derivation)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])  # kept in proportion as the window resizes
        layout = QVBoxLayout(self)
        layout.addWidget(self.input)
        layout.addWidget(formulas)
        layout.addWidget(self.splitter, 1)

        state.function_changed.connect(self._adopt_shared_function)
        worker.replied.connect(self._on_reply)
        self.input.set_text(state.function_text)

    # -- public -----------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return self._job_id != 0 or self._derivation_due or self.derivation.is_busy()

    def set_function(self, text: str) -> None:
        """Type ``text`` into the box as if the user had, and compute it."""
        self.input.set_text(text)

    def compute(self, text: str) -> None:
        """Start computing f, f', f'' for ``text`` (results arrive in :meth:`_on_reply`)."""
        if text == self._shown_text and not self.is_busy():
            self.input.clear_error()
            self.last_error = ""
            self.settled_text = text
            return
        self._job_text = text
        self._job_id = self._worker.submit(self.job_function, text, "x", channel=CHANNEL,
                                           prepare=compile_derivatives)
        self._busy_timer.start()

    # -- results ----------------------------------------------------------------------------
    def _on_reply(self, reply: Reply) -> None:
        if reply.channel != CHANNEL or reply.job_id != self._job_id:
            return  # a result for text the user has since changed
        if reply.kind == "partial":
            self._show_partial(reply.payload)
            return
        if reply.error is not None:
            self.last_error = reply.error.message
            self.input.show_error(reply.error.message, reply.error.position)
        self._job_id = 0
        self.settled_text = self._job_text
        self._busy_timer.stop()
        self.busy_label.hide()
        self._maybe_settled()

    def _start_derivation(self, text: str) -> None:
        self._derivation_due = False
        self.derivation.set_function(text)
        self._maybe_settled()

    def _maybe_settled(self) -> None:
        if not self.is_busy():
            self.settled.emit()

    def _show_partial(self, payload: object) -> None:
        if isinstance(payload, CompiledDerivatives):
            self.input.clear_error()
            self.last_error = ""
            self._shown_text = self._job_text
            self._state.set_function_text(self._job_text)
            self.plot.set_overlays([])
            self.plot.set_functions(payload.functions, frame=self.auto_frame.isChecked())
            # the derivation starts once the curves are drawn: it is not what the user waits for
            self._derivation_due = True
            QTimer.singleShot(0, lambda text=self._job_text: self._start_derivation(text))
            for label in self.formulas:
                label.set_stale(True)  # until the typeset lines for this function arrive
        elif isinstance(payload, DerivativeFormulas):
            for label, formula in zip(self.formulas, payload.formulas):
                label.set_formula(formula.svg, formula.plain, formula.latex)

    def _enlarge_for_projection(self) -> None:
        """Input and formulas sized to be read from the back of a lecture hall."""
        for widget, points in ((self.input, 14), *((label, 16) for label in self.formulas)):
            font = widget.font()
            font.setPointSizeF(points)
            widget.setFont(font)

    def _show_chain(self, parts: ChainParts | None) -> None:
        """Draw a selected chain step's inner u(x) and outer g(x) over f, f', f''."""
        if parts is None:
            self.plot.set_overlays([])
            return
        self.plot.set_overlays([(INNER_STYLE, parts.inner), (OUTER_STYLE, parts.outer)])

    def _set_curve_visible(self, index: int, visible: bool) -> None:
        self.plot.set_curve_visible(index, visible)

    def _adopt_shared_function(self, text: str) -> None:
        """Another pane changed f(x): show it here. Our own results are not echoed back,
        so a result arriving mid-typing never overwrites what the user is typing."""
        if text != self._shown_text and text != self.input.text():
            self.input.set_text(text)
