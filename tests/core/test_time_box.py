"""The time box stops slow work on the main thread and is a no-op elsewhere."""

from __future__ import annotations

import threading
import time

import pytest

from calcgui.core.time_box import TimeBoxExpired, can_box, time_box


@pytest.mark.skipif(not can_box(), reason="needs POSIX interval timers")
def test_slow_work_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(TimeBoxExpired):
        with time_box(0.05):
            while True:
                sum(range(1000))
    assert time.monotonic() - started < 0.5


def test_quick_work_finishes_and_leaves_no_timer_behind() -> None:
    with time_box(0.05):
        value = sum(range(10))
    time.sleep(0.1)  # a leftover timer would raise here
    assert value == 45


def test_no_op_off_the_main_thread() -> None:
    result: list[bool] = []

    def work() -> None:
        with time_box(0.01):
            time.sleep(0.05)
        result.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert result == [True]


@pytest.mark.skipif(not can_box(), reason="needs POSIX interval timers")
def test_a_swallowed_expiry_fires_again() -> None:
    """An expiry raised inside a gc callback or __del__ is lost ("unraisable"); the box must
    keep firing until the work stops."""
    swallowed = 0
    started = time.monotonic()
    with pytest.raises(TimeBoxExpired):
        with time_box(0.02):
            while time.monotonic() - started < 2:
                try:
                    sum(range(1000))
                except TimeBoxExpired:
                    if swallowed:
                        raise
                    swallowed += 1  # as if a gc callback had eaten it
    assert swallowed == 1 and time.monotonic() - started < 0.5
