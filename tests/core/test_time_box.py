"""The time box stops slow sympy work, lets quick work finish, interrupts nothing else and
leaves no trace function behind; it works on any thread."""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest
import sympy
from derivative_corpus import CORPUS

from calcgui.core import parse
from calcgui.core.time_box import TimeBoxExpired, can_box, time_box

x = sympy.Symbol("x", real=True)
#: How long a test waits for a box that should long have expired before it gives up.
GIVE_UP_S = 30.0


@pytest.fixture(autouse=True)
def _trace_function_is_left_as_found() -> Iterator[None]:
    before = sys.gettrace()
    yield
    assert sys.gettrace() is before


def slow_sympy_work() -> None:
    """New sympy work, over and over, until GIVE_UP_S (a box should stop it long before)."""
    give_up = time.monotonic() + GIVE_UP_S
    k = 0
    while time.monotonic() < give_up:
        k += 1
        sympy.simplify(sympy.sin(x + k) ** 2 + sympy.cos(x + k) ** 2)


def test_a_box_is_enforced_on_every_thread() -> None:
    assert can_box()


def test_slow_sympy_work_is_stopped() -> None:
    before = sys.gettrace()
    with pytest.raises(TimeBoxExpired):
        with time_box(0.05):
            slow_sympy_work()
    assert sys.gettrace() is before


def test_quick_work_finishes_and_restores_the_trace_function() -> None:
    before = sys.gettrace()
    with time_box(5.0):
        value = sympy.simplify(sympy.sin(x) ** 2 + sympy.cos(x) ** 2)
    assert value == 1 and sys.gettrace() is before


def test_non_sympy_code_is_never_interrupted() -> None:
    def square(n: int) -> int:
        return n * n

    with time_box(0.0):  # expired from the start
        total = sum(square(n) for n in range(100_000))
        text = parse.__doc__ or ""  # our own code and the standard library run on
    assert total == sum(n * n for n in range(100_000)) and text


def test_a_previous_trace_function_sees_calls_in_the_box_and_is_restored() -> None:
    seen: list[str] = []

    def recorder(frame: FrameType, event: str, arg: Any) -> None:
        seen.append(frame.f_code.co_name)

    def marker() -> None:
        pass

    before = sys.gettrace()
    sys.settrace(recorder)
    try:
        with time_box(5.0):
            marker()
        assert sys.gettrace() is recorder
        with pytest.raises(TimeBoxExpired):
            with time_box(0.0):
                slow_sympy_work()
        assert sys.gettrace() is recorder
    finally:
        sys.settrace(before)
    assert "marker" in seen


def test_a_sympy_finalizer_inside_the_box_does_not_use_up_the_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    """lambdify registers a sympy function as its weakref finalizer: an expiry raised there
    would be swallowed ("unraisable") and the box would be over with the work still running."""
    swallowed: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)
    compiled = sympy.lambdify(x, x**2)
    with pytest.raises(TimeBoxExpired):
        with time_box(0.0):
            del compiled  # runs sympy.utilities.lambdify's _cleanup, called by weakref
            assert sys.gettrace() is not None  # the box is still on
            slow_sympy_work()
    assert swallowed == []


def test_a_box_works_off_the_main_thread() -> None:
    outcomes: list[str] = []

    def work() -> None:
        try:
            with time_box(0.05):
                slow_sympy_work()
        except TimeBoxExpired:
            outcomes.append("stopped")
        with time_box(5.0):
            outcomes.append(str(sympy.simplify(sympy.sin(x) ** 2 + sympy.cos(x) ** 2)))
        outcomes.append("restored" if sys.gettrace() is None else "left behind")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=GIVE_UP_S + 10)
    assert outcomes == ["stopped", "1", "restored"]


def _mixed_expressions(count: int) -> list[sympy.Expr]:
    """First and second derivatives of the textbook corpus, shifted so that each is new to
    sympy's cache: some simplify at once, others take far longer than a box allows."""
    derivatives = []
    for text in CORPUS:
        first = sympy.diff(parse(text), x)
        derivatives += [first, sympy.diff(first, x)]
    shifts = range(1, count // len(derivatives) + 2)
    return [d.subs(x, x + k) for k in shifts for d in derivatives][:count]


class CollectorTime:
    """The CPU time the garbage collector has used while installed (a gc callback). A
    collection runs in C, where no box can stop it: its length depends on how many objects
    the whole test session holds, not on the box."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started


@pytest.fixture
def collector_time() -> Iterator[CollectorTime]:
    clock = CollectorTime()
    gc.callbacks.append(clock)
    yield clock
    gc.callbacks.remove(clock)


def test_a_thousand_boxed_simplifies_each_stop_on_time(monkeypatch: pytest.MonkeyPatch,
                                                       collector_time: CollectorTime) -> None:
    """Each boxed simplify uses at most the box plus 50 ms of CPU time besides garbage
    collection (CPU time, so that another busy process cannot fail the test), and no expiry
    is ever swallowed."""
    box_s = 0.005
    swallowed: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)
    before = sys.gettrace()
    overruns, leftovers, expired = [], 0, 0
    for expr in _mixed_expressions(1000):
        started, collecting = time.process_time(), collector_time.seconds
        try:
            with time_box(box_s):
                sympy.simplify(expr)
        except TimeBoxExpired:
            expired += 1
        used = time.process_time() - started - (collector_time.seconds - collecting)
        if used > box_s + 0.05:
            overruns.append((str(expr), round(used * 1000)))
        leftovers += sys.gettrace() is not before
    assert overruns == [] and leftovers == 0 and swallowed == []
    assert 0 < expired < 1000  # the mix holds both kinds
