"""Gradient clipping and learning-rate schedules: what torch applies around an optimizer's step.

Both are per-run settings of a :class:`~calcgui.core.descent.Descent` (and of a sweep), kept
apart from the run itself so that each says in one place which torch function it follows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from calcgui.core import optimizers

__all__ = ["CLIPPING_MODES", "SCHEDULE_KINDS", "Clipping", "Schedule"]

CLIPPING_MODES: tuple[str, ...] = ("none", "norm", "value")
SCHEDULE_KINDS: tuple[str, ...] = ("constant", "step", "exponential", "cosine", "warmup")


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

    def lr_at(self, base_lr: optimizers.Hyper, step: int) -> optimizers.Hyper:
        """The learning rate for update number ``step`` (from 0) of a run started at ``base_lr``
        (an array of base rates gives each run of a sweep its own, by the same arithmetic)."""
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
