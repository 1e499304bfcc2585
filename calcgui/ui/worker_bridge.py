"""Qt face of the core's time-limited runner: replies arrive as a signal on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QObject, Signal

from calcgui.core.worker import JobError, Reply, TimedRunner
from calcgui.ui.gui_thread_gc import collect_garbage_on_gui_thread

Prepare = Callable[[Any], Any]


def input_group(kind: str, text: str) -> tuple[str, str]:
    """The worker group of every job computing ``text`` as a ``kind`` ("function", "surface"…):
    the panes' jobs for one typed text share one time limit (see TimedRunner.submit)."""
    return kind, text


class SymbolicWorker(QObject):
    """Runs symbolic jobs in a killable process and emits their replies.

    ``prepare`` (optional, per job) runs on the runner's thread on each partial result before
    it is emitted: the place for work such as compiling expressions to numpy functions, which
    must not run on the UI thread either. Create it on the GUI thread: from then on garbage is
    collected there only (see :mod:`calcgui.ui.gui_thread_gc`), never on the runner's thread.
    """

    replied = Signal(object)  # Reply

    def __init__(self, *, time_limit: float = 3.0, parent: QObject | None = None,
                 runner: TimedRunner | None = None) -> None:
        """``runner``: one from :func:`calcgui.core.jobs.start_runner`, started before Qt
        was imported."""
        super().__init__(parent)
        collect_garbage_on_gui_thread()  # before the runner's thread starts allocating
        self._prepare: dict[int, Prepare] = {}
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        if runner is None:
            from calcgui.core.jobs import start_runner  # imports no sympy yet

            runner = start_runner(time_limit)
        self._runner = runner
        self._runner.deliver_to(self._on_reply)

    def submit(self, fn: Callable[..., Any], *args: Any, channel: str,
               prepare: Prepare | None = None, group: Hashable | None = None) -> int:
        """Start ``fn(*args)`` on ``channel``, superseding earlier jobs there. Returns its id.

        Jobs of one input on several channels may pass the same ``group`` key so that they
        share one time limit instead of one each (see :meth:`TimedRunner.submit`).
        """
        with self._lock:
            job_id = self._runner.submit(fn, *args, channel=channel, group=group)
            superseded = self._latest.get(channel)
            if superseded is not None:
                self._prepare.pop(superseded, None)  # it will never reply
            self._latest[channel] = job_id
            if prepare is not None:
                self._prepare[job_id] = prepare
        return job_id

    def is_current(self, job_id: int, channel: str) -> bool:
        return self._runner.is_current(job_id, channel)

    def close(self) -> None:
        self._runner.close()

    def _on_reply(self, reply: Reply) -> None:
        with self._lock:
            prepare = self._prepare.get(reply.job_id)
            if reply.is_final:
                self._prepare.pop(reply.job_id, None)
        if prepare is not None and reply.kind == "partial":
            try:
                reply = Reply(reply.job_id, reply.channel, "partial", prepare(reply.payload))
            except Exception as exc:  # a result we cannot draw is an error message, not a crash
                reply = Reply(reply.job_id, reply.channel, "error", JobError(f"could not evaluate: {exc}"))
        self.replied.emit(reply)
