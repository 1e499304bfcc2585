"""Bound optional work (a nicer form of an answer) without killing the process.

``with time_box(0.015): nicer = sympy.simplify(e)`` either finishes or raises
:class:`TimeBoxExpired`, and the caller keeps the plain answer.

The deadline is cooperative: while the box is open, a trace function (``sys.settrace``) sees
every Python function call on the thread and, once the deadline has passed, raises at the
next call of a sympy function by sympy. No signals are involved. The earlier box used a POSIX
interval timer whose handler raised wherever the thread happened to be: inside a gc callback,
where Python swallows the exception as "unraisable" (so the timer had to re-fire every 10 ms),
or inside the ``finally`` that was disarming it, which could leave a timer armed. Now:

- nothing fires inside a gc callback, a ``__del__``, a weakref finalizer (lambdify's linecache
  clean-up is a sympy function, but weakref calls it), a generator being closed, a ``finally``
  of ours or any non-sympy code; only a plain sympy function called by sympy is interrupted;
- nothing is left armed: the previous trace function (a debugger's, coverage's, usually none)
  is restored when the box closes, and CPython unsets the trace function itself when it
  raises, which ends the box;
- it works on any thread (the trace function is per thread) and on any platform.

Limits: the check runs only when sympy calls a Python function, so a long computation inside
one C call (a huge integer product, a garbage collection pass) finishes that call first. An
expiry raised in sympy code that a generator's clean-up runs while the garbage collector
closes it would still be swallowed, ending the box early; sympy's generators do no such
clean-up today. The worker's time limit stays the backstop. A previous trace function keeps
receiving calls in the box. An import that runs out of time in the box is undone, and tried
again (and cut short again) next time: import what the boxed work imports before opening
the box (simplify imports sympy.physics.units on every call; see
:func:`calcgui.core.differentiate.import_what_simplify_imports`).

Cost: a trace function makes CPython 3.11 build a frame object for every call. A boxed
``simplify`` of the textbook corpus's derivatives runs 2.1 times as long as an unboxed one
(median over 127 expressions, sympy's cache cleared before each run; a do-nothing trace
function alone costs 1.9 times; bench/bench_time_box.py prints the figures). An expiring
simplify stops within 0.1 ms of its deadline. The box is opened only around ``simplify``.
"""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

Tracer = Callable[[FrameType, str, Any], Any]


class TimeBoxExpired(BaseException):  # noqa: N818 - BaseException: sympy's `except Exception` must not swallow it
    """The boxed work ran out of time."""


def can_box() -> bool:
    """Whether :func:`time_box` is enforced here: wherever Python has ``sys.settrace``
    (CPython, PyPy), on any thread, since the trace function belongs to the thread."""
    return callable(getattr(sys, "settrace", None))


#: Frames of generators and coroutines are never interrupted: the garbage collector closes a
#: generator wherever it happens to run, and an exception raised there is swallowed.
_RESUMABLE = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def _is_sympy(frame: FrameType | None) -> bool:
    return frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "sympy"


def _interruptible(frame: FrameType) -> bool:
    """A plain sympy function called by sympy: not our code, not a gc callback, not a sympy
    function that weakref runs as a finalizer, not a generator being closed."""
    return not frame.f_code.co_flags & _RESUMABLE and _is_sympy(frame) and _is_sympy(frame.f_back)


def _deadline_tracer(deadline: float, previous: Tracer | None) -> Tracer:
    """The global trace function of one box; it returns None (no per-line tracing) unless the
    previous trace function asks for its own local tracing."""
    now = time.monotonic

    def check(frame: FrameType, event: str, arg: Any) -> Any:
        if now() >= deadline and _interruptible(frame):  # a global tracer only sees "call"s
            raise TimeBoxExpired
        return None if previous is None else previous(frame, event, arg)

    return check


@contextmanager
def time_box(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeBoxExpired` in the body's sympy work once ``seconds`` have passed."""
    if not can_box():
        yield
        return
    previous = sys.gettrace()
    sys.settrace(_deadline_tracer(time.monotonic() + seconds, previous))
    try:
        yield
    finally:
        sys.settrace(previous)
