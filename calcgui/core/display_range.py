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
    """A y-range that shows the curves' shape, not their poles: the full range of the finite
    values when nothing is extreme; near a pole or a blow-up, Tukey's fences (quartiles ± 3
    interquartile ranges) instead. Per curve, then combined, padded."""
    lows, highs = [], []
    for curve in curves:
        finite = curve[np.isfinite(curve)]
        if finite.size == 0:
            continue
        lo, hi = float(finite.min()), float(finite.max())
        p5, q1, q3, p95 = (float(v) for v in np.percentile(finite, [5, 25, 75, 95]))
        if hi - lo > 8 * max(p95 - p5, 1e-12):  # a pole or a blow-up: frame the bulk
            spread = max(q3 - q1, 1e-12)
            lo, hi = max(lo, q1 - 3 * spread), min(hi, q3 + 3 * spread)
        lows.append(lo)
        highs.append(hi)
    if not lows:
        return -1.0, 1.0
    lo, hi = min(lows), max(highs)
    span = hi - lo
    if span < 1e-9 * max(1.0, abs(hi)):  # a constant: centre it in a unit window
        return lo - 1.0, hi + 1.0
    return lo - pad * span, hi + pad * span


def steady_range(shown: tuple[float, float] | None, wanted: tuple[float, float], fill: float = 0.5,
                 headroom: float = 0.15) -> tuple[float, float]:
    """The y-range to show next for a curve that changes a little at a time (a slice of the
    surface while P is dragged): the range ``shown`` while it still frames ``wanted`` well
    (holds it, and ``wanted`` fills at least ``fill`` of its height); otherwise ``wanted`` with
    ``headroom`` of its span added on each side, so that the next few moves fit again.
    ``shown`` None (a new function or view) gives ``wanted`` exactly.

    The frame stands still while the curve moves in it: the tick labels do not flicker under
    a student's eyes, and the axes are not laid out and drawn again on every move."""
    lo, hi = wanted
    if shown is None or not all(np.isfinite(v) for v in (*shown, lo, hi)):
        return wanted
    shown_lo, shown_hi = shown
    height = shown_hi - shown_lo
    if shown_lo <= lo and hi <= shown_hi and hi - lo >= fill * height:
        return shown
    margin = headroom * (hi - lo)
    return lo - margin, hi + margin


def framing_range(primary: np.ndarray, others: Sequence[np.ndarray], pad: float = 0.08) -> tuple[float, float]:
    """A y-range for f (``primary``) drawn with f′ (and the like): f's robust range, widened
    for the others by at most half f's own span on each side. f′ of x^x or x ln x runs off to −∞
    at 0; framed in full it flattened f's minimum at 1/e into the x-axis."""
    lo, hi = robust_range([primary], pad=0.0)
    finite = primary[np.isfinite(primary)]
    if finite.size == 0:
        return robust_range(others, pad)
    reach = max(0.5 * (hi - lo), 0.5)
    if others:
        o_lo, o_hi = robust_range(others, pad=0.0)
        lo, hi = min(lo, max(o_lo, lo - reach)), max(hi, min(o_hi, hi + reach))
    span = hi - lo
    if span < 1e-9 * max(1.0, abs(hi)):
        return lo - 1.0, hi + 1.0
    return lo - pad * span, hi + pad * span


def mask_outside(values: np.ndarray, y_lo: float, y_hi: float, factor: float = 3.0) -> np.ndarray:
    """A copy ready to draw: non-finite values and values far outside [y_lo, y_hi] become
    NaN, and so does one end of every jump (a pole, or a step such as sign x at 0), so
    that discontinuities are gaps, not vertical lines."""
    span = y_hi - y_lo
    lo, hi = y_lo - factor * span, y_hi + factor * span
    out = np.where(np.isfinite(values) & (values >= lo) & (values <= hi), values, np.nan)
    steps = np.abs(np.diff(out))
    pole = (steps > span) & (np.sign(out[:-1]) != np.sign(out[1:]))
    before = np.concatenate(([0.0], steps[:-1]))
    after = np.concatenate((steps[1:], [0.0]))
    with np.errstate(invalid="ignore"):
        step = (steps > 0.02 * span) & (steps > 20 * np.fmax(np.nan_to_num(before), np.nan_to_num(after)))
    out[np.flatnonzero(pole | step)] = np.nan
    return out


#: Where features of a function are looked for, and the narrowest window shown.
SEARCH_RANGE = (-10.0, 10.0)
MIN_WIDTH = 4.0
#: A window shows at most about this many features: a fast oscillation is framed near the
#: origin, where it can be read, rather than as a solid band across the whole search range.
MAX_FEATURES = 24


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
            # defined at isolated grid points only (x^x at the negative whole numbers) is not a
            # stretch of the domain: those points are not features
            alone = finite & ~np.concatenate(([False], finite[:-1])) & ~np.concatenate((finite[1:], [False]))
            finite &= ~alone
            sign = np.sign(np.where(finite, y, 0.0))
            changes = (sign[:-1] * sign[1:] < 0) | (finite[:-1] != finite[1:])
            # a root exactly on a grid point (x = -1) has sign 0: count it when isolated
            # (a double root such as (2x + 3)^2 at -1.5 touches zero without a sign change)
            touching = finite[1:-1] & (sign[1:-1] == 0) & (sign[:-2] != 0) & (sign[2:] != 0)
            features.append(np.concatenate((x[:-1][changes], x[1:-1][touching])))
    found = np.concatenate(features) if features else np.array([])
    if found.size == 0:
        return None
    if found.size > MAX_FEATURES:
        found = found[np.argsort(np.abs(found))[:MAX_FEATURES]]
    lo, hi = float(found.min()), float(found.max())
    centre, width = (lo + hi) / 2, max((hi - lo) * 1.6, MIN_WIDTH)
    lo, hi = centre - width / 2, centre + width / 2
    if lo < search[0]:
        lo, hi = search[0], min(search[0] + width, search[1])
    if hi > search[1]:
        lo, hi = max(search[1] - width, search[0]), search[1]
    if not functions:
        return lo, hi
    lo, hi = _within_domain(functions[0], lo, hi)
    return _tightened(functions[0], float(found.min()), float(found.max()), lo, hi)


#: A window is narrowed while f varies over it more than this many times as much as over its
#: central half, and narrowing helps: x^x reached 10⁵ at x = 6.6 and hid its minimum of 0.69
#: at 1/e. (For xⁿ the ratio is 2ⁿ at every width: narrowing would not help, and it is kept.)
GROWTH = 12.0


def _spread(fn: NumericFunction, lo: float, hi: float) -> float:
    with np.errstate(all="ignore"):
        y = fn(np.linspace(lo, hi, 401))
    y = y[np.isfinite(y)]
    return float(y.max() - y.min()) if y.size else 0.0


def _tightened(fn: NumericFunction, first: float, last: float, lo: float, hi: float) -> tuple[float, float]:
    """Narrow [lo, hi] towards the features [first, last] while f grows so fast across it
    that the y-range would flatten them (see :data:`GROWTH`)."""
    centre, narrowest = (first + last) / 2, max(1.6 * (last - first), 1.0)

    def growth(lo: float, hi: float) -> float:
        quarter = (hi - lo) / 4
        return _spread(fn, lo, hi) / max(_spread(fn, centre - quarter, centre + quarter), 1e-12)

    while hi - lo > narrowest:
        now = growth(lo, hi)
        narrower = centre - 0.85 * (centre - lo), centre + 0.85 * (hi - centre)
        if now <= GROWTH or growth(*narrower) > 0.9 * now:
            break
        lo, hi = narrower
    return lo, hi


def _within_domain(fn: NumericFunction, lo: float, hi: float) -> tuple[float, float]:
    """Slide the window off a stretch where f is undefined (ln x left of 0), keeping its width,
    so that a little of the undefined side stays in view to show where the domain ends."""
    x = np.linspace(lo, hi, 801)
    with np.errstate(all="ignore"):
        defined = np.isfinite(fn(x))
    if not defined.any() or defined.all():
        return lo, hi
    width = hi - lo
    first, last = int(np.argmax(defined)), len(x) - 1 - int(np.argmax(defined[::-1]))
    if first > 0.15 * len(x):
        lo = x[first] - 0.08 * width
        return lo, lo + width
    if last < 0.85 * len(x):
        hi = x[last] + 0.08 * width
        return hi - width, hi
    return lo, hi
