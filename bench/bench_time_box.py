"""The time box: what it costs sympy.simplify, and how soon it stops one that runs over.

The box's trace function sees every Python call while it is open, so boxed work runs slower;
calcgui/core/time_box.py quotes the figure printed here. The expressions are what tidy()
simplifies: the derivatives of the textbook corpus (tests/core/derivative_corpus.py) small
enough to be simplified at all. sympy's cache is cleared before each run, so that each run
does the whole work; each figure is the best of a few runs.

- "cost": boxed (with a box far too long to expire) / unboxed time per expression, and the
  same for a do-nothing trace function: the part of the cost that any tracing pays;
- "overshoot": with a 5 ms box, how long after the deadline an expiring simplify stops.

    .venv/bin/python bench/bench_time_box.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "core"))

import sympy  # noqa: E402
from bench_support import p95  # noqa: E402
from derivative_corpus import CORPUS  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

from calcgui.core import parse  # noqa: E402
from calcgui.core.differentiate import SIMPLIFY_MAX_OPS  # noqa: E402
from calcgui.core.time_box import TimeBoxExpired, time_box  # noqa: E402

BOX_S = 0.005


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest of ``runs`` cold runs of ``work``, in ms."""
    times = []
    for _ in range(runs):
        clear_cache()
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def _no_op_tracer(frame: FrameType, event: str, arg: Any) -> None:
    return None


def traced_simplify(expr: sympy.Expr) -> None:
    sys.settrace(_no_op_tracer)
    try:
        sympy.simplify(expr)
    finally:
        sys.settrace(None)


def boxed_simplify(expr: sympy.Expr, seconds: float) -> bool:
    """Simplify ``expr`` in a box; False if the box expired."""
    try:
        with time_box(seconds):
            sympy.simplify(expr)
    except TimeBoxExpired:
        return False
    return True


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    x = sympy.Symbol("x", real=True)
    derivatives = [sympy.diff(parse(text), x) for text in CORPUS]
    exprs = [d for d in derivatives if sympy.count_ops(d) <= SIMPLIFY_MAX_OPS]
    sympy.simplify(exprs[0])  # import and first-call costs, once
    plain, boxed, traced = [], [], []
    for expr in exprs:
        plain.append(best_of(runs, lambda: sympy.simplify(expr)))
        boxed.append(best_of(runs, lambda: boxed_simplify(expr, 60.0)))
        traced.append(best_of(runs, lambda: traced_simplify(expr)))
    print(f"simplify of {len(exprs)} corpus derivatives, cache cleared, best of {runs} (ms)")
    print(f"  unboxed: median {statistics.median(plain):7.2f}   total {sum(plain):8.1f}")
    print(f"  boxed:   median {statistics.median(boxed):7.2f}   total {sum(boxed):8.1f}")
    for name, times in (("boxed", boxed), ("do-nothing trace", traced)):
        ratios = [t / p for t, p in zip(times, plain)]
        print(f"  cost, {name} / unboxed: median {statistics.median(ratios):.2f}x   p95 {p95(ratios):.2f}x   "
              f"total {sum(times) / sum(plain):.2f}x")

    overshoots = []
    for expr in exprs:
        clear_cache()
        started = time.perf_counter()
        if not boxed_simplify(expr, BOX_S):
            overshoots.append((time.perf_counter() - started - BOX_S) * 1000)
    if overshoots:
        print(f"  {len(overshoots)} of {len(exprs)} expired in a {BOX_S * 1000:.0f} ms box; "
              f"stopped after the deadline: median {statistics.median(overshoots):.2f} ms   "
              f"p95 {p95(overshoots):.2f} ms   max {max(overshoots):.2f} ms")


if __name__ == "__main__":
    main()
