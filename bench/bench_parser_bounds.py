"""Parser bounds: how fast expensive input is refused, and what the largest allowed input costs.

tests/core/test_parser.py checks that each bound refuses its input and names itself; how fast
it does so is measured here, because a time asserted in a test fails at random on a busy
machine. Three figures, each against its goal:

- each expensive input of tests/core/parser_inputs.py, refused (median and slowest of N tries);
- each largest allowed input, parsed fresh (a trailing space defeats parse's cache);
- random texts from the fuzz test's alphabet (seeded, so every run times the same texts).

    .venv/bin/python bench/bench_parser_bounds.py [rounds]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "core"))

from bench_support import p95  # noqa: E402
from parser_inputs import ALPHABET, BOUNDS, LARGEST_ALLOWED  # noqa: E402

from calcgui.core import ParseError, parse  # noqa: E402

REFUSE_GOAL_MS = 50
ALLOWED_GOAL_MS = 500
RANDOM_GOAL_MS = 100


def clock_parse(text: str) -> float:
    """Milliseconds to parse ``text`` or to refuse it."""
    started = time.perf_counter()
    try:
        parse(text)
    except ParseError:
        pass
    return (time.perf_counter() - started) * 1000


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    parse("2x^2 + 3x + 1")  # import and first-call costs, once
    print(f"expensive input refused, {rounds} tries each (ms; goal ≤ {REFUSE_GOAL_MS} ms each)")
    slowest_refusal = 0.0
    for text, _bound in BOUNDS:
        times = [clock_parse(text) for _ in range(rounds)]
        slowest_refusal = max(slowest_refusal, max(times))
        print(f"  {text[:24]!r:28} median {statistics.median(times):7.3f}   max {max(times):7.3f}")
    print(f"  slowest refusal {slowest_refusal:.3f} ms "
          f"({'within' if slowest_refusal <= REFUSE_GOAL_MS else 'OVER'} the goal)")

    print(f"largest allowed input, parsed fresh (ms; goal ≤ {ALLOWED_GOAL_MS} ms for all together)")
    totals = []
    for round_index in range(rounds):
        total = 0.0
        for text in LARGEST_ALLOWED:
            elapsed = clock_parse(text + " " * (round_index + 1))
            total += elapsed
            if round_index == 0:
                print(f"  {text[:24]!r:28} first {elapsed:7.3f}")
        totals.append(total)
    print(f"  all together: median {statistics.median(totals):7.3f}   max {max(totals):7.3f}")

    generator = random.Random(0)
    texts = ["".join(generator.choices(ALPHABET, k=generator.randint(0, 25))) for _ in range(2000)]
    times = [clock_parse(text) for text in texts]
    print(f"random texts ({len(texts)}, up to 25 pieces): median {statistics.median(times):.3f} ms   "
          f"p95 {p95(times):.3f} ms   max {max(times):.3f} ms   (goal ≤ {RANDOM_GOAL_MS} ms each)")


if __name__ == "__main__":
    main()
