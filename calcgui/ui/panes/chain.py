"""Chain rule / backprop pane: type an expression, see its computational graph, and step the
forward pass (values) and the backward pass (adjoints) node by node, until the gradient the
graph computed is checked against the symbolic partial derivatives.

Two modes share the pane: "Graph" (here) and "Network" (a small network trained by
backpropagation: :class:`~calcgui.ui.network_mode.NetworkMode`, :attr:`ChainPane.network_page`).

The shared f(x): while the pane studies an expression in x alone, it takes part in the app's
shared f(x) like the other panes (a function typed in the Derivative pane shows here, and one
typed here shows there). An expression in other variables (w·x + b, x·y) stays this pane's
own: it is not announced to the f(x) panes, and a function typed elsewhere does not replace it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from calcgui.core.chain_job import ChainFormulas, ChainResult
from calcgui.core.jobs import chain_job
from calcgui.state import ChainSettings, SharedFunctions
from calcgui.state.chain import CHAIN_MODES, CHAIN_VARIABLES, DEFAULT_VALUES
from calcgui.state.frozen import FrozenMapping
from calcgui.ui.chain_panel import ChainPanel, _sized
from calcgui.ui.chain_replay import Replay
from calcgui.ui.graph_view import GraphView
from calcgui.ui.network_mode import NetworkMode
from calcgui.ui.panes.base import Pane
from calcgui.ui.variable_boxes import VariableBoxes
from calcgui.ui.worker_bridge import SymbolicWorker

CHANNEL = "chain"
#: (menu text, function, values it sets): the seeds' chain-rule examples and the graph's lessons.
EXAMPLES: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("(2x + 3)²: one chain", "(2x + 3)^2", {"x": 1.0}),
    ("(x²)³: a chain of powers", "(x^2)^3", {"x": 1.0}),
    ("sin((4x)²): three links", "sin((4x)^2)", {"x": 1.0}),
    ("σ(w·x + b): a neuron", "sigmoid(w·x + b)", {"w": 0.5, "x": 1.0, "b": 0.1}),
    ("(x·y + sin x)²: x used twice", "(x·y + sin x)^2", {"x": 1.0, "y": 2.0}),
    ("x·x: one node, two uses", "x·x", {"x": 3.0}),
    ("ReLU(x) at its kink, x = 0", "relu(x)", {"x": 0.0}),
)
#: A value typed in a box waits this long for the next one before the graph is recomputed.
VALUE_DEBOUNCE_MS = 120
#: The undo merge keys of a value being spun and of the replay being stepped or played.
VALUES_CHANGE, STEP_CHANGE = "chain-values", "chain-step"


class ChainPane(Pane):
    """The Chain rule pane. State: the mode, the function (the Pane base's box), the variables'
    values (:attr:`variables`) and the replay position (:attr:`replay`)."""

    title = "Chain rule"
    channel = CHANNEL
    #: The worker-side job; a module-level function (tests may swap in a slow one).
    job_function: Callable[..., Any] = staticmethod(chain_job)

    def __init__(self, state: SharedFunctions, worker: SymbolicWorker, parent: QWidget | None = None) -> None:
        names = ", ".join(CHAIN_VARIABLES)
        super().__init__(state, worker, label="f =",
                         placeholder=f"e.g. (2x + 3)^2, sigmoid(w x + b), (x y + sin x)^2 — variables {names}",
                         parent=parent)
        self.input.line_edit.setToolTip(f"An expression in {names}; one box per variable it uses sets its value")
        self.result: ChainResult | None = None
        self.formulas: ChainFormulas | None = None
        #: (text, step) a scene asked for: the step applies to the result for that text only
        #: (a result for the function being left may still arrive first)
        self._pending_step: tuple[str, int] | None = None
        self._applying = False

        self.variables = VariableBoxes(DEFAULT_VALUES)
        self.variables.edited.connect(self._value_edited)
        self._value_timer = QTimer(self, singleShot=True, interval=VALUE_DEBOUNCE_MS)
        self._value_timer.timeout.connect(lambda: self.compute(self.input.text()))
        self.replay = Replay(parent=self)
        self.replay.moved.connect(self._show_position)
        self.replay.playing_changed.connect(lambda on: self.play_button.setText("Pause ❚❚" if on else "Play ▶▶"))
        self.graph_view = GraphView()
        self.graph_view.node_clicked.connect(self.select_node)
        self.panel = ChainPanel()
        self._build_controls()
        self._layout()
        self._show_position(0)
        self.begin()

    # -- construction ---------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.examples = QComboBox()
        self.examples.addItem("Examples…")
        for title, text, _values in EXAMPLES:
            self.examples.addItem(title, text)
        self.examples.setToolTip("A graph to step through (sets the function and its values)")
        self.examples.activated.connect(self._pick_example)
        self.forward_button = QPushButton("Forward ▶")
        self.forward_button.setToolTip("Compute the next node's value (→)")
        self.forward_button.clicked.connect(lambda: self._user_step(1))
        self.backward_button = QPushButton("Backward ◀")
        self.backward_button.setToolTip("After the forward pass: the next node's adjoint ∂f/∂node (→)")
        self.backward_button.clicked.connect(lambda: self._user_step(1))
        self.back_button = QPushButton("Step back")
        self.back_button.setToolTip("Undo the last step (←)")
        self.back_button.clicked.connect(lambda: self._user_step(-1))
        self.play_button = QPushButton("Play ▶▶")
        self.play_button.setToolTip("Play every step, forward then backward (Space)")
        self.play_button.clicked.connect(self._toggle_play)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to before the forward pass (R)")
        self.reset_button.clicked.connect(self._reset)
        self.counter = QLabel()
        self.counter.setObjectName("stepCounter")
        _sized(self.counter, (1.3, 13.0), bold=True)
        self.counter.setMinimumWidth(self.counter.fontMetrics().horizontalAdvance("backward 888 / 888") + 8)
        self.graph_button = QPushButton("Graph")
        self.network_button = QPushButton("Network")
        self.mode_group = QButtonGroup(self)
        for index, button in enumerate((self.graph_button, self.network_button)):
            button.setCheckable(True)
            self.mode_group.addButton(button, index)
        self.graph_button.setChecked(True)
        self.graph_button.setToolTip("The computational graph of one expression, stepped node by node")
        self.network_button.setToolTip("A small neural network trained by backpropagation")
        self.mode_group.idClicked.connect(lambda index: (self.set_mode(CHAIN_MODES[index]), self.changed.emit("")))

    def _layout(self) -> None:
        self.input_row.addWidget(self.variables)
        self.input_row.addWidget(self.examples)
        controls = QHBoxLayout()
        for button in (self.forward_button, self.backward_button, self.back_button, self.play_button,
                       self.reset_button):
            controls.addWidget(button)
        controls.addSpacing(12)
        controls.addWidget(self.counter)
        controls.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.graph_view)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 320])
        self.graph_page = QWidget()
        self.graph_page.setObjectName("graph_page")
        column = QVBoxLayout(self.graph_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.input_row)
        column.addLayout(controls)
        column.addWidget(self.splitter, 1)
        self.network_page = NetworkMode()
        self.network_page.setObjectName("network_page")
        self.network_page.changed.connect(self.changed)
        self.modes = QStackedWidget()
        self.modes.addWidget(self.graph_page)
        self.modes.addWidget(self.network_page)
        switch = QHBoxLayout()
        switch.addWidget(self.graph_button)
        switch.addWidget(self.network_button)
        switch.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(switch)
        layout.addWidget(self.modes, 1)

    # -- mode -------------------------------------------------------------------------------
    def mode(self) -> str:
        return CHAIN_MODES[self.modes.currentIndex()]

    def set_mode(self, mode: str) -> None:
        index = CHAIN_MODES.index(mode)
        self.modes.setCurrentIndex(index)
        self.mode_group.button(index).setChecked(True)
        if mode != "graph":
            self.replay.pause()

    # -- the job ----------------------------------------------------------------------------
    def job_args(self, text: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        typeset = self.formulas is None or self.formulas.text != text
        return self.job_function, (text, dict(self.variables.values), CHAIN_VARIABLES, typeset)

    def compute(self, text: str) -> None:
        """Compute ``text`` at the boxes' values, unless that is what is on screen."""
        if (self.result is not None and text == self.accepted_text == self.result.text and not self.is_busy()
                and self._shown_values_current()):
            self.input.clear_error()
            self.last_error = ""
            self.settled_text = text
            self.graph_view.set_stale(False)
            return
        super().compute(text)

    def _shown_values_current(self) -> bool:
        result = self.result
        return result is not None and all(self.variables.values[n] == v for n, v in result.values.items())

    def show_result(self, payload: object) -> None:
        if isinstance(payload, ChainResult):
            self._new_result(payload)
        elif isinstance(payload, ChainFormulas):
            self.formulas = payload
            self.panel.typeset = payload
            self._show_position(self.replay.position)

    def _new_result(self, result: ChainResult) -> None:
        same_function = self.result is not None and self.result.text == result.text
        self.result = result
        self.accept_function()
        self.variables.set_variables(result.variables)
        self.graph_view.set_graph(result)
        if self.formulas is not None and self.formulas.text != result.text:
            self.formulas = self.panel.typeset = None
        step = self.replay.position if same_function else 0
        if self._pending_step is not None and self._pending_step[0] == result.text:
            step, self._pending_step = self._pending_step[1], None
        selected = self.graph_view.selected if same_function else None
        self.replay.set_nodes(len(result.nodes), step)
        self.select_node(selected)

    def job_finished(self) -> None:
        stale = bool(self.last_error)
        self.graph_view.set_stale(stale)

    # -- sharing f(x) -----------------------------------------------------------------------
    def _is_f_of_x(self) -> bool:
        return self.result is None or set(self.result.variables) <= {"x"}

    def share(self, kind: str | None) -> None:
        if self._is_f_of_x():  # w·x + b is not an f(x) the other panes can show
            super().share(kind)

    def _adopt_shared(self, text: str) -> None:
        """Take another pane's f(x) (see the module docstring), without announcing it back: its
        job is newer than the one that shared it, and would otherwise override a function typed
        since in a third pane."""
        if self._is_f_of_x() and text != self.accepted_text and self.input.text() == self.accepted_text:
            self._unshared_text = text
            super()._adopt_shared(text)

    # -- the replay -------------------------------------------------------------------------
    def _user_step(self, delta: int) -> None:
        if self.mode() != "graph" or self.result is None:
            return
        before = self.replay.position
        self.replay.step(delta)
        if self.replay.position != before:
            self.changed.emit(STEP_CHANGE)

    def _toggle_play(self) -> None:
        if self.mode() == "graph" and self.result is not None:
            self.replay.toggle()

    def _reset(self) -> None:
        if self.mode() == "graph" and self.replay.position != 0:
            self.replay.reset()
            self.changed.emit(STEP_CHANGE)

    # -- the transport: the replay of the graph's passes ----------------------------------
    def play(self, until: int | None = None) -> bool:
        if self.mode() != "graph" or self.result is None:
            return False
        if not self.replay.is_playing():
            self.replay.play()  # from the start when at the end
        return True

    def is_playing(self) -> bool:
        return self.replay.is_playing()

    def stop(self) -> None:
        self.replay.pause()

    def step(self, delta: int) -> bool:
        self._user_step(delta)
        return self.mode() == "graph"

    def reset_animation(self) -> bool:
        self._reset()
        return self.mode() == "graph"

    def _show_position(self, position: int) -> None:
        replay, result = self.replay, self.result
        self.graph_view.show_step(position)
        self.panel.show_step(result, position)
        self.counter.setText(replay.counter() if result is not None else "")
        n = replay.nodes
        self.forward_button.setEnabled(result is not None and position < n)
        self.backward_button.setEnabled(result is not None and n <= position < 2 * n)
        self.back_button.setEnabled(position > 0)
        self.reset_button.setEnabled(position > 0)
        self.play_button.setEnabled(result is not None)
        if replay.is_playing() and not self._applying:
            self.changed.emit(STEP_CHANGE)

    def select_node(self, node: int | None) -> None:
        """Show node ``node``'s local derivative and note beside the graph (None: none)."""
        if self.result is None or node is None or node >= len(self.result.nodes):
            node = None
        self.graph_view.select(node)
        self.panel.show_node(self.result, node)

    # -- values and examples ----------------------------------------------------------------
    def _value_edited(self, _name: str, _value: float) -> None:
        self.changed.emit(VALUES_CHANGE)
        self._value_timer.start()

    def _pick_example(self, index: int) -> None:
        if index <= 0:
            return
        _title, text, values = EXAMPLES[index - 1]
        self.examples.setCurrentIndex(0)
        self.variables.set_values(values)
        self.set_function(text)
        if text == self.accepted_text:
            self.changed.emit(VALUES_CHANGE)

    # -- settings ---------------------------------------------------------------------------
    def settings(self) -> ChainSettings:
        return ChainSettings(mode=self.mode(), function=self.accepted_text or ChainSettings.function,
                             values=FrozenMapping(self.variables.values), step=self.replay.position,
                             network=self.network_page.settings())

    def apply(self, settings: ChainSettings) -> None:
        self._applying = True
        try:
            self.set_mode(settings.mode)
            if settings.network != self.network_page.settings():
                self.network_page.apply(settings.network)
            self.variables.set_values({name: settings.value_of(name) for name in CHAIN_VARIABLES})
            if settings.function != self.accepted_text or self.input.text() != settings.function:
                self._pending_step = (settings.function, settings.step)
                self.apply_function(settings.function)
            elif not self._shown_values_current():
                self._pending_step = (settings.function, settings.step)
                self._unshared_text = settings.function  # the scene's: not announced to the others
                self.compute(settings.function)
            else:
                self.replay.pause()
                self.replay.set_position(settings.step)
        finally:
            self._applying = False
