"""Derivative pane: from the input settling to f, f', f'' plotted, and to all three typeset.

Drives the real pane on the offscreen platform. "Settled" is the moment the debounce fires
(the pane's compute() is called); "plotted" is when the three curves are set and the plot
repainted; "typeset" is when the three formulas are set and repainted. Each function is
measured cold (first time: nothing cached) and warm (seen before).

    .venv/bin/python bench/bench_derivative_pane.py [rounds] [--json]
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_support import count_argument, open_derivative_pane, p95, print_json, wants_json  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402

from calcgui.core.compiled import CompiledDerivatives  # noqa: E402
from calcgui.ui.panes.derivative import DerivativePane  # noqa: E402

FUNCTIONS = [
    "2x^2 + 3x + 1", "x^3 - x", "sin^2 x", "e^(-x^2)", "|x|", "√(x+1)", "x^2 e^x", "sin(3x)/x",
    "arctan(x^2)", "ln x", "1/x", "tan x", "x^x", "sigmoid(x)", "relu(x)", "softplus(x)",
    "(2x + 3)^2", "sin((4x)^2)", "cos(x) e^(-x/4)", "x ln x - x", "1/(1 + x^2)", "sqrt(1 - x^2)",
    "tanh(x)", "x^(1/3)", "(x^2 - 1)/(x^2 + 1)",
]


def drain_paints() -> None:
    """Let the UI go idle (paint the previous function) before the clock starts."""
    end = time.perf_counter() + 0.05
    while time.perf_counter() < end:
        QCoreApplication.processEvents()


def measure(pane: DerivativePane, text: str) -> tuple[float, float]:
    marks: dict[str, float] = {}
    original = pane.show_result

    def spy(payload: object) -> None:
        original(payload)
        if isinstance(payload, CompiledDerivatives):
            pane.plot.viewport().repaint()
            marks["plot"] = time.perf_counter()
        else:
            for label in pane.formulas:
                label.repaint()
            marks["typeset"] = time.perf_counter()

    pane.show_result = spy  # type: ignore[method-assign]
    started = time.perf_counter()
    pane.compute(text)
    while pane.is_busy():
        QCoreApplication.processEvents()
        time.sleep(0.0005)
    pane.show_result = original  # type: ignore[method-assign]
    if pane.last_error or "plot" not in marks:
        raise RuntimeError(f"{text!r}: {pane.last_error or 'no plot'}")
    return (marks["plot"] - started) * 1000, (marks["typeset"] - started) * 1000


@dataclass(frozen=True)
class PaneTimes:
    """Milliseconds from settled to plotted / typeset, one per function (warm: per round too)."""

    rounds: int
    cold_plot: list[float]
    cold_typeset: list[float]
    warm_plot: list[float]
    warm_typeset: list[float]


def measure_pane(rounds: int) -> PaneTimes:
    app, window, pane = open_derivative_pane()
    cold_plot, cold_type, warm_plot, warm_type = [], [], [], []
    verbose = os.environ.get("BENCH_VERBOSE") == "1"
    for round_index in range(rounds + 1):
        for text in FUNCTIONS:
            pane.compute("0")  # make the next text new to the pane
            while pane.is_busy():
                QCoreApplication.processEvents()
            drain_paints()
            plot_ms, type_ms = measure(pane, text)
            (cold_plot if round_index == 0 else warm_plot).append(plot_ms)
            if verbose and round_index == 0:
                print(f"  cold {text!r:24} plotted {plot_ms:6.1f} ms  typeset {type_ms:6.1f} ms")
            (cold_type if round_index == 0 else warm_type).append(type_ms)
    window.worker.close()
    del app
    return PaneTimes(rounds, cold_plot, cold_type, warm_plot, warm_type)


def main() -> None:
    times = measure_pane(count_argument(5))
    if wants_json():
        print_json(times)
        return
    print(f"derivative pane, {len(FUNCTIONS)} functions; warm = {times.rounds} more rounds each")
    for name, values, goal in (("settled → plotted (cold)", times.cold_plot, 30),
                               ("settled → plotted (warm)", times.warm_plot, 30),
                               ("settled → typeset (cold)", times.cold_typeset, 150),
                               ("settled → typeset (warm)", times.warm_typeset, 50)):
        print(f"  {name}: median {statistics.median(values):6.1f} ms   p95 {p95(values):6.1f} ms   (goal p95 ≤ {goal} ms)")

if __name__ == "__main__":
    main()
