"""The time-limited runner: results, streaming, time limit, stale results, crashes."""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import worker_jobs as jobs

from calcgui.core.worker import JobError, Reply, TimedRunner


class Collector:
    def __init__(self) -> None:
        self.replies: queue.Queue[Reply] = queue.Queue()

    def __call__(self, reply: Reply) -> None:
        self.replies.put(reply)

    def until_final(self, timeout: float = 20.0) -> list[Reply]:
        got: list[Reply] = []
        deadline = time.monotonic() + timeout
        while True:
            reply = self.replies.get(timeout=max(deadline - time.monotonic(), 0.01))
            got.append(reply)
            if reply.is_final:
                return got


@pytest.fixture
def runner() -> Iterator[tuple[TimedRunner, Collector]]:
    collector = Collector()
    r = TimedRunner(collector, time_limit=1.0)
    yield r, collector
    r.close()


def test_value_then_done(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    job = r.submit(jobs.square, 12)
    replies = c.until_final()
    assert [(x.job_id, x.kind, x.payload) for x in replies] == [(job, "partial", 144), (job, "done", None)]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_workers_run_at_a_lower_priority_than_the_ui(runner: tuple[TimedRunner, Collector]) -> None:
    """On a busy machine the window comes first: workers are niced below their parent."""
    from calcgui.core.worker_process import NICENESS

    r, c = runner
    r.submit(jobs.niceness)
    value, _done = c.until_final()
    assert value.payload == min(os.nice(0) + NICENESS, 19)


def test_generator_streams_each_value(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.count_to, 3)
    assert [x.payload for x in c.until_final()] == [1, 2, 3, None]


def test_error_keeps_message_and_position(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.fail_with_position)
    (reply,) = c.until_final()
    assert reply.kind == "error" and reply.payload == JobError("missing ')' at 5", 4)
    r.submit(jobs.fail_unexpectedly)
    (reply,) = c.until_final()
    assert reply.kind == "error" and "KeyError" in reply.payload.message


def test_time_limit_stops_runaway_work_and_runner_recovers(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.pid)
    first_pid = c.until_final()[0].payload
    r.submit(jobs.sleep_then, 60.0, "never")  # without the 1 s limit, until_final gives up first
    (reply,) = c.until_final()
    assert reply.kind == "timeout" and "too long (over 1 s)" in reply.payload.message
    r.submit(jobs.pid)
    replies = c.until_final()
    assert replies[0].payload != first_pid  # the runaway process was replaced
    assert replies[-1].kind == "done"


def test_a_phase_gets_a_fresh_clock_and_is_never_delivered(runner: tuple[TimedRunner, Collector]) -> None:
    """The second part sleeps past the runner's 1 s limit, but its phase allows 30 s."""
    r, c = runner
    job = r.submit(jobs.slow_phase, 30.0, 1.5)
    replies = c.until_final()
    assert [(x.job_id, x.kind, x.payload) for x in replies] == [
        (job, "partial", "first part"), (job, "partial", "second part"), (job, "done", None)]


def test_a_phase_that_overruns_its_own_limit_times_out_by_name(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.pid)
    first_pid = c.until_final()[0].payload
    r.submit(jobs.slow_phase, 0.3, 60.0)
    first, timeout = c.until_final()
    assert (first.kind, first.payload) == ("partial", "first part")
    assert timeout.kind == "timeout"
    assert timeout.payload.message.startswith("typesetting took too long (over 0.3 s) and was stopped")
    r.submit(jobs.pid)
    assert c.until_final()[0].payload != first_pid  # the overrunning process was replaced


def test_superseded_results_are_dropped(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    old = r.submit(jobs.sleep_then, 0.1, "old text", channel="derivative")
    new = r.submit(jobs.square, 7, channel="derivative")
    replies = c.until_final()
    assert all(x.job_id == new for x in replies) and replies[0].payload == 49
    time.sleep(0.3)
    assert c.replies.empty(), "a result for superseded text was delivered"
    assert not r.is_current(old, "derivative")


def test_superseded_runaway_job_is_killed_for_the_new_one(runner: tuple[TimedRunner, Collector]) -> None:
    """The stale job may run for an hour: had superseding not killed it, the new job's reply
    could only come after until_final has given up, so the test fails by timeout, not by a
    tight number (bench/bench_worker_faults.py measures how fast the new reply comes)."""
    r, c = runner
    stale = r.submit(jobs.pid_then_sleep, 3600.0, channel="derivative", time_limit=3600.0)
    started = c.replies.get(timeout=20.0)
    assert started.job_id == stale  # it holds the process now
    new = r.submit(jobs.pid_then_sleep, 0.0, channel="derivative", time_limit=3600.0)
    replies = c.until_final()
    assert [(x.job_id, x.kind) for x in replies] == [(new, "partial"), (new, "partial"), (new, "done")]
    assert replies[0].payload != started.payload  # a fresh process ran it: the stale one was killed
    assert r.active_pid == replies[0].payload


def test_channels_do_not_supersede_each_other(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.square, 2, channel="a")
    r.submit(jobs.square, 3, channel="b")
    payloads = {x.channel: x.payload for x in c.until_final() + c.until_final() if x.kind == "partial"}
    assert payloads == {"a": 4, "b": 9}


def test_a_stray_base_exception_is_an_error_and_the_worker_lives_on(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.pid)
    first_pid = c.until_final()[0].payload
    r.submit(jobs.expire_outside_a_box)
    (reply,) = c.until_final()
    assert reply.kind == "error" and "TimeBoxExpired" in reply.payload.message
    r.submit(jobs.pid)
    assert c.until_final()[0].payload == first_pid  # the same process served the next job


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def test_a_worker_killed_while_idle_is_replaced_before_the_next_job(
        runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.pid)
    killed = c.until_final()[0].payload
    assert r.active_pid == killed
    kill(killed)
    for n in (3, 4):  # the next one or two jobs used to fail with "Broken pipe"
        r.submit(jobs.square, n)
        replies = c.until_final()
        assert [(x.kind, x.payload) for x in replies] == [("partial", n * n), ("done", None)]
    assert r.active_pid != killed


def test_a_job_whose_worker_is_killed_runs_again_on_a_fresh_one(
        runner: tuple[TimedRunner, Collector], tmp_path: Path) -> None:
    """The first run sleeps for an hour and is killed from here; the retry does not sleep.
    Its pid (the first partial) was delivered once and is not delivered again."""
    r, c = runner
    job = r.submit(jobs.pid_then_sleep_once, str(tmp_path / "slept"), 3600.0, time_limit=3600.0)
    first = c.replies.get(timeout=20.0)
    assert (first.job_id, first.kind) == (job, "partial")
    kill(first.payload)
    replies = c.until_final()
    assert [(x.job_id, x.kind, x.payload) for x in replies] == [(job, "partial", "woke up"), (job, "done", None)]
    assert r.active_pid != first.payload


def test_a_job_that_kills_its_worker_once_is_retried(
        runner: tuple[TimedRunner, Collector], tmp_path: Path) -> None:
    r, c = runner
    marker = tmp_path / "died"
    r.submit(jobs.die_once, str(marker))
    assert [(x.kind, x.payload) for x in c.until_final()] == [("partial", "second life"), ("done", None)]
    assert marker.exists()  # it did die the first time


def test_a_job_that_always_kills_its_worker_blames_the_app_once(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.crash)
    (reply,) = c.until_final()
    assert reply.kind == "error" and "stopped unexpectedly" in reply.payload.message
    assert "simpler function" not in reply.payload.message and "pipe" not in reply.payload.message.lower()
    r.submit(jobs.square, 9)
    assert c.until_final()[0].payload == 81


def test_a_job_that_cannot_be_sent_is_an_error_and_the_runner_lives_on(
        runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(lambda: 1)  # not importable by name in the worker
    (reply,) = c.until_final()
    assert reply.kind == "error" and reply.payload.message.startswith("the calculation could not be started")
    r.submit(jobs.square, 4)
    assert c.until_final()[0].payload == 16


def test_a_group_shares_one_budget_and_one_time_out(
        runner: tuple[TimedRunner, Collector], tmp_path: Path) -> None:
    """The runner's limit is 1 s. The second job may take an hour on its own, but it shares
    the first one's budget; once it times out, the queued third never runs."""
    r, c = runner
    marker = tmp_path / "ran"
    first = r.submit(jobs.sleep_then, 0.3, "quick", channel="derivative", group="x^x")
    second = r.submit(jobs.sleep_then, 3600.0, "never", channel="tangent", time_limit=3600.0, group="x^x")
    third = r.submit(jobs.write_marker, str(marker), channel="derivation", group="x^x")
    replies = c.until_final() + c.until_final() + c.until_final()
    assert [(x.job_id, x.kind) for x in replies] == [
        (first, "partial"), (first, "done"), (second, "timeout"), (third, "timeout")]
    assert replies[2].payload == replies[3].payload
    assert "too long (over 1 s)" in replies[3].payload.message
    assert not marker.exists()
    r.submit(jobs.square, 6, group="y")  # other groups are not touched
    assert c.until_final()[0].payload == 36


def test_close_does_not_wait_for_a_running_job(runner: tuple[TimedRunner, Collector]) -> None:
    r, c = runner
    r.submit(jobs.pid_then_sleep, 3600.0, time_limit=3600.0)
    c.replies.get(timeout=20.0)  # it holds the process now
    closing = threading.Thread(target=r.close)
    closing.start()
    closing.join(timeout=5)  # generous; bench/bench_worker_faults.py measures it
    assert not closing.is_alive()


def test_closed_runner_refuses_work() -> None:
    r = TimedRunner(lambda reply: None)
    r.close()
    with pytest.raises(RuntimeError):
        r.submit(jobs.square, 1)


def test_reply_error_is_a_job_error_for_failures_only() -> None:
    assert Reply(1, "c", "partial", 5).error is None
    assert Reply(1, "c", "done").error is None
    assert Reply(1, "c", "timeout", JobError("too long")).error == JobError("too long")
    assert Reply(1, "c", "error", "plain text").error == JobError("plain text")


def test_a_cold_replacement_process_does_not_spend_a_groups_time() -> None:
    """A kill promotes the spare, which may still be warming up (seconds, importing sympy on
    a loaded machine); a job given to it waits for it, and that wait is not the job's time:
    the job of a group with a 1 s limit starts after a ~2 s warm-up and runs its second before
    it is stopped (it used to time out before it started)."""
    collector = Collector()
    r = TimedRunner(collector, time_limit=1.0, warm_up=jobs.slow_warm_up)
    try:
        r.submit(jobs.announce_then_sleep, 30, channel="a")
        assert collector.replies.get(timeout=20).kind == "partial"  # running; the spare is still cold
        job = r.submit(jobs.announce_then_sleep, 30, channel="a", group="g")  # a kill: the cold spare
        replies = [reply for reply in collector.until_final() if reply.job_id == job]
        assert [(x.kind, x.payload) for x in replies[:1]] == [("partial", "started")]
        assert replies[-1].kind == "timeout"  # then its own second ran out, as it should
    finally:
        r.close()


def test_other_inputs_jobs_between_a_groups_jobs_do_not_spend_its_budget(
        runner: tuple[TimedRunner, Collector]) -> None:
    """Group g (limit 1 s) runs 0.4 s, then another input's job runs 1.5 s, then g's second
    job runs 0.3 s: g spent 0.7 s of its own, and answers (a deadline shared in wall time
    would have run out while the other input's job ran)."""
    r, c = runner
    first = r.submit(jobs.sleep_then, 0.4, "one", channel="derivative", group="g")
    other = r.submit(jobs.sleep_then, 1.5, "other", channel="gradient", time_limit=10.0, group="h")
    second = r.submit(jobs.sleep_then, 0.3, "two", channel="tangent", group="g")
    replies = c.until_final() + c.until_final() + c.until_final()
    assert [(x.job_id, x.kind, x.payload) for x in replies] == [
        (first, "partial", "one"), (first, "done", None), (other, "partial", "other"), (other, "done", None),
        (second, "partial", "two"), (second, "done", None)]


def test_the_first_spare_waits_until_no_job_is_waiting(runner: tuple[TimedRunner, Collector]) -> None:
    """Warming a spare takes a core; at start-up it must not compete with the first jobs. While
    two jobs run back to back only the active process exists; once the queue has stayed empty
    for SPARE_AFTER_IDLE_S a spare is started (and warms up)."""
    r, c = runner
    first = r.submit(jobs.sleep_then, 0.6, "one", channel="a")
    second = r.submit(jobs.sleep_then, 0.6, "two", channel="b")
    seen: set[int] = set()
    finals = 0
    while finals < 2:
        with r._process_lock:
            seen.add(len(r._processes))
        try:
            reply = c.replies.get(timeout=0.02)
        except queue.Empty:
            continue
        finals += reply.is_final and reply.job_id in (first, second)
    assert seen == {1}  # no spare while jobs were running or waiting
    deadline = time.monotonic() + 20
    while r._spare is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert r._spare is not None and len(r._processes) == 2
    job = r.submit(jobs.square, 7)  # the runner still answers with its spare warming
    assert [x.payload for x in c.until_final() if x.job_id == job] == [49, None]


def test_the_first_process_warms_up_lightly_then_fully_once_idle() -> None:
    """The first job must not wait for the full warm-up (sympy's first calls, ~0.5 s at
    start-up): the first process runs only the light one before it; once idle it runs the
    full one as a job of its own, whose reply nobody receives; the spare starts after it."""
    collector = Collector()
    r = TimedRunner(collector, time_limit=5.0, warm_up=jobs.full_warm_up, first_warm_up=jobs.light_warm_up)
    try:
        r.submit(jobs.warm_ups_so_far, channel="a")
        (first, _done) = collector.until_final()
        pid, warmed = first.payload
        assert warmed == ("light",)
        deadline = time.monotonic() + 20
        while r._spare is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert r._spare is not None
        r.submit(jobs.warm_ups_so_far, channel="a")
        (again, _done) = collector.until_final()
        assert again.payload == (pid, ("light", "full"))  # the same process, now fully warm
        assert collector.replies.empty()  # the warm-up job answered no one
    finally:
        r.close()


def test_the_local_warm_up_waits_for_idle_and_replies_wait_for_it() -> None:
    """The first results must not wait for the local warm-up (importing sympy in the UI
    process, which drawing them no longer needs): it starts once the queue is idle. Reading
    a reply may import sympy too, and two threads importing sympy at once see its modules
    half made ("cannot import name 'bernoulli' from partially initialized module", seen under
    Xvfb): a reply that arrives while the warm-up runs is read after it."""
    order: list[str] = []
    started = threading.Event()

    def local_warm_up() -> None:
        started.set()
        time.sleep(1.5)  # far longer than the job takes in its warm process
        order.append("warmed")

    collector = Collector()
    r = TimedRunner(lambda reply: (order.append(reply.kind), collector(reply)), time_limit=5.0,
                    local_warm_up=local_warm_up)
    try:
        time.sleep(1.0)  # idle, but before the first job: the runner started before the UI could submit
        assert not started.is_set()
        r.submit(jobs.square, 3)
        assert [x.payload for x in collector.until_final()] == [9, None]
        assert order == ["partial", "done"]  # not kept waiting by the warm-up
        assert started.wait(timeout=30)  # the queue went idle
        r.submit(jobs.square, 4)
        assert [x.payload for x in collector.until_final()] == [16, None]
        assert order == ["partial", "done", "warmed", "partial", "done"]
    finally:
        r.close()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_workers_end_with_their_parent() -> None:
    """A UI that ends abruptly (killed, or os._exit as the start-up probe does) takes its
    workers with it, even one busy for 60 s: orphans kept importing sympy and competing with
    the next launch for the CPU."""
    import subprocess
    import sys

    script = ("import functools, os, time\n"
              "from calcgui.core.worker import TimedRunner\n"
              "r = TimedRunner(lambda reply: None, warm_up=functools.partial(time.sleep, 60))\n"
              "print(r.active_pid, flush=True)\n"
              "time.sleep(0.5)\n"
              "os._exit(0)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())  # not read to its end: an orphan would hold the pipe open
    assert parent.wait(timeout=60) == 0
    parent.stdout.close()
    deadline = time.monotonic() + 20
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
