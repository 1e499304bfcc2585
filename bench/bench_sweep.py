"""Hyper-parameter sweep: 100 learning rates × 100 betas × 300 steps on Rosenbrock from (−1.5, 2),
as one batch (calcgui.core.sweep), against the same 10,000 runs one Descent at a time.

    .venv/bin/python bench/bench_sweep.py [runs] [--json]

Each sweep is timed from the call to its result (the objective is compiled beforehand, as the
pane has it). The one-by-one figure runs 20 single runs of each optimizer and scales to
10,000. With --json, only the sweeps are timed and their seconds printed as one JSON line.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np
from bench_support import count_argument, print_json, wants_json

from calcgui.core.descent import objective, run, sweep
from calcgui.core.surfaces import PRESETS
from calcgui.core.sweep import BETA_NAMES

GOAL_SECONDS = 1.0
START = (-1.5, 2.0)
STEPS = 300
LRS = np.geomspace(1e-4, 1.0, 100)
#: β from 0 to 0.99, except Nesterov's, which needs a momentum > 0.
BETAS = {name: np.linspace(0.01 if name == "nesterov" else 0.0, 0.99, 100) for name in BETA_NAMES}
OPTIMIZERS = ("adam", "momentum", "nesterov", "rmsprop")


@dataclass(frozen=True)
class SweepTimes:
    """Seconds per 100 × 100 × 300 sweep, per optimizer (Adam is the one with the goal)."""

    runs: int
    steps: int
    seconds: dict[str, list[float]]
    diverged: dict[str, float]  #: fraction of NaN cells


def measure_sweeps(repeats: int, names: tuple[str, ...] = OPTIMIZERS) -> SweepTimes:
    """``repeats`` timed sweeps of each optimizer in ``names``."""
    f = objective(PRESETS["rosenbrock"].expr)
    seconds: dict[str, list[float]] = {}
    diverged: dict[str, float] = {}
    sweep(f, START, "adam", LRS[:2], BETAS["adam"][:2], 5)  # warm-up: first calls, imports
    for name in names:
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            losses = sweep(f, START, name, LRS, BETAS[name], STEPS)
            times.append(time.perf_counter() - began)
        seconds[name], diverged[name] = times, float(np.isnan(losses).mean())
    return SweepTimes(LRS.size * BETAS["adam"].size, STEPS, seconds, diverged)


def one_by_one_seconds(name: str, sample: int = 20) -> float:
    """The estimated time of the same 10,000 runs as single runs, from ``sample`` of them."""
    f = objective(PRESETS["rosenbrock"].expr)
    rng = np.random.default_rng(0)
    began = time.perf_counter()
    for _ in range(sample):
        lr, beta = rng.choice(LRS), rng.choice(BETAS[name])
        hyper = {"betas": (beta, 0.999)} if BETA_NAMES[name] == "beta1" else {BETA_NAMES[name]: beta}
        run(f, START, name, lr, STEPS, hyper)
    return (time.perf_counter() - began) / sample * LRS.size * BETAS[name].size


def main() -> None:
    repeats = count_argument(5)
    times = measure_sweeps(repeats)
    if wants_json():
        print_json(times)
        return
    for name, seconds in times.seconds.items():
        goal = f"   (goal ≤ {GOAL_SECONDS:g} s)" if name == "adam" else ""
        print(f"{name:9} sweep 100 × 100 × {STEPS}: median {statistics.median(seconds):.3f} s, "
              f"worst {max(seconds):.3f} s of {repeats}; {times.diverged[name]:.0%} of cells diverged{goal}")
    alone = one_by_one_seconds("adam")
    print(f"the same 10,000 Adam runs one by one: ~{alone:.0f} s "
          f"→ {alone / statistics.median(times.seconds['adam']):.0f}× slower")


if __name__ == "__main__":
    main()
