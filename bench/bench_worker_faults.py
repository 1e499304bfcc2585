"""How soon the runner recovers from a fault: a killed worker, a runaway stale job, close().

The worker processes warm up as the app's do (calcgui.core.jobs.warm_up imports sympy), so a
cold start costs what it costs the user; the figures show that the warm spare hides it.
Between two runs the benchmark waits 1.5 cold starts, so that a new spare is warm again.

- "killed while idle": from the kill to the first result of the next job;
- "killed mid-job": from the kill to the retried job's next result (it does not sleep again);
- "superseding a runaway": from submitting the new job to its first result;
- "close() while busy": how long close() takes while a job runs (the goal: under 0.5 s).

    .venv/bin/python bench/bench_worker_faults.py [runs]
"""

from __future__ import annotations

import os
import queue
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "core"))

import worker_jobs as jobs  # noqa: E402

from calcgui.core.jobs import warm_up  # noqa: E402
from calcgui.core.worker import Reply, TimedRunner  # noqa: E402

HOUR = 3600.0


class Inbox:
    """The runner's replies, one at a time."""

    def __init__(self) -> None:
        self.replies: queue.Queue[Reply] = queue.Queue()

    def __call__(self, reply: Reply) -> None:
        self.replies.put(reply)

    def next(self) -> Reply:
        reply = self.replies.get(timeout=60)
        if reply.kind in ("error", "timeout"):
            raise RuntimeError(f"unexpected reply: {reply}")
        return reply

    def drain(self) -> None:
        while not self.replies.empty():
            self.replies.get()


def new_runner() -> tuple[TimedRunner, Inbox, float]:
    """A runner whose first job has answered, and how long that took (a cold start), in s."""
    inbox = Inbox()
    started = time.perf_counter()
    runner = TimedRunner(inbox, warm_up=warm_up)
    runner.submit(jobs.square, 2)
    inbox.next()
    cold = time.perf_counter() - started
    inbox.next()  # done
    return runner, inbox, cold


def killed_while_idle(runner: TimedRunner, inbox: Inbox) -> float:
    os.kill(runner.active_pid or 0, signal.SIGKILL)
    started = time.perf_counter()
    runner.submit(jobs.square, 3)
    inbox.next()
    elapsed = time.perf_counter() - started
    inbox.next()
    return elapsed


def killed_mid_job(runner: TimedRunner, inbox: Inbox, marker: Path) -> float:
    marker.unlink(missing_ok=True)
    runner.submit(jobs.pid_then_sleep_once, str(marker), HOUR, time_limit=HOUR)
    pid = inbox.next().payload
    time.sleep(0.05)  # let it reach its sleep
    os.kill(pid, signal.SIGKILL)
    started = time.perf_counter()
    inbox.next()  # "woke up", from the retry
    elapsed = time.perf_counter() - started
    inbox.next()
    return elapsed


def superseding_a_runaway(runner: TimedRunner, inbox: Inbox) -> float:
    runner.submit(jobs.pid_then_sleep, HOUR, channel="derivative", time_limit=HOUR)
    inbox.next()
    started = time.perf_counter()
    runner.submit(jobs.square, 5, channel="derivative")
    inbox.next()
    elapsed = time.perf_counter() - started
    inbox.next()
    return elapsed


def close_while_busy() -> float:
    runner, inbox, _cold = new_runner()
    runner.submit(jobs.pid_then_sleep, HOUR, time_limit=HOUR)
    inbox.next()
    started = time.perf_counter()
    runner.close()
    return time.perf_counter() - started


def report(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"  {name:<24} median {statistics.median(ms):7.1f}   max {max(ms):7.1f}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    runner, inbox, cold = new_runner()
    settle = 1.5 * cold
    idle, mid, stale = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        marker = Path(folder) / "slept"
        for _ in range(runs):
            for measure, figures in ((lambda: killed_while_idle(runner, inbox), idle),
                                     (lambda: killed_mid_job(runner, inbox, marker), mid),
                                     (lambda: superseding_a_runaway(runner, inbox), stale)):
                time.sleep(settle)
                inbox.drain()
                figures.append(measure())
    runner.close()
    closing = [close_while_busy() for _ in range(runs)]
    print(f"worker faults, {runs} runs (ms); a cold start took {cold * 1000:.0f} ms")
    report("killed while idle", idle)
    report("killed mid-job (retry)", mid)
    report("superseding a runaway", stale)
    report("close() while busy", closing)


if __name__ == "__main__":
    main()
