"""derivative_steps against sympy.diff alone, over the corpus of 105 textbook functions.

Each function is parsed as typed (outside the clock), then differentiated by both, cold
(first call) and warm (median of 5 more). The ratio is what the explanation costs.

    .venv/bin/python bench/bench_steps.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "core"))

import sympy  # noqa: E402
from derivative_corpus import CORPUS  # noqa: E402

from calcgui.core import derivative_steps, parse  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def clock(fn: object, *args: object) -> float:
    started = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def main() -> None:
    x = sympy.Symbol("x", real=True)
    derivative_steps(parse("x^2"), "x")  # import and first-call costs, once
    rows = []
    for text in CORPUS:
        typed, evaluated = parse(text, evaluate=False), parse(text)
        cold_steps = clock(derivative_steps, typed, "x")
        cold_diff = clock(sympy.diff, evaluated, x)
        warm_steps = statistics.median(clock(derivative_steps, typed, "x") for _ in range(5))
        warm_diff = statistics.median(clock(sympy.diff, evaluated, x) for _ in range(5))
        rows.append((text, cold_steps, cold_diff, warm_steps, warm_diff))
    print(f"derivative_steps vs sympy.diff over {len(rows)} functions (ms)")
    for label, column in (("derivative_steps cold", 1), ("sympy.diff cold", 2),
                          ("derivative_steps warm", 3), ("sympy.diff warm", 4)):
        values = [row[column] for row in rows]
        print(f"  {label:22} median {statistics.median(values):7.2f}   p95 {p95(values):7.2f}   max {max(values):7.2f}")
    ratios = [row[3] / max(row[4], 1e-3) for row in rows]
    print(f"  warm ratio steps/diff: median {statistics.median(ratios):.1f}x   p95 {p95(ratios):.1f}x")
    slowest = sorted(rows, key=lambda row: row[1], reverse=True)[:3]
    print("  slowest cold:", ", ".join(f"{t!r} {c:.0f} ms" for t, c, *_ in slowest))
    print("  goal: p95 ≤ 20 ms for textbook functions")


if __name__ == "__main__":
    main()
