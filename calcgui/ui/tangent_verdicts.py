"""The worker's verdicts on whether f′(x₀) exists, for the Secant → tangent pane.

Deciding differentiability at a point takes sympy, so it runs in the worker
(:func:`calcgui.core.jobs.differentiability_job`), and P can be dragged faster than the worker
answers. This book keeps that bookkeeping out of the pane, which only draws and words what it
is told: every verdict (or why there is none) is remembered by (text, x₀), so that dragging
back is instant; at most one job is in flight, because a running job superseded on its channel
is a process killed, so a drag asks again once a reply is in, for wherever P is by then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from calcgui.core.jobs import differentiability_job
from calcgui.core.worker import Reply
from calcgui.ui.worker_bridge import SymbolicWorker

if TYPE_CHECKING:  # the module imports sympy: not before the first paint
    from calcgui.core.differentiability import Differentiability

#: Whether f′(x₀) exists, decided in the worker (:func:`calcgui.core.differentiability`).
VERDICT_CHANNEL = "tangent-verdict"
#: Verdicts remembered per function before the memory starts afresh.
VERDICTS_KEPT = 256

#: A point of a function: the function's text and x₀.
Key = tuple[str, float]


class VerdictBook(QObject):
    """The worker's verdicts by (text, x₀), asked for one at a time.

    ``wanted`` says which verdicts the screen needs now, the most recent request first. The
    book emits ``arrived`` when one of those comes in (the screen is out of date), then
    ``answered`` after every reply it handled (the owner may have settled).
    """

    arrived = Signal()
    answered = Signal()

    def __init__(self, worker: SymbolicWorker, wanted: Callable[[], list[Key]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker, self._wanted = worker, wanted
        #: the worker's verdicts (or why there is none) by (text, x₀): dragging back is instant
        self._verdicts: dict[Key, Differentiability | str] = {}
        #: the verdict in flight (at most one: a running job superseded is a process killed)
        self._job, self._asked = 0, ("", 0.0)
        worker.replied.connect(self._on_reply)

    def found(self, text: str, x0: float) -> Differentiability | str | None:
        """The verdict on f at x₀, the reason there is none, or None if not decided yet."""
        return self._verdicts.get((text, x0))

    def verdict(self, text: str, x0: float) -> Differentiability | None:
        """The verdict on f at x₀; None while it is being checked (or if that failed)."""
        found = self.found(text, x0)
        return None if found is None or isinstance(found, str) else found

    def decided(self, text: str, x0: float) -> bool:
        """Whether the worker has answered for f at x₀ (with a verdict or a failure)."""
        return (text, x0) in self._verdicts

    def pending(self) -> bool:
        """Whether a verdict the screen needs has not come in yet."""
        return any(key not in self._verdicts for key in self._wanted())

    def ask_next(self) -> None:
        """Send the first missing verdict to the worker, unless one for this function is in
        flight (dragging P asks once a reply is in, for wherever P is by then)."""
        missing = [key for key in self._wanted() if key not in self._verdicts]
        if not missing or (self._job and self._asked[0] == missing[0][0]):
            return
        if len(self._verdicts) > VERDICTS_KEPT:
            self._verdicts.clear()
        self._asked = missing[0]
        self._job = self._worker.submit(differentiability_job, *self._asked, "x", channel=VERDICT_CHANNEL)

    def _on_reply(self, reply: Reply) -> None:
        if reply.channel != VERDICT_CHANNEL or reply.job_id != self._job:
            return
        if reply.kind == "partial" or reply.error is not None:
            self._verdicts[self._asked] = reply.payload if reply.kind == "partial" else reply.error.message
            if self._asked in self._wanted():  # else for an older P or text: kept, not shown
                self.arrived.emit()
        if reply.is_final:
            self._job = 0
            self.ask_next()
        self.answered.emit()
