"""A small fully connected network, trained by backpropagation written out in numpy.

The point is to see the chain rule at work, so every quantity of the textbook derivation is
kept and returned: the pre-activations z⁽ˡ⁾ = a⁽ˡ⁻¹⁾W⁽ˡ⁾ᵀ + b⁽ˡ⁾ and activations a⁽ˡ⁾ of each
layer (:class:`ForwardPass`), and the error signals δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾, with

    δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾ (see :mod:`~calcgui.core.backprop.layers`),
    δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾) ⊙ g'(z⁽ˡ⁾),
    ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ᵀ a⁽ˡ⁻¹⁾,  ∂L/∂b⁽ˡ⁾ = Σ_rows δ⁽ˡ⁾     (:class:`Gradients`).

Conventions are PyTorch's, so a student can check every number against torch: W has shape
(out, in) as in torch.nn.Linear, initialised like nn.Linear (W and b uniform in ±1/√in) from
numpy's default_rng(seed); L is the mean loss over the rows; :meth:`Network.step` clips like
torch.nn.utils.clip_grad_norm_ and decays like torch.optim.SGD's weight_decay (biases too).
tests/core/network_golden.py holds torch's own numbers for these networks.

A network that diverges is not an error: its loss becomes inf or NaN (no numpy warning), and
the view marks it diverged.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from calcgui.core.backprop.layers import ACTIVATIONS, LOSSES, activate, loss_value, output_delta, outputs, slope, targets

__all__ = ["MAX_LAYERS", "MAX_UNITS", "ForwardPass", "Gradients", "Network"]

MAX_LAYERS = 32
MAX_UNITS = 256
#: torch.nn.utils.clip_grad_norm_ divides by (norm + 1e-6).
CLIP_EPS = 1e-6
#: Initial weights: torch.nn.Linear's default, Glorot's (for sigmoid, tanh) or He's (for ReLU).
INITS: tuple[str, ...] = ("default", "xavier", "he")

Params = list[tuple[np.ndarray, np.ndarray]]


def _frozen(array: np.ndarray) -> np.ndarray:
    """The array made read-only: results are snapshots, a view must not edit them in place."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class ForwardPass:
    """Every layer of one forward pass: ``activations[0]`` is X, ``zs[l]`` and
    ``activations[l + 1]`` are layer l + 1's z and a, each of shape (n, units). The last
    activation is the network's output: z itself for "mse", σ(z) or softmax(z) for
    "cross_entropy"."""

    zs: tuple[np.ndarray, ...]
    activations: tuple[np.ndarray, ...]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]

    @property
    def logits(self) -> np.ndarray:
        """The output layer's z, before the sigmoid / softmax of a cross-entropy network."""
        return self.zs[-1]


@dataclass(frozen=True, eq=False)
class Gradients(Sequence[tuple[np.ndarray, np.ndarray]]):
    """∂L/∂W and ∂L/∂b per layer (a sequence of (dW, db), like ``Network.params``), the error
    signals ``deltas[l]`` = ∂L/∂z of layer l + 1 (shape (n, units)), and the loss L."""

    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    deltas: tuple[np.ndarray, ...]
    loss: float

    @overload
    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[np.ndarray, np.ndarray]]: ...

    def __getitem__(self, index: int | slice) -> object:
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        return iter(self.layers)

    @property
    def norm(self) -> float:
        """The global norm √(Σ‖dW‖² + ‖db‖²) over all layers, the one gradient clipping uses
        (∞ for a diverging network, without an overflow warning)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return math.sqrt(sum(float(np.sum(dw * dw) + np.sum(db * db)) for dw, db in self.layers))

    @property
    def delta_norms(self) -> tuple[float, ...]:
        """‖δ‖ per layer, first to last: the Frobenius norm of the batch's ∂L/∂z (n × units).
        Vanishing gradients show as norms that shrink towards the first layer, exploding
        ones as norms that grow."""
        return tuple(float(np.linalg.norm(delta)) for delta in self.deltas)

    @property
    def layer_norms(self) -> tuple[float, ...]:
        """√(‖dW‖² + ‖db‖²) per layer, first to last."""
        with np.errstate(over="ignore", invalid="ignore"):
            return tuple(math.sqrt(float(np.sum(dw * dw) + np.sum(db * db))) for dw, db in self.layers)


class Network:
    """A fully connected network: ``sizes`` = [inputs, hidden …, outputs]; every hidden layer
    applies ``activation`` ("sigmoid", "tanh", "relu"); ``loss`` ("mse", "cross_entropy") sets
    the output layer (see :mod:`~calcgui.core.backprop.layers`). The same ``seed`` gives the
    same initial parameters."""

    def __init__(self, sizes: Sequence[int], activation: str = "sigmoid", loss: str = "mse",
                 seed: int = 0, init: str = "default") -> None:
        self.sizes = _checked_sizes(sizes)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, not {activation!r}")
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, not {loss!r}")
        if init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}, not {init!r}")
        self.activation = activation
        self.loss_name = loss
        self.seed = seed
        self.init = init
        self._params: Params = _initial_params(self.sizes, init, np.random.default_rng(seed))
        self._pending: Gradients | None = None

    # -- parameters ------------------------------------------------------------------------------
    @property
    def params(self) -> Params:
        """[(W, b), …] per layer, W of shape (out, in): read-only arrays that later steps do not
        change (each step makes new ones), so the list is a snapshot."""
        return list(self._params)

    @params.setter
    def params(self, params: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        if len(params) != len(self.sizes) - 1:
            raise ValueError(f"expected {len(self.sizes) - 1} (W, b) pairs, not {len(params)}")
        checked = []
        for layer, ((weights, bias), fan_in, fan_out) in enumerate(zip(params, self.sizes[:-1], self.sizes[1:]), 1):
            w, b = np.array(weights, dtype=np.float64), np.array(bias, dtype=np.float64)
            if w.shape != (fan_out, fan_in) or b.shape != (fan_out,):
                raise ValueError(f"layer {layer}: W must be {(fan_out, fan_in)} and b {(fan_out,)}, "
                                 f"not {w.shape} and {b.shape}")
            checked.append((_frozen(w), _frozen(b)))
        self._params = checked
        self._pending = None

    def copy(self) -> Network:
        """An independent network with the same architecture and parameters."""
        twin = Network(self.sizes, self.activation, self.loss_name, self.seed, self.init)
        twin._params = list(self._params)  # the arrays are read-only: sharing them is safe
        return twin

    # -- forward and backward ----------------------------------------------------------------------
    def forward(self, X: np.ndarray) -> ForwardPass:
        """Every layer's z and a for the rows of ``X`` (shape (n, inputs))."""
        a = self._inputs(X)
        zs, activations = [], [a]
        last = len(self._params) - 1
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged network gives inf / NaN
            for layer, (w, b) in enumerate(self._params):
                z = a @ w.T + b
                a = outputs(self.loss_name, z) if layer == last else activate(self.activation, z)
                zs.append(_frozen(z))
                activations.append(_frozen(a))
        return ForwardPass(tuple(zs), tuple(activations))

    def loss(self, X: np.ndarray, Y: np.ndarray) -> float:
        """The mean loss over the rows of ``X`` against targets ``Y``."""
        run = self.forward(X)
        with np.errstate(over="ignore", invalid="ignore"):
            return loss_value(self.loss_name, run.logits, self._targets(Y, run))

    def backward(self, X: np.ndarray, Y: np.ndarray) -> Gradients:
        """∂L/∂W, ∂L/∂b and δ = ∂L/∂z of every layer, for the mean loss over the rows of ``X``.
        The gradients are kept for the next :meth:`step`."""
        run = self.forward(X)
        t = self._targets(Y, run)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = loss_value(self.loss_name, run.logits, t)
            delta = output_delta(self.loss_name, run.logits, run.output, t)
            deltas, grads = [delta], []
            for layer in range(len(self._params) - 1, -1, -1):
                grads.append((_frozen(delta.T @ run.activations[layer]), _frozen(delta.sum(axis=0))))
                if layer:
                    z, a = run.zs[layer - 1], run.activations[layer]
                    delta = (delta @ self._params[layer][0]) * slope(self.activation, z, a)
                    deltas.append(delta)
        gradients = Gradients(tuple(reversed(grads)), tuple(_frozen(d) for d in reversed(deltas)), loss)
        self._pending = gradients
        return gradients

    def step(self, lr: float, clip: float | None = None, weight_decay: float = 0.0, *,
             X: np.ndarray | None = None, Y: np.ndarray | None = None) -> float:
        """One gradient-descent update with the gradients of the last :meth:`backward` (or of
        ``X``, ``Y`` when given), as torch does it: clip_grad_norm_(clip), then SGD with
        weight_decay (g + weight_decay·p), then p − lr·g. Returns the loss before the step.
        Each step uses its gradients up: the next one needs a new backward (or X and Y)."""
        lr = _non_negative("lr", lr)
        weight_decay = _non_negative("weight_decay", weight_decay)
        if clip is not None and not _non_negative("clip", clip) > 0:
            raise ValueError("clip must be a number > 0 (or None for no clipping)")
        if (X is None) != (Y is None):
            raise ValueError("give both X and Y, or neither")
        gradients = self.backward(X, Y) if X is not None else self._pending
        if gradients is None:
            raise ValueError("no gradients: call backward(X, Y) before step(), or pass X and Y")
        scale = 1.0
        if clip is not None:
            scale = min(1.0, clip / (gradients.norm + CLIP_EPS))
        with np.errstate(over="ignore", invalid="ignore"):
            self._params = [
                (_frozen(w - lr * (scale * dw + weight_decay * w)), _frozen(b - lr * (scale * db + weight_decay * b)))
                for (w, b), (dw, db) in zip(self._params, gradients)]
        self._pending = None
        return gradients.loss

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels (n,) for "cross_entropy" (σ ≥ ½, or the most probable class); the outputs
        (n, outputs) for "mse"."""
        output = self.forward(X).output
        if self.loss_name == "mse":
            return output
        if output.shape[1] == 1:
            return (output[:, 0] >= 0.5).astype(np.int64)
        return np.argmax(output, axis=1)

    # -- checks ------------------------------------------------------------------------------------
    def _inputs(self, X: np.ndarray) -> np.ndarray:
        x = np.asarray(X, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}), not {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ValueError("X must be finite numbers")
        return x

    def _targets(self, Y: np.ndarray, run: ForwardPass) -> np.ndarray:
        n, k = run.logits.shape
        return targets(self.loss_name, Y, n, k)

    def __repr__(self) -> str:
        return f"Network(sizes={list(self.sizes)}, activation={self.activation!r}, loss={self.loss_name!r})"


def _initial_params(sizes: tuple[int, ...], init: str, rng: np.random.Generator) -> Params:
    """Each layer's (W, b) drawn in order from ``rng``. "default" is torch.nn.Linear's
    U(±1/√in) for W and b; "xavier" (Glorot) U(±√(6/(in + out))) and "he" (Kaiming)
    U(±√(6/in)) draw W so that signals keep their size through sigmoid/tanh and ReLU layers,
    with b = 0, as the papers (and a course's vanishing-gradient demo) use them."""
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if init == "default":
            bound = 1.0 / math.sqrt(fan_in)
            weights = rng.uniform(-bound, bound, size=(fan_out, fan_in))
            bias = rng.uniform(-bound, bound, size=fan_out)
        else:
            bound = math.sqrt(6.0 / (fan_in + fan_out)) if init == "xavier" else math.sqrt(6.0 / fan_in)
            weights, bias = rng.uniform(-bound, bound, size=(fan_out, fan_in)), np.zeros(fan_out)
        params.append((_frozen(weights), _frozen(bias)))
    return params


def _checked_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    values = tuple(sizes)
    if not 2 <= len(values) <= MAX_LAYERS + 1:
        raise ValueError(f"sizes needs from 2 to {MAX_LAYERS + 1} numbers (inputs … outputs), not {len(values)}")
    for size in values:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= MAX_UNITS:
            raise ValueError(f"each layer size must be a whole number from 1 to {MAX_UNITS}, not {size!r}")
    return tuple(int(size) for size in values)


def _non_negative(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number ≥ 0, not {value}")
    return float(value)
