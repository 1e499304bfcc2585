"""What every pane shares: the function box, its job on the worker, busy / error handling and
the function shared between panes. A pane subclass only builds its views and draws results.

The life of a typed function: the box settles on a text → :meth:`Pane.compute` submits the
pane's job on its channel (a newer text supersedes the older job) → partial results arrive,
already compiled off the UI thread by the pane's ``prepare`` step, and go to
:meth:`Pane.show_result` → the final reply ends the job: an error is shown under the box (the
last good result stays on screen), and :attr:`Pane.settled` fires once nothing is left to do.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from calcgui.core.worker import Reply
from calcgui.state import SharedFunctions
from calcgui.ui.function_input import FunctionInput
from calcgui.ui.worker_bridge import SymbolicWorker, input_group

#: "working…" shows only when a result takes longer than this.
BUSY_DELAY_MS = 250
#: The undo merge key of a new function: a function typed in one pane and adopted by the
#: others a moment later, or typed in quick bursts, is one undo step.
FUNCTION_CHANGE = "function"
#: Every computation a pane starts takes the next ticket: the order in which texts were typed.
_tickets = itertools.count(1)
#: The shared function is the one typed last. Per kind ("function", "surface"): the ticket of
#: the text shared last, so a result for an older text (queued behind slow work) is not shared.
_shared_tickets: dict[str, int] = {}
#: Point size of the function box: read from the back of a lecture hall.
INPUT_POINTS = 14


class Pane(QWidget):
    """Base of the panes; see the module docstring for the flow it implements.

    Subclasses set the class attributes, build their views in ``__init__`` after calling
    ``super().__init__``, call :meth:`begin` at the end, and implement :meth:`job_args` and
    :meth:`show_result`.
    """

    #: Name in the switcher and the window title.
    title: ClassVar[str] = ""
    #: The worker channel of this pane's main job.
    channel: ClassVar[str] = ""
    #: Which shared function this pane studies: "function" (f(x)), "surface" (f(x, y)) or None.
    shares: ClassVar[str | None] = "function"
    #: The bridge's ``prepare`` step for this pane's job (compiles results off the UI thread).
    prepare: ClassVar[Callable[[object], object] | None] = None

    settled = Signal()
    #: A setting the user can save or undo has changed; the argument merges a drag's many
    #: changes into one undo step ("" for a change that stands alone).
    changed = Signal(str)

    def __init__(self, state: SharedFunctions, worker: SymbolicWorker, *, label: str, examples: Sequence[str] = (),
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state, self._worker = state, worker
        self._job_id = 0
        self._job_text = ""
        self._job_ticket = 0
        #: the text whose results (or error) are on screen now
        self.settled_text: str | None = None
        #: the last text that computed without error: the function the pane shows
        self.accepted_text = ""
        #: a text put here by a scene, not typed: its result is not shared with other panes
        self._unshared_text: str | None = None
        self.last_error = ""

        self.input = FunctionInput(label, examples, placeholder=placeholder)
        font = self.input.font()
        font.setPointSizeF(INPUT_POINTS)
        self.input.setFont(font)
        self.input.settled.connect(self.compute)
        self.busy_label = QLabel("working…")
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.hide()
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy_label.show)
        self.input_row = QHBoxLayout()
        self.input_row.addWidget(self.input, 1)
        self.input_row.addWidget(self.busy_label)

    def begin(self) -> None:
        """Listen to the worker and the shared function, and compute the first function."""
        self._worker.replied.connect(self._on_reply)
        if self.shares == "function":
            self._state.function_changed.connect(self._adopt_shared)
            self.input.set_text(self._state.function_text)
        elif self.shares == "surface":
            self._state.surface_changed.connect(self._adopt_shared)
            self.input.set_text(self._state.surface_text)

    # -- for subclasses -----------------------------------------------------------------------
    def job_args(self, text: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        """The worker job (a module-level function) and its arguments for ``text``."""
        raise NotImplementedError

    def show_result(self, payload: object) -> None:
        """Draw one partial result of the current job."""
        raise NotImplementedError

    def job_finished(self) -> None:
        """The current job has ended (after its results or its error); nothing by default."""

    def settings(self) -> Any:
        """Everything a person has set in this pane, as its frozen settings dataclass."""
        raise NotImplementedError

    def apply(self, settings: Any) -> None:
        """Show ``settings`` (already validated); functions that differ are recomputed."""
        raise NotImplementedError

    def apply_function(self, text: str) -> None:
        """Compute ``text`` (a scene's) unless it is what the pane shows already. Its result is
        not announced to the other panes: the scene says what each of them shows."""
        if text != self.accepted_text or self.input.text() != text:
            self._unshared_text = text
            self.input.set_text(text)

    def should_share(self) -> bool:
        """Whether the current job's function is the user's to share with the other panes."""
        return self._job_text != self._unshared_text

    def accept_function(self) -> None:
        """Call when a result for the typed text is on screen: clears the error and shares
        the text with the other panes."""
        self.input.clear_error()
        self.last_error = ""
        changed = self.accepted_text != self._job_text
        self.accepted_text = self._job_text
        if changed:  # one key for all panes: a function typed here and adopted there is one step
            self.changed.emit(FUNCTION_CHANGE)
        self.share(self.shares)

    def share(self, kind: str | None) -> None:
        """Announce the current job's function as the shared f(x) ("function") or f(x, y)
        ("surface"), unless a scene put it here or a text typed later was shared already."""
        if kind is None or not self.should_share() or self._job_ticket <= _shared_tickets.get(kind, 0):
            return
        _shared_tickets[kind] = self._job_ticket
        if kind == "function":
            self._state.set_function_text(self._job_text)
        else:
            self._state.set_surface_text(self._job_text)

    # -- the transport: what Space, → / ←, R and a lesson's slide do -----------------------
    def play(self, until: int | None = None) -> bool:
        """Start this pane's animation (to step ``until`` where steps are counted); False where
        the pane has none, so the window can say so instead of doing nothing."""
        return False

    def is_playing(self) -> bool:
        return False

    def stop(self) -> None:
        """Pause the animation, if one is running."""

    def play_pause(self) -> bool:
        """Space: pause a running animation or start it; False where there is none."""
        if self.is_playing():
            self.stop()
            return True
        return self.play()

    def step(self, delta: int) -> bool:
        """→ / ←: one step of the animation forward (``delta`` > 0) or back; False where the
        pane has no steps."""
        return False

    def reset_animation(self) -> bool:
        """R: back to the animation's start; False where the pane has none."""
        return False

    # -- public -----------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return self._job_id != 0

    def set_function(self, text: str) -> None:
        """Type ``text`` into the box as if the user had, and compute it."""
        self.input.set_text(text)

    def compute(self, text: str) -> None:
        """Start this pane's job for ``text``; its results arrive in :meth:`show_result`."""
        job, args = self.job_args(text)
        self._job_text = text
        self._job_ticket = next(_tickets)
        # every pane's job for one text (and the derivation's) shares one time limit: a slow
        # function costs the student one wait, not one per pane
        self._job_id = self._worker.submit(job, *args, channel=self.channel, prepare=type(self).prepare,
                                           group=input_group(self.shares or self.channel, text))
        self._busy_timer.start()

    # -- replies ----------------------------------------------------------------------------
    def _on_reply(self, reply: Reply) -> None:
        if reply.channel != self.channel or reply.job_id != self._job_id:
            return  # another pane's, or a result for text the user has since changed
        if reply.kind == "partial":
            self.show_result(reply.payload)
            return
        if reply.error is not None:
            self.last_error = reply.error.message
            self.input.show_error(reply.error.message, reply.error.position)
        self._job_id = 0
        self.settled_text = self._job_text
        self._busy_timer.stop()
        self.busy_label.hide()
        self.job_finished()
        self.maybe_settled()

    def maybe_settled(self) -> None:
        """Announce :attr:`settled` if nothing is left to compute."""
        if not self.is_busy():
            self.settled.emit()

    def _adopt_shared(self, text: str) -> None:
        """Another pane changed the shared function: show it here, but only while this box
        holds what this pane last computed. Text typed here since (finished or not, computing
        or not) always wins over a function announced from elsewhere."""
        if text == self.accepted_text or self.input.text() != self.accepted_text:
            return
        self.input.set_text(text)
