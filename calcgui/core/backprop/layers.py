"""Activations and losses of the small network, on numpy float64 arrays, torch's semantics.

Hidden layers apply the chosen activation; the output layer's z (the logits) goes straight to
the loss, which decides what the network outputs:

- "mse": the output layer is linear (identity): output = z, loss = mean over every element of
  (output − target)², as torch.nn.MSELoss() (for one output: the mean over the rows);
- "cross_entropy" with one output: output = σ(z), loss = binary cross entropy on the logit, as
  torch.nn.BCEWithLogitsLoss() (computed as max(z, 0) − z·t + ln(1 + e^−|z|), never overflowing);
- "cross_entropy" with k > 1 outputs: output = softmax(z), loss = cross entropy, as
  torch.nn.CrossEntropyLoss(), with class indices (n,) or one-hot / probability rows (n, k).

For each loss ∂L/∂z at the output is a plain difference: 2(output − target)/(n·k) for "mse",
(output − target)/n for both cross entropies; backpropagation starts from there.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ACTIVATIONS", "LOSSES", "activate", "output_delta", "loss_value", "outputs", "slope", "targets"]

ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu")
LOSSES: tuple[str, ...] = ("mse", "cross_entropy")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp(−ln(1 + e^−z)): no overflow for z ≪ 0, unlike 1 / (1 + e^−z)
    return np.exp(-np.logaddexp(0.0, -z))


def activate(name: str, z: np.ndarray) -> np.ndarray:
    """A hidden layer's activation g(z)."""
    if name == "sigmoid":
        return _sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)


def slope(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """g'(z), from z and a = g(z): σ(1 − σ), 1 − tanh², and for ReLU 1 where z > 0 and 0 where
    z ≤ 0 (torch's ReLU'(0) = 0)."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    return (z > 0.0).astype(np.float64)


def _softmax(z: np.ndarray) -> np.ndarray:
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def outputs(loss: str, z: np.ndarray) -> np.ndarray:
    """What the network outputs for logits ``z``: z itself, σ(z) or softmax(z)."""
    if loss == "mse":
        return z
    return _sigmoid(z) if z.shape[1] == 1 else _softmax(z)


def targets(loss: str, y: np.ndarray, n: int, k: int) -> np.ndarray:
    """Targets as an (n, k) float array; class indices become one-hot rows. ValueError with a
    sentence when ``y`` does not fit the network's output."""
    y = np.asarray(y)
    if y.shape[:1] != (n,):
        raise ValueError(f"Y must have one row per row of X ({n}), not shape {y.shape}")
    if loss == "cross_entropy" and k > 1 and y.ndim == 1:
        if not (np.issubdtype(y.dtype, np.integer) or np.all(np.mod(y, 1) == 0)) or y.min() < 0 or y.max() >= k:
            raise ValueError(f"class indices must be whole numbers from 0 to {k - 1}")
        return np.eye(k)[y.astype(np.int64)]
    y = y.astype(np.float64).reshape(n, -1) if y.ndim == 1 else y.astype(np.float64)
    if y.shape != (n, k):
        raise ValueError(f"Y must have shape ({n}, {k}) for {k} output(s), not {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("Y must be finite numbers")
    if loss == "cross_entropy" and (y.min() < 0.0 or y.max() > 1.0):
        raise ValueError("cross-entropy targets must be labels 0/1 (or probabilities)")
    return y


def loss_value(loss: str, z: np.ndarray, t: np.ndarray) -> float:
    """The mean loss of logits ``z`` against targets ``t`` (both (n, k))."""
    if loss == "mse":
        return float(np.mean((z - t) ** 2))
    if z.shape[1] == 1:
        return float(np.mean(np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))))
    top = z.max(axis=1, keepdims=True)
    log_softmax = z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True))
    return float(np.mean(-(t * log_softmax).sum(axis=1)))


def output_delta(loss: str, z: np.ndarray, output: np.ndarray, t: np.ndarray) -> np.ndarray:
    """∂L/∂z at the output layer, for the mean loss."""
    n, k = z.shape
    if loss == "mse":
        return 2.0 * (output - t) / (n * k)
    return (output - t) / n
