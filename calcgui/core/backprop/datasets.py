"""Tiny 2-D classification data sets for the network pane: each a picture a student can read.

- :func:`xor`: the four corners, the classic problem no single layer can solve;
- :func:`two_moons`: two interleaved half circles (as scikit-learn's make_moons), curved boundary;
- :func:`line`: points on either side of a straight line, which one layer already separates.

Every set is deterministic: the same arguments give the same points (numpy default_rng(seed)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Dataset", "line", "two_moons", "xor"]

MAX_POINTS = 100_000


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points ``X`` (n, 2) float64 with labels ``y`` (n,) int64 in {0, 1}."""

    name: str
    X: np.ndarray
    y: np.ndarray


def _dataset(name: str, X: np.ndarray, y: np.ndarray) -> Dataset:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)
    X.flags.writeable = False
    y.flags.writeable = False
    return Dataset(name, X, y)


def _count(n: int, least: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not least <= n <= MAX_POINTS:
        raise ValueError(f"n must be a whole number from {least} to {MAX_POINTS}, not {n!r}")
    return int(n)


def xor() -> Dataset:
    """(0, 0) and (1, 1) are class 0; (0, 1) and (1, 0) class 1."""
    return _dataset("xor", [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])


def two_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """n points on two interleaved half circles (the upper moon class 0, the lower class 1),
    with Gaussian noise of standard deviation ``noise``."""
    n = _count(n, 2)
    if not (isinstance(noise, (int, float)) and 0.0 <= noise <= 10.0):
        raise ValueError(f"noise must be a number from 0 to 10, not {noise!r}")
    upper, lower = n - n // 2, n // 2
    t_upper, t_lower = np.linspace(0.0, np.pi, upper), np.linspace(0.0, np.pi, lower)
    X = np.concatenate([np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1),
                        np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1)])
    rng = np.random.default_rng(seed)
    X = X + rng.normal(0.0, noise, size=X.shape) if noise else X
    return _dataset("two moons", X, np.repeat([0, 1], [upper, lower]))


def line(n: int = 100, seed: int = 0) -> Dataset:
    """n points uniform in [−1, 1]², class 1 above the line x₂ = ½x₁ + 0.1, class 0 below."""
    n = _count(n, 1)
    X = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2))
    return _dataset("line", X, (X[:, 1] > 0.5 * X[:, 0] + 0.1).astype(np.int64))
