"""Where P goes when the function under it changes: in the domain, on screen, away from poles.

With P at 0 on |x|, typing 1/x used to put P at the first defined grid point beside the pole
(x₀ = −0.0025, f = −400, off screen, slope −160000): correct arithmetic, a useless picture.
The rule here: keep x₀ while f(x₀) is finite and inside the view (near a pole f leaves the
view, so "inside the view" is also "not at a pole's edge"); otherwise take the point nearest
x₀ whose neighbourhood is comfortably inside the view, and prefer a round number near it
(0.25 rather than 0.2437), so that the numbers a class reads are simple.
"""

from __future__ import annotations

import numpy as np

from calcgui.core.display_range import NumericFunction

#: Candidate points across the view.
GRID = 801
#: A new P keeps f(P) this fraction of the view's height away from its top and bottom.
MARGIN = 0.2
#: ... and f stays finite and inside the view this fraction of the view's width either side.
CLEARANCE = 0.02


def _values(f: NumericFunction, x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(f(np.asarray(x, dtype=float)), dtype=float) * np.ones_like(x, dtype=float)


def in_view(f: NumericFunction, x0: float, x_range: tuple[float, float], y_range: tuple[float, float]) -> bool:
    """Whether P at x₀ is on the curve and on screen: f(x₀) finite, (x₀, f(x₀)) in the view."""
    (x_lo, x_hi), (y_lo, y_hi) = x_range, y_range
    y0 = float(_values(f, np.array([x0]))[0])
    return bool(x_lo <= x0 <= x_hi and np.isfinite(y0) and y_lo <= y0 <= y_hi)


def comfortable(f: NumericFunction, x: float, x_range: tuple[float, float], y_range: tuple[float, float]) -> bool:
    """Whether x is a good new P: f(x) well inside the view, and f finite and inside the view
    for a little way either side (not beside a pole, a hole or a domain's end)."""
    (x_lo, x_hi), (y_lo, y_hi) = x_range, y_range
    width, height = x_hi - x_lo, y_hi - y_lo
    near = x + CLEARANCE * width * np.linspace(-1.0, 1.0, 9)
    around = _values(f, near)
    y = float(_values(f, np.array([x]))[0])
    return bool(x_lo <= x <= x_hi and np.isfinite(around).all()
                and (around >= y_lo).all() and (around <= y_hi).all()
                and y_lo + MARGIN * height <= y <= y_hi - MARGIN * height)


def place_point(f: NumericFunction, x0: float, x_range: tuple[float, float],
                y_range: tuple[float, float]) -> float:
    """Where P should be for f in this view, given that it was at x₀ (see the module docstring).

    Falls back to any defined point in view nearest x₀, and to x₀ itself when f is defined
    nowhere in the view (the pane then says so).
    """
    if in_view(f, x0, x_range, y_range):
        return float(x0)
    grid = np.linspace(*x_range, GRID)
    values = _values(f, grid)
    good = _comfortable_on_grid(values, y_range)
    if not good.any():
        good = np.isfinite(values) & (values >= y_range[0]) & (values <= y_range[1])
        if not good.any():
            good = np.isfinite(values)
        if not good.any():
            return float(x0)
        return _nearest(grid[good], x0)
    best = _nearest(grid[good], x0)
    for digits in (1, 2, 3):
        rounded = _round_significant(best, digits)
        if comfortable(f, rounded, x_range, y_range):
            return rounded
    return best


def _comfortable_on_grid(values: np.ndarray, y_range: tuple[float, float]) -> np.ndarray:
    """:func:`comfortable` for every point of an evenly spaced grid across the view at once."""
    y_lo, y_hi = y_range
    height = y_hi - y_lo
    with np.errstate(invalid="ignore"):
        shown = np.isfinite(values) & (values >= y_lo) & (values <= y_hi)
        inner = shown & (values >= y_lo + MARGIN * height) & (values <= y_hi - MARGIN * height)
    reach = max(1, round(CLEARANCE * (len(values) - 1)))
    hidden = np.concatenate(([0], np.cumsum(~shown)))  # hidden points before each index
    lo = np.clip(np.arange(len(values)) - reach, 0, len(values))
    hi = np.clip(np.arange(len(values)) + reach + 1, 0, len(values))
    clear = hidden[hi] - hidden[lo] == 0
    edge = (np.arange(len(values)) >= reach) & (np.arange(len(values)) < len(values) - reach)
    return inner & clear & edge


def _nearest(candidates: np.ndarray, x0: float) -> float:
    """The candidate nearest x₀; of two equally near, the one to the right (x > 0 reads better)."""
    distance = np.abs(candidates - x0)
    ties = candidates[distance <= distance.min() * (1 + 1e-9) + 1e-300]
    return float(ties.max())


def _round_significant(x: float, digits: int) -> float:
    if x == 0 or not np.isfinite(x):
        return float(x)
    return float(round(x, digits - 1 - int(np.floor(np.log10(abs(x))))))
