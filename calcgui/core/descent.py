"""Gradient descent on a typed function: exact gradients, clipping, schedules, divergence.

A :class:`Descent` is one optimizer's run that the UI advances a few steps per frame, so a step
is cheap (compiled numpy functions, preallocated storage); :func:`run` is the same as one pure
call for scripts and tests. Importing this module loads numpy only: sympy is loaded when an
:func:`objective` is built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from calcgui.core import optimizers

if TYPE_CHECKING:
    import sympy

__all__ = ["CLIPPING_MODES", "DIVERGENCE_SPANS", "SCHEDULE_KINDS", "Clipping", "Descent", "Objective",
           "Schedule", "Trajectory", "objective", "run", "start_text"]

#: A run has diverged when a point lies farther outside the bounds than this many times the
#: bounds' width (per coordinate): by then it will not come back into view, and its numbers
#: are on their way to overflow. Non-finite points, losses and gradients count as diverged too.
DIVERGENCE_SPANS = 100.0

CLIPPING_MODES: tuple[str, ...] = ("none", "norm", "value")
SCHEDULE_KINDS: tuple[str, ...] = ("constant", "step", "exponential", "cosine", "warmup")

Bounds = Sequence[tuple[float, float]]


@dataclass(frozen=True)
class Objective:
    """f and its exact gradient, compiled to vectorised numpy: points have shape (..., n)."""

    expr: sympy.Expr
    variables: tuple[str, ...]
    partials: tuple[sympy.Expr, ...]  #: ∂f/∂v for each variable v, symbolically
    _f: Callable[..., np.ndarray] = field(repr=False, compare=False)
    _df: tuple[Callable[..., np.ndarray], ...] = field(repr=False, compare=False)
    _fused: Callable[..., tuple[Any, ...]] = field(repr=False, compare=False)

    def _columns(self, points: Any) -> list[np.ndarray]:
        p = np.asarray(points, dtype=np.float64)
        if p.ndim == 0 or p.shape[-1] != len(self.variables):
            raise ValueError(f"points must have shape (..., {len(self.variables)}), not {p.shape}")
        return [p[..., i] for i in range(p.shape[-1])]

    def value(self, points: Any) -> np.ndarray:
        """f at each point: shape (...); NaN where f is undefined."""
        return self._f(*self._columns(points))

    def gradient(self, points: Any) -> np.ndarray:
        """∇f at each point: shape (..., n); NaN where a partial is undefined."""
        columns = self._columns(points)
        return np.stack([d(*columns) for d in self._df], axis=-1)

    def value_and_gradient(self, point: np.ndarray) -> tuple[float, np.ndarray]:
        """f and ∇f at one point of shape (n,), in one compiled call with shared
        subexpressions: the fast path of a descent step. Call it under
        ``np.errstate(all="ignore")``; undefined values are NaN."""
        try:
            values = np.array(self._fused(*point))
        except (TypeError, ValueError, NameError, ZeroDivisionError, OverflowError):
            return math.nan, np.full(len(self.variables), math.nan)
        if values.dtype != np.float64:
            if np.iscomplexobj(values):
                values = np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
            values = values.astype(np.float64)
        return float(values[0]), values[1:]


def objective(expr: sympy.Expr | str, variables: Sequence[str] = ("x", "y")) -> Objective:
    """The :class:`Objective` of ``expr`` (or of text, through our parser) in ``variables``."""
    import sympy

    from calcgui.core.expression_parser import parse
    from calcgui.core.sampling import _real_pow, _RealRootPrinter, compile_function

    names = tuple(variables)
    if isinstance(expr, str):
        expr = parse(expr, names)
    by_name = {s.name: s for s in expr.free_symbols}
    extra = sorted(set(by_name) - set(names))
    if extra:
        raise ValueError(f"the function depends on {', '.join(extra)}, not only on {', '.join(names)}")
    symbols = [by_name.get(name, sympy.Symbol(name, real=True)) for name in names]
    partials = tuple(sympy.diff(expr, s) for s in symbols)
    # compile_function's printer (odd roots are real), for all of f and ∇f in one function
    fused = sympy.lambdify(
        symbols, (expr, *partials), modules=[{"_real_pow": _real_pow}, "numpy"], cse=True,
        printer=_RealRootPrinter({"fully_qualified_modules": False, "inline": True,
                                  "allow_unknown_functions": True}))
    return Objective(expr, names, partials, compile_function(expr, names),
                     tuple(compile_function(d, names) for d in partials), fused)


def _positive(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not (
            math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, not {value!r}")
    return float(value)


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number ≥ 1, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Clipping:
    """Gradient clipping per run, as torch.nn.utils does it.

    ``norm``: clip_grad_norm_: g ← g · min(1, threshold / (‖g‖ + 1e-6)).
    ``value``: clip_grad_value_: each component clamped to [-threshold, threshold].
    """

    mode: str = "none"
    threshold: float = 1.0

    def __post_init__(self) -> None:
        if self.mode not in CLIPPING_MODES:
            raise ValueError(f"unknown clipping {self.mode!r}; choose one of {', '.join(CLIPPING_MODES)}")
        object.__setattr__(self, "threshold", _positive("the clipping threshold", self.threshold))

    def apply(self, grad: np.ndarray) -> np.ndarray:
        """The clipped gradient, shape (..., n), one norm per run; ``grad`` is not changed."""
        if self.mode == "none":
            return grad
        g = np.asarray(grad, dtype=np.float64)
        if self.mode == "value":
            return np.clip(g, -self.threshold, self.threshold)
        norm = np.sqrt(np.sum(g * g, axis=-1, keepdims=True))
        return g * np.minimum(self.threshold / (norm + 1e-6), 1.0)


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule: the lr of step ``t`` (t = 0 for the first update), as
    torch.optim.lr_scheduler computes it when ``scheduler.step()`` follows each update.

    constant:     γ
    step:         γ · gamma^⌊t / step_size⌋                         (StepLR; gamma 0.1 by default)
    exponential:  γ · gamma^t                                     (ExponentialLR; gamma 0.99)
    cosine:       γ · (1 + cos(π t / total_steps)) / 2            (CosineAnnealingLR, eta_min = 0;
                  periodic past total_steps, as in torch)
    warmup:       γ · (s + (1 - s) · min(t, warmup_steps) / warmup_steps)   (LinearLR, s = start_factor)
    """

    kind: str = "constant"
    step_size: int = 100
    gamma: float | None = None  #: None: 0.1 for "step" (torch's default), 0.99 for "exponential"
    total_steps: int = 500
    warmup_steps: int = 50
    start_factor: float = 1.0 / 3.0  #: torch's LinearLR default

    def __post_init__(self) -> None:
        if self.kind not in SCHEDULE_KINDS:
            raise ValueError(f"unknown schedule {self.kind!r}; choose one of {', '.join(SCHEDULE_KINDS)}")
        _count("step_size", self.step_size)
        _count("total_steps", self.total_steps)
        _count("warmup_steps", self.warmup_steps)
        if self.gamma is not None:
            _positive("gamma", self.gamma)
        if not 0.0 < _positive("start_factor", self.start_factor) <= 1.0:
            raise ValueError(f"start_factor must be in (0, 1], not {self.start_factor!r}")

    def lr_at(self, base_lr: float, step: int) -> float:
        """The learning rate for update number ``step`` (from 0) of a run started at ``base_lr``."""
        if step < 0:
            raise ValueError(f"step must be ≥ 0, not {step}")
        kind = self.kind
        if kind == "constant":
            return base_lr
        if kind == "step":
            return base_lr * (0.1 if self.gamma is None else self.gamma) ** (step // self.step_size)
        if kind == "exponential":
            return base_lr * (0.99 if self.gamma is None else self.gamma) ** step
        if kind == "cosine":
            return base_lr * (1.0 + math.cos(math.pi * step / self.total_steps)) / 2.0
        s = self.start_factor
        return base_lr * (s + (1.0 - s) * min(step, self.warmup_steps) / self.warmup_steps)


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


def start_text(point: Sequence[float]) -> str:
    """A start as a student writes it: "(−1.5, 2)", or "x = −3" in one variable."""
    numbers = [f"{float(v):g}".replace("-", "−") for v in point]
    return f"x = {numbers[0]}" if len(numbers) == 1 else f"({', '.join(numbers)})"


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


class Descent:
    """One optimizer's run from one start, advanced a few steps at a time.

    Storage grows by doubling, so a step costs amortised O(1). Once the run diverges it stops:
    :meth:`advance` does nothing more, and the diverged step is the last one stored (its
    numbers may be infinite or NaN, for the UI to mask).
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
        self._low = self._high = self._reach = None
        if bounds is not None:
            box = np.array(bounds, dtype=np.float64)
            if box.shape != (n, 2) or not (np.isfinite(box).all() and (box[:, 1] > box[:, 0]).all()):
                raise ValueError(f"bounds must be {n} finite (low, high) pair(s) with low < high")
            self._low, self._high = box[:, 0], box[:, 1]
            self._reach = DIVERGENCE_SPANS * (self._high - self._low)
        capacity = 64
        self._points = np.empty((capacity, n))
        self._gradients = np.empty((capacity, n))
        self._losses = np.empty(capacity)
        self._grad_norms = np.empty(capacity)
        self._step_sizes = np.empty(capacity)
        self._lrs = np.empty(capacity)
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
        diverged = not (math.isfinite(loss) and math.isfinite(grad_norm) and np.isfinite(point).all())
        if not diverged and self._reach is not None:
            outside = np.maximum(self._low - point, point - self._high)
            diverged = bool((outside > self._reach).any())
        if diverged:
            self._diverged_at = k

    def _grow(self) -> None:
        for name in ("_points", "_gradients", "_losses", "_grad_norms", "_step_sizes", "_lrs"):
            old = getattr(self, name)
            new = np.empty((2 * old.shape[0], *old.shape[1:]))
            new[: old.shape[0]] = old
            setattr(self, name, new)

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
                lr = self.optimizer.lr = self.schedule.lr_at(self.base_lr, k)
                point = self._points[k]
                new = self.optimizer.step(point, self.clipping.apply(self._gradients[k]))
                delta = new - point
                self._step_sizes[k] = math.hypot(*delta)
                self._lrs[k] = lr
                self._k = k + 1
                self._record(k + 1, new)
                taken += 1
        return taken

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
                          self.status)


def run(objective: Objective, start: Sequence[float] | float, optimizer_name: str, lr: float,
        steps: int, hyper: dict[str, Any] | None = None, clipping: Clipping = Clipping(),
        schedule: Schedule = Schedule(), bounds: Bounds | None = None) -> Trajectory:
    """``steps`` steps of ``optimizer_name`` from ``start`` (fewer if it diverges), in one call."""
    descent = Descent(objective, start, optimizer_name, lr, hyper, clipping, schedule, bounds)
    descent.advance(steps)
    return descent.trajectory()
