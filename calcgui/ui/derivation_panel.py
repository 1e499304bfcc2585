"""The derivation beside the plot: rule by rule (a tree), and from first principles.

Each tab's work is a worker job that runs only while the tab is shown, so typing stays cheap
when the panel is not being looked at. Selecting a chain-rule step announces its inner and
outer functions (compiled on the worker thread) so the pane can draw them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QLabel, QScrollArea, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from calcgui.core.compiled import ChainParts, CompiledDerivation, compile_chains
from calcgui.core.jobs import LimitView, StepView, limit_job, steps_job
from calcgui.core.worker import Reply
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.math_view import MathLabel
from calcgui.ui.worker_bridge import SymbolicWorker, input_group

STEPS_CHANNEL = "derivation-steps"
LIMIT_CHANNEL = "derivation-limit"
#: Derivations with more steps than this open collapsed to their top level.
COLLAPSE_ABOVE = 8
RULE_NAMES = {"constant multiple": "Constant multiple", "log differentiation": "Logarithmic differentiation"}


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _muted(label: QLabel) -> None:
    """A sentence under a formula: the theme's secondary text colour."""
    label.setStyleSheet(f"color: {appearance().theme.muted};")


def _title(rule: str) -> str:
    return RULE_NAMES.get(rule, rule.capitalize())


class StepWidget(QWidget):
    """One step: the typeset equation, and under it the rule's name and its sentence."""

    def __init__(self, step: StepView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formula = MathLabel(min_fit=0.3)
        self.formula.set_formula(step.formula.svg, step.formula.plain, step.formula.latex)
        sentence = step.text.replace("<", "&lt;")
        title = _title(step.rule)
        named = sentence.lower().startswith(title.lower().split()[0])
        self.sentence = QLabel(sentence if named else f"<b>{title}.</b> {sentence}")
        self.sentence.setWordWrap(True)
        follow(self.sentence, lambda: _muted(self.sentence))
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 6)
        column.setSpacing(2)
        column.addWidget(self.formula)
        column.addWidget(self.sentence)


class DerivationPanel(QTabWidget):
    """"Rules" and "From first principles" tabs for the function last computed."""

    chain_selected = Signal(object)  # ChainParts, or None when no chain step is selected
    settled = Signal()

    def __init__(self, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._text = ""
        self._jobs: dict[str, int] = {}
        self._shown: dict[str, str] = {}
        self._pending: dict[str, str] = {}
        self._chains: dict[int, ChainParts] = {}

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(18)
        self.tree.setVerticalScrollMode(QTreeWidget.ScrollMode.ScrollPerPixel)
        self.tree.currentItemChanged.connect(self._select)
        self.steps_status = QLabel()
        self.steps_status.setWordWrap(True)
        rules = QWidget()
        rules_layout = QVBoxLayout(rules)
        rules_layout.addWidget(self.steps_status)
        rules_layout.addWidget(self.tree, 1)
        self.addTab(rules, "Rules")

        self.limit_lines = QWidget()
        self.limit_layout = QVBoxLayout(self.limit_lines)
        self.limit_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.limit_status = QLabel()
        self.limit_status.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.limit_lines)
        limit = QWidget()
        limit_layout = QVBoxLayout(limit)
        limit_layout.addWidget(self.limit_status)
        limit_layout.addWidget(scroll, 1)
        self.addTab(limit, "From first principles")

        self._errors: set[QLabel] = set()  # the status labels that show an error
        self.currentChanged.connect(lambda _index: self._refresh())
        worker.replied.connect(self._on_reply)
        follow(self, self._restyle)
        self.tree.viewport().installEventFilter(self)  # a new width: the steps' rows re-measured

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)

    def _restyle(self) -> None:
        """Error colours from the theme; the steps' rows re-measured for the zoomed text."""
        for status in (self.steps_status, self.limit_status):
            status.setStyleSheet(f"color: {appearance().theme.error};" if status in self._errors else "")
        self._fit_rows()

    def _fit_rows(self) -> None:
        width = max(self.tree.viewport().width() - 40, 200)
        for item in self.step_items():
            widget = self.tree.itemWidget(item, 0)
            if isinstance(widget, StepWidget):
                height = widget.formula.sizeHint().height() + widget.sentence.heightForWidth(width) + 16
                item.setSizeHint(0, QSize(width, height))

    def _set_status(self, status: QLabel, html: str, *, error: bool = False) -> None:
        (self._errors.add if error else self._errors.discard)(status)
        status.setText(html)
        status.setStyleSheet(f"color: {appearance().theme.error};" if error else "")

    # -- public -----------------------------------------------------------------------------
    def set_function(self, text: str) -> None:
        """Derive ``text`` (a function that parsed) in the tab being shown."""
        self._text = text
        self._refresh()

    def is_busy(self) -> bool:
        return bool(self._jobs)

    def step_items(self) -> list[QTreeWidgetItem]:
        """Every step's item, depth first."""
        items: list[QTreeWidgetItem] = []
        pending = [self.tree.topLevelItem(i) for i in reversed(range(self.tree.topLevelItemCount()))]
        while pending:
            item = pending.pop()
            items.append(item)
            pending.extend(item.child(i) for i in reversed(range(item.childCount())))
        return items

    # -- jobs -------------------------------------------------------------------------------
    def _refresh(self) -> None:
        channel, job, prepare = ((STEPS_CHANNEL, steps_job, compile_chains) if self.currentIndex() == 0
                                 else (LIMIT_CHANNEL, limit_job, None))
        if not self._text or self._shown.get(channel) == self._text:
            return
        status = self.steps_status if channel == STEPS_CHANNEL else self.limit_status
        shown = self._shown.get(channel)
        self._set_status(status, f"<i>working on {_html(self._text)}…</i>" + (
            f" <i>(below, dimmed: {_html(shown)})</i>" if shown else ""))
        self._content(channel).setEnabled(False)
        self._jobs[channel] = self._worker.submit(job, self._text, "x", channel=channel, prepare=prepare,
                                                  group=input_group("function", self._text))
        self._pending[channel] = self._text

    def _on_reply(self, reply: Reply) -> None:
        if self._jobs.get(reply.channel) != reply.job_id:
            return
        status = self.steps_status if reply.channel == STEPS_CHANNEL else self.limit_status
        if reply.kind == "partial":
            self._shown[reply.channel] = self._pending[reply.channel]
            self._set_status(status, "")
            if isinstance(reply.payload, CompiledDerivation):
                self._show_steps(reply.payload)
            elif isinstance(reply.payload, LimitView):
                self._show_limit(reply.payload)
            return
        if reply.error is not None:  # never leave the previous function's derivation under it
            self._clear(reply.channel)
            self._shown[reply.channel] = self._pending[reply.channel]
            self._set_status(status, f"No derivation of {_html(self._pending[reply.channel])}: "
                                     f"{_html(reply.error.message)}", error=True)
        self._content(reply.channel).setEnabled(True)
        del self._jobs[reply.channel]
        if not self._jobs:
            self.settled.emit()

    # -- views ------------------------------------------------------------------------------
    def _content(self, channel: str) -> QWidget:
        return self.tree if channel == STEPS_CHANNEL else self.limit_lines

    def _clear(self, channel: str) -> None:
        if channel == STEPS_CHANNEL:
            self._chains = {}
            self.tree.clear()
            self.chain_selected.emit(None)
        else:
            self._clear_limit()

    def _clear_limit(self) -> None:
        while self.limit_layout.count():
            widget = self.limit_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def _show_steps(self, compiled: CompiledDerivation) -> None:
        self._chains = compiled.chains
        self.tree.clear()

        def add(step: StepView, parent: QTreeWidgetItem | None) -> None:
            item = QTreeWidgetItem()
            item.setData(0, Qt.ItemDataRole.UserRole, step.index)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{step.rule}: {step.text}")
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            self.tree.setItemWidget(item, 0, StepWidget(step))
            for child in step.children:
                add(child, item)

        for step in compiled.view.steps:
            add(step, None)
        self._fit_rows()
        if compiled.view.count > COLLAPSE_ABOVE:
            self.tree.collapseAll()
        else:
            self.tree.expandAll()
        self.chain_selected.emit(None)

    def _show_limit(self, view: LimitView) -> None:
        self._clear_limit()
        for line in view.lines:
            if line.text:  # a long line's continuations have no sentence of their own
                sentence = QLabel(line.text)
                sentence.setWordWrap(True)
                follow(sentence, lambda label=sentence: _muted(label))
                self.limit_layout.addWidget(sentence)
            if line.formula is not None:
                formula = MathLabel(min_fit=0.3)  # long lines shrink to fit: never clipped
                formula.set_formula(line.formula.svg, line.formula.plain, line.formula.latex)
                self.limit_layout.addWidget(formula)
            if line.table:
                rows = "".join(
                    f"<tr><td>h = {h:.0e}</td><td align='right'>{'undefined' if q is None else f'{q:.10f}'}</td></tr>"
                    for h, q in line.table)
                table = QLabel(f"<table cellspacing='8' style='font-family: monospace'>{rows}</table>")
                self.limit_layout.addWidget(table)

    def _select(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        index = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self.chain_selected.emit(self._chains.get(index) if index is not None else None)
