"""One training session of the network mode, without Qt: the network built from its settings,
the data, the loss history, and divergence found and put into words.

The widget only draws what this holds (Orange's habit: the work is a plain object, tested
without any widget). Everything numeric comes from :mod:`calcgui.core.backprop`; this module
adds the bookkeeping a lesson needs: which step we are at, whether the run diverged and when,
the global gradient norm before and after clipping, and ‖δ‖ per layer for sigmoid against
ReLU at the same depth and seed.

A diverging network makes inf and NaN by design (the core does not warn about them), so every
call into the core that can meet one runs under ``np.errstate``: numpy warnings are errors in
the tests, and a warning is not how a student should learn that the learning rate is too big.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from calcgui.core.backprop import DecisionGrid, ForwardPass, Gradients, Network, datasets, decision_grid
from calcgui.core.backprop.datasets import Dataset
from calcgui.core.update_rules import format_number
from calcgui.state.network import NetworkSettings

__all__ = ["NetworkRun", "Update", "data_set", "describe_example", "format_value"]

#: The one example of "single": nothing is averaged, so δ·a is exactly ∂L/∂w.
SINGLE_X = ((0.5, 1.0),)
SINGLE_Y = (1,)
#: Margin around the data in the decision-boundary plot.
BOUNDARY_MARGIN = 0.5


def data_set(name: str) -> Dataset:
    """The data set of a ``NetworkSettings.data`` id (always the same points)."""
    if name == "single":
        X, y = np.array(SINGLE_X, dtype=np.float64), np.array(SINGLE_Y, dtype=np.int64)
        X.flags.writeable = y.flags.writeable = False
        return Dataset("one example", X, y)
    if name == "xor":
        return datasets.xor()
    if name == "moons":
        return datasets.two_moons()
    if name == "line":
        return datasets.line()
    raise ValueError(f"unknown data set {name!r}")


@contextmanager
def quiet_numbers() -> Iterator[None]:
    """inf and NaN from a diverging network are expected here, not warned about."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        yield


def format_value(value: float) -> str:
    """A number in 3 significant figures, written as the equations of the Descent pane write
    theirs (true minus sign, ∞ and NaN as a student reads them)."""
    return format_number(value, 3)


def parse_value(text: str) -> float:
    """The number :func:`format_value` wrote (for tests and tooltips read back)."""
    return float(text.replace("−", "-").replace("∞", "inf"))


def describe_example(data: Dataset, index: int = 0) -> str:
    """"showing example 1 of 4: (0, 1) → 1": which row the neuron values belong to."""
    x = ", ".join(format_value(float(v)) for v in data.X[index])
    return f"showing example {index + 1} of {len(data.X)}: ({x}) → {int(data.y[index])}"


@dataclass(frozen=True)
class Update:
    """One gradient-descent step as the readout shows it: the loss before and after, and the
    global gradient norm before and after clipping (equal when clipping is off or not needed)."""

    before: float
    after: float
    norm: float
    clipped_norm: float


#: The initial weights each activation is compared with.
MATCHED_INIT = {"sigmoid": "xavier", "tanh": "xavier", "relu": "he"}


class NetworkRun:
    """The network of ``settings`` at its seeded initial weights, on its data set."""

    def __init__(self, settings: NetworkSettings) -> None:
        self.settings = settings
        self.data = data_set(settings.data)
        self.network = Network(settings.sizes, settings.activation, settings.loss, settings.seed)
        self.step_count = 0
        #: losses[k] is the loss after k steps (the loss at the weights the k+1-th step starts from)
        self.losses: list[float] = []
        self.diverged_at: int | None = None
        self.divergence = ""
        self._compare: dict[str, tuple[float, ...]] = {}

    @property
    def X(self) -> np.ndarray:  # noqa: N802 (the data matrix's usual name)
        return self.data.X

    @property
    def Y(self) -> np.ndarray:  # noqa: N802
        return self.data.y

    # -- one pass, for the diagram --------------------------------------------------------------
    def forward(self) -> ForwardPass:
        with quiet_numbers():
            return self.network.forward(self.X)

    def backward(self) -> Gradients:
        with quiet_numbers():
            return self.network.backward(self.X, self.Y)

    def loss(self) -> float:
        with quiet_numbers():
            return self.network.loss(self.X, self.Y)

    def gradient_norm(self, gradients: Gradients) -> float:
        """The global norm √Σ‖∂L/∂p‖² that clipping compares with its bound (inf once diverged)."""
        with quiet_numbers():
            return gradients.norm

    def clipped(self, norm: float) -> float:
        """The global gradient norm after clipping at ``settings.clip`` (as torch's clip_grad_norm_)."""
        clip = self.settings.clip
        if clip is None or not math.isfinite(norm):
            return norm
        return norm * min(1.0, clip / (norm + 1e-6))

    # -- training --------------------------------------------------------------------------------
    def update(self) -> Update | None:
        """One step of gradient descent on the whole data set; None when the run has diverged."""
        before = self.step_count
        gradients = self._step()
        if gradients is None or self.step_count == before:
            return None
        norm = self.gradient_norm(gradients)
        return Update(gradients.loss, self.loss(), norm, self.clipped(norm))

    def train(self, steps: int, deadline: float | None = None) -> int:
        """Up to ``steps`` steps, stopping early at divergence or once ``time.perf_counter()``
        passes ``deadline``; returns how many were taken (at least one unless diverged)."""
        done = 0
        while done < steps and self.diverged_at is None:
            before = self.step_count
            self._step()
            if self.step_count == before:
                break
            done += 1
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return done

    def _step(self) -> Gradients | None:
        if self.diverged_at is not None:
            return None
        s = self.settings
        with quiet_numbers():
            gradients = self.network.backward(self.X, self.Y)
            norm = gradients.norm
            if not (math.isfinite(gradients.loss) and math.isfinite(norm)):
                self._diverged(gradients.loss, norm)
                return gradients
            self.losses.append(gradients.loss)
            self.network.step(s.lr, s.clip, s.weight_decay)
        self.step_count += 1
        return gradients

    def _diverged(self, loss: float, norm: float) -> None:
        self.diverged_at = self.step_count
        what = (f"the loss became {format_value(loss)}" if not math.isfinite(loss)
                else f"the gradient's norm became {format_value(norm)}")
        self.divergence = f"diverged at step {self.step_count}: {what} — try a smaller learning rate"

    def history(self, current: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(step, loss) of every step taken, plus the loss at the current weights (``current``
        when the caller has it already: it costs a forward pass)."""
        if self.diverged_at is not None:
            losses = list(self.losses)
        else:
            losses = [*self.losses, self.loss() if current is None else current]
        return np.arange(len(losses), dtype=np.float64), np.asarray(losses, dtype=np.float64)

    # -- what the plots show -------------------------------------------------------------------------
    def boundary(self, resolution: int) -> DecisionGrid | None:
        """The network's output over the data's rectangle; None once diverged (nothing to draw)."""
        if self.diverged_at is not None:
            return None
        with quiet_numbers():
            return decision_grid(self.network, *self.ranges(), resolution=resolution)

    def ranges(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The data's bounding box with a margin (at least 2 wide each way)."""
        ranges = []
        for column in self.X.T:
            low, high = float(column.min()) - BOUNDARY_MARGIN, float(column.max()) + BOUNDARY_MARGIN
            middle, half = (low + high) / 2, max((high - low) / 2, 1.0)
            ranges.append((middle - half, middle + half))
        return ranges[0], ranges[1]

    def initial_delta_norms(self, activation: str) -> tuple[float, ...]:
        """‖δ‖ per layer at seeded initial weights, for ``activation`` at this depth, width,
        loss and data: the two curves of "compare sigmoid vs ReLU" (cached). Each starts from
        the weights made for it, as a course compares them: Glorot's for sigmoid, He's for
        ReLU (with torch's default weights ReLU's gradients fade with depth too)."""
        if activation not in self._compare:
            s = self.settings
            twin = Network(s.sizes, activation, s.loss, s.seed, init=MATCHED_INIT.get(activation, "default"))
            with quiet_numbers():
                self._compare[activation] = twin.backward(self.X, self.Y).delta_norms
        return self._compare[activation]
