"""A time-limited, killable runner for symbolic work, with no Qt in it.

sympy cannot be interrupted inside a thread, so symbolic work runs in a child *process* that
can be killed. The runner keeps one warm process busy and one warm spare, so that killing a
runaway job (time limit) or a job the user no longer wants (superseded) never makes the next
job wait for a cold start.

A job is a module-level function and its arguments. It may return a value, or be a generator
that yields several values (say, the plot data first and the typeset formulas later); each one
is delivered as soon as it exists. Jobs are submitted on a *channel*: a newer job on a channel
supersedes the older ones, whose results are dropped, and which are killed if they hold the
process for long.

A generator job may also yield a :class:`Phase` between two parts of its work. It is not
delivered: it starts the part that follows on a fresh clock with a limit of its own. Symbolic
work can run away and must be stopped within seconds; typesetting the formulas of a long
derivation (60 of them at ~18 ms each) cannot run away, but sharing the symbolic limit with it
made such a job time out on a busy machine.

Replies reach ``on_reply`` on the runner's dispatcher thread; the UI turns them into signals.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Literal

ReplyKind = Literal["partial", "done", "error", "timeout"]

#: A job superseded by a newer one on its channel is killed once it has run this long.
SUPERSEDED_GRACE_S = 0.25
#: Address-space cap for a worker process, so that a runaway expansion fails with
#: MemoryError instead of taking the machine down (Linux only).
MEMORY_LIMIT_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class Reply:
    """One message about a job: a partial result, the end, an error or a time-out."""

    job_id: int
    channel: str
    kind: ReplyKind
    payload: Any = None

    @property
    def is_final(self) -> bool:
        return self.kind != "partial"

    @property
    def error(self) -> JobError | None:
        """Why the job failed (error or time-out), as a :class:`JobError`; None otherwise."""
        if self.kind not in ("error", "timeout"):
            return None
        return self.payload if isinstance(self.payload, JobError) else JobError(str(self.payload))


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
    may take ``seconds``, counted from now. Never delivered; see the module docstring."""

    name: str
    seconds: float

    def __post_init__(self) -> None:
        if not (isinstance(self.seconds, (int, float)) and 0 < self.seconds < float("inf")):
            raise ValueError(f"a phase's seconds must be a positive number, not {self.seconds!r}")


@dataclass
class _Clock:
    """A running job's time: overall (for the superseded grace) and in its current phase."""

    limit: float
    phase: str | None = None
    started: float = field(default_factory=time.monotonic)
    phase_started: float = field(default_factory=time.monotonic)

    def enter(self, phase: Phase) -> None:
        self.phase, self.limit, self.phase_started = phase.name, phase.seconds, time.monotonic()

    def running_for(self) -> float:
        return time.monotonic() - self.started

    def phase_left(self) -> float:
        return self.limit - (time.monotonic() - self.phase_started)

    def overrun(self) -> JobError:
        """The time-out message, naming the phase that ran out (if the job named one)."""
        what = "this" if self.phase is None else self.phase
        return JobError(f"{what} took too long (over {self.limit:g} s) and was stopped; try a simpler function")


@dataclass
class _Job:
    job_id: int
    channel: str
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    time_limit: float


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):  # not Linux, or a limit already lower
        pass


def _serve(conn: Connection, warm_up: Callable[[], None] | None) -> None:
    """The child's loop: run each job it is sent and send back what it yields.

    It ends quietly when the parent goes away (the pipe breaks) or sends None.
    """
    _limit_memory()
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
        conn.send(("error", _describe(exc)))


def _describe(exc: BaseException) -> JobError:
    position = getattr(exc, "position", None)
    if isinstance(exc, ValueError):  # ParseError and friends carry a message for people
        return JobError(str(exc) or type(exc).__name__, position if isinstance(position, int) else None)
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return JobError(f"the calculation failed: {last}")


class _Process:
    """One worker process and its end of the pipe."""

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

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=2)
        self.conn.close()


class TimedRunner:
    """Runs jobs in a warm child process under a time limit; see the module docstring.

    ``on_reply`` is called on the dispatcher thread with each :class:`Reply` of a job that
    is still current on its channel. Replies of superseded jobs are never delivered.
    ``warm_up`` runs in each new worker process before it takes jobs; ``local_warm_up`` runs
    once on the dispatcher thread (say, importing what unpickling results will need).
    """

    def __init__(
        self,
        on_reply: Callable[[Reply], None],
        *,
        time_limit: float = 3.0,
        warm_up: Callable[[], None] | None = None,
        local_warm_up: Callable[[], None] | None = None,
        start_method: str = "spawn",
    ) -> None:
        self._on_reply = on_reply
        self._time_limit = time_limit
        self._warm_up = warm_up
        self._local_warm_up = local_warm_up
        self._context = mp.get_context(start_method)
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._pending: queue.Queue[_Job | None] = queue.Queue()
        self._closed = False
        self._active = _Process(self._context, warm_up)
        self._spare: _Process | None = None
        self._thread = threading.Thread(target=self._dispatch, name="calcgui-runner", daemon=True)
        self._thread.start()

    # -- public -------------------------------------------------------------------------
    def submit(
        self, fn: Callable[..., Any], *args: Any, channel: str = "default",
        time_limit: float | None = None,
    ) -> int:
        """Queue ``fn(*args)``; it supersedes every earlier job on ``channel``. Returns its id."""
        if self._closed:
            raise RuntimeError("the runner is closed")
        with self._lock:
            job_id = next(self._ids)
            self._latest[channel] = job_id
        limit = self._time_limit if time_limit is None else time_limit
        self._pending.put(_Job(job_id, channel, fn, args, limit))
        return job_id

    def is_current(self, job_id: int, channel: str) -> bool:
        with self._lock:
            return self._latest.get(channel) == job_id

    def close(self) -> None:
        """Stop the dispatcher and the worker processes."""
        if self._closed:
            return
        self._closed = True
        self._pending.put(None)
        self._thread.join(timeout=5)
        for proc in (self._active, self._spare):
            if proc is not None:
                proc.kill()

    # -- dispatcher thread ----------------------------------------------------------------
    def _dispatch(self) -> None:
        if self._local_warm_up is not None:
            try:  # this process's share (unpickling, compiling), off the caller's thread
                self._local_warm_up()
            except Exception:
                pass
        if not self._active.wait_ready(timeout=60):
            self._replace_active()
        while True:
            job = self._pending.get()
            if job is None:
                return
            if not self.is_current(job.job_id, job.channel):
                continue  # superseded while it waited: never run it
            self._run(job)

    def _emit(self, job: _Job, kind: ReplyKind, payload: Any = None) -> None:
        if self.is_current(job.job_id, job.channel):
            self._on_reply(Reply(job.job_id, job.channel, kind, payload))

    def _run(self, job: _Job) -> None:
        proc = self._active
        if not proc.wait_ready(timeout=60):
            self._replace_active()
            proc = self._active
            proc.wait_ready(timeout=60)
        try:
            proc.conn.send((job.fn, job.args))
        except (OSError, ValueError) as exc:
            self._emit(job, "error", JobError(f"could not start the calculation: {exc}"))
            self._replace_active()
            return
        self._ensure_spare()
        clock = _Clock(job.time_limit)
        while True:
            left, elapsed = clock.phase_left(), clock.running_for()
            superseded = not self.is_current(job.job_id, job.channel)
            if left <= 0 or (superseded and elapsed >= SUPERSEDED_GRACE_S):
                self._replace_active()
                self._emit(job, "timeout", clock.overrun())
                return
            if not superseded:
                deadline = min(left, 0.05)  # wake up to notice a newer job
            else:
                deadline = min(left, SUPERSEDED_GRACE_S - elapsed)
            ready = wait([proc.conn, proc.process.sentinel], timeout=max(deadline, 0.001))
            if proc.conn in ready:
                try:
                    kind, payload = proc.conn.recv()
                except (EOFError, OSError):
                    kind, payload = "crash", None
                except Exception as exc:  # a result that cannot be unpickled here
                    self._emit(job, "error", _describe(exc))
                    self._replace_active()
                    return
                if kind == "crash":
                    pass
                elif kind == "phase":
                    clock.enter(payload)
                    continue
                else:
                    self._emit(job, kind, payload)
                    if kind in ("done", "error"):
                        return
                    continue
            if proc.process.sentinel in ready or not proc.process.is_alive():
                self._emit(job, "error", JobError("the calculation crashed; try a simpler function"))
                self._replace_active()
                return

    def _ensure_spare(self) -> None:
        if self._spare is None and not self._closed:
            self._spare = _Process(self._context, self._warm_up)

    def _replace_active(self) -> None:
        """Kill the active process and promote the warm spare (or start a new one)."""
        self._active.kill()
        self._active = self._spare or _Process(self._context, self._warm_up)
        self._spare = None
