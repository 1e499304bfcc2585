"""Bound optional work (a nicer form of an answer) without killing the process.

In the worker process jobs run on the main thread, where a POSIX interval timer can stop a
slow sympy call: ``with time_box(0.1): nicer = sympy.simplify(e)`` either finishes or raises
:class:`TimeBoxExpired`, and the caller keeps the plain answer. Elsewhere (another thread,
Windows) the box cannot be enforced and the work simply runs; the worker's own time limit
still applies.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


#: After the box expires, it fires again this often until the body has stopped.
REFIRE_SECONDS = 0.01


class TimeBoxExpired(BaseException):  # noqa: N818 - BaseException: sympy's `except Exception` must not swallow it
    """The boxed work ran out of time."""


def _expire(signum: int, frame: object) -> None:
    raise TimeBoxExpired


def can_box() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_box(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeBoxExpired` in the body after ``seconds`` (where enforceable)."""
    if not can_box():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    # keep firing after the first expiry: one raised inside a gc callback or __del__ is
    # swallowed by Python ("unraisable"), and the work would otherwise run on unbounded
    signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
