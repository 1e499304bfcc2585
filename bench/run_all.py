"""Every speed goal of the project in one table: measure | goal | this run | met.

    .venv/bin/python bench/run_all.py [--full]

A report, not a test: it exits 0 when goals are missed (1 only when a benchmark could not
produce its numbers). By default each benchmark runs a few repetitions, so the whole report
takes about 3 minutes on two cores; --full uses each benchmark's own default counts.

The Qt benchmarks each run in a fresh process with --json (each needs its own QApplication,
the gradient one on xcb when there is a display, and their "cold" figures need cold caches);
the Qt-free ones (scene check, worker close, backprop, sweep) are called in this process.
Progress goes to stderr, the table to stdout. The gradient drag includes the 3D view only with a display:

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/run_all.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_support import p95

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BUNDLE = ROOT / "dist" / "calcgui" / "calcgui"
NOT_BUILT = "not built (run packaging/build.sh)"
#: Repetitions: (quick, full). Full is each benchmark's own default.
COUNTS = {"startup": (3, 7), "pane": (2, 5), "moves": (200, 200), "frames": (150, 300),
          "typing": (1, 5), "scene": (1, 5), "close": (3, 5), "sweep": (3, 5), "bundle": (3, 7),
          "backprop": (10, 30), "network": (3, 5)}


@dataclass(frozen=True)
class Row:
    measure: str
    goal: str
    this_run: str
    met: str  # "yes", "no", or "—" where nothing was judged


def judged(measure: str, goal: str, this_run: str, met: bool) -> Row:
    return Row(measure, goal, this_run, "yes" if met else "no")


def progress(text: str) -> None:
    print(f"run_all: {text}", file=sys.stderr, flush=True)


def run_json(script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``bench/script --json`` in a fresh process; the numbers from its last JSON line."""
    proc = subprocess.run([sys.executable, str(BENCH / script), *args, "--json"], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=600)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{script} exited {proc.returncode}: {tail}")
    return json.loads(lines[-1])


def ms(value: float) -> str:
    return f"{value:.1f} ms"


def startup_rows(runs: int) -> list[Row]:
    data = run_json("bench_startup.py", str(runs))
    floor = statistics.median(data["floor"])
    paint, useful = statistics.median(data["calcgui"]), statistics.median(data["useful"])
    return [
        judged(f"start-up: first paint / floor (median of {runs})", "≤ 1.0×",
               f"{paint:.2f} s / {floor:.2f} s = {paint / floor:.2f}×", paint <= floor),
        judged(f"start-up: time to useful / floor (median of {runs}; incl. PNG)", "≤ 1.5×",
               f"{useful:.2f} s / {floor:.2f} s = {useful / floor:.2f}×", useful <= 1.5 * floor),
    ]


def derivative_rows(rounds: int) -> list[Row]:
    data = run_json("bench_derivative_pane.py", str(rounds))
    plotted = p95(data["cold_plot"] + data["warm_plot"])
    cold, warm = p95(data["cold_typeset"]), p95(data["warm_typeset"])
    return [
        judged("derivative: settled → plotted p95 (cold + warm)", "≤ 30 ms", ms(plotted), plotted <= 30),
        judged("derivative: settled → typeset p95, cold", "≤ 150 ms", ms(cold), cold <= 150),
        judged(f"derivative: settled → typeset p95, warm ({rounds} rounds)", "≤ 50 ms", ms(warm), warm <= 50),
    ]


def tangent_rows(moves: int) -> list[Row]:
    median = statistics.median(run_json("bench_tangent_drag.py", str(moves))["redraw"])
    return [judged("tangent: drag → redraw median", "≤ 8 ms", ms(median), median <= 8)]


def gradient_rows() -> list[Row]:
    # xcb offers OpenGL (the 3D view) where there is a display, such as Xvfb's
    env = {"QT_QPA_PLATFORM": "xcb"} if os.environ.get("DISPLAY") else {"QT_QPA_PLATFORM": "offscreen"}
    data = run_json("bench_gradient.py", env=env)
    high = p95(data["redraw"])
    measure = f"gradient: drag → redraw p95 on {data['platform']}" + ("" if data["surface_3d"] else " (no 3D)")
    return [judged(measure, "≤ 33 ms", ms(high), high <= 33)]


def animation_rows() -> list[Row]:
    data = run_json("bench_h_animation.py")
    seconds, designed = data["seconds"], data["designed_seconds"]
    return [judged(f"h → 0 animation at {data['width']}×{data['height']}", f"{designed:g} s ± 10 %",
                   f"{seconds:.2f} s ({data['frames']} frames)", abs(seconds - designed) <= 0.1 * designed)]


def descent_rows(frames: int) -> list[Row]:
    data = run_json("bench_descent.py", str(frames))
    high = p95(data["frame"])
    return [judged(f"descent: frame p95, {data['optimizers']} optimizers ({frames} frames)", "≤ 16.7 ms",
                   ms(high), high <= 16.7)]


def descent_frame_rows(frames: int) -> list[Row]:
    """Judged offscreen in 2D (the issue's goals); with a display, also reported with the 3D
    view on xcb (software OpenGL under Xvfb: a figure to report, no goal)."""
    data = run_json("bench_descent_frames.py", str(frames), env={"QT_QPA_PLATFORM": "offscreen"})
    early, late = statistics.median(data["early"]), statistics.median(data["late"])
    high, stall = p95(data["late"]), max(data["drag_lateness"])
    rows = [
        judged("descent: frame at step 5,000 / at step 10 (medians, offscreen, 2D)", "≤ 1.2×",
               f"{late:.1f} / {early:.1f} ms = {late / early:.2f}×", late <= 1.2 * early),
        judged(f"descent: frame p95 at step 5,000, {data['optimizers']} optimizers (offscreen, 2D)", "≤ 16.7 ms",
               ms(high), high <= 16.7),
        judged("descent: longest UI stall while an lr slider is dragged (offscreen)", "≤ 50 ms", ms(stall),
               stall <= 50),
    ]
    if os.environ.get("DISPLAY"):
        data = run_json("bench_descent_frames.py", str(frames), env={"QT_QPA_PLATFORM": "xcb"})
        where = f"{data['platform']}" + (", 3D" if data["surface_3d"] else ", 2D")
        late_3d = data["late"]
        rows += [
            Row(f"descent: frame median / p95 at step 5,000 ({where})", "report",
                f"{statistics.median(late_3d):.1f} / {p95(late_3d):.1f} ms", "—"),
            judged(f"descent: longest UI stall while an lr slider is dragged ({where})", "≤ 50 ms",
                   ms(max(data["drag_lateness"])), max(data["drag_lateness"]) <= 50),
        ]
    return rows


def network_rows(seconds: int) -> list[Row]:
    data = run_json("bench_network_view.py", str(seconds))
    rows = []
    for name, ticks in data["ticks"].items():
        high, rate = p95(ticks), data["steps_per_second"][name]
        rows.append(judged(f"network mode: Train tick p95, {name}", "≤ 16.7 ms", ms(high), high <= 16.7))
        rows.append(judged(f"network mode: Train steps per second, {name}", "≥ 30/s", f"{rate:,.0f}/s", rate >= 30))
    return rows


def typing_rows(rounds: int) -> list[Row]:
    longest = max(run_json("bench_typing.py", str(rounds))["longest_stall"])
    return [judged(f"typing: longest UI-thread stall ({rounds + 1} rounds)", "≤ 50 ms", ms(longest), longest <= 50)]


def scene_rows(runs: int) -> list[Row]:
    from bench_scene_check import GOAL_SECONDS, measure_checks, worst_seconds

    worst = worst_seconds(measure_checks(runs))
    return [judged("--check-scene: worst file", f"≤ {GOAL_SECONDS:g} s", f"{worst:.2f} s", worst <= GOAL_SECONDS)]


def worker_rows(runs: int) -> list[Row]:
    from bench_worker_faults import close_while_busy

    worst = max(close_while_busy() for _ in range(runs))
    return [judged(f"worker: close() while busy (worst of {runs})", "≤ 0.5 s", f"{worst * 1000:.0f} ms", worst <= 0.5)]


def backprop_rows(rounds: int) -> list[Row]:
    from bench_backprop import GRAPH_GOAL_MS, NETWORK_GOAL_MS, measure

    times = measure(rounds)
    graph, network = statistics.median(times.graph), statistics.median(times.network)
    return [
        judged(f"backprop: {times.nodes}-node graph + layout median", f"≤ {GRAPH_GOAL_MS:g} ms", ms(graph),
               graph <= GRAPH_GOAL_MS),
        judged("backprop: 10×8 net forward + backward, 200 rows, median", f"≤ {NETWORK_GOAL_MS:g} ms",
               f"{network:.2f} ms", network <= NETWORK_GOAL_MS),
        Row("backprop: 2-3-1 XOR steps per second", "", f"{times.steps_per_second:,.0f}/s", "—"),
    ]


def sweep_rows(runs: int) -> list[Row]:
    from bench_sweep import GOAL_SECONDS, measure_sweeps

    times = measure_sweeps(runs, ("adam",))
    median = statistics.median(times.seconds["adam"])
    return [judged(f"sweep: 100 × 100 Adam runs × {times.steps} steps, median of {runs}", f"≤ {GOAL_SECONDS:g} s",
                   f"{median:.2f} s", median <= GOAL_SECONDS)]


def bundle_rows(runs: int) -> list[Row]:
    if not BUNDLE.exists():
        return [Row("bundle: size unpacked", "≤ 160 MB", NOT_BUILT, "—"),
                Row("bundle: start to first paint", "≤ 2 s", NOT_BUILT, "—")]
    from bench_startup import time_to_paint

    # measured as packaging/build.sh measures it against its budget
    size_mb = int(subprocess.run(["du", "-sm", str(BUNDLE.parent)], capture_output=True, text=True,
                                 check=True).stdout.split()[0])
    time_to_paint("", [str(BUNDLE)])  # warm the file cache
    paint = statistics.median(time_to_paint("", [str(BUNDLE)]) for _ in range(runs))
    return [judged("bundle: size unpacked", "≤ 160 MB", f"{size_mb} MB", size_mb <= 160),
            judged(f"bundle: start to first paint (median of {runs})", "≤ 2 s", f"{paint:.2f} s", paint <= 2)]


def print_table(rows: list[Row]) -> None:
    header = Row("measure", "goal", "this run", "met")
    widths = [max(len(getattr(row, field)) for row in [header, *rows]) for field in ("measure", "goal", "this_run")]

    def line(row: Row) -> str:
        cells = [row.measure.ljust(widths[0]), row.goal.ljust(widths[1]), row.this_run.ljust(widths[2]), row.met]
        return " | ".join(cells)

    print(line(header))
    print("-+-".join("-" * width for width in [*widths, 3]))
    for row in rows:
        print(line(row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true",
                        help="each benchmark's own default repetitions (slower, steadier figures)")
    args = parser.parse_args()

    def count(name: str) -> int:
        return COUNTS[name][1 if args.full else 0]

    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("start-up", lambda: startup_rows(count("startup"))),
        ("derivative pane", lambda: derivative_rows(count("pane"))),
        ("tangent drag", lambda: tangent_rows(count("moves"))),
        ("gradient drag", gradient_rows),
        ("h → 0 animation", animation_rows),
        ("descent", lambda: descent_rows(count("frames"))),
        ("descent frames", lambda: descent_frame_rows(count("frames") // 2)),
        ("typing", lambda: typing_rows(count("typing"))),
        ("scene check", lambda: scene_rows(count("scene"))),
        ("worker close", lambda: worker_rows(count("close"))),
        ("backprop", lambda: backprop_rows(count("backprop"))),
        ("sweep", lambda: sweep_rows(count("sweep"))),
        ("network mode", lambda: network_rows(count("network"))),
        ("bundle", lambda: bundle_rows(count("bundle"))),
    ]
    rows: list[Row] = []
    failed = False
    started = time.perf_counter()
    for index, (name, step) in enumerate(steps, 1):
        progress(f"[{index}/{len(steps)}] {name} …")
        began = time.perf_counter()
        try:
            rows += step()
        except Exception as error:  # one broken benchmark must not hide the others' figures
            failed = True
            progress(f"{name} failed: {error}")
            rows.append(Row(name, "", f"failed: {str(error)[:70]}", "—"))
        progress(f"[{index}/{len(steps)}] {name} done in {time.perf_counter() - began:.0f} s")
    progress(f"all done in {time.perf_counter() - started:.0f} s ({'full' if args.full else 'quick'} counts)")
    print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
