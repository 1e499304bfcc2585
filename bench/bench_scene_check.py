"""How long ``scene_file.check`` takes on every class of bad scene file, and on the examples.

``calcgui --check-scene FILE`` must answer within 2 s even on a hostile file (1 MB of brackets,
of escapes, of digits; a 50 GB sparse file; /dev/zero). Two figures per file:

- in process: the check alone, the median of several runs after one warm-up (sympy loaded, and
  the parser's cache warm for the function texts);
- fresh process: ``python -c "...check(FILE)"`` from launch to exit, interpreter start included.

    .venv/bin/python bench/bench_scene_check.py [runs]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calcgui.state import Scene, SceneError, dumps, scene_file, scene_to_dict

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 2.0


def edited(edit: Callable[[dict[str, Any]], object]) -> str:
    data = scene_to_dict(Scene())
    edit(data)
    return json.dumps(data, indent=2)


def tangent(**fields: Any) -> Callable[[dict[str, Any]], object]:
    return lambda data: data["panes"]["tangent"].update(fields)


def bad_files() -> dict[str, str | bytes]:
    """Name -> content of one file of each class that must be refused."""
    text = dumps(Scene())
    return {
        "not JSON": "title: my lecture\n",
        "truncated": text[: len(text) // 2],
        "empty": "",
        "binary": bytes(range(256)) * 100,
        "another format": '{"format": "calcgui-lesson", "version": 1}',
        "newer version": edited(lambda d: d.update(version=7)),
        "unknown field": edited(lambda d: d.update(title="Week 3")),
        "missing field": edited(lambda d: d["panes"]["gradient"].pop("grid")),
        "wrong type": edited(tangent(x0="1.5")),
        "NaN": text.replace('"x0": 1.0', '"x0": NaN'),
        "out of range": edited(tangent(h=2)),
        "huge int (10**400)": edited(tangent(x0=10**400)),
        "function does not parse": edited(tangent(function="x + z")),
        "hostile function": edited(tangent(function="__import__('os').system('ls')")),
        "power tower": edited(tangent(function="10^10^10")),
        "duplicate keys": text.replace('"tab": "rules",', '"tab": "rules", "tab": "limit",'),
        "100,000 [": "[" * 100_000,
        "1 MB of [": "[" * 1_000_000,
        '1 MB of "\\': '"\\' * 500_000,
        "1 MB number": '{"format": "calcgui-scene", "version": ' + "9" * 999_000 + "}",
        "1 MB function text": edited(tangent(function="x" * 995_000)),
        "1 MB of small arrays": '{"format": "calcgui-scene", "version": 1, "x": [' + ",".join(["[1]"] * 249_000) + "]}",
        "2.1 MB": text + " " * 2_100_000,
    }


def check_seconds(path: Path, runs: int) -> tuple[float, str]:
    """Median seconds of ``check(path)`` in this process, and its outcome."""
    times, outcome = [], ""
    for run in range(runs + 1):
        started = time.perf_counter()
        try:
            scene_file.check(path)
            outcome = "ok"
        except SceneError as error:
            outcome = str(error).split(": ", 1)[1]
        if run:  # the first run is the warm-up
            times.append(time.perf_counter() - started)
    return statistics.median(times), outcome


def process_seconds(path: Path) -> float:
    """Seconds from launching ``python -c`` that checks ``path`` to its exit."""
    code = ("import sys\nfrom calcgui.state import SceneError, scene_file\n"
            "try: scene_file.check(sys.argv[1])\nexcept SceneError as e: sys.exit(2)\n")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, check=False, capture_output=True)
    return time.perf_counter() - started


@dataclass(frozen=True)
class FileCheck:
    """One file: the check's median seconds in this process, a fresh process's, the outcome."""

    name: str
    in_process: float
    fresh_process: float
    outcome: str


def measure_checks(runs: int) -> list[FileCheck]:
    """Every bad file, two huge ones and the example scenes, checked in and out of process."""
    checks = []
    with tempfile.TemporaryDirectory() as folder:
        paths: list[tuple[str, Path]] = []
        for name, content in bad_files().items():
            path = Path(folder) / f"{len(paths):02d}.calcgui"
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            paths.append((name, path))
        sparse = Path(folder) / "sparse.calcgui"
        with open(sparse, "wb") as file:
            file.truncate(50 * 10**9)
        paths += [("50 GB sparse file", sparse), ("/dev/zero", Path("/dev/zero"))]
        paths += [(f"example {p.stem}", p) for p in sorted((ROOT / "resources" / "scenes").glob("*.calcgui"))]
        for name, path in paths:
            inside, outcome = check_seconds(path, runs)
            checks.append(FileCheck(name, inside, process_seconds(path), outcome))
    return checks


def worst_seconds(checks: list[FileCheck]) -> float:
    return max(max(check.in_process, check.fresh_process) for check in checks)


def main() -> None:
    checks = measure_checks(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    print(f"{'file':28} {'in process':>11} {'fresh process':>14}  outcome")
    for check in checks:
        print(f"{check.name:28} {check.in_process * 1e3:8.1f} ms {check.fresh_process:12.2f} s  {check.outcome[:70]}")
    print(f"worst: {worst_seconds(checks):.2f} s (goal: ≤ {GOAL_SECONDS} s each)")

if __name__ == "__main__":
    main()
