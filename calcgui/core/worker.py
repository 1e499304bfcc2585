"""A time-limited, killable runner for symbolic work, with no Qt in it.

sympy cannot be interrupted inside a thread, so symbolic work runs in a child *process* that
can be killed. The runner keeps one warm process busy and one warm spare, so that killing a
runaway job (time limit) or a job the user no longer wants (superseded) never makes the next
job wait for a cold start: after each kill the spare takes over and a new spare warms up.
At start-up the user waits for the first results, so nothing else competes with them on
two cores: the first process may warm up lightly (``first_warm_up``: imports only), and once
no job has waited for :data:`SPARE_AFTER_IDLE_S` (counted after the first job: a runner may
start before anyone can submit one) it runs the full ``warm_up`` (sympy's and
ziamath's first-call costs, ~0.5 s) as a job of its own, and only then does the first spare
start (warming one takes a core for most of a second). This process's own share
(``local_warm_up``: importing what later results unpickle into) waits for that idle moment
too, since the first results must not wait for it. Worker processes end with this one,
however it ends (see :mod:`calcgui.core.worker_process`).

A job is a module-level function and its arguments. It may return a value, or be a generator
that yields several values (say, the plot data first and the typeset formulas later); each one
is delivered as soon as it exists. Jobs are submitted on a *channel*: a newer job on a channel
supersedes the older ones, whose results are dropped; one that is running is killed at once.

A generator job may also yield a :class:`Phase` between two parts of its work. It is not
delivered: it starts the part that follows on a fresh clock with a limit of its own. Symbolic
work can run away and must be stopped within seconds; typesetting the formulas of a long
derivation (60 of them at ~18 ms each) cannot run away, but sharing the symbolic limit with it
made such a job time out on a busy machine.

Jobs may also share a *group*: the jobs of one input on several channels (derivative, tangent,
derivation). They share one time budget, the first one's limit, so that a slow function
costs one time limit and not one per channel; once one of them times out, the rest of the
group is answered with the same time-out without running. The budget counts the time the
group's own jobs run: not the jobs of other inputs that run between them, nor a fresh
process's warm-up (importing sympy takes seconds on a loaded machine, where a shared
wall-clock deadline made x^3 - x "take too long").

A dead worker process is the runner's problem, not the user's. One found dead before a job is
replaced before the job is sent; a job whose process dies under it (not by our own kill) runs
once more on a fresh process, and only a second death becomes a message. Jobs are pure
functions of their arguments, so the retry's first partial results are those already
delivered and are not delivered again.

Replies reach ``on_reply`` on the runner's dispatcher thread; the UI turns them into signals.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.reduction import ForkingPickler
from typing import Any, Literal

from calcgui.core.worker_process import MEMORY_LIMIT_BYTES, JobError, Phase, WorkerProcess, describe

__all__ = ["MEMORY_LIMIT_BYTES", "JobError", "Phase", "Reply", "ReplyKind", "TimedRunner"]

ReplyKind = Literal["partial", "done", "error", "timeout"]
_Outcome = Literal["finished", "died", "superseded"]

#: What the user reads when the worker process died under a job twice: the app's fault.
DIED_TWICE = "calcgui's calculation process stopped unexpectedly (twice); please try again"
#: What the user reads when no worker process could be given the job.
COULD_NOT_START = "calcgui could not start its calculation process; please try again"
#: How long close() waits for the killed processes (all together), then for the dispatcher.
CLOSE_JOIN_S = 0.15
#: The first spare is started once the queue has been empty this long (seconds).
SPARE_AFTER_IDLE_S = 0.5
#: The channel of the first process's own full warm-up (never delivered) and its time limit.
WARM_UP_CHANNEL = "calcgui.warm-up"
WARM_UP_LIMIT_S = 30.0


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


@dataclass
class _Clock:
    """When a running job's current phase runs out, and what to say when it does."""

    limit: float
    deadline: float
    phase: str | None = None
    entered_at: float | None = None  #: when the job entered its first phase

    def enter(self, phase: Phase) -> None:
        self.phase, self.limit = phase.name, phase.seconds
        self.entered_at = self.entered_at or time.monotonic()
        self.deadline = time.monotonic() + phase.seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def overrun(self) -> JobError:
        """The time-out message, naming the phase that ran out (if the job named one)."""
        what = "this" if self.phase is None else self.phase
        return JobError(f"{what} took too long (over {self.limit:g} s) and was stopped; try a simpler function")


@dataclass
class _Group:
    """The jobs of one input: one time budget (the first job's limit) for the time they run
    themselves; one time-out for all.

    Remembered while any of its jobs is queued or running (so that keys do not pile up); a key
    reused meanwhile joins the old group, hence a fresh key for each input.
    """

    members: int = 0
    limit: float | None = None
    spent: float = 0.0
    timed_out: JobError | None = None


@dataclass
class _Job:
    job_id: int
    channel: str
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    time_limit: float
    group: Hashable | None = None


class _Closed(Exception):
    """Raised on the dispatcher thread when the runner closed under it: stop quietly."""


class TimedRunner:
    """Runs jobs in a warm child process under a time limit; see the module docstring.

    ``on_reply`` is called on the dispatcher thread with each :class:`Reply` of a job that
    is still current on its channel. Replies of superseded jobs are never delivered.
    ``warm_up`` runs in each new worker process before it takes jobs, except the first
    when ``first_warm_up`` is given: that one runs ``first_warm_up`` before its first job and
    ``warm_up`` once the queue is idle. ``local_warm_up`` runs once in this process, on a
    thread of its own, the first time the queue is idle (say, importing what unpickling later
    results will need): not before, since the first results must not wait for it.
    """

    def __init__(
        self,
        on_reply: Callable[[Reply], None],
        *,
        time_limit: float = 3.0,
        warm_up: Callable[[], None] | None = None,
        local_warm_up: Callable[[], None] | None = None,
        first_warm_up: Callable[[], None] | None = None,
        start_method: str = "spawn",
    ) -> None:
        self._on_reply = on_reply
        self._time_limit = time_limit
        self._warm_up = warm_up
        self._local_warm_up = local_warm_up
        #: held by the local warm-up and while a reply is unpickled (which may import sympy
        #: here): two threads importing sympy at once see its modules half made ("cannot
        #: import name ... from partially initialized module")
        self._unpickling = threading.Lock()
        self._locally_warmed = local_warm_up is None
        self._context = mp.get_context(start_method)
        self._ids = itertools.count(1)
        self._lock = threading.Condition()  # guards the fields up to _woken
        self._latest: dict[str, int] = {}
        self._pending: deque[_Job] = deque()
        self._groups: dict[Hashable, _Group] = {}
        self._closed = False
        # a submit wakes the dispatcher out of its wait on a running job, so that a
        # superseded one is killed at once; at most one wake-up is ever unread
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._woken = False
        self._process_lock = threading.Lock()  # guards _processes; no process starts after close
        self._processes: set[WorkerProcess] = set()
        self._active = self._new_process(first_warm_up or warm_up)
        #: whether a job has been taken: the idle-time work (warm-ups, the spare) waits for
        #: the first job, since a runner may start long before anyone submits one
        self._served = False
        #: whether the active process has had the full warm_up
        self._active_warmed = first_warm_up is None or warm_up is None
        self._spare: WorkerProcess | None = None
        self._thread = threading.Thread(target=self._dispatch, name="calcgui-runner", daemon=True)
        self._thread.start()

    # -- public -------------------------------------------------------------------------
    def submit(
        self, fn: Callable[..., Any], *args: Any, channel: str = "default",
        time_limit: float | None = None, group: Hashable | None = None,
    ) -> int:
        """Queue ``fn(*args)``; it supersedes every earlier job on ``channel``. Returns its id.

        Jobs with the same ``group`` key (say, the jobs of one typed input) share one time
        budget, the first one's limit, for the time they run; when one times out, the others
        still queued are answered with the same time-out at once. Use a fresh key for each input.
        """
        limit = self._time_limit if time_limit is None else time_limit
        with self._lock:
            if self._closed:
                raise RuntimeError("the runner is closed")
            job_id = next(self._ids)
            self._latest[channel] = job_id
            if group is not None:
                self._groups.setdefault(group, _Group()).members += 1
            self._pending.append(_Job(job_id, channel, fn, args, limit, group))
            self._lock.notify()
            self._wake()
        return job_id

    def is_current(self, job_id: int, channel: str) -> bool:
        with self._lock:
            return self._latest.get(channel) == job_id

    def deliver_to(self, on_reply: Callable[[Reply], None]) -> None:
        """Send replies to ``on_reply`` from now on: a runner may be started (its process
        warming up) before the object that takes its replies exists."""
        self._on_reply = on_reply

    @property
    def active_pid(self) -> int | None:
        """The process id of the worker that takes the next job (for tests and benchmarks)."""
        return self._active.process.pid

    def close(self) -> None:
        """Stop the dispatcher and kill the worker processes; returns within ~0.5 s.

        Whatever runs is killed, not waited for: a job may hold its process for seconds.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._lock.notify()
            self._wake()
        with self._process_lock:
            processes = list(self._processes)
        for proc in processes:
            proc.signal_kill()
        deadline = time.monotonic() + CLOSE_JOIN_S
        for proc in processes:
            proc.process.join(timeout=max(deadline - time.monotonic(), 0.0))
        self._thread.join(timeout=CLOSE_JOIN_S)  # it closes the pipes as it leaves

    # -- dispatcher thread ----------------------------------------------------------------
    def _wake(self) -> None:
        """Interrupt the dispatcher's wait on a running job (call with the lock held)."""
        if not self._woken:
            self._woken = True
            self._wake_writer.send_bytes(b"!")

    def _dispatch(self) -> None:
        try:
            while (job := self._next_job()) is not None:
                try:
                    if self.is_current(job.job_id, job.channel):  # else superseded while it waited
                        self._run(job)
                finally:
                    self._leave_group(job)
        except _Closed:
            pass
        finally:
            with self._process_lock:
                processes = list(self._processes)
                self._processes.clear()
            for proc in processes:
                proc.kill(join_timeout=CLOSE_JOIN_S)
            with self._lock:
                self._woken = True  # so that no one writes to the pipe closed here
                self._wake_writer.close()
            self._wake_reader.close()

    def _warm_up_locally(self) -> None:
        """This process's share (what unpickling and compiling results import), off the
        caller's thread and the dispatcher's; a reply that arrives meanwhile waits for it."""
        with self._unpickling:
            try:
                self._local_warm_up()  # type: ignore[misc]
            except Exception:
                pass

    def _next_job(self) -> _Job | None:
        """The next job, waiting for one. Once the queue stays empty for SPARE_AFTER_IDLE_S
        after the first job, the local warm-up starts and the first process's full warm-up
        runs (a job of its own), then the first spare is started (raises _Closed if the
        runner closes meanwhile)."""
        while True:
            with self._lock:
                if self._closed:
                    return None
                if self._pending:
                    self._served = True
                    return self._pending.popleft()
                if self._spare is not None or not self._served:  # idle means: after the first job
                    self._lock.wait()
                    continue
                self._lock.wait(timeout=SPARE_AFTER_IDLE_S)
                if self._pending or self._closed:
                    continue
                if not self._locally_warmed:
                    self._locally_warmed = True
                    threading.Thread(target=self._warm_up_locally, name="calcgui-local-warm-up", daemon=True).start()
                if not self._active_warmed:
                    self._active_warmed = True
                    job_id = next(self._ids)
                    self._latest[WARM_UP_CHANNEL] = job_id
                    assert self._warm_up is not None  # else _active_warmed is True
                    return _Job(job_id, WARM_UP_CHANNEL, self._warm_up, (), WARM_UP_LIMIT_S)
            self._spare = self._new_process()  # on this thread, outside the lock (it may raise _Closed)

    def _leave_group(self, job: _Job) -> None:
        with self._lock:
            group = self._groups.get(job.group) if job.group is not None else None
            if group is not None:
                group.members -= 1
                if group.members == 0:
                    del self._groups[job.group]

    def _emit(self, job: _Job, kind: ReplyKind, payload: Any = None) -> None:
        if job.channel == WARM_UP_CHANNEL:
            return  # the runner's own
        if self.is_current(job.job_id, job.channel) and not self._closed:
            self._on_reply(Reply(job.job_id, job.channel, kind, payload))

    def _run(self, job: _Job) -> None:
        """Run ``job``, once more on a fresh process if its process dies under it."""
        with self._lock:
            group = self._groups.get(job.group) if job.group is not None else None
            if group is not None and group.timed_out is None and group.limit is not None \
                    and group.spent >= group.limit:  # spent by the jobs before: don't start it
                group.timed_out = _Clock(group.limit, 0.0).overrun()
        if group is not None and group.timed_out is not None:
            self._emit(job, "timeout", group.timed_out)
            return
        delivered = 0
        for _attempt in range(2):
            outcome, delivered = self._attempt(job, group, delivered)
            if outcome != "died":
                return
        self._emit(job, "error", JobError(DIED_TWICE))

    def _attempt(self, job: _Job, group: _Group | None, skip: int) -> tuple[_Outcome, int]:
        """Run ``job`` on the active process once; its first ``skip`` partials were delivered.

        Returns how it ended and how many partial results it has delivered by now.
        """
        proc = self._send(job)  # waits for a process still warming up: not the job's time
        if proc is None:
            return "finished", skip
        started = time.monotonic()
        if group is None:
            clock = _Clock(job.time_limit, started + job.time_limit)
        else:
            with self._lock:
                group.limit = group.limit or job.time_limit
                clock = _Clock(group.limit, started + group.limit - group.spent)
        try:
            return self._follow(job, proc, group, clock, skip)
        finally:
            if group is not None:  # the budget pays for the symbolic part, up to a phase
                with self._lock:
                    group.spent += (clock.entered_at or time.monotonic()) - started

    def _follow(self, job: _Job, proc: WorkerProcess, group: _Group | None, clock: _Clock,
                skip: int) -> tuple[_Outcome, int]:
        """Deliver what the running ``job`` sends until it ends, times out, is superseded or
        its process dies."""
        partials = 0
        while True:
            if self._closed:
                raise _Closed
            if not self.is_current(job.job_id, job.channel):
                self._replace_active()  # at once: the spare is warm, killing is cheap
                return "superseded", max(skip, partials)
            left = clock.left()
            if left <= 0:
                self._replace_active()
                error = clock.overrun()
                self._emit(job, "timeout", error)
                if group is not None and clock.phase is None:
                    self._time_out_group(job.group, group, error)
                return "finished", max(skip, partials)
            ready = wait([proc.conn, proc.process.sentinel, self._wake_reader], timeout=left)
            if self._wake_reader in ready:
                with self._lock:
                    self._wake_reader.recv_bytes()
                    self._woken = False
            died = False
            if proc.conn in ready:  # read all it sent before concluding that it died
                try:
                    data = proc.conn.recv_bytes()
                    with self._unpickling:
                        kind, payload = ForkingPickler.loads(data)
                except (EOFError, OSError):
                    died = True
                except Exception as exc:  # a result that cannot be unpickled here
                    self._emit(job, "error", describe(exc))
                    self._replace_active()
                    return "finished", max(skip, partials)
                else:
                    if kind == "phase":
                        clock.enter(payload)
                    elif kind == "partial":
                        partials += 1
                        if partials > skip:  # else the first attempt delivered it
                            self._emit(job, kind, payload)
                    else:
                        self._emit(job, kind, payload)
                        return "finished", max(skip, partials)
                    continue
            if died or proc.process.sentinel in ready:
                self._replace_active()
                return "died", max(skip, partials)

    def _send(self, job: _Job) -> WorkerProcess | None:
        """Give ``job`` to a live, idle process: a dead one is replaced first, and a send that
        fails is tried once more on a fresh process. None (and an error reply) if none took it."""
        try:
            message = ForkingPickler.dumps((job.fn, job.args))
        except Exception as exc:  # a job that cannot be sent is a program error, not a crash
            self._emit(job, "error", JobError(f"the calculation could not be started: {exc}"))
            return None
        for _attempt in range(2):
            proc = self._active
            if proc.wait_ready(timeout=60) and proc.is_idle():
                try:
                    proc.conn.send_bytes(message)
                    return proc
                except (OSError, ValueError):  # it died just now
                    pass
            self._replace_active()
        self._emit(job, "error", JobError(COULD_NOT_START))
        return None

    def _time_out_group(self, key: Hashable, group: _Group, error: JobError) -> None:
        """Answer the group's queued jobs with its time-out now, rather than run them."""
        with self._lock:
            group.timed_out = error
            swept = [job for job in self._pending if job.group == key]
            self._pending = deque(job for job in self._pending if job.group != key)
        for job in swept:
            self._emit(job, "timeout", error)
            self._leave_group(job)

    def _new_process(self, warm_up: Callable[[], None] | None = None) -> WorkerProcess:
        """A new process, warming up with ``warm_up`` (by default the full warm-up)."""
        with self._process_lock:
            if self._closed:
                raise _Closed
            proc = WorkerProcess(self._context, warm_up or self._warm_up)
            self._processes.add(proc)
            return proc

    def _replace_active(self) -> None:
        """Kill the active process, promote the warm spare, and start warming a new spare."""
        old = self._active
        with self._process_lock:
            self._processes.discard(old)
        old.kill()
        self._active = self._spare or self._new_process()
        self._active_warmed = True  # spares and new processes have the full warm-up
        self._spare = None
        self._spare = self._new_process()
