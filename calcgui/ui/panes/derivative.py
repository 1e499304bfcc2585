"""Derivative pane: type f(x), see f, f', f'' typeset and plotted together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from calcgui.core.compiled import ChainParts, CompiledDerivatives, compile_derivatives
from calcgui.core.jobs import DerivativeFormulas, derivative_job
from calcgui.state import DerivativeSettings, SharedFunctions, ViewRange
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.derivation_panel import DerivationPanel
from calcgui.ui.function_plot import FunctionPlot
from calcgui.ui.math_view import MathLabel
from calcgui.ui.plot_style import BLUE, GREEN, ORANGE, PURPLE, VERMILLION, CurveStyle
from calcgui.ui.panes.base import Pane
from calcgui.ui.worker_bridge import SymbolicWorker

CHANNEL = "derivative"
EXAMPLES = (
    "2x^2 + 3x + 1", "x^3 - x", "sin^2 x", "e^(-x^2)", "|x|", "√(x+1)", "x^2 e^x",
    "sin(3x)/x", "arctan(x^2)", "ln x", "1/x", "tan x", "x^x", "sigmoid(x)", "relu(x)",
)
#: The derivation's tabs, in the order the panel shows them, by their names in settings.
TABS = ("rules", "limit")
STYLES = (
    CurveStyle("f(x)", BLUE),
    CurveStyle("f′(x)", VERMILLION, Qt.PenStyle.DashLine),
    CurveStyle("f″(x)", GREEN, Qt.PenStyle.DotLine),
)
INNER_STYLE = CurveStyle("u(x), the inner function", PURPLE, Qt.PenStyle.DashDotLine)
OUTER_STYLE = CurveStyle("g(x), the outer function", ORANGE, Qt.PenStyle.DashDotDotLine)


class DerivativePane(Pane):
    """Input, three typeset lines with visibility toggles, the plot of all three, and the
    derivation beside it.

    While the input is invalid the last good result stays on screen and the error shows by
    the box. :attr:`settled` fires when nothing is left to compute (used by screenshots).
    """

    title = "Derivative"
    channel = CHANNEL
    prepare = staticmethod(compile_derivatives)
    #: The worker-side job; a module-level function (tests swap in a slow one).
    job_function: Callable[..., Any] = staticmethod(derivative_job)

    def __init__(self, state: SharedFunctions, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        super().__init__(state, worker, label="f(x) =", examples=EXAMPLES,
                         placeholder="e.g. 2x^2 + 3x + 1, sin^2 x, e^(-x^2)", parent=parent)
        self._pending_view: ViewRange | None = None
        self._derivation_due = False

        #: the function whose curves are drawn (None until the first result)
        self.plotted_text: str | None = None
        #: "Still showing …" when a new function failed and the views keep the previous one
        self.note = QLabel()
        self.note.setObjectName("stillShowing")
        self.note.setWordWrap(True)
        self.note.hide()
        self.formulas = [MathLabel(role="math_large") for _ in STYLES]  # read from the back of a hall
        self.toggles = [QCheckBox() for _ in STYLES]
        self.plot = FunctionPlot(STYLES, framed_by=(0, 1))  # f'' often dwarfs f: let it leave the view
        reset = QPushButton("Frame")
        reset.setToolTip("Show the roots, turning points and inflections of f")
        reset.clicked.connect(self.plot.frame)
        self.auto_frame = QCheckBox("Frame each new function")
        self.auto_frame.setChecked(True)
        self.auto_frame.clicked.connect(lambda _on: self.changed.emit(""))
        self.auto_frame.setToolTip("Move the view to each new function's interesting part; "
                                   "turn off to keep your own zoom")

        formulas = QFrame()
        formulas.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(formulas)
        for row, (style, toggle, label) in enumerate(zip(STYLES, self.toggles, self.formulas)):
            toggle.setChecked(True)
            toggle.setToolTip(f"Show {style.name} on the plot")
            toggle.toggled.connect(lambda on, i=row: self._set_curve_visible(i, on))
            toggle.clicked.connect(lambda _on: self.changed.emit(""))
            grid.addWidget(toggle, row, 0)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(1, 1)
        follow(self, self._restyle)

        self.derivation = DerivationPanel(worker)
        self.derivation.chain_selected.connect(self._show_chain)
        self.derivation.settled.connect(self.maybe_settled)
        self.derivation.tabBar().tabBarClicked.connect(lambda _i: self.changed.emit(""))

        bar = QHBoxLayout()
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
        layout.addLayout(self.input_row)
        layout.addWidget(self.note)
        layout.addWidget(formulas)
        layout.addWidget(self.splitter, 1)
        self.begin()

    # -- public -----------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return super().is_busy() or self._derivation_due or self.derivation.is_busy()

    def job_args(self, text: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return self.job_function, (text, "x")

    def compute(self, text: str) -> None:
        """Start computing f, f', f'' for ``text`` (results arrive in :meth:`show_result`)."""
        if text == self.accepted_text and not self.is_busy():
            self.input.clear_error()
            self.last_error = ""
            self.settled_text = text
            return
        super().compute(text)

    def settings(self) -> DerivativeSettings:
        return DerivativeSettings(
            function=self.accepted_text or DerivativeSettings.function,
            shown=tuple(toggle.isChecked() for toggle in self.toggles),  # type: ignore[arg-type]
            tab=TABS[self.derivation.currentIndex()],
            auto_frame=self.auto_frame.isChecked(),
            view=ViewRange(self.plot.x_range(), self.plot.y_range()),
        )

    def apply(self, settings: DerivativeSettings) -> None:
        for toggle, shown in zip(self.toggles, settings.shown):
            toggle.setChecked(shown)
        self.derivation.setCurrentIndex(TABS.index(settings.tab))
        self.auto_frame.setChecked(settings.auto_frame)
        if settings.function == self.accepted_text:
            if settings.view is not None:
                self.plot.show_range(settings.view.x, settings.view.y)
        else:
            self._pending_view = settings.view
        self.apply_function(settings.function)

    # -- results ----------------------------------------------------------------------------
    def _start_derivation(self, text: str) -> None:
        self._derivation_due = False
        self.derivation.set_function(text)
        self.maybe_settled()

    def show_result(self, payload: object) -> None:
        if isinstance(payload, CompiledDerivatives):
            self.accept_function()
            self.plotted_text = self._job_text
            self.note.hide()
            self.plot.set_overlays([])
            view, self._pending_view = self._pending_view, None
            self.plot.set_functions(payload.functions, frame=view is None and self.auto_frame.isChecked())
            if view is not None:
                self.plot.show_range(view.x, view.y)
            # the derivation starts once the curves are drawn: it is not what the user waits for
            self._derivation_due = True
            QTimer.singleShot(0, lambda text=self._job_text: self._start_derivation(text))
            for label in self.formulas:
                label.set_stale(True)  # until the typeset lines for this function arrive
        elif isinstance(payload, DerivativeFormulas):
            for label, formula in zip(self.formulas, payload.formulas):
                label.set_formula(formula.svg, formula.plain, formula.latex)

    def job_finished(self) -> None:
        """A job that failed must not leave the formulas and the plot disagreeing. Failed
        before its curves: every view still shows the previous function, and the note says
        so. Failed after them (the typesetting ran out of time): the plot is the new
        function, so the dimmed formulas of the old one give way to a sentence."""
        if not self.last_error:
            return
        message = self.last_error.rstrip(".")
        if self.plotted_text == self._job_text:
            if any(label.is_stale() for label in self.formulas):
                self.formulas[0].set_formula(None, f"f(x) = {self._job_text}")
                for label, name in zip(self.formulas[1:], ("f′(x)", "f″(x)")):
                    label.set_formula(None, f"{name}: drawn, but not written out: {message}.")
            return
        if self.plotted_text is not None:
            self.note.setText(f"Still showing f(x) = {self.plotted_text}: {message}.")
            self.note.show()

    def _restyle(self) -> None:
        """Each toggle a swatch of its curve's colour, sized with the zoom."""
        box = round(appearance().pixels(18))
        for style, toggle in zip(STYLES, self.toggles):
            toggle.setStyleSheet(f"QCheckBox::indicator {{ width: {box}px; height: {box}px; }}"
                                 f"QCheckBox {{ background: {style.theme_color()}; border-radius: 4px; padding: 3px; }}")

    def _show_chain(self, parts: ChainParts | None) -> None:
        """Draw a selected chain step's inner u(x) and outer g(x) over f, f', f''."""
        if parts is None:
            self.plot.set_overlays([])
            return
        self.plot.set_overlays([(INNER_STYLE, parts.inner), (OUTER_STYLE, parts.outer)])

    def _set_curve_visible(self, index: int, visible: bool) -> None:
        self.plot.set_curve_visible(index, visible)
