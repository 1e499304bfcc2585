"""A hyper-parameter sweep: the final loss of every (learning rate, β) pair of one optimizer.

A student sees at a glance where a setting converges, crawls or blows up. The grid is large
(100 × 100 runs of 300 steps), so the runs are not stepped one by one: they are one batch of
shape (len(lrs), len(betas), n), with one lr per row and one β per column as per-run arrays
(:data:`~calcgui.core.optimizers.PER_RUN`), stepped by the same optimizer, objective,
clipping, schedule and divergence rule as a single :class:`~calcgui.core.descent.Descent`, so
that every cell is the single run with its settings, to the bit. 100 × 100 × 300 steps of Adam
on Rosenbrock take about 0.2 s on two cores (bench/bench_sweep.py), against about 80 s for the
10,000 runs one by one.

>>> from calcgui.core import descent
>>> losses = descent.sweep(descent.objective("x^2 + 10y^2"), (1, 1), "adam", [0.01, 0.1], [0.5, 0.9])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from calcgui.core import optimizers
from calcgui.core.descent import Bounds, Clipping, Objective, Schedule, _Box, diverged

__all__ = ["BETA_NAMES", "SweepCancelled", "sweep"]

#: The hyper-parameter each optimizer sweeps as its β: the momentum μ of momentum and
#: nesterov, RMSprop's smoothing α, Adam's and AdamW's β₁ (betas[0]; β₂ keeps its value).
#: GD and AdaGrad have no β: a sweep of theirs is a ValueError (a β axis along which nothing
#: changes would only mislead).
BETA_NAMES: dict[str, str] = {"momentum": "momentum", "nesterov": "momentum", "rmsprop": "alpha",
                              "adam": "beta1", "adamw": "beta1"}

#: How many times a sweep reports its progress, at most.
PROGRESS_REPORTS = 100


class SweepCancelled(Exception):
    """The progress callback returned False: the sweep stopped before its last step."""


def _axis(name: str, values: Any) -> np.ndarray:
    """A sweep axis: a non-empty 1-D sequence of numbers (their ranges are the optimizer's to check)."""
    array = np.asarray(values)
    if array.ndim != 1 or array.size == 0 or array.dtype.kind not in "fiu":
        raise ValueError(f"{name} must be a non-empty list of numbers, not {values!r}")
    return array.astype(np.float64)


def _optimizer(name: str, lrs: np.ndarray, betas: np.ndarray,
               hyper: Mapping[str, Any] | None) -> optimizers.Optimizer:
    """``name`` with one lr per row and one β per column of an (L, B, n) batch."""
    if name in ("gd", "adagrad"):
        raise ValueError(f"{optimizers.LABELS[name]} has no β to sweep: choose one of "
                         f"{', '.join(BETA_NAMES)}")
    settings = dict(hyper or {})
    beta = BETA_NAMES.get(name)
    if beta is not None and ("lr" in settings or beta in settings):
        raise ValueError(f"lr and {beta} are the sweep's axes, not fixed hyper-parameters")
    fixed = optimizers.make(name, **settings).hyper  # an unknown name or a bad value: make's message
    if beta == "beta1":
        settings["betas"] = (betas.reshape(1, -1, 1), fixed["betas"][1])
    else:
        settings[beta] = betas.reshape(1, -1, 1)
    return optimizers.make(name, lr=lrs.reshape(-1, 1, 1), **settings)


def _grad_norms(gradients: np.ndarray) -> np.ndarray:
    """‖∇f‖ of each run as the divergence rule sees it: hypot does not overflow before the norm
    does. Column by column, since numpy reduces a short last axis slowly."""
    norms = np.abs(gradients[..., 0])
    for i in range(1, gradients.shape[-1]):
        norms = np.hypot(norms, gradients[..., i])
    return norms


def sweep(objective: Objective, start: Sequence[float] | float, optimizer: str, lrs: Sequence[float],
          betas: Sequence[float], steps: int = 300, *, hyper: Mapping[str, Any] | None = None,
          clipping: Clipping = Clipping(), schedule: Schedule = Schedule(), bounds: Bounds | None = None,
          progress: Callable[[float], bool | None] | None = None) -> np.ndarray:
    """The loss after ``steps`` steps of ``optimizer`` from ``start`` for every lr × β, shape
    (len(lrs), len(betas)); NaN where a run diverged (by :func:`~calcgui.core.descent.diverged`,
    as :class:`~calcgui.core.descent.Descent` with the same ``bounds`` decides).

    Cell (i, j) equals ``run(objective, start, optimizer, lrs[i], steps, hyper + {β: betas[j]},
    clipping, schedule, bounds).losses[-1]`` (NaN if that run diverged); β is
    :data:`BETA_NAMES`\\ [optimizer]. ``hyper`` sets the other hyper-parameters (Adam's
    ``betas`` gives β₂). ``progress(fraction)`` is called up to :data:`PROGRESS_REPORTS` times;
    if it returns False the sweep stops and raises :class:`SweepCancelled`. Raises ValueError
    for GD and AdaGrad (no β), empty axes, and values the optimizer refuses.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number ≥ 0, not {steps!r}")
    lr_values, beta_values = _axis("lrs", lrs), _axis("betas", betas)
    opt = _optimizer(optimizer, lr_values, beta_values, hyper)
    n = len(objective.variables)
    point = np.array(start, dtype=np.float64).reshape(-1)
    if point.shape != (n,):
        raise ValueError(f"the start needs {n} coordinate{'s' * (n > 1)}, not {point.size}")
    box = _Box.of(bounds, n)
    base_lr = opt.lr
    theta = np.broadcast_to(point, (lr_values.size, beta_values.size, n)).copy()
    every = max(1, -(-steps // PROGRESS_REPORTS))
    with np.errstate(all="ignore"):
        losses, gradients = objective.values_and_gradients(theta)
        alive = ~diverged(theta, losses, _grad_norms(gradients), box)
        for k in range(steps):
            opt.lr = schedule.lr_at(base_lr, k)
            moving = alive[..., None]
            # a diverged run is frozen: its point stays, and a zero gradient keeps its state finite
            new = opt.step(theta, clipping.apply(np.where(moving, gradients, 0.0)))
            theta = np.where(moving, new, theta)
            losses, gradients = objective.values_and_gradients(theta)
            alive &= ~diverged(theta, losses, _grad_norms(gradients), box)
            if progress is not None and ((k + 1) % every == 0 or k + 1 == steps):
                if progress((k + 1) / steps) is False:
                    raise SweepCancelled(f"cancelled after {k + 1} of {steps} steps")
    return np.where(alive, losses, np.nan)
