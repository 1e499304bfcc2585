"""Gradient descent on a typed function: exact gradients, clipping, schedules, divergence.

A :class:`Descent` is one optimizer's run that the UI advances a few steps per frame, so a step
is cheap (compiled numpy functions, preallocated storage); :func:`run` is the same as one pure
call for scripts and tests. A run records each step's numbers (the gradient before and after
clipping, the lr, the optimizer's state, the update) so that the UI can write out the
equations of any step (:meth:`Descent.step_record`). :func:`sweep` (in
:mod:`calcgui.core.sweep`, loaded on first use) runs a grid of learning rates × betas at once.
The objective (:mod:`calcgui.core.objective`), clipping and schedules
(:mod:`calcgui.core.step_controls`) live in modules of their own and are re-exported here.
Importing this module loads numpy only: sympy is loaded when an :func:`objective` is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from calcgui.core import optimizers
from calcgui.core.objective import Objective, objective
from calcgui.core.step_controls import CLIPPING_MODES, SCHEDULE_KINDS, Clipping, Schedule

__all__ = ["CLIPPING_MODES", "DIVERGENCE_SPANS", "SCHEDULE_KINDS", "Clipping", "Descent", "Objective",
           "Schedule", "StepRecord", "Trajectory", "diverged", "objective", "run", "start_text", "sweep"]

#: A run has diverged when a point lies farther outside the bounds than this many times the
#: bounds' width (per coordinate): by then it will not come back into view, and its numbers
#: are on their way to overflow. Non-finite points, losses and gradients count as diverged too.
DIVERGENCE_SPANS = 100.0

Bounds = Sequence[tuple[float, float]]


@dataclass(frozen=True)
class _Box:
    """The bounds a run must not leave by more than DIVERGENCE_SPANS widths."""

    low: np.ndarray
    high: np.ndarray
    reach: np.ndarray

    @staticmethod
    def of(bounds: Bounds | None, n: int) -> _Box | None:
        if bounds is None:
            return None
        box = np.array(bounds, dtype=np.float64)
        if box.shape != (n, 2) or not (np.isfinite(box).all() and (box[:, 1] > box[:, 0]).all()):
            raise ValueError(f"bounds must be {n} finite (low, high) pair(s) with low < high")
        low, high = box[:, 0], box[:, 1]
        return _Box(low, high, DIVERGENCE_SPANS * (high - low))

    def escaped(self, points: np.ndarray) -> np.ndarray:
        """Whether each point of shape (..., n) lies too far outside the bounds."""
        out = np.zeros(points.shape[:-1], dtype=bool)
        for i in range(points.shape[-1]):  # by columns: numpy reduces a short last axis slowly
            x = points[..., i]
            out |= np.maximum(self.low[i] - x, x - self.high[i]) > self.reach[i]
        return out


def diverged(points: np.ndarray, losses: Any, grad_norms: Any, box: _Box | None) -> np.ndarray:
    """The divergence rule, for one run (shape ()) or many (shape (...)): a coordinate of the
    point, the loss or ‖∇f‖ is not finite, or the point lies farther outside the bounds than
    :data:`DIVERGENCE_SPANS` times their width. Runs and sweeps share it, so that they agree."""
    finite = np.isfinite(losses) & np.isfinite(grad_norms)
    for i in range(points.shape[-1]):
        finite &= np.isfinite(points[..., i])
    bad = ~finite
    if box is not None:
        bad |= box.escaped(points)
    return bad


def _diverged_one(point: np.ndarray, loss: float, grad_norm: float, box: _Box | None) -> bool:
    """:func:`diverged` for the one point of a run's step, on floats: the same rule at a
    fraction of the cost, since a step must stay cheap (the UI replays thousands at once)."""
    coordinates = point.tolist()
    if not (math.isfinite(loss) and math.isfinite(grad_norm) and all(map(math.isfinite, coordinates))):
        return True
    if box is None:
        return False
    return any(max(low - x, x - high) > reach
               for x, low, high, reach in zip(coordinates, box.low.tolist(), box.high.tolist(), box.reach.tolist()))


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A finished run: k steps from the start, or fewer when it diverged."""

    points: np.ndarray  #: (k+1, n): the start, then the point after each step
    gradients: np.ndarray  #: (k+1, n): ∇f at each point (before clipping)
    losses: np.ndarray  #: (k+1,): f at each point
    grad_norms: np.ndarray  #: (k+1,): ‖∇f‖ at each point
    step_sizes: np.ndarray  #: (k,): ‖x_{t+1} - x_t‖
    lrs: np.ndarray  #: (k,): the learning rate of each step
    diverged_at: int | None  #: the step whose point, loss or gradient diverged, if one did
    status: str  #: "step 12, loss 0.0341" or "diverged at step 12"
    clipped_gradients: np.ndarray  #: (k, n): the gradient each step used, after clipping
    updates: np.ndarray  #: (k, n): x_{t+1} - x_t
    states: Mapping[str, np.ndarray]  #: state name -> (k, n), or (k,) for "step": after each step


@dataclass(frozen=True, eq=False)
class StepRecord:
    """Everything the equations of one step need. Step ``k`` (from 0) goes from point k to
    point k + 1 and is the optimizer's step t = k + 1, the t of torch's formulas."""

    k: int
    point: np.ndarray  #: θ_k
    next_point: np.ndarray  #: θ_{k+1}
    loss: float  #: f(θ_k)
    next_loss: float  #: f(θ_{k+1})
    gradient: np.ndarray  #: ∇f(θ_k), before clipping
    clipped_gradient: np.ndarray  #: after :class:`Clipping` (the same numbers without clipping)
    #: g_t of the optimizer's formulas: the clipped gradient, plus λ θ_k where the weight decay
    #: λ is added to the gradient (every optimizer but AdamW, whose decay is decoupled)
    optimizer_gradient: np.ndarray
    lr: float  #: γ in force for this step (after the schedule)
    state_before: Mapping[str, np.ndarray]  #: the optimizer's state before the step
    state_after: Mapping[str, np.ndarray]  #: ... and after it (torch's names, see Optimizer.state)
    update: np.ndarray  #: θ_{k+1} - θ_k
    m_hat: np.ndarray | None = None  #: Adam/AdamW: m̂_t = m_t / (1 - β₁^t); None for others
    v_hat: np.ndarray | None = None  #: Adam/AdamW: v̂_t = v_t / (1 - β₂^t) (v_t^max with amsgrad)

    @property
    def t(self) -> int:
        return self.k + 1


def start_text(point: Sequence[float]) -> str:
    """A start as a student writes it: "(−1.5, 2)", or "x = −3" in one variable."""
    numbers = [f"{float(v):g}".replace("-", "−") for v in point]
    return f"x = {numbers[0]}" if len(numbers) == 1 else f"({', '.join(numbers)})"


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _grown(array: np.ndarray) -> np.ndarray:
    """``array`` with twice the rows, the first ones copied."""
    new = np.empty((2 * array.shape[0], *array.shape[1:]))
    new[: array.shape[0]] = array
    return new


class Descent:
    """One optimizer's run from one start, advanced a few steps at a time.

    Storage grows by doubling, so a step costs amortised O(1) (5,000 steps of Adam keep
    under 1 MB). Once the run diverges it stops: :meth:`advance` does nothing more, and the
    diverged step is the last one stored (its numbers may be infinite or NaN, for the UI to
    mask).
    """

    def __init__(self, objective: Objective, start: Sequence[float] | float, optimizer_name: str,
                 lr: float, hyper: dict[str, Any] | None = None, clipping: Clipping = Clipping(),
                 schedule: Schedule = Schedule(), bounds: Bounds | None = None) -> None:
        n = len(objective.variables)
        point = np.array(start, dtype=np.float64).reshape(-1)
        if point.shape != (n,):
            raise ValueError(f"the start needs {n} coordinate{'s' * (n > 1)}, not {point.size}")
        self.objective, self.clipping, self.schedule = objective, clipping, schedule
        self.optimizer = optimizers.make(optimizer_name, lr=lr, **(hyper or {}))
        self.base_lr = self.optimizer.lr
        self._box = _Box.of(bounds, n)
        capacity = 64
        self._points = np.empty((capacity, n))
        self._gradients = np.empty((capacity, n))
        self._losses = np.empty(capacity)
        self._grad_norms = np.empty(capacity)
        self._step_sizes = np.empty(capacity)
        self._lrs = np.empty(capacity)
        self._clipped = np.empty((capacity, n))
        self._updates = np.empty((capacity, n))
        self._states = {name: np.empty((capacity,) if name == "step" else (capacity, n))
                        for name in self.optimizer.state_names}
        self._k = 0
        self._diverged_at: int | None = None
        with np.errstate(all="ignore"):
            self._record(0, point)

    def _record(self, k: int, point: np.ndarray) -> None:
        """Store point k with its loss and gradient; flag it if it diverged."""
        loss, grad = self.objective.value_and_gradient(point)
        grad_norm = math.hypot(*grad)
        self._points[k] = point
        self._losses[k] = loss
        self._gradients[k] = grad
        self._grad_norms[k] = grad_norm
        if _diverged_one(point, loss, grad_norm, self._box):
            self._diverged_at = k

    def _grow(self) -> None:
        for name in ("_points", "_gradients", "_losses", "_grad_norms", "_step_sizes", "_lrs", "_clipped",
                     "_updates"):
            setattr(self, name, _grown(getattr(self, name)))
        self._states = {name: _grown(buffer) for name, buffer in self._states.items()}

    def advance(self, steps: int = 1) -> int:
        """Take up to ``steps`` steps (fewer if the run diverges); return how many were taken."""
        if steps < 0:
            raise ValueError(f"steps must be ≥ 0, not {steps}")
        taken = 0
        with np.errstate(all="ignore"):
            while taken < steps and self._diverged_at is None:
                k = self._k
                if k + 1 >= self._points.shape[0]:
                    self._grow()
                new = self._step(k)
                self._k = k + 1
                self._record(k + 1, new)
                taken += 1
        return taken

    def _step(self, k: int) -> np.ndarray:
        """Take step k and store its lr, clipped gradient, the optimizer's state after it and
        the update; return the new point."""
        lr = self.optimizer.lr = self.schedule.lr_at(self.base_lr, k)
        point = self._points[k]
        clipped = self.clipping.apply(self._gradients[k])
        new = self.optimizer.step(point, clipped)
        self._lrs[k] = lr
        self._clipped[k] = clipped
        self._updates[k] = delta = new - point
        self._step_sizes[k] = math.hypot(*delta)
        state = self.optimizer.state
        for name, buffer in self._states.items():
            buffer[k] = state[name]
        return new

    # -- read-only views ----------------------------------------------------------------------
    @property
    def step(self) -> int:
        """Steps taken so far."""
        return self._k

    @property
    def diverged_at(self) -> int | None:
        return self._diverged_at

    @property
    def points(self) -> np.ndarray:
        return _read_only(self._points[: self._k + 1])

    @property
    def gradients(self) -> np.ndarray:
        return _read_only(self._gradients[: self._k + 1])

    @property
    def losses(self) -> np.ndarray:
        return _read_only(self._losses[: self._k + 1])

    @property
    def grad_norms(self) -> np.ndarray:
        return _read_only(self._grad_norms[: self._k + 1])

    @property
    def step_sizes(self) -> np.ndarray:
        return _read_only(self._step_sizes[: self._k])

    @property
    def lrs(self) -> np.ndarray:
        return _read_only(self._lrs[: self._k])

    @property
    def clipped_gradients(self) -> np.ndarray:
        """(steps, n): the gradient each step used, after clipping."""
        return _read_only(self._clipped[: self._k])

    @property
    def updates(self) -> np.ndarray:
        """(steps, n): θ_{k+1} - θ_k of each step."""
        return _read_only(self._updates[: self._k])

    @property
    def states(self) -> dict[str, np.ndarray]:
        """The optimizer's state after each step, by torch's names (see
        :attr:`~calcgui.core.optimizers.Optimizer.state`): name -> (steps, n), or (steps,)
        for ``step``."""
        return {name: _read_only(buffer[: self._k]) for name, buffer in self._states.items()}

    def step_record(self, k: int) -> StepRecord:
        """The numbers of step ``k`` (0 ≤ k < :attr:`step`), for writing out its equations."""
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < self._k:
            raise ValueError(f"step {k!r} has not been taken: steps 0 to {self._k - 1} have")
        k = int(k)
        before = self.optimizer.initial_state(self._points[0].shape) if k == 0 else self._state_after(k - 1)
        after = self._state_after(k)
        point, clipped = _read_only(self._points[k]), _read_only(self._clipped[k])
        return StepRecord(k, point, _read_only(self._points[k + 1]), float(self._losses[k]),
                          float(self._losses[k + 1]), _read_only(self._gradients[k]), clipped,
                          self._optimizer_gradient(point, clipped), float(self._lrs[k]), before, after,
                          _read_only(self._updates[k]), *self._bias_corrected(k + 1, after))

    def _state_after(self, k: int) -> Mapping[str, np.ndarray]:
        return MappingProxyType({name: _read_only(buffer[k, ...]) for name, buffer in self._states.items()})

    def _optimizer_gradient(self, point: np.ndarray, clipped: np.ndarray) -> np.ndarray:
        """g_t as the optimizer's formula names it: with a coupled weight decay, g + λθ."""
        decay = self.optimizer.hyper.get("weight_decay", 0.0)
        if decay == 0.0 or self.optimizer.name == "adamw":
            return clipped
        return _read_only(clipped + decay * point)

    def _bias_corrected(self, t: int, state: Mapping[str, np.ndarray]) -> tuple[np.ndarray | None, ...]:
        """Adam's m̂_t and v̂_t, from the state after step t; (None, None) for other optimizers."""
        if self.optimizer.name not in ("adam", "adamw"):
            return None, None
        beta1, beta2 = self.optimizer.hyper["betas"]
        v = state["max_exp_avg_sq"] if "max_exp_avg_sq" in state else state["exp_avg_sq"]
        return _read_only(state["exp_avg"] / (1.0 - beta1**t)), _read_only(v / (1.0 - beta2**t))

    @property
    def status(self) -> str:
        """One line for the UI: "step 12, loss 0.0341", "diverged at step 12", or, when the
        run cannot even start, why: "f is not defined at the start (−1.5, 2)"."""
        if self._diverged_at == 0:
            return self.start_problem or "diverged at step 0"
        if self._diverged_at is not None:
            return f"diverged at step {self._diverged_at}"
        return f"step {self._k}, loss {self._losses[self._k]:.3g}"

    @property
    def start_problem(self) -> str | None:
        """Why no step can be taken from the start, or None: there f or its gradient is
        undefined or infinite (log(x·y) where x·y < 0, 1/(x² + y² − 1) on the circle), so a
        student is told that, not that a run "diverged" without moving."""
        if self._diverged_at != 0:
            return None
        where = start_text(self._points[0])
        if not math.isfinite(self._losses[0]):
            return f"f is not defined at the start {where}"
        if not np.isfinite(self._gradients[0]).all():
            slope = "f′" if len(self.objective.variables) == 1 else "∇f"
            return f"{slope} is not defined at the start {where}"
        return None

    def trajectory(self) -> Trajectory:
        """A snapshot of the run so far (copies: later steps do not change it)."""
        k = self._k
        return Trajectory(self._points[: k + 1].copy(), self._gradients[: k + 1].copy(),
                          self._losses[: k + 1].copy(), self._grad_norms[: k + 1].copy(),
                          self._step_sizes[:k].copy(), self._lrs[:k].copy(), self._diverged_at,
                          self.status, self._clipped[:k].copy(), self._updates[:k].copy(),
                          MappingProxyType({name: b[:k].copy() for name, b in self._states.items()}))


def run(objective: Objective, start: Sequence[float] | float, optimizer_name: str, lr: float,
        steps: int, hyper: dict[str, Any] | None = None, clipping: Clipping = Clipping(),
        schedule: Schedule = Schedule(), bounds: Bounds | None = None) -> Trajectory:
    """``steps`` steps of ``optimizer_name`` from ``start`` (fewer if it diverges), in one call."""
    descent = Descent(objective, start, optimizer_name, lr, hyper, clipping, schedule, bounds)
    descent.advance(steps)
    return descent.trajectory()


def __getattr__(name: str) -> Any:
    """``descent.sweep`` lives in :mod:`calcgui.core.sweep` (which builds on this module), loaded
    on first use (PEP 562)."""
    if name == "sweep":
        from calcgui.core.sweep import sweep

        return sweep
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
