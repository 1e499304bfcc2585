"""Secants, tangents and difference quotients in floating point, round-off included.

Everything here is float64 numpy on purpose: the point is to show what a computer gets for
(f(x0 + h) - f(x0)) / h as h shrinks: truncation error falling like h (forward) or h^2
(central) until round-off, growing like eps/h, takes over. That is the "V" of the error plot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcgui.core.display_range import NumericFunction

EPS = float(np.finfo(float).eps)
#: The h of the table: 10^0 down to 10^-12.
TABLE_STEPS = tuple(10.0 ** -k for k in range(13))
#: One-sided quotients for the differentiability verdict: small enough to converge,
#: large enough that round-off does not dominate.
PROBE_STEPS = tuple(10.0 ** -k for k in range(2, 8))

Verdict = Literal["differentiable", "corner", "vertical", "undefined", "unclear"]


@dataclass(frozen=True)
class QuotientRow:
    """Forward, backward and central difference quotients at one h, and their errors
    against the exact derivative (NaN where a value is undefined)."""

    h: float
    forward: float
    backward: float
    central: float
    forward_error: float
    backward_error: float
    central_error: float


@dataclass(frozen=True)
class Differentiability:
    """Whether f has a derivative at x0, judged from one-sided quotients, and why not."""

    verdict: Verdict
    left: float
    right: float
    message: str


def _at(f: NumericFunction, x: np.ndarray | float) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(f(np.asarray(x, dtype=float)), dtype=float)


def secant_slope(f: NumericFunction, x0: float, h: float) -> float:
    """(f(x0 + h) - f(x0)) / h in float64 (NaN where f is undefined)."""
    values = _at(f, np.array([x0, x0 + h]))
    with np.errstate(all="ignore"):
        return float((values[1] - values[0]) / h)


def quotient_table(f: NumericFunction, x0: float, exact: float,
                   steps: Sequence[float] = TABLE_STEPS) -> tuple[QuotientRow, ...]:
    """Forward, backward and central quotients at each h, with |error| against ``exact``."""
    h = np.asarray(steps, dtype=float)
    f0 = _at(f, np.array([x0]))[0]
    ahead, behind = _at(f, x0 + h), _at(f, x0 - h)
    with np.errstate(all="ignore"):
        forward = (ahead - f0) / h
        backward = (f0 - behind) / h
        central = (ahead - behind) / (2 * h)
    return tuple(
        QuotientRow(float(hk), float(fw), float(bw), float(ce),
                    abs(float(fw) - exact), abs(float(bw) - exact), abs(float(ce) - exact))
        for hk, fw, bw, ce in zip(h, forward, backward, central))


def error_curves(f: NumericFunction, x0: float, exact: float,
                 steps: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """h, |forward error| and |central error| over h = 1 ... 1e-16 for the log-log plot.
    Exact zeros (the quotient happened to be exact) become NaN: log scales cannot show 0."""
    h = np.logspace(0, -16, 321) if steps is None else np.asarray(steps, dtype=float)
    f0 = _at(f, np.array([x0]))[0]
    ahead, behind = _at(f, x0 + h), _at(f, x0 - h)
    with np.errstate(all="ignore"):
        forward = np.abs((ahead - f0) / h - exact)
        central = np.abs((ahead - behind) / (2 * h) - exact)
    return h, np.where(forward > 0, forward, np.nan), np.where(central > 0, central, np.nan)


def best_steps(x0: float) -> tuple[float, float]:
    """The theoretical best h for forward (√ε·max(1, |x0|)) and central (∛ε·max(1, |x0|))
    differences: where truncation and round-off errors are about equal."""
    scale = max(1.0, abs(x0))
    return float(np.sqrt(EPS) * scale), float(np.cbrt(EPS) * scale)


def differentiability(f: NumericFunction, x0: float) -> Differentiability:
    """Judge from one-sided quotients whether f'(x0) exists: they must settle, and agree.

    A quick numeric first guess on a compiled function, cheap enough for every mouse move.
    It cannot tell "near a singularity" from "at one" (ln x at 0.01 looks undefined): the
    decision to show is :func:`calcgui.core.differentiability`, which the worker computes
    (:func:`calcgui.core.jobs.differentiability_job`).

    A corner (|x| at 0) has settled but different left and right slopes; a vertical tangent
    or cusp (x^(1/3), √|x| at 0) has one-sided slopes that grow without bound."""
    f0 = _at(f, np.array([x0]))[0]
    if not np.isfinite(f0):
        return Differentiability("undefined", np.nan, np.nan, f"f is not defined at x₀ = {x0:.6g}.")
    h = np.asarray(PROBE_STEPS)
    with np.errstate(all="ignore"):
        right = (_at(f, x0 + h) - f0) / h
        left = (f0 - _at(f, x0 - h)) / h
    r, l = float(right[-1]), float(left[-1])
    if not (np.isfinite(right).all() and np.isfinite(left).all()):
        return Differentiability("undefined", l, r,
                                 f"f is not defined on both sides of x₀ = {x0:.6g}, so no derivative there.")
    growing = [abs(q[-1]) > 30 * max(abs(q[0]), 1.0) and abs(q[-1]) > 1e2 for q in (left, right)]
    if any(growing):
        return Differentiability("vertical", l, r,
                                 f"No derivative at x₀ = {x0:.6g}: the secant slopes grow without bound "
                                 f"(left {l:.4g}, right {r:.4g} at h = 1e-7): a vertical tangent or a cusp.")
    scale = max(1.0, abs(l), abs(r))
    if abs(l - r) > 1e-3 * scale:
        return Differentiability("corner", l, r,
                                 f"No derivative at x₀ = {x0:.6g}: the slope from the left tends to {l:.4g} "
                                 f"and from the right to {r:.4g}; they disagree (a corner).")
    settled = all(abs(q[-1] - q[-2]) <= 1e-3 * scale for q in (left, right))
    if not settled:
        return Differentiability("unclear", l, r,
                                 f"The secant slopes at x₀ = {x0:.6g} have not settled by h = 1e-7.")
    return Differentiability("differentiable", l, r, "")
