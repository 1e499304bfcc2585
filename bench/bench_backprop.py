"""Chain rule / backprop core: a 200-node expression graph built and laid out, one forward +
backward pass of a deep network, and training steps of the XOR network.

    .venv/bin/python bench/bench_backprop.py [rounds] [--json]

Qt-free. Three figures against their goals:

- graph: backprop.graph + backprop.layout of a 200-node expression in x, y, z (median of
  rounds; sympy's cache is warm after the first round, as it is in the worker when a student
  moves the point of an expression already typed), goal ≤ 50 ms;
- network: Network.backward (which runs the forward pass) of a 10-layer, 8-unit tanh network on
  200 examples (median), goal ≤ 1 ms;
- steps/s: Network.step with the data for a 2-3-1 sigmoid network on XOR (no goal: a figure).

With --json, the measured milliseconds are printed as one JSON line for run_all.py.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np
import sympy
from bench_support import count_argument, print_json, wants_json

from calcgui.core.backprop import Network, datasets, graph, layout

GRAPH_GOAL_MS = 50.0
NETWORK_GOAL_MS = 1.0
TARGET_NODES = 200


@dataclass(frozen=True)
class BackpropTimes:
    nodes: int
    graph: list[float]
    network: list[float]
    steps_per_second: float


def expression(terms: int) -> sympy.Expr:
    """A sum of terms that share x·y and cos(x): a DAG with forks, not just a tree."""
    x, y, z = sympy.symbols("x y z", real=True)
    return sympy.Add(*(sympy.sin(k * x * y + sympy.cos(x) ** k) * sympy.exp(-z / k) + sympy.sqrt(x**2 + k)
                       for k in range(1, terms + 1)))


def two_hundred_nodes() -> tuple[sympy.Expr, int]:
    point = {"x": 0.3, "y": 0.7, "z": 0.2}
    for terms in range(1, 60):
        expr = expression(terms)
        nodes = len(graph(expr, point).nodes)
        if nodes >= TARGET_NODES:
            return expr, nodes
    raise RuntimeError("no expression of 200 nodes")


def milliseconds(action: object, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - began) * 1000)
    return times


def measure(rounds: int) -> BackpropTimes:
    expr, nodes = two_hundred_nodes()
    point = {"x": 0.3, "y": 0.7, "z": 0.2}
    graph_times = milliseconds(lambda: layout(graph(expr, point)), rounds)

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(200, 2)), rng.integers(0, 2, size=200)
    deep = Network([2, *[8] * 9, 1], "tanh", "cross_entropy", seed=0)
    network_times = milliseconds(lambda: deep.backward(X, Y), rounds * 20)

    xor = datasets.xor()
    net = Network([2, 3, 1], "sigmoid", "cross_entropy", seed=0)
    steps = 2000
    began = time.perf_counter()
    for _ in range(steps):
        net.step(1.0, X=xor.X, Y=xor.y)
    return BackpropTimes(nodes, graph_times, network_times, steps / (time.perf_counter() - began))


def main() -> None:
    rounds = count_argument(30)
    times = measure(rounds)
    if wants_json():
        print_json(times)
        return
    graph_ms, network_ms = statistics.median(times.graph), statistics.median(times.network)
    print(f"graph + layout, {times.nodes} nodes ({rounds} rounds): median {graph_ms:.2f} ms   "
          f"first {times.graph[0]:.2f} ms   (goal ≤ {GRAPH_GOAL_MS:g} ms)")
    print(f"forward + backward, 10 layers × 8 units, 200 examples ({len(times.network)} runs): "
          f"median {network_ms:.3f} ms   (goal ≤ {NETWORK_GOAL_MS:g} ms)")
    print(f"step, 2-3-1 on XOR: {times.steps_per_second:,.0f} steps/s")


if __name__ == "__main__":
    main()
