"""Derivative pane: what typing costs the UI thread, key by key, while results land mid-word.

tests/ui/test_derivative_pane.py checks that the UI thread runs no sympy while a student
types; how long it is busy is measured here, because a time asserted in a test fails at
random on a busy machine. A function is typed key by key, 30 ms apart, with a longer pause
after each space and ')' (as a student pauses between terms): the debounce fires there, so
plots and typeset formulas land while the next keys arrive. Offscreen platform. Two figures:

- "keystroke": the key press handled plus whatever landed before the next key, beyond the
  pause itself (goal ≤ 100 ms: typing must feel immediate);
- "stall": the longest single pass of the event loop, the longest the window could not
  respond (goal ≤ 50 ms, DESIGN.md's "the UI thread never stalls over 50 ms").

The first round is cold (nothing cached in the worker); the others retype the same text.

    .venv/bin/python bench/bench_typing.py [rounds] [--json]
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_support import count_argument, open_derivative_pane, p95, print_json, wants_json  # noqa: E402
from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from calcgui.ui.function_input import DEBOUNCE_MS  # noqa: E402
from calcgui.ui.panes.derivative import DerivativePane  # noqa: E402

TEXT = "sin(x^2) e^(-x) / (1 + x^2) + ln(x^2 + 1)"
PAUSE_S = 0.030
#: After a space or ')': long enough for the debounce to fire and results to start landing.
TERM_PAUSE_S = DEBOUNCE_MS / 1000 + 0.1
KEYSTROKE_GOAL_MS = 100
STALL_GOAL_MS = 50


def pause(seconds: float, stalls: list[float]) -> None:
    """Run the event loop for ``seconds``, recording how long each pass of it took."""
    end = time.perf_counter() + seconds
    while (now := time.perf_counter()) < end:
        QCoreApplication.processEvents()
        stalls.append((time.perf_counter() - now) * 1000)


def settle(pane: DerivativePane) -> None:
    while pane.is_busy() or pane.settled_text != pane.input.text():
        QCoreApplication.processEvents()
        time.sleep(0.001)


def type_once(pane: DerivativePane) -> tuple[list[float], list[float]]:
    """Type :data:`TEXT` into the emptied box; per-key overruns and event-loop passes (ms)."""
    edit = pane.input.line_edit
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    keystrokes: list[float] = []
    stalls: list[float] = []
    for char in TEXT:
        wait = TERM_PAUSE_S if char in " )" else PAUSE_S
        started = time.perf_counter()
        QTest.keyClick(edit, char)
        stalls.append((time.perf_counter() - started) * 1000)
        pause(wait, stalls)
        keystrokes.append(max(0.0, (time.perf_counter() - started - wait) * 1000))
    settle(pane)
    if pane.last_error:
        raise RuntimeError(f"{TEXT!r}: {pane.last_error}")
    return keystrokes, stalls


@dataclass(frozen=True)
class TypingTimes:
    """Per round (the first cold): each key's overrun, and the longest event-loop pass (ms)."""

    keystrokes: list[list[float]]
    longest_stall: list[float]


def measure_typing(rounds: int) -> TypingTimes:
    app, window, pane = open_derivative_pane()
    pane.input.line_edit.setFocus()
    settle(pane)
    results = [type_once(pane) for _ in range(rounds + 1)]
    window.worker.close()
    del app
    return TypingTimes([keys for keys, _ in results], [max(passes) for _, passes in results])


def main() -> None:
    rounds = count_argument(5)
    times = measure_typing(rounds)
    if wants_json():
        print_json(times)
        return
    results = list(zip(times.keystrokes, times.longest_stall))
    print(f"typing {TEXT!r} ({len(TEXT)} keys, {PAUSE_S * 1000:.0f} ms apart, {TERM_PAUSE_S * 1000:.0f} ms "
          f"after ' ' and ')') into the Derivative pane; warm = {rounds} more rounds")
    for name, part in (("cold", results[:1]), ("warm", results[1:])):
        keystrokes = [k for keys, _ in part for k in keys]
        stalls = [longest for _, longest in part]
        print(f"  keystroke ({name}): median {statistics.median(keystrokes):6.1f} ms   "
              f"p95 {p95(keystrokes):6.1f} ms   max {max(keystrokes):6.1f} ms   (goal max ≤ {KEYSTROKE_GOAL_MS} ms)")
        print(f"  stall ({name}):     longest {max(stalls):6.1f} ms   (goal ≤ {STALL_GOAL_MS} ms)")


if __name__ == "__main__":
    main()
