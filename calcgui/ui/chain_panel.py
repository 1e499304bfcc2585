"""Beside the graph: the current step's sentence in large type, the gradient checked against the
symbolic partials at the end, and the local derivative of the node clicked.

Everything here is text the worker wrote (step sentences, plain derivatives) or typeset (the
partials, the local derivatives): the panel only chooses what to show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from calcgui.core.chain_job import ChainFormulas, ChainPartial, ChainResult
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.graph_view import number
from calcgui.ui.math_view import MathLabel
from calcgui.ui.plot_style import BLUE, GREEN, ORANGE, VERMILLION

#: Text sizes (roles of :data:`calcgui.ui.appearance.POINTS`): the step's sentence large, for a projector.
SENTENCE_ROLE = "sentence"
BODY_ROLE = "heading"
START_HINT = "Press Forward ▶ (or →) to compute the graph node by node, inputs first."


def _sized(widget: QWidget, role: str, bold: bool = False) -> None:
    """``widget``'s text at the size of ``role``, now and at every zoom."""
    if isinstance(widget, MathLabel):
        widget.set_role(role)
        return
    follow(widget, lambda: widget.setFont(appearance().font(role, widget.font(), bold=bold)))


def _label(role: str, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    _sized(label, role, bold)
    return label


class ChainPanel(QWidget):
    """The step sentence, the gradient (at the end of the backward pass) and a node's details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = _label(BODY_ROLE, bold=True)
        self.sentence = _label(SENTENCE_ROLE)
        self.sentence.setObjectName("stepSentence")
        self.gradient_title = _label(BODY_ROLE, bold=True)
        self.gradient_box = QWidget()
        self.gradient_grid = QGridLayout(self.gradient_box)
        self.gradient_grid.setContentsMargins(0, 0, 0, 0)
        self.formulas: list[MathLabel] = []
        self.checks: list[QLabel] = []
        self.node_title = _label(BODY_ROLE, bold=True)
        self.node_formula = MathLabel()
        _sized(self.node_formula, BODY_ROLE)
        self.node_text = _label(BODY_ROLE)
        self.node_note = _label(BODY_ROLE)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        column = QVBoxLayout(self)
        for widget in (self.phase, self.sentence, self.gradient_title, self.gradient_box, line, self.node_title,
                       self.node_formula, self.node_text, self.node_note):
            column.addWidget(widget)
        column.addStretch(1)
        self.setMinimumWidth(280)
        #: the typeset partials and local derivatives, once they arrive (for their text only)
        self.typeset: ChainFormulas | None = None
        self._step: tuple[ChainResult | None, int] = (None, 0)
        self.show_node(None, None)
        follow(self, lambda: self.show_step(*self._step))  # the passes' colours from the theme

    # -- the step ---------------------------------------------------------------------------
    def show_step(self, result: ChainResult | None, position: int) -> None:
        """The sentence of step ``position`` (see :class:`~calcgui.ui.chain_replay.Replay`)."""
        self._step = (result, position)
        ink = appearance().theme.ink
        if result is None:
            self.phase.setText("")
            self.sentence.setText("")
            return
        n = len(result.nodes)
        if position == 0:
            self.phase.setText("")
            self.sentence.setText(START_HINT)
        elif position <= n:
            self.phase.setText(f"<span style='color:{ink(BLUE)}'>Forward pass</span>: each node's value from its inputs")
            self.sentence.setText(result.forward[position - 1].text)
        else:
            self.phase.setText(f"<span style='color:{ink(VERMILLION)}'>Backward pass</span>: "
                               "∂f/∂node = Σ over its uses of ∂f/∂use · local derivative")
            step = result.backward[position - n - 1]
            self.sentence.setText(step.text)
        self.show_gradient(result, position >= 2 * n)

    # -- the gradient -----------------------------------------------------------------------
    def show_gradient(self, result: ChainResult, shown: bool) -> None:
        """At the end of the backward pass: each ∂f/∂v from the graph beside the symbolic
        partial, ✓ when they agree, ✗ with both numbers when they do not."""
        self.gradient_title.setVisible(shown)
        self.gradient_box.setVisible(shown)
        if not shown:
            return
        variables = ", ".join(f"{name} = {number(value)}" for name, value in result.values.items())
        self.gradient_title.setText(f"The gradient at {variables}" if variables else "f has no variables")
        self._rebuild(len(result.partials))
        typeset = self.typeset.partials if self.typeset is not None and self.typeset.text == result.text else ()
        for index, (label, partial) in enumerate(zip(self.formulas, result.partials)):
            if index < len(typeset):
                formula = typeset[index]
                label.set_formula(formula.svg, formula.plain, formula.latex)
            else:
                label.set_formula(None, f"∂f/∂{partial.variable} = {partial.expr}")
        kink = any(node.at_kink for node in result.nodes)
        for check, partial in zip(self.checks, result.partials):
            check.setText(self._check_text(partial, result.values[partial.variable], kink))

    def _rebuild(self, count: int) -> None:
        while len(self.formulas) > count:
            self.formulas.pop().deleteLater()
            self.checks.pop().deleteLater()
        while len(self.formulas) < count:
            formula, check = MathLabel(), _label(BODY_ROLE)
            _sized(formula, BODY_ROLE)
            row = len(self.formulas)
            self.gradient_grid.addWidget(formula, 2 * row, 0)
            self.gradient_grid.addWidget(check, 2 * row + 1, 0)
            self.formulas.append(formula)
            self.checks.append(check)

    @staticmethod
    def _check_text(partial: ChainPartial, at: float, kink: bool = False) -> str:
        where = f"at {partial.variable} = {number(at)}"
        ink = appearance().theme.ink
        if partial.agrees:
            return f"= {number(partial.graph)} {where} <b style='color:{ink(GREEN)}'>✓</b> graph and formula agree"
        symbolic = "undefined there" if partial.symbolic is None else f"{partial.symbolic:.10g}"
        if kink:  # not an error of either: there is no derivative there, only conventions
            return (f"<b style='color:{ink(ORANGE)}'>⚠</b> {where} f has a kink: no derivative exists there. "
                    f"The graph gives {partial.graph:.10g} by torch's convention; the formula gives "
                    f"{symbolic} by sympy's (Heaviside(0) = ½).")
        return (f"<b style='color:{ink(VERMILLION)}'>✗</b> {where}: the graph gives {partial.graph:.10g}, "
                f"the formula {symbolic}")

    def gradient_text(self) -> str:
        """The gradient section as plain text (formulas and checks), for tests and copying."""
        if not self.gradient_box.isVisibleTo(self):
            return ""
        return "\n".join(f"{f.plain_text()} {c.text()}" for f, c in zip(self.formulas, self.checks))

    # -- a clicked node ---------------------------------------------------------------------
    def show_node(self, result: ChainResult | None, node: int | None) -> None:
        """Node ``node``'s local derivative (typeset when ``formula`` has arrived) and note."""
        for widget in (self.node_title, self.node_formula, self.node_text, self.node_note):
            widget.setVisible(result is not None and node is not None)
        if result is None or node is None:
            return
        shown = result.nodes[node]
        self.node_title.setText(f"Node {shown.name}: {shown.label} — computes {shown.expr}")
        if shown.kind in ("input", "constant"):
            what = "an input (a variable)" if shown.kind == "input" else "a constant"
            self.node_formula.hide()
            self.node_text.setText(f"{shown.name} is {what}: it has no inputs, so no local derivative. "
                                   f"∂f/∂{shown.name} = {number(shown.adjoint)} collects every path from it to f.")
        else:
            typeset = self.typeset if self.typeset is not None and self.typeset.text == result.text else None
            formula = typeset.nodes[node] if typeset is not None and node < len(typeset.nodes) else None
            self.node_formula.show()
            if formula is not None:
                self.node_formula.set_formula(formula.svg, formula.plain, formula.latex)
            else:
                self.node_formula.set_formula(None, shown.derivative)
            self.node_text.setText(f"Its local derivative, in its inputs u{'' if len(shown.inputs) == 1 else '₁, u₂ …'}:"
                                   " what each edge into it carries back in the backward pass.")
        self.node_note.setText(f"<b>At a kink:</b> {shown.note}" if shown.note else "")
        self.node_note.setVisible(bool(shown.note))
