"""Choosing what part of a curve to show, with numpy alone (the UI imports this at start-up).

Values far outside the visible range become NaN so that a pole is drawn as a gap instead of a
vertical spike, and the y-range frames the bulk of a curve rather than its poles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: A compiled function: numpy array(s) in, array of values (NaN where undefined) out.
NumericFunction = Callable[..., np.ndarray]


def robust_range(curves: Sequence[np.ndarray], pad: float = 0.08) -> tuple[float, float]:
    """A y-range that shows the curves' shape, not their poles: the 2-98 % band of the
    finite values (widened to the full range when nothing is extreme), padded."""
    finite = np.concatenate([c[np.isfinite(c)] for c in curves]) if curves else np.array([])
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    p_lo, p_hi = np.percentile(finite, [2, 98])
    inner = max(float(p_hi - p_lo), 1e-12)
    if hi - lo > 8 * inner:  # pole or blow-up: clip to the bulk of the values
        lo, hi = float(p_lo), float(p_hi)
    span = hi - lo
    if span < 1e-9 * max(1.0, abs(hi)):  # a constant: centre it in a unit window
        return lo - 1.0, hi + 1.0
    return lo - pad * span, hi + pad * span


def mask_outside(values: np.ndarray, y_lo: float, y_hi: float, factor: float = 3.0) -> np.ndarray:
    """A copy with non-finite values and values far outside [y_lo, y_hi] set to NaN, and
    breaks at sign-changing jumps larger than the band: poles become gaps, not spikes."""
    span = y_hi - y_lo
    lo, hi = y_lo - factor * span, y_hi + factor * span
    out = np.where(np.isfinite(values) & (values >= lo) & (values <= hi), values, np.nan)
    jumps = np.abs(np.diff(out)) > span
    flips = np.sign(out[:-1]) != np.sign(out[1:])
    cut = np.flatnonzero(jumps & flips)
    out[cut] = np.nan
    return out


#: Where features of a function are looked for, and the narrowest window shown.
SEARCH_RANGE = (-10.0, 10.0)
MIN_WIDTH = 4.0


def interesting_x_range(functions: Sequence[NumericFunction],
                        search: tuple[float, float] = SEARCH_RANGE) -> tuple[float, float] | None:
    """An x-window that frames where the story of f is: the places where f, f' or f''
    change sign (roots, turning points, inflections) or stop being defined (the edge of a
    domain, a pole). None when nothing of the kind is in ``search`` (then keep the view)."""
    x = np.linspace(search[0], search[1], 4001)
    features: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        for fn in functions:
            y = fn(x)
            finite = np.isfinite(y)
            sign = np.sign(np.where(finite, y, 0.0))
            changes = (sign[:-1] * sign[1:] < 0) | (finite[:-1] != finite[1:])
            features.append(x[:-1][changes])
    found = np.concatenate(features) if features else np.array([])
    if found.size == 0:
        return None
    lo, hi = float(found.min()), float(found.max())
    centre, width = (lo + hi) / 2, max((hi - lo) * 1.6, MIN_WIDTH)
    lo, hi = centre - width / 2, centre + width / 2
    if lo < search[0]:
        lo, hi = search[0], min(search[0] + width, search[1])
    if hi > search[1]:
        lo, hi = max(search[1] - width, search[0]), search[1]
    return lo, hi
