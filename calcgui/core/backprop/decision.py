"""A network's outputs over a grid of the plane, for drawing its decision boundary.

The view draws the boundary as a contour at :attr:`DecisionGrid.level` (or colours by class);
the grid is evaluated in one vectorised forward pass, never point by point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calcgui.core.backprop.network import Network

__all__ = ["MAX_RESOLUTION", "DecisionGrid", "decision_grid"]

MAX_RESOLUTION = 1000


@dataclass(frozen=True, eq=False)
class DecisionGrid:
    """``outputs[i, j]`` is the network's output (k values) at (xs[j], ys[i]); ``classes[i, j]``
    the class it predicts (σ or an mse output ≥ ½ → 1, else the most probable class);
    ``level`` is the boundary's contour level for one output (½), None for k > 1."""

    xs: np.ndarray
    ys: np.ndarray
    outputs: np.ndarray
    classes: np.ndarray
    level: float | None


def decision_grid(network: Network, x_range: tuple[float, float], y_range: tuple[float, float],
                  resolution: int = 101) -> DecisionGrid:
    """The outputs of a 2-input ``network`` on a resolution × resolution grid."""
    if network.sizes[0] != 2:
        raise ValueError(f"a decision grid needs a network with 2 inputs, not {network.sizes[0]}")
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be from 2 to {MAX_RESOLUTION}, not {resolution}")
    for name, (low, high) in (("x", x_range), ("y", y_range)):
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"the {name} range must be two finite numbers, low < high")
    xs, ys = np.linspace(*x_range, resolution), np.linspace(*y_range, resolution)
    gx, gy = np.meshgrid(xs, ys)
    output = network.forward(np.stack([gx.ravel(), gy.ravel()], axis=1)).output
    k = output.shape[1]
    with np.errstate(invalid="ignore"):
        classes = (output[:, 0] >= 0.5).astype(np.int64) if k == 1 else np.argmax(output, axis=1)
    shape = (resolution, resolution)
    return DecisionGrid(xs, ys, output.reshape(*shape, k), classes.reshape(shape), 0.5 if k == 1 else None)
