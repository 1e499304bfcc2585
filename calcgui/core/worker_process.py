"""One worker process of :mod:`calcgui.core.worker`: the loop it runs, what it sends back, and
the parent's handle on it.

Split from the runner so that the runner's module reads as one thing (which job runs where,
and for how long) and this one as another (a process that runs jobs and can be killed).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

#: How much lower than the UI a worker's CPU priority is (Unix niceness added): on a busy
#: two-core machine the window keeps answering keys and drags first, and a result comes a
#: little later only while the UI itself has work to do.
NICENESS = 5
#: Address-space cap for a worker process, so that a runaway expansion fails with
#: MemoryError instead of taking the machine down (Linux only).
MEMORY_LIMIT_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class JobError:
    """Why a job failed, in words for the user; ``position`` points into the typed text."""

    message: str
    position: int | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Phase:
    """Yielded by a generator job: the rest of the job is ``name`` (say, "typesetting") and
    may take ``seconds``, counted from now. Never delivered; see :mod:`calcgui.core.worker`."""

    name: str
    seconds: float

    def __post_init__(self) -> None:
        if not (isinstance(self.seconds, (int, float)) and 0 < self.seconds < float("inf")):
            raise ValueError(f"a phase's seconds must be a positive number, not {self.seconds!r}")


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):  # not Linux, or a limit already lower
        pass


def _lower_priority() -> None:
    try:
        import os

        os.nice(NICENESS)
    except (AttributeError, OSError):  # no nice() (Windows), or not allowed
        pass


def _end_with_parent() -> None:
    """End this process as soon as its parent is gone, whatever it is doing: a UI killed (or
    ended by ``os._exit``) must not leave workers importing sympy or running a job for
    seconds on a machine the user has moved on with (a benchmark's next run measured them)."""
    import multiprocessing
    import os
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="calcgui-parent-watch", daemon=True).start()


def _serve(conn: Connection, warm_up: Callable[[], None] | None) -> None:
    """The child's loop: run each job it is sent and send back what it yields.

    It ends quietly when the parent goes away (the pipe breaks, or its watcher sees the
    parent end: :func:`_end_with_parent`) or sends None.
    """
    _end_with_parent()
    _limit_memory()
    _lower_priority()
    if warm_up is not None:
        try:
            warm_up()
        except Exception:  # a failed warm-up only costs speed
            pass
    try:
        conn.send(("ready", None))
        while True:
            message = conn.recv()
            if message is None:
                return
            _run_job(conn, *message)
    except (EOFError, OSError):  # the parent has gone
        return


def _run_job(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = fn(*args)
        if isinstance(result, Iterator):
            for value in result:
                conn.send(("phase" if isinstance(value, Phase) else "partial", value))
        else:
            conn.send(("partial", result))
        conn.send(("done", None))
    except MemoryError:
        conn.send(("error", JobError("the calculation needed too much memory")))
    except (OSError, SystemExit, KeyboardInterrupt):  # the pipe broke, or the process is told to end
        raise
    except BaseException as exc:  # reported to the user as a message, never raised in the UI;
        # BaseException too: a stray TimeBoxExpired (a BaseException, so that sympy's own
        # `except Exception` cannot swallow it) must not end the worker
        conn.send(("error", describe(exc)))


def describe(exc: BaseException) -> JobError:
    """An exception as a message: a ValueError's own words (with its position), else its type."""
    position = getattr(exc, "position", None)
    if isinstance(exc, ValueError):  # ParseError and friends carry a message for people
        return JobError(str(exc) or type(exc).__name__, position if isinstance(position, int) else None)
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return JobError(f"the calculation failed: {last}")


class WorkerProcess:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, warm_up: Callable[[], None] | None) -> None:
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child_conn, warm_up), daemon=True, name="calcgui-worker"
        )
        self.process.start()
        child_conn.close()
        self.ready = False

    def wait_ready(self, timeout: float | None) -> bool:
        """Block until the warm-up is over; False if the process died or time ran out."""
        if self.ready:
            return True
        ready = wait([self.conn, self.process.sentinel], timeout)
        if self.conn in ready:
            try:
                self.ready = self.conn.recv()[0] == "ready"
            except (EOFError, OSError):
                return False
        return self.ready

    def is_idle(self) -> bool:
        """True if this ready process can take a job: it is alive and has nothing to say.

        An idle worker never writes, so a readable pipe means the child's end closed: it died
        (killed, say, by the system) between two jobs, and a job sent now would be lost.
        """
        try:
            return self.process.is_alive() and not self.conn.poll()
        except (OSError, ValueError):  # our end is closed
            return False

    def signal_kill(self) -> None:
        """Send the kill signal and return at once; safe from any thread."""
        if self.process.exitcode is None:
            try:
                self.process.kill()
            except (OSError, ValueError):  # already reaped, or the handle is closed
                pass

    def kill(self, join_timeout: float = 2.0) -> None:
        """Kill the process, reap it and close the pipe (the owning thread only)."""
        self.signal_kill()
        self.process.join(timeout=join_timeout)
        self.conn.close()
