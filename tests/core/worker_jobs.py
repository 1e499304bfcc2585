"""Module-level jobs for the runner tests (a spawned worker imports them by name)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

from calcgui.core.time_box import TimeBoxExpired
from calcgui.core.worker import Phase


class PositionedError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def square(n: int) -> int:
    return n * n


def count_to(n: int) -> Iterator[int]:
    yield from range(1, n + 1)


def sleep_then(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value


def announce_then_sleep(seconds: float) -> Iterator[str]:
    """Say it has started (so a test knows it holds the process), then sleep."""
    yield "started"
    time.sleep(seconds)
    yield "woke up"


def slow_phase(phase_seconds: float, sleep: float) -> Iterator[str | Phase]:
    """Quick first part; then a phase of ``phase_seconds`` that sleeps ``sleep``."""
    yield "first part"
    yield Phase("typesetting", phase_seconds)
    time.sleep(sleep)
    yield "second part"


def fail_with_position() -> None:
    raise PositionedError("missing ')' at 5", 4)


def fail_unexpectedly() -> None:
    raise KeyError("boom")


def expire_outside_a_box() -> None:
    raise TimeBoxExpired  # as if a job had let a time box's expiry escape


def crash() -> None:
    os._exit(3)


def niceness() -> int:
    import os

    return os.nice(0)


def pid() -> int:
    return os.getpid()


def die_once(marker: str) -> str:
    """Kill its own process the first time (leaving ``marker``), answer the second time."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return "second life"


def pid_then_sleep_once(marker: str, seconds: float) -> Iterator[int | str]:
    """Say which process runs it; the first time only (leaving ``marker``), sleep ``seconds``.

    The marker is left before the pid is said, so a test that kills on hearing it cannot kill
    the first run before the marker exists."""
    first = not os.path.exists(marker)
    if first:
        open(marker, "w").close()
    yield os.getpid()
    if first:
        time.sleep(seconds)
    yield "woke up"


def pid_then_sleep(seconds: float) -> Iterator[int | str]:
    """Say which process runs it (so a test knows it holds the process), then sleep."""
    yield os.getpid()
    time.sleep(seconds)
    yield "woke up"


def write_marker(marker: str) -> str:
    """Leave ``marker``: proof that the job ran."""
    open(marker, "w").close()
    return "ran"


def slow_warm_up() -> None:
    """A process that takes long to warm up, as sympy's import does on a loaded machine."""
    time.sleep(2.0)


_WARMED: list[str] = []


def light_warm_up() -> None:
    _WARMED.append("light")


def full_warm_up() -> None:
    _WARMED.append("full")


def warm_ups_so_far() -> tuple[int, tuple[str, ...]]:
    """This process's id and the warm-ups it has run."""
    return os.getpid(), tuple(_WARMED)
